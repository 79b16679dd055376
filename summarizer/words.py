"""Words, stems and stop words per language, all offline and cached.

Stop words come from sumy's own lists where sumy ships one (its algorithms were built with
them; the `stop-words` package's English list has 1,333 entries, among them content words such
as "million", "world" and "microsoft"), and from the `stop-words` package otherwise (Dutch).
Stems come from the Snowball stemmers that sumy wraps; other languages just lower-case.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from functools import lru_cache

import stop_words
from sumy.nlp.stemmers import Stemmer, null_stemmer
from sumy.utils import get_stop_words

from .language import language_name

# Runs of letters/digits, keeping inner apostrophes and hyphens ("didn't", "Louis-Dreyfus");
# ideographs and kana count one character per word, since those scripts use no spaces.
# (Runs of letters are matched with `*`, not one letter per loop turn: a third faster.)
_WORD = re.compile(
    r"[\u3040-\u30ff\u4e00-\u9fff]"
    r"|[^\W_][^\W_\u3040-\u30ff\u4e00-\u9fff]*"
    r"(?:['’-](?=[^\W_])[^\W_\u3040-\u30ff\u4e00-\u9fff]*)*"
)


# Without ideographs or kana, _WORD is this simpler pattern, and a whitespace-separated token
# made of letters and digits only is one word as it stands: most tokens of most sentences skip
# the regex engine (a third of the time of this function on news text).
_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
_PLAIN_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
# Marks around words in news text; none of them is a letter or a digit (isalnum() is false).
_EDGE_PUNCTUATION = string.punctuation + "„“”«»‘’‚‹›…–—·•¿¡"


def to_words(sentence: str) -> tuple[str, ...]:
    """Split a sentence into word tokens, dropping punctuation."""
    if not sentence.isascii() and _CJK.search(sentence):
        return tuple(_WORD.findall(sentence))
    words: list[str] = []
    append = words.append
    find = _PLAIN_WORD.findall
    for token in sentence.split():  # no word spans whitespace
        if token.isalnum():  # str.isalnum is the regex's [^\W_], character by character
            append(token)
        elif (core := token.strip(_EDGE_PUNCTUATION)).isalnum():
            # "said,", "(2024).", "«Non»": one run of letters between marks that are no part
            # of a word, which is all the regex would find (a third of the tokens of news text
            # skip it: to_words 0.81 x the time on the bench corpus)
            append(core)
        else:
            words += find(token)
    return tuple(words)


@lru_cache(maxsize=64)
def stop_words_for(language: str | None) -> frozenset[str]:
    """Return the lower-case stop words for an ISO 639-1 code; empty when there are none."""
    name = language_name(language)
    if not name:
        return frozenset()
    try:
        return frozenset(w.lower() for w in get_stop_words(name))
    except LookupError:
        pass
    try:
        return frozenset(w.lower() for w in stop_words.get_stop_words(name))
    except (stop_words.StopWordError, OSError):
        return frozenset()


@lru_cache(maxsize=64)
def stemmer_for(language: str | None) -> Callable[[str], str]:
    """Return a cached stemmer for an ISO 639-1 code; lower-casing only when none exists."""
    name = language_name(language)
    try:
        stem = Stemmer(name) if name else null_stemmer
        stem("probe")  # some of sumy's stemmers need optional packages and fail on first use
    except Exception:  # noqa: BLE001 - any failure means "no stemmer", never a crash
        stem = null_stemmer

    # News repeats its words: caching stems makes stemming nearly free after the first use.
    @lru_cache(maxsize=65536)
    def cached(word: str) -> str:
        return stem(word.lower())

    return cached
