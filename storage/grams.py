"""Character bigrams for the scripts written without spaces: Chinese, Japanese, Thai (and Lao,
Khmer, Myanmar), so a word is found inside a run of text.

The index's unicode61 tokenizer makes a run of such text between punctuation one
token, so "河北" was not found in "河北各市". Each run is written a second time,
into the columns title_grams and body_grams of articles (indexed by the table
articles_grams), as its overlapping pairs of characters and then its last
character on its own: "河北各市" → "河北 北各 各市 市". A word of the run is then
the phrase of its pairs ("河北" → "河北", "北各市" → "北各 各市"), and one
character is a prefix ("市"* finds the last "市" as well as "市场"). Letters and
digits joined to a run ("iPhone手机", "東京2020") go with it, as their own
tokens: "iPhone 手机 机".

unicode61 ends a token at a combining mark (Thai tone marks and vowels above and below, and
those of Khmer and Myanmar are such marks: "ก่า" was two tokens, "ก" and "า"), so a mark is
written as a private-use character, which it keeps, after the letter it belongs to: the pairs are
of whole letters and their marks.

Text without any of these scripts has no grams (None): the check is one regular-expression scan,
after an even cheaper one for ASCII text. Pure: no SQL runs here.
"""

from __future__ import annotations

import operator
import re
import unicodedata

# The scripts' letters, digits and marks; their punctuation (・, ๚, ။, ។ …) separates words.
_RANGES = (
    "\u0e01-\u0e3a\u0e40-\u0e4e\u0e50-\u0e59"  # Thai
    "\u0e81-\u0edf"  # Lao
    "\u1000-\u1049\u104c-\u109f"  # Myanmar
    "\u1780-\u17d3\u17d7\u17dc-\u17f9"  # Khmer
    "\u3005-\u3007\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff"  # 々〆〇, kana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\uff66-\uff9f"  # half-width katakana
    "\U00020000-\U0003134f"  # Han, supplementary planes
)
_SCRIPT = re.compile(f"[{_RANGES}]")
_RUN = re.compile(f"[{_RANGES}]+")
_MARK_BASE = 0xF0000  # Supplementary Private Use Area-A: unicode61 keeps it inside a token


def _mark_table() -> dict[int, str]:
    table = {}
    for low, high in re.findall(r"(.)-(.)", _RANGES):
        for code in range(ord(low), min(ord(high), 0xFFFF) + 1):
            if unicodedata.category(chr(code)).startswith("M"):
                table[code] = chr(_MARK_BASE + code)
    for code in (0x3099, 0x309A):  # combining (han)dakuten, in the kana block
        table[code] = chr(_MARK_BASE + code)
    return table


_MARKS = _mark_table()
_MARK = re.compile("[" + "".join(map(chr, _MARKS)) + "]")
# A letter (or a mark without one) and the marks after it.
_UNIT = re.compile(f"[^{chr(_MARK_BASE)}-{chr(_MARK_BASE + 0xFFFF)}]?"
                   f"[{chr(_MARK_BASE)}-{chr(_MARK_BASE + 0xFFFF)}]*")


def has_script(text: str | None) -> bool:
    """Whether the text holds any character of the scripts written without spaces."""
    return bool(text) and not text.isascii() and _SCRIPT.search(text) is not None


def index_grams(text: str | None) -> str | None:
    """What the grams columns index for `text`: None for text without those scripts."""
    if not has_script(text):
        return None
    return " ".join(_grams(text, for_query=False))


def query_grams(text: str) -> tuple[str, bool] | None:
    """The phrase (space-separated tokens) that finds `text` in the grams columns, and whether
    its last token is a prefix (a lone character); None when `text` has none of the scripts."""
    if not has_script(text):
        return None
    tokens = _grams(text, for_query=True)
    return " ".join(tokens), _ends_with_lone_character(text)


def _ends_with_lone_character(text: str) -> bool:
    text = unicodedata.normalize("NFC", text)
    last = list(_RUN.finditer(text))[-1]
    tail = text[last.end():]
    return not any(char.isalnum() for char in tail) and len(_units(last.group())) == 1


def _grams(text: str, *, for_query: bool) -> list[str]:
    text = unicodedata.normalize("NFC", text)
    tokens: list[str] = []
    runs = list(_RUN.finditer(text))
    marked = _MARK.search(text) is not None  # else each character is a unit (faster)
    done = 0  # text before this has been written (a word joined to the previous run)
    for number, run in enumerate(runs):
        start, end = run.span()
        before = start
        while before > done and text[before - 1].isalnum():
            before -= 1
        if before < start:
            tokens.append(text[before:start])
        units = _units(run.group()) if marked else run.group()
        tokens.extend(map(operator.add, units[:-1], units[1:]))
        after = end
        while after < len(text) and text[after].isalnum() and not _SCRIPT.match(text, after):
            after += 1
        last_of_term = for_query and number == len(runs) - 1 and after == end
        # The run's last character on its own, so one character is found anywhere; a query's
        # last run leaves it out (the text may go on: "各市" is in "各市场"), unless it is all.
        if not last_of_term or len(units) == 1:
            tokens.append(units[-1])
        if after > end:
            tokens.append(text[end:after])
        done = after
    return tokens


def _units(run: str) -> list[str]:
    return [unit for unit in _UNIT.findall(run.translate(_MARKS)) if unit]

