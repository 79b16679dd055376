"""summarize(): plain text in, the chosen sentences out, for any language and algorithm."""

from __future__ import annotations

import logging

from .algorithms import ALGORITHMS, make_summarizer
from .document import build_document
from .language import detect_language, normalize_language
from .tokenizer import Tokenizer

logger = logging.getLogger(__name__)


def summarize(
    text: str,
    language: str | None = "en",
    sentences: int = 3,
    title: str | None = None,
    algorithm: str = "default",
) -> list[str]:
    """Return at most `sentences` sentences of `text` that summarize it, in document order."""
    if not isinstance(algorithm, str) or algorithm.strip().lower() not in ALGORITHMS:
        raise ValueError(
            f"unknown summarization algorithm {algorithm!r}; choose one of: {', '.join(ALGORITHMS)}"
        )
    if not isinstance(text, str) or not text.strip() or sentences <= 0:
        return []
    code = normalize_language(language) or detect_language(text)
    document = build_document(text, Tokenizer(code))
    candidates = document.sentences
    if len(candidates) <= sentences:
        return [str(s) for s in candidates]
    try:
        chosen = make_summarizer(algorithm, code, title)(document, sentences)
    except Exception:  # noqa: BLE001 - odd text must degrade to the lead, not crash a job
        logger.exception("summarizer %r failed; falling back to the lead sentences", algorithm)
        chosen = candidates[:sentences]
    # Order by position (sumy compares sentences by text, so identity is the safe key).
    position = {id(s): i for i, s in enumerate(candidates)}
    ordered = sorted((s for s in chosen if id(s) in position), key=lambda s: position[id(s)])
    return [str(s) for s in ordered[:sentences]]
