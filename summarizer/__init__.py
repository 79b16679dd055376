"""Offline extractive summarization of news text in English, Dutch, French, German and more.

    >>> summarize(text, language="nl", sentences=3, title=title)

`summarize` is the one entry point the rest of newsbot uses; the language helpers and the
sentence splitter are public because ingest needs them to label and preview articles.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from .language import (
    DETECTABLE_LANGUAGES,
    SUPPORTED_LANGUAGES,
    detect_language,
    normalize_language,
    script_fits,
)

if TYPE_CHECKING:
    from .algorithms import ALGORITHMS
    from .pipeline import summarize
    from .sentences import split_sentences

# The summarizer proper pulls in sumy, nltk and numpy (a second of start-up); commands that only
# read the database (`newsbot latest`, `search`, `backup`) use the language helpers alone.
_LAZY = {"ALGORITHMS": ".algorithms", "summarize": ".pipeline", "split_sentences": ".sentences"}


def __getattr__(name: str) -> object:
    """Import the summarizer's heavy parts on first use."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "ALGORITHMS",
    "DETECTABLE_LANGUAGES",
    "SUPPORTED_LANGUAGES",
    "detect_language",
    "normalize_language",
    "script_fits",
    "split_sentences",
    "summarize",
]
