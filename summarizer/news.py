"""The default news summarizer: lead prior x directed centrality, furniture filter, MMR.

News is written top-down, so position is the strongest single signal: a sentence's prior decays
with its index. Centrality is directed as in PacSum (Zheng & Lapata, 2019): a sentence gains
from similarity to the sentences after it (they elaborate on it) and loses some for similarity
to those before it (it repeats them). Title overlap rewards what the headline is about. Page
furniture (bylines, "PUBLISHED: ...", photo credits, notices) is left out, fragments are damped, a
mild length penalty prefers the concise sentence of two equally good ones. Selection is greedy
with a redundancy penalty (MMR). Similarity is cosine over TF-IDF of stemmed content words,
IDF taken over the article's own sentences, vectorized with numpy: nothing is trained.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from sumy.models.dom import ObjectDocumentModel, Sentence

from .furniture import is_furniture
from .quotes import direct_speech, opens_quotation
from .words import to_words

_FURNITURE_FACTOR = 0.01  # furniture is never picked; scored low so that it weighs little
# Only the first sentences compete: the lead matters most, and the similarity matrix of a
# 2,000-sentence text would cost quadratic time for sentences that could never win.
MAX_CANDIDATES = 400


@dataclass(frozen=True, slots=True)
class NewsParameters:
    """The method's weights; bench/results/rouge.md records how they were chosen."""

    position_decay: float = 0.3  # prior = 1 / (1 + index) ** decay
    forward_weight: float = 1.0  # similarity to later sentences: they elaborate on this one
    backward_weight: float = -0.5  # similarity to earlier ones: this one repeats them
    centrality_weight: float = 1.0
    title_weight: float = 2.0
    redundancy: float = 0.6  # MMR: weight of the similarity to already chosen sentences
    min_content_words: int = 5  # below this a sentence is a fragment and loses score
    length_power: float = 0.2  # score / words ** power: prefer the concise of two equals
    length_floor: int = 10  # words below which length no longer earns a bonus
    quotation_factor: float = 0.4  # direct speech: out of its context it summarizes badly


def tfidf_matrix(token_lists: Sequence[Sequence[str]]) -> np.ndarray:
    """Return L2-normalised TF-IDF rows, IDF taken over the given sentences themselves."""
    # Columns in order of first occurrence, as a loop over the tokens would number them.
    vocabulary: dict[str, int] = {}
    cols = [vocabulary.setdefault(token, len(vocabulary))
            for tokens in token_lists for token in tokens]
    width = max(1, len(vocabulary))
    if not vocabulary:
        return np.zeros((len(token_lists), width))
    rows = np.repeat(np.arange(len(token_lists), dtype=np.int64),
                     [len(tokens) for tokens in token_lists])
    # bincount over flat cell numbers counts repeats like np.add.at, an order of magnitude faster.
    cells = rows * width + np.asarray(cols, dtype=np.int64)
    matrix = np.bincount(cells, minlength=len(token_lists) * width).astype(np.float64)
    matrix = matrix.reshape(len(token_lists), width)
    df = np.count_nonzero(matrix, axis=0)
    matrix *= np.log((1.0 + len(token_lists)) / (1.0 + df)) + 1.0
    # What np.linalg.norm(matrix, axis=1, keepdims=True) computes, without its Python overhead.
    norms = np.sqrt(np.add.reduce(matrix * matrix, axis=1, keepdims=True))
    return matrix / np.where(norms == 0.0, 1.0, norms)


@lru_cache(maxsize=64)
def _triangle_masks(rows: int, columns: int) -> tuple[np.ndarray, np.ndarray]:
    """The masks np.triu(k=1) and np.tril(k=-1) build for a matrix of this shape: built once per
    shape instead of twice per article (the same arrays, so the same sums)."""
    return np.tri(rows, columns, 0, dtype=bool), np.tri(rows, columns, -1, dtype=bool)


@lru_cache(maxsize=64)
def _position_prior(count: int, decay: float) -> np.ndarray:
    """1 / (1 + index) ** decay for `count` sentences (read-only: shared between articles)."""
    prior = 1.0 / (1.0 + np.arange(count, dtype=np.float64)) ** decay
    prior.flags.writeable = False
    return prior


def directed_centrality(similarity: np.ndarray, forward: float, backward: float) -> np.ndarray:
    """Return weighted similarity to later plus to earlier sentences, scaled by its maximum."""
    # np.triu(similarity, k=1) and np.tril(similarity, k=-1), with their masks cached.
    not_later, earlier_cells = _triangle_masks(*similarity.shape)
    zero = np.zeros(1, similarity.dtype)
    later = np.where(not_later, zero, similarity).sum(axis=1)
    earlier = np.where(earlier_cells, similarity, zero).sum(axis=1)
    raw = forward * later + backward * earlier
    top = raw.max(initial=0.0)
    return raw / top if top > 0 else np.zeros_like(raw)


