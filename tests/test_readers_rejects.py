"""Bad input is refused with RejectedFile and a readable one-line reason, never another error."""

from __future__ import annotations

import json
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.readers import read_bytes, read_file
from storage.records import Article, RejectedFile
from tests.helpers import ARTICLES

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss version="2.0"><channel><item><title>&lol3;</title></item></channel></rss>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE newsItem [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<newsItem guid="g"><contentMeta><headline>&x;</headline></contentMeta></newsItem>"""
EMPTY_FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Empty</title>
<link>https://e.test/</link><description>No items</description></channel></rss>"""


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"", "a.json", ["empty"]),
        (b"  \n\t \n", "a.txt", ["empty"]),
        (bytes(range(256)) * 4, "a.bin", ["binary"]),
        (b"Title\x00\x00 body", "a.txt", ["binary", "NUL"]),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 1 0 obj", "a.pdf", ["binary", "PDF"]),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "a.png", ["binary"]),
        ("Café and caf".encode() + b"\xe9 mixed", "a.txt", ["decode", "UTF-8"]),
        (b"\xef\xbb\xbfok \xff\xfe bad", "a.txt", ["decode"]),
        (b'{"title": "x",\n "body": \n  oops}', "a.json", ["invalid JSON", "line 3", "column 3"]),
        (b'{"title": "x"', "", ["invalid JSON"]),
        (b"<?xml version='1.0'?>\n<newsItem>\n <a b=></newsItem>", "a.xml",
         ["invalid XML", "line 3"]),
        (b"<newsItem><headline>x</newsItem>", "", ["invalid XML", "mismatched tag"]),
        (b'{"foo": 1, "bar": [2]}', "a.json", ["unknown JSON shape", "bar", "foo"]),
        (b"[1, 2, 3]", "a.json", ["unknown JSON shape"]),
        (b'"just a string"', "a.json", ["unknown JSON shape"]),
        (b"[]", "a.json", ["empty"]),
        (b"<catalog><book/></catalog>", "a.xml", ["unknown XML format", "catalog"]),
        (b'{"uuid": "u", "title": "", "content": "<p>&nbsp;</p>"}', "a.json",
         ["no title and no body"]),
        (b'{"uri": "urn:x", "headline": " ", "body_text": ""}', "", ["no title and no body"]),
        (b"[" * 10_000 + b"]" * 10_000, "deep.json", ["nested too deeply"]),
        (b'{"a":' * 10_000 + b"1" + b"}" * 10_000, "deep.json", ["nested too deeply"]),
        (BILLION_LAUGHS, "lol.xml", ["entit", "refused"]),
        (EXTERNAL_ENTITY, "xxe.xml", ["entit", "refused"]),
        (EMPTY_FEED, "feed.xml", ["feed has no items"]),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', "", ["no items"]),
        (b"---\ntitle: [unclosed\n---\nBody", "a.md", ["invalid YAML front matter"]),
        (b"---\n- a\n- b\n---\nBody", "a.md", ["front matter", "mapping"]),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 20 else None,
)
def test_bad_input_is_rejected_with_reason(data, name, words):
    with pytest.raises(RejectedFile) as caught:
        read_bytes(data, name)
    message = str(caught.value)
    assert "\n" not in message
    assert len(message) <= 300
    for word in words:
        assert word.lower() in message.lower()


def test_external_entity_is_never_expanded():
    with pytest.raises(RejectedFile) as caught:
        read_bytes(EXTERNAL_ENTITY)
    assert "root:" not in str(caught.value)


def test_read_file_checks_size_before_reading(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b"{" + b" " * 2_000_000 + b"}")
    with pytest.raises(RejectedFile, match=r"file is 2\.0 MB, over the 1\.0 MB limit"):
        read_file(path, max_bytes=1_000_000)


def test_read_file_missing_directory_and_symlinks(tmp_path):
    with pytest.raises(RejectedFile, match="cannot read"):
        read_file(tmp_path / "missing.txt")
    with pytest.raises(RejectedFile, match="not a regular file"):
        read_file(tmp_path)
    target = tmp_path / "story.txt"
    target.write_text("Title\n\nBody text.")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    assert read_file(link)[0].title == "Title"
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "nowhere")
    with pytest.raises(RejectedFile):
        read_file(dangling)


def test_third_party_failures_become_rejections(monkeypatch):
    import storage.readers.html_page as html_page

    def explode(*args, **kwargs):
        raise ValueError("parser exploded")

    monkeypatch.setattr(html_page.trafilatura, "bare_extraction", explode)
    with pytest.raises(RejectedFile, match="html reader failed: ValueError: parser exploded"):
        read_bytes(b"<html><body><p>Hello</p></body></html>")


def assert_articles_or_rejected(data: bytes, name: str = "") -> None:
    """Reading either yields Articles or raises RejectedFile; anything else fails the test."""
    try:
        articles = read_bytes(data, name)
    except RejectedFile as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert isinstance(articles, list) and articles
    assert all(isinstance(article, Article) and article.title for article in articles)


