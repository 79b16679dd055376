"""Build sumy documents from plain text, keeping headings as headings."""

from __future__ import annotations

from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

from .sentences import split_blocks
from .tokenizer import Tokenizer


def build_document(text: str, tokenizer: Tokenizer) -> ObjectDocumentModel:
    """Return a sumy document of the text's paragraphs, sentences and headings."""
    paragraphs = [
        Paragraph([Sentence(s, tokenizer, is_heading=block.heading) for s in block.sentences])
        for block in split_blocks(text, tokenizer.language)
    ]
    return ObjectDocumentModel(paragraphs)
