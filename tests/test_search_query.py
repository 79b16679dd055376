"""/search input as people type it: words, punctuation, elisions, accents, and the operators."""

from __future__ import annotations

import pytest

from storage import articles as article_store
from storage.records import Article
from storage.search_query import SearchSyntaxError, fts_query, keyword_term

STORIES = {
    "evaluation": ("L'évaluation des politiques publiques", "Un rapport sur l'État."),
    "derby": ("Derby-Elfmeter entscheidet das Spiel", "Der Elfmeter kam spät."),
    "cloud": ("Sovereign cloud, storage and networks", "Belgian firms join forces."),
    "score": ("Ghent wins 2:4 away", "The match ended 2:4."),
    "cpp": ("C++ turns forty", "The language still ships."),
    "cegeka": ("@cegeka announces a data centre", "Posted on social media."),
    "groesste": ("Die größte Brücke der Stadt", "Sie ist offen."),
    "zurich": ("Zürich opens a tram line", "Die Linie fährt ab Montag."),
    "zuerich_plain": ("Zurich insurers merge", "A deal in the city."),
    "strasse": ("Neue Strasse in Köln", "Gebaut in einem Jahr."),
    "rail": ("Railway strike ends", "Trains run again."),
}


@pytest.fixture
def stories(conn):
    """The stories above, stored; title by key."""
    for key, (title, body) in STORIES.items():
        article_store.store(conn, Article(title=title, body=body, id=key), [body])
    return conn


def titles(conn, query: str) -> set[str]:
    """The titles a search finds."""
    return {article.title for article in article_store.search(conn, query, limit=50)}


@pytest.mark.parametrize("query, expected", [
    ("l'évaluation", "evaluation"),
    ("l’evaluation", "evaluation"),
    ("évaluation", "evaluation"),
    ("Derby-Elfmeter", "derby"),
    ("cloud, storage", "cloud"),
    ("cloud?", "cloud"),
    ("2:4", "score"),
    ("c++", "cpp"),
    ("@cegeka", "cegeka"),
    ("grosste", "groesste"),
    ("größte", "groesste"),
    ("Zurich", "zurich"),
    ("Zürich", "zuerich_plain"),
    ("Straße", "strasse"),
    ("d'Elfmeter", "derby"),
])
def test_what_people_type_finds_what_they_mean(stories, query, expected):
    assert STORIES[expected][0] in titles(stories, query)


def test_a_hyphenated_word_is_a_phrase_not_two_loose_words(stories, conn):
    article_store.store(conn, Article(title="Derby news", body="A late Elfmeter.", id="loose"),
                        ["A late Elfmeter."])
    assert titles(conn, "Derby-Elfmeter") == {STORIES["derby"][0]}


def test_control_characters_separate_words_in_searches_and_keywords(stories):
    assert fts_query("cloud\x00storage") == fts_query("cloud storage")
    assert keyword_term("cloud\x00") == keyword_term("cloud")
    # A NUL reached FTS5 inside a quoted term: "unterminated string" for every digest.
    article_store.keyword_hits(stories, 0, ["cloud\x00storage", "\x07port\x1b"])


def test_parentheses_ten_deep_still_search():
    assert fts_query("(" * 10 + "cloud OR storage" + ")" * 10) == '("cloud" OR "storage")'


@pytest.mark.parametrize("query, found, not_found", [
    ('"sovereign cloud"', "cloud", "rail"),
    ("railway OR zurich", "rail", "cloud"),
    ("cloud -networks", None, "cloud"),
    ("rail*", "rail", "cloud"),
    ('"sovereign clo"*', "cloud", "rail"),
    ("zurich NOT insurers", "zurich", "zuerich_plain"),
    ("(railway OR tram) AND trains", "rail", "zurich"),
])
def test_operators_keep_working(stories, query, found, not_found):
    shown = titles(stories, query)
    if found:
        assert STORIES[found][0] in shown
    assert STORIES[not_found][0] not in shown


@pytest.mark.parametrize("query, problem", [
    ('"unclosed phrase', "quote is not closed"),
    ("cloud OR", "OR needs a word on each side"),
    ("OR cloud", "OR needs a word on each side"),
    ("cloud AND", "AND needs a word after it"),
    ("-cloud", "only says what to leave out"),
    ("???", "no word to look for"),
    ("(cloud", "'(' is not closed"),
    ("cloud)", "')' has no matching '('"),
    ("", "empty"),
    (" ".join(f"w{n}" for n in range(70)), "more than 64 words"),
    ("(" * 11 + "cloud" + ")" * 11, "nests parentheses more than 10 deep"),
    ("(" * 2000 + "cloud" + ")" * 2000, "nests parentheses more than 10 deep"),  # was a crash
])
def test_an_unreadable_search_gets_a_one_line_hint(stories, query, problem):
    with pytest.raises(SearchSyntaxError) as caught:
        article_store.search(stories, query)
    message = str(caught.value)
    assert problem in message and "\n" not in message


@pytest.mark.parametrize("query, shown", [
    ("\"l'État", "“\"l'État”"),  # was '"l\\'État': Python's repr, escapes and all
    ("a\\b OR", "“a\\b OR”"),  # was 'a\\\\b OR'
    ("two\nlines OR", "“two lines OR”"),  # a newline is no part of the message's one line
])
def test_an_unreadable_search_is_quoted_as_typed(query, shown):
    with pytest.raises(SearchSyntaxError) as caught:
        fts_query(query)
    assert str(caught.value).startswith(f"Cannot read the search {shown}: ")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("query", ["title:cloud", "NEAR(cloud storage)", "cloud^", "a:b:c",
                                   "x'; DROP TABLE articles; --"])
def test_fts5_syntax_in_input_is_only_words(stories, query):
    article_store.search(stories, query)  # must not raise: every word reaches FTS5 quoted


def test_every_term_reaches_fts5_quoted():
    assert fts_query("title:cloud NEAR") == '("title:cloud" AND "NEAR")'


@pytest.mark.parametrize("keyword, term", [
    ("rail*", '"rail"*'),
    ("port", '"port"'),
    ("l'école", '"école"'),
    ("?!", None),
])
def test_keyword_terms(keyword, term):
    assert keyword_term(keyword) == term
