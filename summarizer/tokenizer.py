"""The tokenizer object sumy's parsers and documents expect, built on our offline splitters.

sumy's own `Tokenizer` needs NLTK's `punkt_tab` data, which cannot be downloaded here; this
one has the same surface (`language`, `to_sentences`, `to_words`) and needs nothing.
"""

from __future__ import annotations

from .language import normalize_language
from .sentences import split_sentences
from .words import to_words


class Tokenizer:
    """Split paragraphs into sentences and sentences into words for one language."""

    def __init__(self, language: str | None) -> None:
        self._language = normalize_language(language)

    @property
    def language(self) -> str | None:
        """The ISO 639-1 code this tokenizer splits for; None means language-neutral."""
        return self._language

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        """Split a paragraph into sentences."""
        return tuple(split_sentences(paragraph, self._language))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        """Split a sentence into words, without punctuation."""
        return to_words(sentence)
