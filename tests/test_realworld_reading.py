"""Real files read right: encodings, formats and saved pages from files nobody here wrote.

Fixtures in tests/data/realworld/ are copies of feedparser's test feeds and trafilatura's
benchmark pages (../shared/realworld) and small probes derived from them (see
tests/data/README.md); tests/data/formats/
holds probes of the IPTC and Prezly shapes. feedparser (with chardet) is the reference for what
a feed's entries are.
"""

from __future__ import annotations

import io
from pathlib import Path

import feedparser
import pytest

from storage.readers import RejectedFile, read_bytes, read_file
from tests.helpers import one_article

DATA = Path(__file__).parent / "data"
FEEDS = DATA / "realworld" / "feeds"
PAGES = DATA / "realworld" / "pages"
BENCHMARK_PAGES = DATA / "realworld" / "html-benchmark" / "pages"
PROBES = DATA / "realworld" / "probes"
FORMATS = DATA / "formats"


def only(path: Path):
    """The one article a file holds."""
    [article] = read_file(path)
    return article


# feedparser reads this one as iso-8859-15 after its declared UTF-8 fails: "â€™â€" mojibake,
# which we refuse to store.
REFUSED_ON_PURPOSE = {"bozo_linenoise.xml": "cannot decode text"}


@pytest.mark.parametrize("name", sorted(p.name for p in FEEDS.glob("*.xml")))
def test_every_feed_entry_is_one_article_decoded_as_feedparser_reads_it(name):
    data = (FEEDS / name).read_bytes()
    reference = feedparser.parse(io.BytesIO(data))
    entries = [entry for entry in reference.entries if entry.get("title") or entry.get("summary")]
    try:
        articles = read_bytes(data, name)
    except RejectedFile as error:
        assert not entries or str(error).startswith(REFUSED_ON_PURPOSE[name]), (name, error)
        assert "\n" not in str(error) and str(error)
        return
    if not entries:  # feedparser cannot read it (UTF-16/32 without BOM or declaration): we do
        assert reference.bozo and articles
        return
    assert len(articles) == len(entries)
    for article, entry in zip(articles, entries, strict=True):
        assert "\ufffd" not in article.title + article.body
        if entry.get("title") and "<" not in entry["title"] and "&" not in entry["title"]:
            assert article.title == " ".join(entry["title"].split())


@pytest.mark.parametrize(("name", "title", "words"), [
    ("declared-windows-1252.xml", "Café in Zürich öffnet wieder", "„schön“"),
    ("declared-iso-8859-15.xml", "Café in Zürich öffnet wieder", "5 €"),
    ("undeclared-koi8-r.xml", "Президент выступил с обращением", "экономике"),
    ("undeclared-shift_jis.xml", "東京で新しい美術館が開館", "美術館"),
    ("undeclared-euc-jp.xml", "大阪で新しい図書館が開館", "図書館"),
    ("undeclared-euc-kr.xml", "서울에서 새로운 박물관 개관", "박물관"),
    ("undeclared-gb2312.xml", "北京新博物馆开放", "博物馆"),
    ("undeclared-big5.xml", "台北新博物館開放", "博物館"),
    ("utf-16le-no-bom.xml", "Ferry service resumes", "Ostend"),
    ("utf-32be-no-bom.xml", "Ferry service resumes", "Ostend"),
    ("http_text_xml_charset_2.xml", "Foo", "£“test.”"),
])
def test_declared_undeclared_and_wide_encodings_are_read_correctly(name, title, words):
    article = only(FEEDS / name)
    assert article.title == title
    assert words in article.body
    assert "Ã" not in article.body


def test_utf16_without_bom_is_text_not_binary():
    with pytest.raises(RejectedFile) as caught:
        read_file(FEEDS / "utf-16le-autodetect.xml")
    assert str(caught.value) == "feed has no items"  # read as a feed, not refused as binary


def test_utf8_read_twice_as_cp1252_is_repaired_not_stored_as_mojibake():
    garbled = "Café in Zürich öffnet wieder".encode().decode("cp1252")
    article = only_bytes(f"# {garbled}\n\nDie Gäste sind glücklich.\n".encode())
    assert article.title == "Café in Zürich öffnet wieder"


def only_bytes(data: bytes, name: str = "note.md"):
    return one_article(data, name)


def test_one_stray_byte_in_a_long_page_is_replaced_not_a_rejection():
    article = only(PROBES / "stray-byte.html")
    assert article.title == "Köln eröffnet neue Bibliothek am Rhein"
    assert len(article.body) > 50_000


def test_a_few_invalid_bytes_in_a_short_text_are_still_refused():
    with pytest.raises(RejectedFile, match="decode"):
        read_bytes("Café and caf".encode() + b"\xe9 mixed", "a.txt")


def test_html_typed_feed_title_loses_its_markup():
    article = only(FEEDS / "entry_title_inline_markup_2.xml")
    assert article.title == "History of the <blink> tag"  # the words, no <p> around them


def test_news_message_keeps_the_text_item_and_skips_the_photo(caplog):
    caplog.set_level("INFO")
    article = only(FORMATS / "news-message-text-and-photo.xml")
    assert article.title == "Snöstorm stänger vägar i norr"
    assert article.body.count("\n\n") == 1 and article.language == "sv"
    assert "photo-1 (picture)" in caplog.text


