"""What people type into /search, translated into an SQLite FTS5 query that cannot misfire.

Plain input is words: punctuation separates them, a word joined by hyphens, colons or dots
("Derby-Elfmeter", "2:4") is matched as the phrase it is, a French or Italian elision is dropped
("l'évaluation" finds "évaluation" and "d'évaluation"), and ß matches ss both ways (the index's
unicode61 tokenizer already folds case and accents, but keeps ß). The operators people know keep
working: "an exact phrase", OR, AND, NOT, -word, word* and parentheses. A word of Chinese,
Japanese or Thai (written without spaces) is found inside the text, one character too: it is
looked up in the second index, articles_grams (storage.grams): a search is a Match of one
index, or, when it mixes both kinds of words, a Combined one of Matches (storage.matching
turns either into SQL). Every word reaches FTS5
inside double quotes, so no user input is ever read as FTS5 syntax (a column filter, NEAR, ^).
Pure: no SQL runs here.
"""

from __future__ import annotations

import itertools
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from storage.grams import has_script, query_grams

MAX_TERMS = 64  # beyond this a query is an abuse, not a search, and costs a posting list each
# Parentheses deeper than this are an abuse too, and the parser recurses per level: a /search
# of 400 "(" (a Telegram message holds 4,096) ended in a RecursionError and no answer.
MAX_DEPTH = 10

# Elided articles and prepositions ("l'État", "dell'anno"): the word after them is what is meant.
ELISIONS = frozenset({
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
    "presqu", "un", "dell", "all", "dall", "nell", "sull", "coll", "quest", "quell", "nessun",
})
APOSTROPHES = "'\u2019\u02bc`\u00b4"
SEPARATORS = ",;!?()[]{}<>\"\u00ab\u00bb\u201c\u201d\u201e"  # end a word (quotes, parens: syntax)
OPERATORS = {"OR", "AND", "NOT"}  # upper case only, as in FTS5: "rock and roll" is three words


def N_(message: str) -> str:
    """Mark a message for the bot's catalogs; the bot translates it when it shows the error."""
    return message


HINT = N_('Use plain words, "an exact phrase", OR between alternatives, -word to leave a word '
          "out, word* for a prefix.")
READ_PROBLEM = N_("Cannot read the search “{search}”: {problem}. {hint}")


class SearchSyntaxError(ValueError):
    """The search cannot be read; the message (one line) says what to change.

    `problem` is an untranslated message with `params`, so a front end can say it in the
    reader's language; str() is the English sentence.
    """

    def __init__(self, problem: str, search: str | None = None, **params: object) -> None:
        self.problem = problem
        self.search = search
        self.params = params
        text = problem.format(**params)
        if search is not None:
            text = READ_PROBLEM.format(search=quoted(search), problem=text, hint=HINT)
        super().__init__(text)


def quoted(search: str) -> str:
    """The search as typed, for READ_PROBLEM's quotes (each language's own): not repr(), whose
    escapes (`l\\'État`, a doubled backslash) are no part of what the reader typed; control
    characters as spaces, so the message stays one line."""
    return search.translate(_CONTROLS)


class Kind(StrEnum):
    """What a lexical token of a search is."""

    TERM = "term"
    OR = "OR"
    AND = "AND"
    NOT = "NOT"
    OPEN = "("
    CLOSE = ")"


@dataclass(frozen=True, slots=True)
class Token:
    """One piece of a search: a term (text to match, maybe a prefix) or an operator."""

    kind: Kind
    text: str = ""
    prefix: bool = False
    negated: bool = False


WORDS = "articles_fts"  # the index of title and body, by word
GRAMS = "articles_grams"  # the index of the character pairs of Chinese, Japanese, Thai


@dataclass(frozen=True, slots=True)
class Match:
    """An FTS5 MATCH expression for one full-text table."""

    table: str
    expression: str


@dataclass(frozen=True, slots=True)
class Combined:
    """Matches of different tables joined: AND/OR of all parts, or NOT: the first without the
    second."""

    operator: str
    parts: tuple[Match | Combined, ...]


Query = Match | Combined


def fts_query(search: str) -> str:
    """The FTS5 MATCH expression (of articles_fts) for a search of words without Chinese,
    Japanese or Thai ones; the expression for articles_grams for one of those words alone."""
    query = parse(search)
    return query.expression if isinstance(query, Match) else str(query)


def parse(search: str) -> Query:
    """What a user typed as a query of the full-text tables, or SearchSyntaxError with a hint."""
    search = unicodedata.normalize("NFC", search).strip()
    if not search:
        raise SearchSyntaxError(N_("The search is empty: give one or more words."))
    tokens = tokenize(search)
    terms = sum(token.kind is Kind.TERM for token in tokens)
    if terms == 0:
        raise _unreadable(search, N_("it has no word to look for"))
    if terms > MAX_TERMS:
        raise _unreadable(search, N_("it has more than {most} words"), most=MAX_TERMS)
    if _deepest(tokens) > MAX_DEPTH:
        raise _unreadable(search, N_("it nests parentheses more than {most} deep"),
                          most=MAX_DEPTH)
    parser = _Parser(tokens, search)
    query = parser.parse_or()
    if parser.position < len(tokens):  # only a stray ")" stops the parse early
        raise _unreadable(search, N_("a ')' has no matching '('"))
    return query


