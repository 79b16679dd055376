"""Chinese, Japanese and Thai found inside the text: the character pairs (storage.grams), their
queries (storage.search_query), search, keyword filters and alerts over both indexes, and the
migration of a database written before them."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage import articles as article_store
from storage import filtered
from storage.db import MIGRATIONS, SCHEMA_VERSION, migrate
from storage.grams import has_script, index_grams, query_grams
from storage.records import Article
from storage.search_query import (
    GRAMS,
    WORDS,
    Combined,
    Match,
    SearchSyntaxError,
    fts_query,
    parse,
)

CHINESE = ("话剧《约定无期限》河北各市巡演结束",
           "国家大剧院的话剧在河北各市巡演，观众超过两万人。The tour ended in Shijiazhuang.")
JAPANESE = ("子どもへの体罰を禁止する法律ができる",
            "親が子どもに体罰をすることを禁止する法律が国会で決まりました。東京2020の話もあります。")
THAI = ("รัฐบาลประกาศมาตรการใหม่", "รัฐบาลไทยประกาศมาตรการช่วยเหลือเกษตรกรในภาคเหนือ")
ENGLISH = ("Rail strike ends", "The rail strike in Hebei ended after talks with the union.")


def add(conn, title: str, body: str, **extra) -> str:
    return article_store.store(conn, Article(title=title, body=body, **extra), [body])


def titles(found) -> list[str]:
    return [article.title for article in found]


@pytest.fixture
def stories(conn):
    for title, body in (CHINESE, JAPANESE, THAI, ENGLISH):
        add(conn, title, body)
    return conn


def test_a_run_becomes_its_character_pairs_and_its_last_character():
    assert index_grams("河北各市") == "河北 北各 各市 市"
    assert index_grams("河") == "河"
    assert index_grams("话剧《约定》河北") == "话剧 剧 约定 定 河北 北"
    # Letters and digits joined to a run go with it; a word on its own does not.
    assert index_grams("the iPhone手机 Pro") == "iPhone 手机 机"
    assert index_grams("東京2020年") == "東京 京 2020 年"
    # Katakana's middle dot separates words.
    assert index_grams("カタ・カナ") == "カタ タ カナ ナ"


def test_text_without_those_scripts_has_no_grams():
    for text in ("Rail strike", "Größe, l'État, Ελλάδα, Москва, 서울 한국", "", None):
        assert not has_script(text)
        assert index_grams(text) is None


def test_a_thai_mark_stays_with_its_letter_in_one_token(conn):
    # unicode61 ends a token at a combining mark: "ก่า" was "ก" and "า".
    grams = index_grams("ก่า")
    assert len(grams.split()) == 2  # one pair of letters-with-marks and the last letter
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'row')")
    conn.execute("INSERT INTO t VALUES (?)", (grams,))
    assert [term for (term,) in conn.execute("SELECT term FROM v")] == sorted(grams.split())


def test_queries_of_the_grams_index():
    assert query_grams("河北") == ("河北", False)
    assert query_grams("河北各") == ("河北 北各", False)
    assert query_grams("河") == ("河", True)
    assert parse("河北") == Match(GRAMS, '"河北"')
    assert parse("河") == Match(GRAMS, '"河"*')
    assert parse("河北 OR 体罰") == Match(GRAMS, '("河北" OR "体罰")')
    assert parse("河北 economy") == Combined("AND", (Match(GRAMS, '"河北"'),
                                                     Match(WORDS, '"economy"')))
    # A search of plain words is exactly what it was.
    assert parse("rail -strike") == Match(WORDS, '("rail" NOT "strike")')
    assert fts_query("Größe") == '("Größe" OR "grösse")'


@pytest.mark.parametrize(("search", "found"), [
    ("河北", CHINESE[0]),  # a word inside the title's run
    ("巡演", CHINESE[0]),
    ("观众超过", CHINESE[0]),  # inside the body
    ("体罰", JAPANESE[0]),
    ("子ども", JAPANESE[0]),  # kana and kanji
    ("国会", JAPANESE[0]),
    ("มาตรการ", THAI[0]),
    ("เกษตรกร", THAI[0]),  # with its marks
])
def test_a_word_is_found_inside_the_text(stories, search, found):
    assert titles(article_store.search(stories, search, 10)) == [found]


@pytest.mark.parametrize(("search", "found"), [
    ("剧", [CHINESE[0]]),
    ("罰", [JAPANESE[0]]),
    ("ฐ", [THAI[0]]),
    ("束", [CHINESE[0]]),  # the last character of a run
])
def test_one_character_is_found_anywhere(stories, search, found):
    assert titles(article_store.search(stories, search, 10)) == found


def test_a_phrase_is_found_only_as_written(stories):
    assert titles(article_store.search(stories, '"河北各市巡演"', 10)) == [CHINESE[0]]
    assert titles(article_store.search(stories, '"体罰を禁止"', 10)) == [JAPANESE[0]]
    assert titles(article_store.search(stories, '"ประกาศมาตรการ"', 10)) == [THAI[0]]
    assert article_store.search(stories, '"河北巡演"', 10) == []  # not next to each other


def test_mixed_with_english_words(stories):
    assert titles(article_store.search(stories, "河北 tour", 10)) == [CHINESE[0]]
    assert article_store.search(stories, "河北 union", 10) == []
    assert set(titles(article_store.search(stories, "体罰 OR union", 10))) == {
        JAPANESE[0], ENGLISH[0]}
    assert titles(article_store.search(stories, "東京2020", 10)) == [JAPANESE[0]]
    # A phrase of both scripts needs each part (the parts are in different indexes).
    assert titles(article_store.search(stories, '"tour 河北"', 10)) == [CHINESE[0]]


def test_left_out_with_minus_word(stories):
    assert titles(article_store.search(stories, "话剧 -河北", 10)) == []
    assert titles(article_store.search(stories, "hebei -河北", 10)) == [ENGLISH[0]]
    assert titles(article_store.search(stories, "strike -体罰", 10)) == [ENGLISH[0]]
    assert titles(article_store.search(stories, "法律 -体罰", 10)) == []
    assert titles(article_store.search(stories, "法律 NOT rail", 10)) == [JAPANESE[0]]


def test_ranked_title_first(conn):
    add(conn, "国会の話", "予算について。", url="http://n/1")
    add(conn, "予算の話", "国会で決まりました。", url="http://n/2")
    assert titles(article_store.search(conn, "国会", 10)) == ["国会の話", "予算の話"]
    assert titles(article_store.search(conn, "国会 予算", 10)) == ["国会の話", "予算の話"]


def test_a_corrected_story_is_found_by_its_new_text_only(conn):
    add(conn, "河北新闻", "河北各市巡演结束。", url="http://n/1")
    add(conn, "河北新闻", "天津各区演出开始。", url="http://n/1")
    assert article_store.search(conn, "巡演", 10) == []
    assert titles(article_store.search(conn, "演出", 10)) == ["河北新闻"]
    add(conn, "Hebei news", "In English now.", url="http://n/1")
    assert article_store.search(conn, "河北", 10) == []
    assert titles(article_store.search(conn, "hebei", 10)) == ["Hebei news"]
    conn.execute("DELETE FROM articles")
    assert conn.execute("SELECT count(*) FROM articles_grams WHERE articles_grams MATCH "
                        "'\"演出\"'").fetchone()[0] == 0


def test_keyword_filters_and_alerts(stories):
    chinese = filtered.Filters(include=("河北",))
    assert titles(filtered.latest(stories, 10, 0, chinese)) == [CHINESE[0]]
    assert titles(filtered.search(stories, "tour OR 体罰", 10, 0, chinese)) == [CHINESE[0]]
    no_law = filtered.Filters(exclude=("法律", "rail"))
    assert set(titles(filtered.latest(stories, 10, 0, no_law))) == {CHINESE[0], THAI[0]}
    assert titles(filtered.search(stories, "河北", 10, 0, no_law)) == [CHINESE[0]]
    hits = article_store.keyword_hits(stories, 0, ["体罰", "union"])
    assert len(hits) == 2
    assert len(article_store.keyword_hits(stories, 0, ["มาตรการ"])) == 1


def test_latin_results_do_not_change_with_stories_of_those_scripts(conn):
    add(conn, "Rail strike ends", "The rail strike ended.", url="http://n/1")
    add(conn, "Rail news", "Rail rail rail, and a strike.", url="http://n/2")
    before = [titles(article_store.search(conn, q, 10)) for q in ("rail", "strike", "rail -news")]
    add(conn, "河北各市巡演结束", "河北各市巡演结束。" * 50, url="http://n/3")
    after = [titles(article_store.search(conn, q, 10)) for q in ("rail", "strike", "rail -news")]
    assert after == before


def _database_of_main(stories: list[tuple[str, str]]) -> sqlite3.Connection:
    """A database written by the schema before the grams (migration 6), with stories."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    migrate(conn, MIGRATIONS[:6])
    for seq, (title, body) in enumerate(stories, 1):
        conn.execute(
            "INSERT INTO articles (id, title, body, content_hash, first_seen, last_changed, seq)"
            " VALUES (?, ?, ?, 'h', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00', ?)",
            (f"http://n/{seq}", title, body, seq))
    return conn


