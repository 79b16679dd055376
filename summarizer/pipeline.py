"""summarize(): plain text in, the chosen sentences out, for any language and algorithm."""

from __future__ import annotations

import logging

from .algorithms import algorithm_name, make_summarizer
from .document import build_document
from .furniture import is_furniture
from .language import detect_language, normalize_language
from .news import MAX_CANDIDATES, NewsSummarizer, repeats_title
from .quotes import direct_speech
from .sentences import MAX_SENTENCE_WORDS, split_blocks
from .tokenizer import Tokenizer
from .words import stemmer_for, stop_words_for, to_words

logger = logging.getLogger(__name__)

# Text beyond this cannot hold one of the first MAX_CANDIDATES sentences: sentences are cut at
# MAX_SENTENCE_WORDS words, and words average under 16 characters with their space.
SOURCE_CHARS = MAX_CANDIDATES * MAX_SENTENCE_WORDS * 16


def summarize(
    text: str,
    language: str | None = "en",
    sentences: int = 3,
    title: str | None = None,
    algorithm: str = "default",
) -> list[str]:
    """Return at most `sentences` sentences of `text` that summarize it, in document order."""
    name = algorithm_name(algorithm)
    if not isinstance(text, str) or not text.strip() or sentences <= 0:
        return []
    code = normalize_language(language) or detect_language(text)
    if name == "default":
        return _summarize_news(text, code, sentences, title)
    document = build_document(text, Tokenizer(code))
    candidates = document.sentences
    if len(candidates) <= sentences:
        return [str(s) for s in candidates]
    try:
        chosen = make_summarizer(name, code)(document, sentences)
    except Exception:  # noqa: BLE001 - odd text must degrade to the lead, not crash a job
        logger.exception("summarizer %r failed; falling back to the lead sentences", algorithm)
        chosen = candidates[:sentences]
    # Order by position (sumy compares sentences by text, so identity is the safe key).
    position = {id(s): i for i, s in enumerate(candidates)}
    ordered = sorted((s for s in chosen if id(s) in position), key=lambda s: position[id(s)])
    return [str(s) for s in ordered[:sentences]]


def _summarize_news(text: str, code: str | None, sentences: int, title: str | None) -> list[str]:
    """`summarize` for the default algorithm, on plain sentences instead of a sumy document.

    Same candidates as the document's sentences (headings are not candidates, words come from
    the same `to_words`) and the same fallback to the lead; building sumy's objects only cost
    time here (about 4 % of ingest).
    """
    blocks = [block for block in split_blocks(_opening(text), code) if not block.heading]
    candidates = [sentence for block in blocks for sentence in block.sentences]
    if len(candidates) <= sentences:
        # Nothing to choose between, but furniture (or the headline again) is still no summary.
        return [s for s in candidates if not is_furniture(s) and not repeats_title(s, title)]
    try:
        summarizer = NewsSummarizer(stemmer_for(code), stop_words_for(code), title=title,
                                    language=code)
        words = [to_words(sentence) for sentence in candidates[:MAX_CANDIDATES]]
        quoted = [flag for block in blocks for flag in direct_speech(block.sentences, code)]
        picked = summarizer.pick(candidates, words, sentences, quoted)
    except Exception:  # noqa: BLE001 - odd text must degrade to the lead, not crash a job
        logger.exception("summarizer 'default' failed; falling back to the lead sentences")
        picked = list(range(sentences))
    return [candidates[i] for i in picked]  # pick() and the lead are in document order


def _opening(text: str) -> str:
    """The part of a text its candidate sentences can come from: a long report's opening.

    Splitting the whole of an 8 MB text took 8 s, for sentences past the 400th that never
    compete. The cut falls at a paragraph break, else at a space, so no word is cut.
    """
    if len(text) <= SOURCE_CHARS:
        return text
    for separator in ("\n\n", " "):
        cut = text.rfind(separator, SOURCE_CHARS // 2, SOURCE_CHARS)
        if cut > 0:
            return text[:cut]
    return text[:SOURCE_CHARS]