def score_sentences(
    token_lists: Sequence[Sequence[str]],
    word_counts: Sequence[int],
    furniture: Sequence[bool] = (),
    title_tokens: Iterable[str] = (),
    params: NewsParameters = NewsParameters(),
    quotations: Sequence[bool] = (),
) -> tuple[np.ndarray, np.ndarray]:
    """Return a relevance score per sentence and the sentence cosine-similarity matrix.

    `furniture` marks sentences to damp here; the summarizer leaves it empty and lets
    `select_lazily` judge only the sentences that could win.
    """
    count = len(token_lists)
    vectors = tfidf_matrix(token_lists)
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, 0.0)
    prior = _position_prior(count, params.position_decay)
    centrality = directed_centrality(similarity, params.forward_weight, params.backward_weight)
    title = set(title_tokens)
    overlap = np.array(
        [len(title.intersection(t)) / len(title) if title else 0.0 for t in token_lists]
    )
    score = prior * (1.0 + params.centrality_weight * centrality + params.title_weight * overlap)
    content = np.array([len(t) for t in token_lists], dtype=np.float64)
    score *= np.minimum(1.0, content / max(1, params.min_content_words))
    words = np.maximum(np.asarray(word_counts, dtype=np.float64), params.length_floor)
    score /= words**params.length_power
    if any(quotations):
        score[np.asarray(quotations, dtype=bool)] *= params.quotation_factor
    if any(furniture):
        score[np.asarray(furniture, dtype=bool)] *= _FURNITURE_FACTOR
    return score, similarity


def select(score: np.ndarray, similarity: np.ndarray, count: int, redundancy: float,
           excluded: Sequence[bool] = ()) -> list[int]:
    """Pick `count` indices greedily by score minus similarity to those already picked (MMR),
    never one that `excluded` marks."""
    chosen: list[int] = []
    penalty = np.zeros_like(score)
    available = np.ones(len(score), dtype=bool)
    if len(excluded):
        available &= ~np.asarray(excluded, dtype=bool)
    relative = score / max(float(score.max(initial=0.0)), 1e-12)
    for _ in range(min(count, int(available.sum()))):
        gain = np.where(available, relative - redundancy * penalty, -np.inf)
        best = int(np.argmax(gain))
        chosen.append(best)
        available[best] = False
        penalty = np.maximum(penalty, similarity[best])
    return sorted(chosen)


def select_lazily(score: np.ndarray, similarity: np.ndarray, count: int, redundancy: float,
                  furniture: Callable[[int], bool]) -> list[int]:
    """`select` on scores that do not count furniture yet, asking `furniture(index)` only of
    the sentences that could set the scale or be picked.

    The same choice as `select` on the scores with furniture damped by _FURNITURE_FACTOR and
    excluded: a sentence that wins is picked unless it is furniture, and then it is dropped and
    the rest compete again, as if it had never been available. The rules cost 8 us a sentence,
    asked of a sixth of the sentences instead of all of them (4 % of ingest).
    """
    relative = score / max(_damped_top(score, furniture), 1e-12)
    chosen: list[int] = []
    penalty = np.zeros_like(score)
    available = np.ones(len(score), dtype=bool)
    while len(chosen) < count and available.any():
        gain = np.where(available, relative - redundancy * penalty, -np.inf)
        best = int(np.argmax(gain))
        available[best] = False
        if not furniture(best):
            chosen.append(best)
            penalty = np.maximum(penalty, similarity[best])
    return sorted(chosen)


def _damped_top(score: np.ndarray, furniture: Callable[[int], bool]) -> float:
    """`score.max(initial=0.0)` once furniture is damped, from the highest scores down: damping
    only lowers a positive score, and a score at or below the best so far cannot beat it."""
    top = 0.0
    for index in np.argsort(score)[::-1].tolist():
        value = score[index]
        if value <= top:
            break
        top = max(top, float(value * _FURNITURE_FACTOR if furniture(index) else value))
    return top


_NOT_CONTENT = object()
_KNOWN_WORDS_MAX = 200_000


@lru_cache(maxsize=16)
def content_stemmer(
    stem: Callable[[str], str], stop_words: frozenset[str]
) -> Callable[[Iterable[str]], list[str]]:
    """Return a function: words -> the stems of those that carry content (no stop words, no
    bare numbers). Each word's verdict is remembered, per stemmer and stop list: news repeats its
    words, and deciding a word anew (lower-case, stop list, digits, stemmer) was 8 % of ingest.
    """
    known: dict[str, object] = {}  # word -> its stem, or _NOT_CONTENT

    def content_stems(words: Iterable[str]) -> list[str]:
        words = tuple(words)
        found = list(map(known.get, words))  # None: not decided yet
        if None in found:
            for i, word in enumerate(words):
                if found[i] is None:
                    is_content = word.lower() not in stop_words and not word.isdigit()
                    found[i] = stem(word) if is_content else _NOT_CONTENT
                    if len(known) < _KNOWN_WORDS_MAX:
                        known[word] = found[i]
        return [value for value in found if value is not _NOT_CONTENT]

    return content_stems