def test_news_message_with_only_a_photo_says_so():
    photo_only = (FORMATS / "news-message-text-and-photo.xml").read_text(encoding="utf-8")
    start = photo_only.index("<newsItem")
    end = photo_only.index("</newsItem>") + len("</newsItem>")
    with pytest.raises(RejectedFile, match="no text item"):
        read_bytes((photo_only[:start] + photo_only[end:]).encode(), "m.xml")


@pytest.mark.parametrize(("name", "title", "opening", "paragraphs"), [
    ("ninjs-1-headline-main.json", "Lighthouse keeper retires after forty years",
     "The last keeper of the Ostend lighthouse", 2),
    ("ninjs-nitf-body.json", "Tram line extended to the airport",
     "The tram line from the city centre", 2),
    ("ninjs-descriptions-only.json", "Fergetrafikken innstilt på grunn av storm",
     "All fergetrafikk på Vestlandet", 1),
])
def test_ninjs_headline_main_nitf_bodies_and_descriptions(name, title, opening, paragraphs):
    article = only(FORMATS / name)
    assert article.title == title
    assert article.body.startswith(opening)
    assert len(article.body.split("\n\n")) == paragraphs
    assert "<" not in article.body and "Kan brukes fritt" not in article.body


def test_prezly_url_from_links_newsroom_view():
    article = only(FORMATS / "prezly-newsroom-view.json")
    assert article.url == "https://press.example.be/brewery-opens-visitor-centre"


@pytest.mark.parametrize(("name", "reason"), [
    (PROBES / "product.html", "product page, not an article"),
    (BENCHMARK_PAGES / "anwaltniemeyer.de.index.html", "home page, not an article"),
], ids=lambda value: value.name if isinstance(value, Path) else None)
def test_pages_that_are_not_articles_are_refused_with_a_reason(name, reason):
    with pytest.raises(RejectedFile) as caught:
        read_file(name)
    assert str(caught.value).startswith(reason)


def test_page_of_only_menus_and_links_is_refused_not_stored_as_boilerplate():
    links = "".join(f'<li><a href="/s/{n}">Section {n}</a></li>' for n in range(40))
    page = f"<html><body><nav><ul>{links}</ul></nav><div><ul>{links}</ul></div></body></html>"
    with pytest.raises(RejectedFile, match="index page, not an article .its text is a list"):
        read_bytes(page.encode(), "menu.html")


@pytest.mark.parametrize(("name", "title"), [
    ("prof-pc.de.html", "Time to say goodbye."),  # meta title: "Home"
    ("ahlen.de.reparaturcafe.html", "Reparaturcafé am 31. Januar"),
    # The <h1> is the blog's name linking home; <title> is "Story :  Blog | tagline | …".
    ("archiv.krimiblog.de.2895.html", "Das vermutlich schwulste Musikvideo der Welt"),
    # ... or "Blog » Blog Archiv » Story", a breadcrumb ending with the story.
    ("archive.org.time4talks.com.kinos.html", "Weitere Digitalisierung der Schweizer Kinos"),
])
def test_page_title_is_the_headline_not_the_site_or_section(name, title):
    assert only(PAGES / name).title == title


def test_saved_page_keeps_the_story_trafilatura_finds():
    article = only(PAGES / "sprechwaisen.com.sw082.html")
    assert "Ingo hat ja gesagt" in article.body
    assert len(article.body) > 1200  # precision mode alone kept 392 characters of it


def test_placeholder_dates_are_not_publication_dates():
    article = only(PROBES / "epoch-date.html")  # JSON-LD datePublished 1970-01-01
    assert article.title == "Harbour reopens after storm"
    assert article.published is None


def test_page_language_comes_from_the_text_when_the_template_says_otherwise():
    from bot.ingest import prepare

    page = only(PAGES / "ahlen.de.reparaturcafe.html")
    assert page.language == "en"  # <html lang="en"> on a German town's news page
    article, summary = prepare(page, 2)
    assert article.language == "de" and summary


def test_a_story_in_another_script_loses_its_templates_language():
    from bot.ingest import prepare

    page = only(PAGES / "ukbdnews.com.23646.html")
    assert page.language == "en-US"  # the template's, on a Bengali story
    article, summary = prepare(page, 3)
    assert article.language is None  # not "en": no /languages en reader gets it
    assert len(summary) == 3 and all(sentence.endswith("।") for sentence in summary)


def test_rss_091_naming_netscapes_dtd_is_read_without_fetching_it():
    feed = ('<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS '
            '0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91">'
            "<channel><title>Old</title><item><title>Old story</title><description>Text of an "
            "old story.</description></item></channel></rss>")
    assert only_bytes(feed.encode(), "old.rss").title == "Old story"


def test_rss_with_a_stray_xhtml_doctype_is_still_a_feed():
    with pytest.raises(RejectedFile, match="feed has no items"):
        read_bytes(b'<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" '
                   b'"http://site.invalid/"><rss><channel><title>found</title></channel></rss>',
                   "f.xml")


def test_a_page_whose_source_wraps_its_paragraphs_keeps_each_paragraph_whole():
    # anarc.at writes its paragraphs on several source lines, which a browser joins with spaces.
    body = only(PAGES / "anarc.at.cdpath.html").body
    paragraphs = body.split("\n\n")
    opening = ("after reading this post I figured I might as well bite the bullet and improve on "
               "my CDPATH-related setup, especially because it does not work with Emacs. so i "
               "looked around for autojump-related alternatives that do.")
    assert opening in paragraphs
    assert any(p.startswith("This allows me to quickly jump") and p.endswith("text editor.")
               for p in paragraphs)
