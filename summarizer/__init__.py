"""Offline extractive summarization of news text in English, Dutch, French, German and more.

    >>> summarize(text, language="nl", sentences=3, title=title)

`summarize` is the one entry point the rest of newsbot uses; the language helpers and the
sentence splitter are public because ingest needs them to label and preview articles.
"""

from .algorithms import ALGORITHMS
from .language import (
    DETECTABLE_LANGUAGES,
    SUPPORTED_LANGUAGES,
    detect_language,
    normalize_language,
)
from .pipeline import summarize
from .sentences import split_sentences

__all__ = [
    "ALGORITHMS",
    "DETECTABLE_LANGUAGES",
    "SUPPORTED_LANGUAGES",
    "detect_language",
    "normalize_language",
    "split_sentences",
    "summarize",
]