def test_an_older_database_gets_the_grams_of_every_stored_story():
    conn = _database_of_main([CHINESE, JAPANESE, THAI, ENGLISH])
    def words(match: str) -> list[tuple[int]]:
        return conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?",
                            (match,)).fetchall()
    assert words('"河北各市巡演结束"') == [(1,)] and words('"河北"') == []  # the defect
    words_before = conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH "
                                "'strike OR rail'").fetchall()
    assert migrate(conn) == SCHEMA_VERSION == 7
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 4
    assert conn.execute("SELECT count(*) FROM articles WHERE title_grams IS NOT NULL").fetchone(
        )[0] == 3
    assert conn.execute("SELECT title_grams, body_grams FROM articles WHERE id = 'http://n/4'"
                        ).fetchone() == (None, None)
    assert conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH "
                        "'strike OR rail'").fetchall() == words_before
    # Old rows are found by a word inside their text ...
    assert titles(article_store.search(conn, "河北", 10)) == [CHINESE[0]]
    assert titles(article_store.search(conn, "体罰", 10)) == [JAPANESE[0]]
    assert titles(article_store.search(conn, "มาตรการ", 10)) == [THAI[0]]
    assert titles(article_store.search(conn, "rail", 10)) == [ENGLISH[0]]
    # ... and so are new ones, through the triggers.
    add(conn, "河北新闻", "石家庄的天气。")
    assert titles(article_store.search(conn, "石家庄", 10)) == ["河北新闻"]
    assert set(titles(article_store.search(conn, "河北", 10))) == {CHINESE[0], "河北新闻"}
    # A second open changes nothing.
    schema = conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    assert migrate(conn) == SCHEMA_VERSION
    assert conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == schema
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 5