def _deepest(tokens: list[Token]) -> int:
    """How deep the parentheses of a search nest (unbalanced ones are the parser's to report)."""
    depth = deepest = 0
    for token in tokens:
        if token.kind is Kind.OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif token.kind is Kind.CLOSE:
            depth = max(0, depth - 1)
    return deepest


def keyword_term(keyword: str) -> str | None:
    """One /include or /exclude keyword as an FTS5 term: a whole word or phrase, `*` a prefix
    (for a keyword with Chinese, Japanese or Thai, its form for articles_grams)."""
    query = keyword_query(keyword)
    return None if query is None else (
        query.expression if isinstance(query, Match) else str(query))


def keyword_query(keyword: str) -> Query | None:
    """One /include or /exclude keyword as a query: a whole word or phrase, `*` a prefix."""
    tokens = [token for token in tokenize(keyword.replace('"', " ")) if token.kind is Kind.TERM]
    if not tokens:
        return None
    words = " ".join(token.text for token in tokens)
    return _term(Token(Kind.TERM, words, prefix=tokens[-1].prefix))


# Control characters separate words: FTS5 reads its query as a C string, so a NUL inside a
# quoted term ended the query there ("unterminated string"), and a keyword filter holding one
# made every digest of its chat fail.
_CONTROLS = dict.fromkeys([*range(0x20), *range(0x7f, 0xa0)], " ")


def tokenize(search: str) -> list[Token]:
    """The search as terms and operators; raises SearchSyntaxError on an unclosed quote."""
    search = search.translate(_CONTROLS)
    tokens: list[Token] = []
    position, end = 0, len(search)
    while position < end:
        char = search[position]
        if char.isspace() or (char in SEPARATORS and char not in '"()'):
            position += 1
        elif char in "()":
            tokens.append(Token(Kind.OPEN if char == "(" else Kind.CLOSE))
            position += 1
        elif char == '"':
            close = search.find('"', position + 1)
            if close < 0:
                raise _unreadable(search, N_("a quote is not closed"))
            inside = search[position + 1:close].rstrip()
            prefix = search.startswith("*", close + 1) or inside.endswith("*")
            words = [_unelided(chunk) for chunk in inside.rstrip("*").split()]
            phrase = " ".join(word for word in words if _has_word(word))
            if phrase:
                tokens.append(Token(Kind.TERM, phrase, prefix=prefix))
            position = close + 1 + search.startswith("*", close + 1)
        else:
            stop = position
            while stop < end and not search[stop].isspace() and search[stop] not in SEPARATORS:
                stop += 1
            tokens.extend(_word_token(search[position:stop]))
            position = stop
    return tokens


def _word_token(chunk: str) -> list[Token]:
    if chunk in OPERATORS:
        return [Token(Kind(chunk))]
    negated = chunk.startswith("-") and len(chunk) > 1
    chunk = chunk.lstrip("-+") if negated or chunk.startswith("+") else chunk
    prefix = chunk.endswith("*")
    word = _unelided(chunk.rstrip("*"))
    if not _has_word(word):
        return []  # punctuation alone ("-", "?", "&") separates words, it is not one
    return [Token(Kind.TERM, word, prefix=prefix, negated=negated)]


def _unelided(word: str) -> str:
    for mark in APOSTROPHES:
        head, found, rest = word.partition(mark)
        if found and head.lower() in ELISIONS and _has_word(rest):
            return rest
    return word


def _has_word(text: str) -> bool:
    # The characters unicode61 indexes: letters, numbers (and private-use ones, never typed).
    return any(char.isalnum() for char in text)


