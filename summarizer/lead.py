"""Lead-k: the first sentences of the article, the baseline every news summarizer must beat."""

from __future__ import annotations

from sumy.models.dom import ObjectDocumentModel, Sentence


class LeadSummarizer:
    """Pick the first `sentences_count` sentences, skipping headings."""

    def __call__(self, document: ObjectDocumentModel, sentences_count: int) -> tuple[Sentence, ...]:
        """Return the lead sentences of the document."""
        return tuple(document.sentences[: max(0, sentences_count)])
