"""The default news summarizer: position prior x directed centrality, junk filter, MMR.

News is written top-down, so the lead is the strongest single signal; centrality then prefers
sentences that later sentences elaborate on (directed, as in PacSum, Zheng & Lapata 2019),
title overlap rewards what the headline is about, and a penalty pushes out fragments and
page furniture (bylines, "PUBLISHED: ...", photo credits). Selection is greedy with a
redundancy penalty (MMR) so two sentences saying the same thing are not both picked.
Everything is TF-IDF over the article's own sentences, vectorized with numpy.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sumy.models.dom import ObjectDocumentModel, Sentence

# Page furniture that survives scraping; such a sentence is never a summary sentence.
_FURNITURE = re.compile(
    r"^\s*(?:by\s*\.|by\s+[\w.'-]+(?:\s+[\w.'-]+){0,3}\s*(?:\.|,|\||$)|published\s*:|updated\s*:"
    r"|last\s+updated|scroll\s+down|click\s+here|follow\s+@|share\s+this|read\s+more"
    r"|related\s*:|advertisement|\(?\s*photo|\(?\s*picture\s*:|image\s*:|video\s*:)"
    r"|(?:getty\s+images|reuters|associated\s+press|\bap\b|afp|epa|pa)\s*\)?\s*\.?\s*$"
    r"|\b(?:published|updated)\s*:\s*\d",
    re.IGNORECASE,
)
_MAX_CANDIDATES = 400  # the lead matters most; later sentences of huge texts are not read


@dataclass(frozen=True, slots=True)
class NewsParameters:
    """Weights chosen on principle (see bench/results/rouge.md for what each one scored)."""

    position_decay: float = 0.3  # prior = 1 / (1 + position) ** decay ... see _position_prior
    forward_weight: float = 1.0  # centrality from similarity to later sentences
    backward_weight: float = -0.5  # similarity to earlier sentences (PacSum's negative lambda)
    centrality_weight: float = 0.5
    title_weight: float = 0.3
    redundancy: float = 0.5
    min_words: int = 6  # content words below which a sentence is a fragment


def _position_prior(count: int, decay: float) -> np.ndarray:
    """Return a decreasing weight per position: news puts its core in the lead."""
    return 1.0 / (1.0 + np.arange(count, dtype=np.float64)) ** decay


def _tfidf(token_lists: Sequence[Sequence[str]]) -> np.ndarray:
    """Return L2-normalised TF-IDF rows, IDF taken over the article's own sentences."""
    vocabulary: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, tokens in enumerate(token_lists):
        counts: dict[int, int] = {}
        for token in tokens:
            j = vocabulary.setdefault(token, len(vocabulary))
            counts[j] = counts.get(j, 0) + 1
        rows.extend([i] * len(counts))
        cols.extend(counts)
        vals.extend(counts.values())
    matrix = np.zeros((len(token_lists), max(1, len(vocabulary))))
    if vocabulary:
        matrix[rows, cols] = vals
        df = np.count_nonzero(matrix, axis=0)
        matrix *= np.log((1.0 + len(token_lists)) / (1.0 + df)) + 1.0
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        matrix /= np.where(norms == 0.0, 1.0, norms)
    return matrix


def _directed_centrality(similarity: np.ndarray, forward: float, backward: float) -> np.ndarray:
    """Return forward minus backward similarity mass per sentence, scaled to [0, 1]."""
    upper = np.triu(similarity, k=1).sum(axis=1)  # similarity to later sentences
    lower = np.tril(similarity, k=-1).sum(axis=1)  # similarity to earlier sentences
    raw = forward * upper + backward * lower
    span = raw.max() - raw.min()
    return (raw - raw.min()) / span if span > 0 else np.zeros_like(raw)


def score_sentences(
    token_lists: Sequence[Sequence[str]],
    furniture: Sequence[bool],
    title_tokens: Iterable[str] = (),
    params: NewsParameters = NewsParameters(),
) -> tuple[np.ndarray, np.ndarray]:
    """Return a relevance score per sentence and the sentence similarity matrix."""
    count = len(token_lists)
    vectors = _tfidf(token_lists)
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, 0.0)
    prior = _position_prior(count, params.position_decay)
    centrality = _directed_centrality(similarity, params.forward_weight, params.backward_weight)
    title = set(title_tokens)
    overlap = np.array(
        [len(title.intersection(t)) / len(title) if title else 0.0 for t in token_lists]
    )
    lengths = np.array([len(t) for t in token_lists], dtype=np.float64)
    fragment = np.minimum(1.0, lengths / max(1, params.min_words))
    score = prior * (1.0 + params.centrality_weight * centrality + params.title_weight * overlap)
    score *= fragment
    score[np.asarray(furniture, dtype=bool)] *= 0.01
    return score, similarity


def select(score: np.ndarray, similarity: np.ndarray, count: int, redundancy: float) -> list[int]:
    """Pick `count` indices greedily by score minus similarity to what is already picked (MMR)."""
    chosen: list[int] = []
    penalty = np.zeros_like(score)
    available = np.ones(len(score), dtype=bool)
    top = max(score.max(initial=0.0), 1e-12)
    for _ in range(min(count, len(score))):
        gain = np.where(available, score / top - redundancy * penalty, -math.inf)
        best = int(np.argmax(gain))
        chosen.append(best)
        available[best] = False
        penalty = np.maximum(penalty, similarity[best])
    return sorted(chosen)


class NewsSummarizer:
    """Summarize news: lead-weighted directed centrality with title overlap and MMR."""

    def __init__(
        self,
        stemmer: Callable[[str], str],
        stop_words: Iterable[str] = (),
        title: str | None = None,
        params: NewsParameters | None = None,
    ) -> None:
        self._stem = stemmer
        self._stop_words = frozenset(stop_words)
        self._title = title or ""
        self._params = params or NewsParameters()

    def _content_stems(self, words: Iterable[str]) -> list[str]:
        """Return the stems of the words that carry content."""
        stop = self._stop_words
        return [self._stem(w) for w in words if w.lower() not in stop and not w.isdigit()]

    def __call__(self, document: ObjectDocumentModel, sentences_count: int) -> tuple[Sentence, ...]:
        """Return the best `sentences_count` sentences of the document, in document order."""
        sentences = document.sentences[:_MAX_CANDIDATES]
        if sentences_count <= 0 or not sentences:
            return ()
        token_lists = [self._content_stems(s.words) for s in sentences]
        furniture = [bool(_FURNITURE.search(str(s))) for s in sentences]
        from .words import to_words  # local: keeps this module free of tokenizer choices

        title_tokens = self._content_stems(to_words(self._title))
        score, similarity = score_sentences(token_lists, furniture, title_tokens, self._params)
        picked = select(score, similarity, sentences_count, self._params.redundancy)
        return tuple(sentences[i] for i in picked)