class _Parser:
    """Recursive descent over tokens: OR binds loosest, then AND (written or implied), then
    NOT/-word, which FTS5 only has as a binary operator: `a -b c` becomes `(a AND c) NOT b`."""

    def __init__(self, tokens: list[Token], search: str) -> None:
        self.tokens = tokens
        self.search = search
        self.position = 0

    def peek(self) -> Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def parse_or(self) -> Query:
        alternatives = [self.parse_and()]
        while (token := self.peek()) is not None and token.kind is Kind.OR:
            self.take()
            alternatives.append(self.parse_and())
        return alternatives[0] if len(alternatives) == 1 else joined("OR", alternatives)

    def parse_and(self) -> Query:
        wanted: list[Query] = []
        unwanted: list[Query] = []
        while (token := self.peek()) is not None and token.kind not in (Kind.OR, Kind.CLOSE):
            negate = False
            if token.kind is Kind.AND:
                self.take()
                if not wanted and not unwanted:
                    raise _unreadable(self.search, N_("AND needs a word on each side"))
                token = self.peek()
            if token is not None and token.kind is Kind.NOT:
                self.take()
                negate = True
                token = self.peek()
            if token is None or token.kind in (Kind.OR, Kind.CLOSE, Kind.AND, Kind.NOT):
                raise _unreadable(self.search, N_("{operator} needs a word after it"),
                                  operator=str(self.tokens[self.position - 1].kind))
            operand, negated = self.parse_operand()
            (unwanted if negate or negated else wanted).append(operand)
        if not wanted and not unwanted:
            raise _unreadable(self.search, self._empty_group_problem())
        if not wanted:
            raise _unreadable(self.search, N_("it only says what to leave out; add a word to find"))
        expression = wanted[0] if len(wanted) == 1 else joined("AND", wanted)
        for operand in unwanted:
            expression = without(expression, operand)
        return expression

    def _empty_group_problem(self) -> str:
        after = self.peek()
        before = self.tokens[self.position - 1] if self.position else None
        if Kind.OR in (getattr(after, "kind", None), getattr(before, "kind", None)):
            return N_("OR needs a word on each side")
        if after is not None and after.kind is Kind.CLOSE:
            return N_("a ')' has no matching '('")
        return N_("a '(' has nothing inside")

    def parse_operand(self) -> tuple[Query, bool]:
        token = self.take()
        if token.kind is Kind.OPEN:
            if self.peek() is None or self.peek().kind is Kind.CLOSE:
                raise _unreadable(self.search, N_("a '(' has nothing inside"))
            inner = self.parse_or()
            if self.peek() is None:
                raise _unreadable(self.search, N_("a '(' is not closed"))
            self.take()
            return inner, False
        return _term(token), token.negated


def joined(operator: str, parts: list[Query], *, brackets: bool = True) -> Query:
    """parts joined by AND or OR: one expression when they are all of one table."""
    tables = {part.table for part in parts if isinstance(part, Match)}
    if len(tables) == 1 and all(isinstance(part, Match) for part in parts):
        expression = f" {operator} ".join(part.expression for part in parts)
        return Match(tables.pop(), f"({expression})" if brackets else expression)
    return Combined(operator, tuple(parts))


def without(wanted: Query, unwanted: Query) -> Query:
    """wanted NOT unwanted: one expression when both are of one table."""
    if isinstance(wanted, Match) and isinstance(unwanted, Match) and (
            wanted.table == unwanted.table):
        return Match(wanted.table, f"({wanted.expression} NOT {unwanted.expression})")
    return Combined("NOT", (wanted, unwanted))


def _term(token: Token) -> Query:
    if not has_script(token.text):
        return Match(WORDS, _words_term(token.text, token.prefix))
    # Words of the scripts written without spaces are found in the grams columns (see
    # storage.grams), the others as before; a phrase mixing both becomes each part, all wanted.
    groups = [(script, " ".join(words)) for script, words
              in itertools.groupby(token.text.split(), key=has_script)]
    parts = []
    for number, (script, text) in enumerate(groups):
        prefix = token.prefix and number == len(groups) - 1
        if script:
            phrase, lone = query_grams(text)
            star = "*" if lone or prefix else ""
            parts.append(Match(GRAMS, f'"{phrase}"{star}'))
        else:
            parts.append(Match(WORDS, _words_term(text, prefix)))
    return parts[0] if len(parts) == 1 else joined("AND", parts)


def _words_term(text: str, prefix: bool) -> str:
    spellings = _spellings(text)
    star = "*" if prefix else ""
    quoted = [f'"{spelling}"{star}' for spelling in spellings]
    return quoted[0] if len(quoted) == 1 else f"({' OR '.join(quoted)})"


def _spellings(text: str) -> list[str]:
    """The text and its ß/ss variants ("grosste" → also "großte"), the first one as typed."""
    lower = text.lower()
    variants = [text]
    if "ß" in lower:
        variants.append(lower.replace("ß", "ss"))
    places = [index for index in range(len(lower) - 1) if lower.startswith("ss", index)]
    # Non-overlapping "ss" only ("sss" has one), at most 3 (8 spellings), each kept or made ß.
    chosen: list[int] = []
    for index in places:
        if not chosen or index >= chosen[-1] + 2:
            chosen.append(index)
    for keep in itertools.product((False, True), repeat=min(len(chosen), 3)):
        if not any(keep):
            continue
        chars = list(lower)
        for index, make in zip(chosen, keep, strict=False):
            if make:
                chars[index:index + 2] = ["ß", ""]
        variants.append("".join(chars))
    return list(dict.fromkeys(variants))


def _unreadable(search: str, problem: str, **params: object) -> SearchSyntaxError:
    shown = search if len(search) <= 80 else search[:79] + "…"
    return SearchSyntaxError(problem, shown, **params)