FUZZ = settings(max_examples=200, deadline=None)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(
        st.sampled_from(["title", "body", "content", "uuid", "headline", "bodies", "items",
                         "version", "culture", "uri", "published_at", "value", "children",
                         "type", "text", "story", "stories", "author", "categories"])
        | st.text(max_size=5),
        children,
        max_size=5,
    ),
    max_leaves=20,
)  # fmt: skip
XMLISH = st.lists(
    st.sampled_from(["<", ">", "</", "/>", "<?xml version='1.0'?>", "<!DOCTYPE x>", "<rss>",
                     "<feed>", "<newsItem>", "<item>", "<entry>", "<title>", "</title>", "&amp;",
                     "&x;", "<![CDATA[", "]]>", "<html>", "<p>", "</p>", "=", '"', " ", "\n"])
    | st.text(alphabet=string.ascii_letters + " ", max_size=8),
    max_size=30,
).map("".join)  # fmt: skip


@FUZZ
@given(st.binary(max_size=400), st.sampled_from(["", "a.json", "a.xml", "a.txt", "a.html"]))
def test_arbitrary_bytes_never_crash(data, name):
    assert_articles_or_rejected(data, name)


@FUZZ
@given(JSON_VALUES)
def test_arbitrary_json_never_crashes(value):
    assert_articles_or_rejected(json.dumps(value).encode())


@FUZZ
@given(XMLISH)
def test_xmlish_text_never_crashes(text):
    assert_articles_or_rejected(text.encode())


@FUZZ
@given(st.text(max_size=300))
def test_arbitrary_text_never_crashes(text):
    assert_articles_or_rejected(text.encode(), "a.md")


STORY_TEXT = b"Harbour plan approved\n\nThe council approved the harbour plan on Monday.\n"


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("prices.csv", b"id,name,price\n1,apple,3\n", "CSV data"),
    ("deploy.sh", b"#!/bin/sh\nrm -rf /tmp/x\n", "shell script"),
    ("report.tsv", b"id\tname\n1\tapple\n", "TSV data"),
    ("build.py", b"import os\nprint(os.getcwd())\n", "Python source"),
    ("notes.log", b"2026-03-02 10:00 started\n", "log file"),
    ("settings.ini", b"[main]\ntitle = Harbour plan approved\n", "settings file"),
    ("site.yaml", b"title: Harbour plan approved\n", "YAML data"),
    ("theme.css", b"body { color: red }\n", "stylesheet"),
    # Refused by name whatever they hold: a script of JSON, a log of a story's text.
    ("app.js", (ARTICLES / "ninjs" / "dpa-text-2.1.json").read_bytes(), "JavaScript"),
    ("harbour.LOG", STORY_TEXT, "log file"),
])
def test_data_code_logs_and_settings_are_refused_by_name(name, data, kind):
    with pytest.raises(RejectedFile) as caught:
        read_bytes(data, name)
    message = str(caught.value)
    ext = name[name.rindex("."):].lower()
    assert f"file type {ext} ({kind})" in message
    assert ".txt" in message and ".md" in message and "RSS/Atom" in message  # what is accepted
    assert "\n" not in message and len(message) <= 300


@pytest.mark.parametrize("name", ["weird.xyz", "story.html", "feed.xml", "page.php", "a.doc"])
def test_plain_text_under_a_name_that_is_not_a_text_files_is_refused(name):
    with pytest.raises(RejectedFile) as caught:
        read_bytes(STORY_TEXT, name)
    ext = name[name.rindex("."):]
    assert f"file type {ext} holds plain text" in str(caught.value)
    assert ".txt" in str(caught.value)


@pytest.mark.parametrize("name", ["story.txt", "story.text", "story.md", "story.markdown",
                                  "story.mdown", "STORY.TXT", "story", "",
                                  "Mr. Smith resigns", "harbour-2026.03"])
def test_plain_text_is_read_from_a_text_files_name_or_one_without_extension(name):
    [article] = read_bytes(STORY_TEXT, name)
    assert article.title == "Harbour plan approved"


@pytest.mark.parametrize(("sample", "name", "fmt"), [
    ("ninjs/dpa-text-2.1.json", "item.ninjs", "ninjs"),
    ("newsml-g2/nitf-inline.xml", "story.nitf", "newsml"),
    ("feeds/example.rss", "feed.rss", "rss"),
    ("feeds/example.atom", "feed.atom", "atom"),
    ("html/heise.de-lithium.html", "page.htm", "html"),
    ("html/heise.de-lithium.html", "article.php", "html"),
    ("newsml-g2/news-item.xml", "item.dat", "newsml"),
])
def test_news_formats_are_read_by_content_under_their_names_or_others(sample, name, fmt):
    assert read_bytes((ARTICLES / sample).read_bytes(), name)[0].format == fmt