class NewsSummarizer:
    """Summarize news as a sumy summarizer: `summarizer(document, sentences_count)`."""

    def __init__(
        self,
        stemmer: Callable[[str], str],
        stop_words: Iterable[str] = (),
        title: str | None = None,
        params: NewsParameters | None = None,
        language: str | None = None,
    ) -> None:
        self._stem = stemmer
        self._language = language  # how quotation marks are read (summarizer/quotes.py)
        # stop_words_for() already gives a lower-cased frozenset: rebuilding it for every
        # article cost 4 % of ingest (bench/results/ingest_throughput.md).
        self._stop_words = (stop_words if isinstance(stop_words, frozenset)
                            else frozenset(w.lower() for w in stop_words))
        self._title = title or ""
        self._params = params or NewsParameters()
        self._content_stems = content_stemmer(self._stem, self._stop_words)

    def __call__(self, document: ObjectDocumentModel, sentences_count: int) -> tuple[Sentence, ...]:
        """Return the best `sentences_count` sentences of the document, in document order."""
        sentences = document.sentences[:MAX_CANDIDATES]
        quoted = [flag for paragraph in document.paragraphs
                  for flag in direct_speech([str(s) for s in paragraph.sentences],
                                            self._language)]
        # s.words is a sumy property: fetched once per sentence.
        picked = self.pick([str(s) for s in sentences], [s.words for s in sentences],
                           sentences_count, quoted)
        return tuple(sentences[i] for i in picked)

    def pick(
        self, texts: Sequence[str], words: Sequence[Sequence[str]], sentences_count: int,
        quoted: Sequence[bool] = (),
    ) -> list[int]:
        """Return the positions, ascending, of the best sentences given their texts and words.

        The same choice as calling the summarizer on a document of those sentences, for callers
        that have the plain sentences and no use for sumy's document objects. `quoted` has a flag
        per text: direct speech or not (summarizer/quotes.py:direct_speech); without it only a
        sentence that opens with a quotation mark counts as direct speech.
        """
        texts = texts[:MAX_CANDIDATES]
        words = words[:MAX_CANDIDATES]
        if sentences_count <= 0 or not texts:
            return []
        score, similarity = score_sentences(
            list(map(self._content_stems, words)),
            list(map(len, words)),
            title_tokens=self._content_stems(to_words(self._title)),
            params=self._params,
            quotations=(list(quoted[:len(texts)]) if quoted
                        else list(map(opens_quotation, texts))),
        )  # furniture: judged by select_lazily, of the few sentences it needs
        # Fewer sentences rather than furniture: a text of nothing else has no summary.
        return select_lazily(score, similarity, sentences_count, self._params.redundancy,
                             _furniture_of(texts, self._title))


def repeats_title(sentence: str, title: str | None) -> bool:
    """Tell whether a sentence is the headline again (pages print it in the body too).

    The reader sees the headline above the summary: "Die Zukunft der Arbeit"Wir dekorieren…"
    under "Die Zukunft der Arbeit "Wir dekorieren…"" tells them nothing. Letters and digits are
    compared, case folded, so that spacing and punctuation do not count.
    """
    return bool(title) and _same_letters(sentence, _letters(title))


# [\W_] is what str.isalnum() rejects, character by character (summarizer/words.py relies on
# the same): one C pass instead of a generator over every character, which cost 3 % of ingest.
_NOT_LETTER = re.compile(r"[\W_]+")
_MAX_CASEFOLD = 3  # no character case-folds to more than three ("ﬃ" -> "ffi")


def _letters(text: str) -> str:
    return _NOT_LETTER.sub("", text.casefold())


def _same_letters(sentence: str, title_letters: str) -> bool:
    """Whether the sentence's letters, case folded, are `title_letters` (never when empty)."""
    if not title_letters or len(sentence) * _MAX_CASEFOLD < len(title_letters):
        return False  # too short to fold into the title's letters
    return _letters(sentence) == title_letters


def _furniture_of(texts: Sequence[str], title: str | None = None) -> Callable[[int], bool]:
    """index -> whether texts[index] is furniture (or the headline again), judged at most once."""
    verdicts: dict[int, bool] = {}
    title_letters = _letters(title) if title else ""  # once per article, not once per sentence

    def furniture(index: int) -> bool:
        if index not in verdicts:
            verdicts[index] = (is_furniture(texts[index])
                               or _same_letters(texts[index], title_letters))
        return verdicts[index]

    return furniture
