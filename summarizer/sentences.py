"""Offline sentence splitting: paragraphs and headings first, then punkt or a neutral regex.

Input is plain text whose paragraphs (and headings, as their own paragraphs) are separated by
blank lines. Splitting per paragraph is what keeps a heading from being glued to the sentence
after it. Languages with a bundled punkt model use it, with the curated non-breaking prefixes
(`Dhr.`, `o.a.`, `Mr.`) folded in; every other language gets a script-neutral regex.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

import punkt

from .boundaries import is_title_abbreviation, joins
from .language import language_name, normalize_language

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_BULLET = re.compile(r"^\s*(?:[-*•‣◦▪●–—]|\d{1,3}[.)]|[a-z][.)])\s+")
# A paragraph ending in one of these is prose; one without is a heading, a label or a list item.
_TERMINAL = tuple(".!?…:;\"'”’»)]。！？؟।")
_HEADING_MAX_WORDS = 20
# Scraped text often loses the line break between paragraphs, and with it the space: "the
# community.Dr Venter", "lors de son auditionSelon le juge", "les plus touchés"La carte". A stop,
# or a lower-case word, glued to a capitalised word cannot be one sentence: the join becomes a
# paragraph break, so that a subheading caught between two paragraphs ("…de Paris.Une attaque
# au hachoirPeu avant midi…") stands alone and is recognised as a heading. The glued word must
# start in lower case and have 3+ letters, which spares names such as "iPhone", "YouTube" and
# "ThyssenKrupp"; a capitalised one ("LagerhalleDie", "SantéCela") only counts before a word
# that starts sentences and never goes on a name.
# Candidates are the capitals right after a letter, a stop or a quote: capitals are rare
# enough for the regex engine to skip straight to them, and each candidate is judged in Python
# (a regex with word-start alternatives was tried at every word: a third of the split time).
# After a stop, three more shapes of a glued paragraph's first word: a one-letter word
# ("environnement.A Bordeaux", "the end.A man"), the French title "M." ("selon Athènes.M.
# Erdogan") and an acronym ("les associations.EDF ne nie pas"); after a word, "À".
# (One capital first, the shapes after it: with an alternative per shape, each opening on its
# capital, the regex engine no longer skipped straight to capitals, and took 2.5 times as long.)
_GLUE_CANDIDATE = re.compile(
    r"[A-ZÀ-Þ](?:"
    r"(?<=[a-zß-ÿ.!?…\"”’»][A-ZÀ-Þ])(?=[a-zß-ÿ]|['’][A-Za-zÀ-ÿ])"  # "Selon", "D'autres"
    r"|(?<=[.!?…\"”»][A-ZÀ-Þ])(?=(?<=[AÀ]) [A-Za-zÀ-ÿ]|(?<=M)\. [A-ZÀ-Þ]|[A-ZÀ-Þ]{1,5} [a-zß-ÿ])"
    r"|(?<=[a-zß-ÿ]À)(?= )"  # no word ends in "À": "le devoir de mémoireÀ la Libération"
    r")"
)
_STOPS = ".!?…"
# French and German papers set subheadings in capitals, and scraping glues them to both
# neighbours: "…du pavillon.CACHÉ SOUS UN MASQUE DE HULKDeux ans de cauchemar…",
# "…selon elle."IL N'EST PAS QUESTION"Un retour…". A run of two or more words in capitals
# after a stop, glued to a capitalised word, is a heading of its own. It ends at its last
# capital before one that starts a word ("HULK|Deux"); a quote after it goes with the heading
# when it closes one the heading opened, with the sentence after it when it opens a quotation.
# (The regex starts on the stop, not on a look-behind: stops are rare enough for the regex
# engine to skip straight to them.)
# (A heading is at most 150 characters, about 20 words: unbounded, text in capitals full of
# stops, "WHY? WHY? WHY?…", was read to its end again from every stop; 32 KB took 20 s.)
_CAPS_HEADING = re.compile(
    r"[.!?…][\"»”]??[ \t]*"  # a stop, perhaps with a closing quote (left to the heading)
    r"(?P<heading>[►▶■]?[ \t]*[\"«“]?[A-ZÀ-Þ0-9][A-ZÀ-Þ0-9'’\":,;!?«»“” -]{0,150}[A-ZÀ-Þ][\"»”]?)"
    r"(?=[\"«“]?[A-ZÀ-Þ](?:['’]?[a-zß-ÿ]{2}|[a-zß-ÿ]? [a-zß-ÿ]))"  # "Deux", "L'élection", "Ce s"
)
_CAPS_HEADING_MIN_LETTERS = 6
# A piece of punctuation only that closes the sentence before it ('".', '“', ').', '😉'); a
# table's cell bar "|" is not one: glued to a sentence it would make it a breadcrumb ("| … |",
# summarizer/furniture.py).
_CLOSING_PIECE = re.compile(r"[^\w\s|]+")
_TRAILING_QUOTES = "\"“”»’"
# A "!" or "?" in brackets is a remark inside a sentence, not its end: "seit Mai (!) keinen Post",
# "mit seinen Smartphones(!), hier…", "Standart (sic!) statt". Punkt breaks after it (or before
# the bracket that closes it); the piece after, in lower case or from the bracket on, goes back.
_BRACKETED_MARK = re.compile(r"\((?:sic\s*)?[!?]{1,3}\)?$", re.IGNORECASE)
_BRACKETED_MARK_CHARS = 8
# No sentence starts with a colon: after an abbreviation ("Abb.: Collage aus…", "Tel.: 0228…",
# "PS.: Du willst…", "(auch AR, dt.: erweiterte Realität)") punkt breaks before it, and the
# label is left alone at the end of one sentence and its text at the start of the next. An
# interview's "::" marker and a ":-)" stay where they are.
_COLON_AFTER_ABBREVIATION = re.compile(r"(?:^|[\s(])[^\W\d_]{1,4}\.$")
_QUOTE_BEFORE_SPACE = re.compile(rf"[{_TRAILING_QUOTES}]\s+\S")
# A quote that closes before a comma closes a quotation, it starts nothing: punkt breaks after a
# "?" or "!" inside one (`qui est responsable? | ", a indiqué la coroner`, `un éléphant! |
# '", raconte-t-il`), and the piece goes back onto its sentence.
_QUOTE_BEFORE_COMMA = re.compile(r"[\"'“”‘’«»„]+\s*[,;]")
# A French opening guillemet after a space opens the next sentence: punkt leaves it at the end
# of the one before (`…quand elle était adolescente. « | Je…`).
_DANGLING_OPENING_QUOTE = re.compile(r"\s+[«„]$")
# A line after one of these markers is a heading even when it ends on a quote it holds:
# `►SUR LA FORME : "TROP LONG"`.
_HEADING_MARKERS = "►▶■"
_BEFORE_STOP = re.compile(r"[a-zß-ÿ0-9%)]")
_GLUE_QUOTES = "\"”’»"  # a quote between a stop and the capital
_CLOSING_GLUE_QUOTES = "\"”»"  # a quote between a lower-case word and the capital
_STARTER_WORDS = (
    "Der Die Das Ein Eine Im Am Auch Es Er Sie Wir Nach Bei Auf Doch Aber Dabei Seit Zudem "
    "Le La Les Un Une Des Ce Cette Il Elle Ils Elles Selon Pour Dans Mais Au Aux Depuis Cela "
    "De Het Een Ook Hij Zij Ze Volgens Maar Dat Dit "
    "The It He She They We This But According"
)
_STARTERS = frozenset(_STARTER_WORDS.split())
_LONGEST_STARTER = max(map(len, _STARTERS))
# The lower-case letters a glued word is made of: a-z and ß-ÿ (not the sign ÷ among them).
_LOWER_LETTERS = frozenset(c for c in map(chr, range(256))
                           if c.isalpha() and ("a" <= c <= "z" or "ß" <= c <= "ÿ"))
# Neutral fallback: break after terminal punctuation (and any closing quote) followed by space
# and a character that is not lowercase, or straight after ideographic/Arabic/Devanagari stops.
_NEUTRAL_BREAK = re.compile(r"([.!?…]+[\"'”’»)\]]*)\s+(?=[^\sa-zß-ÿ])")
_NEUTRAL_BREAK_CJK = re.compile(r"([。！？؟।]+[」』”’]*)\s*")
_SHORT_ABBREVIATION = re.compile(r"(?:^|\s)[A-ZÀ-Þ][a-zß-ÿ]{0,2}\.$")
# Page widgets that scraping glues onto real sentences, with no punctuation to split on:
# they become paragraph breaks so that they can neither hide nor join a sentence.
_WIDGETS = re.compile(
    r"Share this with(?:\s*(?:E-?mail|Facebook|Messenger|Twitter|Pinterest|WhatsApp|LinkedIn"
    r"|Copy this link|Reddit|Tumblr))+"
    r"|\bScroll down for (?:the )?videos?\b[.:]?"
    r"|\bVideospeler (?:inladen|wordt geladen)\s*(?:\.{3}|…)?",
    re.IGNORECASE,
)
# Lower-case snippets every widget match contains (no letter in them has a case-insensitive
# equivalent whose lower() differs), so that text without them skips the regex.
_WIDGET_HINTS = ("hare th", "croll down for", "ideospeler")
# An embedded video's title and credit, as a French page's player prints them: the title, "par"
# glued to it and the channel, glued to the next paragraph ("Virus en Chine : que sait-on de
# l'épidémie ?par franceinfoL'inquiétude vient…", "…de la prison fermepar euronews (en
# français)"On s'est…"). No word ends in "par" before a letter, "?" or ")" glued to it, so the
# glued "par" finds them; title and credit become a paragraph of their own (a furniture rule
# knows the credit), and the channel's name ends where the next paragraph is glued to it.
_GLUED_CREDIT = re.compile(r"(?<=[a-zß-ÿ?!)])par (?=\S)")
_CREDIT_MAX_CHARS = 40
_GLUED_HEADING_MAX_CHARS = 150
_QUOTATION_MAX_CHARS = 600
_TITLE_MAX_CHARS = 200
_SENTENCE_END = re.compile(r"[.!?…][\"»”]?\s+(?=[\"«“]?[A-ZÀ-Þ0-9])|\n")


def _credit_end(text: str, start: int) -> int | None:
    """Where a video credit that starts at `start` (its channel's name) ends, or None when
    nothing ends it within a channel's length."""
    stop = min(len(text), start + _CREDIT_MAX_CHARS)
    for j in range(start, stop):
        char = text[j]
        if char in "\"«“\n":
            return j
        if char in ".,;:!?":
            return None  # a channel's name has no punctuation: "subpar performance, …"
        if text.startswith(" (en ", j):  # euronews' "(en français)"
            close = text.find(")", j, stop + 15)
            return close + 1 if close > 0 else None
        after = text[j + 1 : j + 2]
        if (j > start and char.isupper() and text[j - 1].isalnum()
                and (after.islower() or after in ("'", "’"))):
            return j  # "franceinfoL'inquiétude", "Non Stop PeopleCe", "BFMTVLes"
    return len(text) if stop == len(text) else None


def _break_dashed_headings(text: str) -> str:
    """Put a paragraph break on both sides of a subheading between dashes glued into the text."""
    pieces: list[str] = []
    done = 0
    for match in _DASHED_HEADING.finditer(text):
        start = match.start()
        before = text[start - 1] if start else "\n"
        if before in " \t" and start >= 2:
            before = text[start - 2]  # one space between the stop and the dash
        if start < done or before not in _BEFORE_DASHED_HEADING:
            continue  # "les chefs des deux parties - qui n'ont rien dit - se sont…"
        pieces += [text[done:start], "\n\n", match.group(), "\n\n"]
        done = match.end()
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def _break_video_credits(text: str) -> str:
    """Put an embedded video's title and credit in a paragraph of their own."""
    pieces: list[str] = []
    done = 0
    for match in _GLUED_CREDIT.finditer(text):
        if match.start() < done:
            continue
        end = _credit_end(text, match.end())
        if end is None:
            continue
        window = max(done, match.start() - _TITLE_MAX_CHARS)
        title = window
        for boundary in _SENTENCE_END.finditer(text, window, match.start()):
            title = boundary.end()
        pieces += [text[done:title], "\n\n", text[title:end], "\n\n"]
        done = end
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


# A list item glued into a paragraph after a stop: "…vendredi 25 septembre.• Météo France a
# placé…", "…à 6h00. • La Corse est placée…". Each item is a paragraph of its own, without its
# marker, as in a list; a marker with no space after it opens a heading ("►SUR LA FORME").
_INLINE_BULLET = re.compile(r"(?<=[.!?…\"»”])[ \t]*[•▪●►▶■][ \t]+(?=\S)")
_BULLET_MARKERS = "•▪●►▶■"
_LEADING_BULLET = re.compile(r"^[•‣◦▪●►▶■][ \t]+(?=\S)")
# Invisible characters after a stop or a quote hide the glue between two paragraphs
# (`du Figaro.\u200b\u200bLe chef`, `démagogie"\u200b"Moi`): they go, and the glue shows.
_INVISIBLE_AFTER_STOP = re.compile(r"(?<=[.!?…\"”»])[\u200b\u2060\ufeff]+")
# French agency copy (AFP) sets its subheadings between dashes, and scraping glues them to both
# neighbours: `…avait gagné. - Poursuites "inacceptables" -Dans la capitale…`. The dashes stay
# on the heading: a line ending on one has no final punctuation, so it reads as a heading even
# when it is a question or ends on a quote (`- Quel plan de bataille? -`). At most 80
# characters, so each "- " reads a bounded stretch.
# (The pattern starts on its dash, which the regex engine skips to; what stands before the dash
# is read in Python: a look-behind before an optional space was tried at every character, 5 %
# of the split time.)
_DASHED_HEADING = re.compile(r"- [^\s-][^\n]{0,80}? -(?=[\"«“]?[A-ZÀ-Þ]|[►▶■])")
_BEFORE_DASHED_HEADING = ".!?…\"»”)\n"
_CLOSING_QUOTE = tuple("\"'”’»")
_CLOSING_QUOTE_OR_BRACKET = (*_CLOSING_QUOTE, ")")
_OPENING_QUOTE = tuple("\"'“‘«„")
# Very long "sentences" are unpunctuated text or scraped debris; cut them so that summaries
# stay readable and nothing downstream pays for one enormous unit.
MAX_SENTENCE_WORDS = 80


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph of the input: its sentences, and whether it is a heading."""

    sentences: tuple[str, ...]
    heading: bool = False


# punkt's pattern for hyphen runs and ellipses, `(?:\-{2,}|\.{2,}|(?:\.\s){2,}\.)`, written so that
# each branch starts on a literal: the regex engine then skips to the next "-" or "." instead of
# trying three branches at every character. It matches the same text with the same backtracking
# order (each repeat unrolled once), so every split is the same; scanning every paragraph with
# it was a third of punkt's time (0.2 of 0.59 s on the ingest benchmark's 2,400 articles).
_FAST_MULTI_CHAR_PUNCT = r"(?:--+|\.\.+|\.\s\.\s\.(?:\s\.)*)"
_PUNKT_MULTI_CHAR_PUNCT = r"(?:\-{2,}|\.{2,}|(?:\.\s){2,}\.)"


@lru_cache(maxsize=32)
def _punkt_tokenizer(name: str) -> punkt.PunktSentenceTokenizer | None:
    """Return the punkt tokenizer with non-breaking prefixes for a language, if bundled."""
    if name not in punkt.available_languages():
        return None
    tokenizer = punkt.tokenizer_for(name, prefixes=True)
    rules = tokenizer.rules
    if rules.multi_char_punct_pattern != _PUNKT_MULTI_CHAR_PUNCT:
        return tokenizer  # another pattern than the one rewritten above: left as it is
    rules = replace(rules, multi_char_punct_pattern=_FAST_MULTI_CHAR_PUNCT)
    return punkt.PunktSentenceTokenizer(tokenizer.params, rules=rules,
                                        line_breaks=tokenizer.line_breaks)


def _neutral_split(text: str) -> list[str]:
    """Split on terminal punctuation without knowing the language."""
    # Single-line input, so a newline is free to mark the breaks.
    marked = _NEUTRAL_BREAK_CJK.sub("\\1\n", _NEUTRAL_BREAK.sub("\\1\n", text))
    parts: list[str] = []
    for part in marked.split("\n"):
        if parts and _SHORT_ABBREVIATION.search(parts[-1]):
            parts[-1] = f"{parts[-1]} {part}"  # "Dr. Smith", "J. Doe": a title or an initial
        elif part.strip():
            parts.append(part)
    return parts


def _word_before(text: str, end: int) -> str:
    """The run of letters that ends at `end` in `text`."""
    start = end
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    return text[start:end]


def _word_after(text: str, start: int, longest: int) -> str:
    """The run of letters that starts at `start` in `text`, or "" when it is longer than
    `longest` (read no further: in unbroken text the run may go on to the end)."""
    end = start
    stop = min(len(text), start + longest + 1)
    while end < stop and text[end].isalpha():
        end += 1
    return "" if end - start > longest else text[start:end]


def _glued_word(text: str, end: int) -> tuple[int, bool] | None:
    """Where the word that ends at `end` starts, and whether it is capitalised, if it is a word
    of lower-case letters (`auditionSelon`) or one capital and lower-case letters
    (`LagerhalleDie`) with no letter or digit glued before it; None otherwise.

    Read back only as far as such a word can go: scanning the whole run of letters, every glue
    point of a long unbroken text ("wordAbcwordAbc…") rescanned all of it (quadratic: 14 KB
    took 0.8 s).
    """
    start = end
    while start > 0 and text[start - 1] in _LOWER_LETTERS:
        start -= 1
    capitalised = start > 0 and text[start - 1].isalpha()
    if capitalised:
        start -= 1
        if not text[start].isupper():
            return None
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        return None  # "3abcDef", "iPhone": glued to what comes before, not a word of its own
    return start, capitalised


def _glue_point(text: str, capital: int) -> tuple[int, str] | None:
    """Where a glued paragraph ends before the capital at `capital`, and the quote between them
    (or None when the capital is no glue: a name, an initial, an abbreviation)."""
    quote = ""
    end = capital
    if text[end - 1] in _GLUE_QUOTES:
        quote, end = text[end - 1], end - 1
    before = text[end - 1] if end else ""
    if quote == '"' and before == '"' and end >= 2 and not text[end - 2].isspace():
        # `non-consentement""On nous avait…`, `height?""He said`: a quotation glued to the
        # next one; the break goes between the two quotes.
        return end, ""
    if before in _STOPS:
        stop = end - 1
        word_end = stop
        if text[stop - 1 : stop] in _CLOSING_GLUE_QUOTES:
            word_end = stop - 1  # French sets the stop after the quote: `"fausses".L'ancienne`
        elif text[max(0, stop - 2) : stop] == "..":
            word_end = stop - 2  # an ellipsis: `contre le concept...Si ce format` (see _unglue)
        ahead = text[word_end - 1] if word_end else ""
        spaced = ahead == " " and before in "?!" and stop >= 2  # French "Macron ?Une"
        if not (_BEFORE_STOP.match(ahead) or (spaced and _BEFORE_STOP.match(text[stop - 2]))):
            return None
        if before == ".":
            word = _word_before(text, stop)
            if is_title_abbreviation(word):
                return None  # "St.Gallen", "Mr.Smith": an abbreviation, not the end of a paragraph
            if (not quote and len(word) == 1 and word.islower()
                    and (stop < 2 or text[stop - 2].isspace() or text[stop - 2] in "(\"“„«")):
                # "der e.Consult AG", "bei o.Tel": a one-letter word glued to a capital is a
                # brand's prefix ("km/h.Les", "5e.Sur", "didn't.Former" still split; so does
                # Welsh `yn fy marn i."Os`, where a quote opens the next paragraph)
                return None
        return end, quote
    if quote and quote not in _CLOSING_GLUE_QUOTES:
        return None
    word = _glued_word(text, end)
    if word is None:
        return None
    start, capitalised = word
    if not capitalised and end - start >= 3:
        return end, quote
    if (capitalised and not quote and end - start >= 4
            and _word_after(text, capital, _LONGEST_STARTER) in _STARTERS):
        return end, quote
    return None


def _break_caps_headings(text: str) -> str:
    """Put a paragraph break on both sides of a subheading in capitals glued into the text."""
    pieces: list[str] = []
    done = 0
    for match in _CAPS_HEADING.finditer(text):
        heading = match.group("heading")
        words = heading.split()
        if len(words) < 2 or sum(c.isalpha() for c in heading) < _CAPS_HEADING_MIN_LETTERS:
            continue  # "ONU", "UE": an acronym before a name, not a heading
        end = match.end("heading")
        if heading.endswith('"') and heading.count('"') % 2:
            end -= 1  # `INTERNET"Aujourd'hui`: the quote opens the sentence after the heading
        pieces += [text[done : match.start("heading")], "\n\n", text[match.start("heading") : end],
                   "\n\n"]
        done = end
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def _glued_heading_start(text: str, start: int, end: int) -> int | None:
    """Where a subheading glued to the next paragraph by its last word starts, if one ends at
    `end` (`…favorable à leur budget". Des leviers fiscaux également envisagésAutre dispositif…`):
    words without a stop or a comma after the last sentence of its paragraph. None when the
    glue point follows a stop, or when no sentence ends before it within a heading's length."""
    if text[end - 1 : end] in _STOPS or text[end - 1 : end] in _GLUE_QUOTES:
        return None
    window = max(start, end - _GLUED_HEADING_MAX_CHARS)
    heading = None
    for boundary in _SENTENCE_END.finditer(text, window, end):
        heading = boundary.end()
    # A comma says a sentence cut off ("En effet, alors que sa carrière décollait … créé par"):
    # a subheading is a phrase.
    piece = text[heading:end] if heading is not None else ""
    if not piece or "," in piece or len(piece.split()) > _HEADING_MAX_WORDS:
        return None
    return heading


def _inside_quotation(text: str, start: int, end: int) -> bool:
    """Tell whether `end` stands inside a quotation opened in text[start:end] (its last
    _QUOTATION_MAX_CHARS characters: read from `start`, every elision of a long quotation
    would count its marks again)."""
    start = max(start, end - _QUOTATION_MAX_CHARS)
    return (text.count('"', start, end) % 2 == 1
            or text.count("«", start, end) > text.count("»", start, end)
            or text.count("“", start, end) > text.count("”", start, end))


def _unglue(text: str) -> str:
    """Put a paragraph break wherever scraping glued two paragraphs (or a subheading) together."""
    pieces: list[str] = []
    done = 0  # text[:done] is in pieces
    paragraph_start = 0  # where the glued paragraph now being read began
    for match in _GLUE_CANDIDATE.finditer(text):
        point = _glue_point(text, match.start())
        if point is None:
            continue
        end, quote = point
        cut = end + len(quote)  # the break goes after the quote ...
        # The line's start, searched back to the last break only: searched back to the text's
        # start, every glue point of a long text without line breaks rescanned all of it.
        start = text.rfind("\n", paragraph_start, end) + 1 or paragraph_start
        if not quote and text[end - 3 : end] == "..." and _inside_quotation(text, start, end):
            continue  # `"Politicians [should] set the rules...When legislators…": an elision
        # ... unless it is a straight quote after an even number of them in its paragraph: then
        # it opens a quotation, and the break goes before it (`Sages."Je ne peux…`, but
        # `décision"Cette`).
        if quote == '"' and text.count('"', start, end) % 2 == 0:
            cut = end
        heading = _glued_heading_start(text, max(done, start), end)
        if heading is not None:
            pieces += [text[done:heading], "\n\n"]
            done = heading
        pieces += [text[done:cut], "\n\n"]
        done = paragraph_start = cut
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def _split_unit(
    text: str, tokenizer: punkt.PunktSentenceTokenizer | None, language: str | None
) -> list[str]:
    """Split one paragraph (already a single line) into sentences (no tokenizer: by rule)."""
    raw = tokenizer.tokenize(text) if tokenizer else _neutral_split(text)
    sentences: list[str] = []
    for sentence in (s.strip() for s in raw):
        if not sentence:
            continue
        # (The sentence before may be a long run of rejoined pieces: only its end is read.)
        if (sentences and sentences[-1].endswith(("«", "„"))
                and (dangling := _DANGLING_OPENING_QUOTE.search(sentences[-1][-8:]))):
            sentences[-1] = sentences[-1][: len(sentences[-1]) - 8 + dangling.start()]
            sentence = f"{dangling.group().strip()} {sentence}"
        if sentences and _QUOTE_BEFORE_COMMA.match(sentence):
            sentences[-1] += sentence
            continue
        if (sentences and sentences[-1].endswith(("!", "?")) and sentence[:1].islower()
                and sentence[1:2].islower()):
            # A title that ends in "!" or "?" goes on: "the musical Mamma Mia! | has joined",
            # "le chroniqueur de Touche pas à mon poste ! | en a remis une couche" (a brand in
            # camel case, "iPhone", may open a sentence).
            sentences[-1] = f"{sentences[-1]} {sentence}"
            continue
        if sentence[:1] == "-" and len(sentence) > 1 and (sentence[1].isupper()
                                                          or sentence[1] in '"«“►'):
            sentence = sentence[1:]  # what a dashed subheading leaves: "-L'avion a terminé…"
        if sentences and sentence[0] in _TRAILING_QUOTES and _QUOTE_BEFORE_SPACE.match(sentence):
            # `weitergehen.“ Dann ging sie.` comes back as "…weitergehen." and "“ Dann ging
            # sie.": a quote before a space closes the sentence before it, it opens nothing.
            sentences[-1] += sentence[0]
            sentence = sentence[1:].lstrip()
        closing = not sentence[0].isalnum() and _CLOSING_PIECE.fullmatch(sentence) is not None
        if (sentences and (sentence[0] in "),;" or sentence[0].islower())
                and _BRACKETED_MARK.search(sentences[-1][-_BRACKETED_MARK_CHARS:])):
            glue = "" if sentence[0] in "),;" else " "
            sentences[-1] = f"{sentences[-1]}{glue}{sentence}"
            continue
        if (sentences and sentence[0] == ":" and sentence[1:2] not in (":", "-", ")")
                and _COLON_AFTER_ABBREVIATION.search(sentences[-1][-6:])):
            sentences[-1] += sentence
            continue
        if sentences and (
            # `"... there." she said.` : a lowercase start after a closing quote goes on with it,
            # and after a closing bracket: `am Dienstag (6.10.) in München erklärte`.
            (sentence[0].islower() and sentences[-1].endswith(_CLOSING_QUOTE_OR_BRACKET))
            # `tireurs!!!".` comes back as "tireurs!!!" and '".': punctuation ends a sentence
            or closing
            or joins(sentences[-1], sentence, language)  # "Pr. Raoult", "seinen 14. Titel"
        ):
            sentences[-1] = f"{sentences[-1]}{'' if closing else ' '}{sentence}"
        else:
            sentences.append(sentence)
    # Cut only now: a piece rejoined above may have been a false break, not a long sentence.
    return [piece for sentence in sentences for piece in _cut_long(sentence)]


def _cut_long(sentence: str) -> list[str]:
    """Cut a sentence longer than the word limit into roughly equal pieces."""
    if len(sentence) <= 2 * MAX_SENTENCE_WORDS:
        return [sentence]  # too short to hold more words than the limit: no need to split it
    words = sentence.split()
    if len(words) <= MAX_SENTENCE_WORDS:
        return [sentence]
    pieces = -(-len(words) // MAX_SENTENCE_WORDS)
    size = -(-len(words) // pieces)
    return [" ".join(words[i : i + size]) for i in range(0, len(words), size)]


def _units(paragraph: str) -> list[str]:
    """Return the paragraph as one line, or one line per item if it is a list."""
    lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
    if len(lines) > 1 and sum(bool(_BULLET.match(line)) for line in lines) >= len(lines) - 1:
        # A list (perhaps after a lead-in line): every item stands alone, without its marker.
        return [_BULLET.sub("", line, count=1).strip() or line for line in lines]
    # One item alone keeps no marker either: "► Pour pouvoir voter, il faut…"
    return [_LEADING_BULLET.sub("", " ".join(lines), count=1)]


def _is_heading(sentences: list[str]) -> bool:
    """Tell whether a paragraph is a heading: one short line without final punctuation.

    A quoted line without a stop inside its quotes (`"Pas une preuve robuste de vie"`) is a
    heading too: news puts pull quotes between paragraphs as subheadings.
    """
    if len(sentences) != 1 or len(sentences[0].split()) > _HEADING_MAX_WORDS:
        return False
    line = sentences[0].lstrip(_HEADING_MARKERS)
    marked = len(line) < len(sentences[0])
    if line.endswith(_CLOSING_QUOTE) and (marked or line[:1] in _OPENING_QUOTE):
        line = line.rstrip("".join(_CLOSING_QUOTE))
    return not line.endswith(_TERMINAL)


def split_blocks(text: str, language: str | None) -> list[Block]:
    """Split text into paragraphs of sentences, marking headings; never raises."""
    if not text or not text.strip():
        return []
    name = language_name(language)
    tokenizer = _punkt_tokenizer(name) if name else None
    blocks: list[Block] = []
    code = normalize_language(language)
    lowered = text.lower()
    if any(hint in lowered for hint in _WIDGET_HINTS):
        text = _WIDGETS.sub("\n\n", text)
    if "\u200b" in text or "\ufeff" in text or "\u2060" in text:
        text = _INVISIBLE_AFTER_STOP.sub("", text)
    if "par " in text:
        text = _break_video_credits(text)
    if any(marker in text for marker in _BULLET_MARKERS):
        text = _INLINE_BULLET.sub("\n\n", text)
    if "- " in text:
        text = _break_dashed_headings(text)
    for paragraph in _PARAGRAPH_BREAK.split(_unglue(_break_caps_headings(text)).strip()):
        units = _units(paragraph)
        sentences = [s for unit in units for s in _split_unit(unit, tokenizer, code)]
        if sentences:
            heading = len(units) == 1 and _is_heading(sentences)
            blocks.append(Block(tuple(sentences), heading=heading))
    if blocks and all(block.heading for block in blocks):
        # Nothing but unpunctuated lines: then they are the text, not its headings.
        blocks = [Block(block.sentences) for block in blocks]
    return blocks


def split_sentences(text: str, language: str | None) -> list[str]:
    """Split text into sentences in order; headings come out as sentences of their own."""
    return [sentence for block in split_blocks(text, language) for sentence in block.sentences]
