"""The default news method, piece by piece, on documents built directly (as sumy's tests do)."""

import numpy as np
import pytest
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

from summarizer.lead import LeadSummarizer
from summarizer.news import (
    NewsParameters,
    NewsSummarizer,
    directed_centrality,
    is_furniture,
    score_sentences,
    select,
    select_lazily,
    tfidf_matrix,
)
from summarizer.tokenizer import Tokenizer
from summarizer.words import stemmer_for, stop_words_for


def _document(*sentences: str) -> ObjectDocumentModel:
    """Build a one-paragraph sumy document from sentences."""
    tokenizer = Tokenizer("en")
    return ObjectDocumentModel([Paragraph([Sentence(s, tokenizer) for s in sentences])])


def test_tfidf_rows_are_unit_length_and_empty_rows_stay_zero():
    matrix = tfidf_matrix([["port", "strike"], [], ["strike", "union", "union"]])
    norms = np.linalg.norm(matrix, axis=1)
    assert norms == pytest.approx([1.0, 0.0, 1.0])


def test_tfidf_of_nothing_is_an_empty_matrix():
    assert tfidf_matrix([]).shape[0] == 0


def test_directed_centrality_rewards_sentences_that_later_ones_elaborate():
    similarity = np.array([[0.0, 0.8, 0.6], [0.8, 0.0, 0.1], [0.6, 0.1, 0.0]])
    centrality = directed_centrality(similarity, forward=1.0, backward=-0.5)
    assert centrality.argmax() == 0
    assert centrality.max() == pytest.approx(1.0)


def test_select_skips_a_near_duplicate_when_redundancy_counts():
    score = np.array([1.0, 0.95, 0.9])
    similarity = np.array([[0.0, 0.99, 0.0], [0.99, 0.0, 0.0], [0.0, 0.0, 0.0]])
    assert select(score, similarity, 2, redundancy=0.0) == [0, 1]
    assert select(score, similarity, 2, redundancy=0.5) == [0, 2]


def test_select_never_picks_more_than_there_is():
    assert select(np.array([0.2]), np.zeros((1, 1)), 3, redundancy=0.3) == [0]


@pytest.mark.parametrize(
    ("sentence", "furniture"),
    [
        ("By . Daily Mail Reporter .", True),
        ("By Jane Smith", True),
        ("PUBLISHED: 12:00 EST, 1 May 2013 | UPDATED: 13:00 EST, 1 May 2013", True),
        ("(Getty Images)", True),
        ("Photo: Reuters", True),
        ("http://www.flickr.com/photos/svenwe...", True),
        ("By 2010, the firm expects to nearly double its sales.", False),
        ("The firm said it was talking to Reuters about a deal.", False),
    ],
)
def test_furniture_is_recognised_without_catching_news(sentence, furniture):
    assert is_furniture(sentence) is furniture


def test_furniture_and_fragments_score_below_news():
    score, _ = score_sentences(
        [["daili", "mail", "report"], ["lorri", "chicken", "overturn", "m25", "lane", "close"],
         ["ok"]],
        [5, 14, 1],
        [True, False, False],
    )  # fmt: skip
    assert score.argmax() == 1
    assert score[0] < score[2] or score[0] < 0.05


def test_title_overlap_lifts_a_sentence():
    tokens = [["council", "vote"], ["bus", "free", "pupil"], ["weather", "rain"]]
    plain, _ = score_sentences(tokens, [8, 8, 8], [False] * 3)
    titled, _ = score_sentences(tokens, [8, 8, 8], [False] * 3, title_tokens=["bus", "free"])
    assert titled[1] / titled[0] > plain[1] / plain[0]


def test_news_summarizer_is_a_sumy_shaped_callable():
    document = _document(
        "The city council approved a plan for free buses for pupils on Tuesday.",
        "The free buses for pupils will start running in September.",
        "It rained all day.",
        "Parents welcomed the free buses, saying pupils would be safer.",
    )
    summarizer = NewsSummarizer(stemmer_for("en"), stop_words_for("en"), title="Free buses")
    chosen = summarizer(document, 2)
    assert len(chosen) == 2
    assert chosen[0] is document.sentences[0]
    assert "It rained all day." not in [str(s) for s in chosen]
    assert summarizer(document, 0) == ()


def test_lead_summarizer_takes_the_first_sentences():
    document = _document("One is here.", "Two is here.", "Three is here.")
    assert [str(s) for s in LeadSummarizer()(document, 2)] == ["One is here.", "Two is here."]


def test_select_never_picks_an_excluded_sentence_even_when_asked_for_more():
    score = np.array([1.0, 0.9, 0.1])
    assert select(score, np.zeros((3, 3)), 3, redundancy=0.3, excluded=[True, False, False]) == [
        1, 2]


def test_lazy_selection_chooses_as_select_on_damped_scores_and_asks_few():
    rng = np.random.default_rng(7)
    for _ in range(300):
        n = int(rng.integers(1, 25))
        raw = np.round(rng.normal(0.3, 0.5, n), 1)  # ties, and negative scores
        similarity = rng.random((n, n))
        similarity = (similarity + similarity.T) / 2
        np.fill_diagonal(similarity, 0.0)
        furniture = list(rng.random(n) < 0.3)
        damped = raw.copy()
        damped[np.asarray(furniture, dtype=bool)] *= 0.01
        asked: set[int] = set()

        def judge(index: int, furniture: list = furniture, asked: set = asked) -> bool:
            asked.add(index)
            return furniture[index]

        for count in (1, 3, n + 2):
            assert select_lazily(raw, similarity, count, 0.6, judge) == select(
                damped, similarity, count, 0.6, excluded=furniture)
    # A clear lead is picked without judging the sentences that never compete.
    asked = set()
    chosen = select_lazily(np.array([1.0, 0.5, 0.1, 0.1]), np.zeros((4, 4)), 1, 0.6,
                           lambda index: asked.add(index) or False)
    assert chosen == [0]
    assert asked == {0}


def test_direct_speech_is_damped_and_nothing_else_moves():
    tokens = [["port", "strike"], ["union", "pension", "talk"], ["ship", "anchor", "wait"]]
    plain, _ = score_sentences(tokens, [8, 8, 8], [False] * 3)
    quoted, _ = score_sentences(tokens, [8, 8, 8], [False] * 3, quotations=[False, True, False])
    assert quoted[1] == pytest.approx(plain[1] * NewsParameters().quotation_factor)
    assert quoted[1] < plain[1]
    assert (quoted[[0, 2]] == plain[[0, 2]]).all()