PIECES = st.sampled_from([
    "河北", "河", "各市", "体罰", "を", "ก่า", "มาตรการ", "\u0e48", "\u3099", "ー", "・", "東京2020",
    "iPhone手机", "rail", '"', "(", ")", "*", "-", "OR", "AND", "NOT", " ", "{", "}", ":", "\x00",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, max_size=10).map(" ".join) | st.lists(PIECES, max_size=10).map("".join))
def test_any_search_with_those_scripts_gives_results_or_a_syntax_error(query):
    conn = sqlite3.connect(":memory:", isolation_level=None)
    migrate(conn)
    for title, body in (CHINESE, JAPANESE, THAI, ENGLISH):
        add(conn, title, body)
    try:
        results = article_store.search(conn, query)
        results += filtered.search(conn, query, 5, 0, filtered.Filters(include=("河北",)))
    except SearchSyntaxError as error:
        assert str(error)
    else:
        assert all(isinstance(hit.title, str) for hit in results)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 4
    conn.execute("INSERT INTO articles_grams(articles_grams) VALUES ('integrity-check')")


def test_a_mixed_search_ranks_title_first_and_pages(conn):
    add(conn, "国会 budget", "予算について。", url="http://n/1")
    add(conn, "予算の話", "国会で budget が決まりました。", url="http://n/2")
    add(conn, "国会の話", "No budget here, just 国会.", url="http://n/3")
    found = titles(article_store.search(conn, "国会 budget", 10))
    assert found[0] == "国会 budget" and set(found) == {"国会 budget", "予算の話", "国会の話"}
    pages = [titles(article_store.search(conn, "国会 budget", 1, offset)) for offset in range(4)]
    assert pages == [[found[0]], [found[1]], [found[2]], []]
    assert titles(filtered.search(conn, "国会 budget", 1, 1, filtered.Filters(
        languages=(), include=("予算",)))) == [t for t in found if t != "国会の話"][1:2]
