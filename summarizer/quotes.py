"""Direct speech: a sentence that opens with a quotation mark, or starts inside an open one.

A quotation of several sentences comes out of the splitter one sentence at a time:
`„Wir müssen handeln. Die Lage ist ernst“, sagte sie.` gives "Die Lage ist ernst“, sagte sie."
as a sentence of its own, and `"We must act. It is serious. Lives are at stake," she said.`
leaves "It is serious." with no quotation mark at all. Out of its paragraph such a sentence
reads as the paper's own statement, not as what somebody said; the summarizer damps it as it
damps a sentence that opens with a quotation mark (summarizer/news.py:NewsParameters).

Marks are read per language: German opens with „ and closes with “ (guillemets either way
round, »…« or «…»), French opens with « and closes with », English and Dutch open with “ (Dutch
also „) and close with ”; a straight double quote opens when none is open and closes otherwise.
Inside a paragraph single quotes are left out: they are also apostrophes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_OPENING_QUOTES = frozenset("\"«“„‘'")
_MARK = re.compile(r"[\"„“”«»]")
_OPENING = {"de": "„", "fr": "«", "nl": "„“"}
_CLOSING = {"de": "“”", "fr": "»", "nl": "”"}
_TOGGLES = {"de": "\"«»"}  # German sets guillemets both ways round: each one flips the state
_DEFAULT_OPENING, _DEFAULT_CLOSING, _DEFAULT_TOGGLES = "“«„", "”»", "\""


def opens_quotation(sentence: str) -> bool:
    """Tell whether a sentence starts as direct speech (a quotation mark first)."""
    return sentence[:1] in _OPENING_QUOTES


def inside_quotation(sentences: Sequence[str], language: str | None) -> list[bool]:
    """For each sentence of one paragraph: does it start inside a quotation opened before it?"""
    opening = _OPENING.get(language or "", _DEFAULT_OPENING)
    closing = _CLOSING.get(language or "", _DEFAULT_CLOSING)
    toggles = _TOGGLES.get(language or "", _DEFAULT_TOGGLES)
    flags: list[bool] = []
    open_ = False
    for sentence in sentences:
        flags.append(open_)
        for mark in _MARK.findall(sentence):
            if mark in toggles:
                open_ = not open_
            elif mark in closing:
                open_ = False
            elif mark in opening:
                open_ = True
    return flags


def direct_speech(sentences: Sequence[str], language: str | None) -> list[bool]:
    """For each sentence of one paragraph: is it direct speech (opens with a quotation mark,
    or starts inside a quotation opened before it)?"""
    return [opens_quotation(sentence) or inside
            for sentence, inside in zip(sentences, inside_quotation(sentences, language),
                                        strict=True)]
