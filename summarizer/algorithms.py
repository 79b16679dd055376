"""The registry of summarization algorithms: a name -> a sumy-shaped callable.

Every algorithm is a callable `summarizer(document, sentences_count)` returning sentences in
document order, as in sumy. sumy's graph and matrix methods are quadratic (KL-Sum cubic) in the
number of sentences, so they only see the first sentences of very long texts.
"""

from __future__ import annotations

from collections.abc import Callable

from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.summarizers.kl import KLSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer

from .lead import LeadSummarizer
from .words import stemmer_for, stop_words_for

Summarizer = Callable[[ObjectDocumentModel, int], tuple[Sentence, ...]]

_SUMY = {
    "lexrank": LexRankSummarizer,
    "textrank": TextRankSummarizer,
    "lsa": LsaSummarizer,
    "luhn": LuhnSummarizer,
    "sumbasic": SumBasicSummarizer,
    "kl": KLSummarizer,
}
ALGORITHMS: tuple[str, ...] = ("default", "lead", *_SUMY)

# How many leading sentences each sumy method sees: enough for any news article, few enough
# that a 2,000-sentence text cannot make a quadratic (or KL-Sum's cubic) loop run for minutes.
_SUMY_MAX_SENTENCES = {"kl": 60}
_SUMY_DEFAULT_MAX_SENTENCES = 300


class _FirstSentences:
    """Run a summarizer on the first `limit` sentences of the document only."""

    def __init__(self, inner: Summarizer, limit: int) -> None:
        self._inner = inner
        self._limit = limit

    def __call__(self, document: ObjectDocumentModel, sentences_count: int) -> tuple[Sentence, ...]:
        """Summarize the document, cut to its first sentences when it is long."""
        if len(document.sentences) > self._limit:
            document = ObjectDocumentModel([Paragraph(document.sentences[: self._limit])])
        return self._inner(document, sentences_count)


def algorithm_name(algorithm: object) -> str:
    """The registry name of `algorithm` (case and spaces ignored); ValueError if unknown."""
    name = algorithm.strip().lower() if isinstance(algorithm, str) else None
    if name not in ALGORITHMS:
        raise ValueError(
            f"unknown summarization algorithm {algorithm!r}; choose one of: {', '.join(ALGORITHMS)}"
        )
    return name


def make_summarizer(name: str, language: str | None) -> Summarizer:
    """The document summarizer registered as `name` ("lead" or a sumy method), for a language.

    The default algorithm works on plain sentences instead (NewsSummarizer.pick).
    """
    if name == "lead":
        return LeadSummarizer()
    summarizer = _SUMY[name](stemmer_for(language))
    summarizer.stop_words = stop_words_for(language)
    return _FirstSentences(summarizer, _SUMY_MAX_SENTENCES.get(name, _SUMY_DEFAULT_MAX_SENTENCES))
