"""Format-specific reading from small inline fixtures: Prezly API shapes, ninjs, feeds, text."""

from __future__ import annotations

import json
import unicodedata
from datetime import UTC, datetime

import pytest

from storage.readers import FORMATS, read_bytes

SLATE = {
    "version": "0.50",
    "children": [
        {"type": "heading-one", "children": [{"text": "Launch day"}]},
        {
            "type": "paragraph",
            "children": [
                {"text": "The company "},
                {"type": "link", "href": "https://example.com", "children": [{"text": "Acme"}]},
                {"text": " launched a rocket.", "bold": True},
            ],
        },
        {"type": "image", "file": {"uuid": "x"}, "children": [{"text": ""}]},
        {
            "type": "bulleted-list",
            "children": [
                {"type": "list-item", "children": [
                    {"type": "list-item-text", "children": [{"text": "First point."}]}]},
                {"type": "list-item", "children": [
                    {"type": "list-item-text", "children": [{"text": "Second point."}]}]},
            ],
        },
        {"type": "paragraph", "children": [{"text": "PHOTO © Jane Doe / AFP"}]},
    ],
}  # fmt: skip


def story(**fields: object) -> bytes:
    """Encode a Prezly API story with the given fields."""
    base = {"uuid": "a1b2", "title": "Acme launches rocket", "status": "published"}
    return json.dumps({**base, **fields}).encode()


def test_prezly_content_as_html():
    (article,) = read_bytes(story(content="<h2>Launch</h2><p>The rocket flew.</p>"))
    assert article.format == "prezly"
    assert article.body == "Launch\n\nThe rocket flew."
    assert article.id == "a1b2"


def test_prezly_content_as_slate_json_string():
    (article,) = read_bytes(story(content=json.dumps(SLATE)))
    assert article.body.split("\n\n") == [
        "Launch day",
        "The company Acme launched a rocket.",
        "First point.",
        "Second point.",
    ]


def test_prezly_content_as_slate_object_and_culture_object():
    data = story(
        content=SLATE,
        culture={"code": "nl_BE", "name": "Dutch (Belgium)"},
        published_at="2024-03-01T10:00:00+01:00",
        updated_at="2024-03-02 08:00:00",
    )
    (article,) = read_bytes(data)
    assert article.language == "nl_BE"
    assert "Acme launched a rocket." in article.body
    assert article.published == datetime(2024, 3, 1, 9, tzinfo=UTC)
    assert article.updated == datetime(2024, 3, 2, 8, tzinfo=UTC)


def test_prezly_subtitle_and_intro_open_the_body_as_on_the_newsroom_page():
    data = story(content="<p>The rocket flew.</p>", subtitle="A first for the company.",
                 intro="Acme flew its rocket on Monday.")
    (article,) = read_bytes(data)
    assert article.body.split("\n\n") == ["A first for the company.",
                                          "Acme flew its rocket on Monday.", "The rocket flew."]


def test_prezly_subtitle_the_content_already_holds_is_not_repeated():
    data = story(content="<p>A first for the company.</p><p>The rocket flew.</p>",
                 subtitle="A first for the company.")
    assert read_bytes(data)[0].body == "A first for the company.\n\nThe rocket flew."


def test_prezly_tags_and_categories():
    data = story(
        content="<p>Body.</p>",
        tag_names=["space", "rockets"],
        categories=[{"id": 1, "display_name": "Science"}, {"id": 2, "display_name": "space"}],
    )
    assert read_bytes(data)[0].tags == ["space", "rockets", "Science"]


def test_prezly_wrapped_story_and_author_and_id_fallback():
    data = {"story": {"title": "T", "body": "<p>B.</p>", "url": "https://x.test/t",
                      "culture": "fr_BE", "author": {"first_name": "Ann", "last_name": "Lee"}}}
    (article,) = read_bytes(json.dumps(data).encode())
    assert (article.id, article.url, article.author) == ("https://x.test/t", "https://x.test/t",
                                                         "Ann Lee")


def test_prezly_list_of_stories():
    stories = [json.loads(story(uuid="1")), json.loads(story(uuid="2", content="<p>x</p>"))]
    data = {"stories": stories}
    assert [a.id for a in read_bytes(json.dumps(data).encode())] == ["1", "2"]


def test_ninjs_1x_flat_fields():
    data = {"uri": "urn:x:1", "headline": "Flat &amp; simple", "body_text": "One.\n\nTwo.",
            "firstcreated": "2020-01-01T00:00:00Z", "versioncreated": "2020-01-02T00:00:00Z",
            "byline": "By Kim Park", "keywords": ["a", "b"], "subject": [{"name": "c"}]}
    (article,) = read_bytes(json.dumps(data).encode())
    assert article.title == "Flat & simple"
    assert article.body == "One.\n\nTwo."
    assert article.author == "Kim Park"
    assert article.tags == ["c", "a", "b"]
    assert article.published < article.updated


def test_ninjs_3x_prefers_html_body():
    data = {"uri": "urn:x:2", "headlines": [{"role": "sub", "value": "Sub"},
                                            {"role": "main", "value": "Main"}],
            "bodies": [{"contentType": "text/plain", "value": "plain"},
                       {"contentType": "text/html", "value": "<p>rich</p><p>text</p>"}]}
    (article,) = read_bytes(json.dumps(data).encode())
    assert (article.title, article.body) == ("Main", "rich\n\ntext")


def test_rss_with_content_encoded_categories_and_language():
    rss = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>C</title><link>https://n.test/</link><language>nl-be</language>
<item><title>Item one</title><link>https://n.test/1</link><guid>g1</guid>
<category>Politics</category><description>Short.</description>
<content:encoded><![CDATA[<p>Full one.</p><h3>Part</h3><p>Full two.</p>]]></content:encoded>
<pubDate>Tue, 10 Jun 2003 04:00:00 GMT</pubDate></item>
</channel></rss>"""
    (article,) = read_bytes(rss, "news.xml")
    assert article.format == "rss"
    assert article.body == "Full one.\n\nPart\n\nFull two."
    assert (article.id, article.url, article.language) == ("g1", "https://n.test/1", "nl-be")
    assert article.tags == ["Politics"]
    assert article.published == datetime(2003, 6, 10, 4, tzinfo=UTC)


def test_jsonfeed_11_authors_and_text_content():
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "F", "language": "en-US",
            "items": [{"id": "i1", "content_text": "Text body.", "authors": [{"name": "A"}],
                       "tags": ["t"], "date_published": "2021-01-01T12:00:00+02:00"}]}
    (article,) = read_bytes(json.dumps(feed).encode())
    assert article.title == "Text body."  # no title: derived from the body
    assert (article.author, article.language, article.tags) == ("A", "en-US", ["t"])
    assert article.published == datetime(2021, 1, 1, 10, tzinfo=UTC)


def test_markdown_with_front_matter():
    text = """---
title: Front matter title
date: 2024-05-01 08:30:00
url: https://blog.test/post
lang: de
author: Eva
tags: [a, b]
id: post-1
---
# Heading that is not the title

Some **bold** and a [link](https://x.test) here,
wrapped across lines.

- item one
- item two

```
code line
```
"""
    (article,) = read_bytes(text.encode(), "post.md")
    assert article.format == "markdown"
    assert article.title == "Front matter title"
    assert article.body.split("\n\n") == [
        "Heading that is not the title",
        "Some bold and a link here, wrapped across lines.",
        "item one",
        "item two",
        "code line",
    ]
    assert article.published == datetime(2024, 5, 1, 8, 30, tzinfo=UTC)
    assert (article.url, article.language, article.author, article.id) == (
        "https://blog.test/post", "de", "Eva", "post-1")
    assert article.tags == ["a", "b"]


def test_markdown_first_heading_is_title():
    (article,) = read_bytes(b"# The title\n\nBody *text*.\n", "x")
    assert (article.format, article.title, article.body) == ("markdown", "The title", "Body text.")


@pytest.mark.parametrize("source", [
    b"Harbour reopens\n===============\n\nThe harbour reopened on Monday.\n",
    b"Harbour reopens\n---\n\nThe harbour reopened on Monday.\n",
    b"**Harbour reopens**\n\nThe harbour reopened on [Monday](https://x.test).\n",
    b"Harbour reopens\n\nThe harbour reopened on **Monday**.\n",
], ids=["setext", "setext-dashes", "bold-line", "plain-line"])
def test_markdown_opening_title_line_is_the_title_not_the_body(source):
    (article,) = read_bytes(source, "story.md")
    assert (article.format, article.title) == ("markdown", "Harbour reopens")
    assert article.body == "The harbour reopened on Monday."


@pytest.mark.parametrize("source", [
    b"The harbour reopened on **Monday**.\n\nShips queued for hours.\n",
    b"- first point\n- second point\n\nShips queued for hours.\n",
    b"The harbour reopened on **Monday**\nafter a long night.\n\nShips queued.\n",
], ids=["sentence", "list", "two-lines"])
def test_markdown_opening_paragraph_of_the_story_stays_in_the_body(source):
    (article,) = read_bytes(source, "story.md")
    assert article.body.startswith(("The harbour reopened", "first point"))


def test_plain_text_first_short_line_is_title():
    (article,) = read_bytes(b"Headline here\n\nFirst para.\n\nSecond para.\n", "a.txt")
    assert (article.format, article.title) == ("text", "Headline here")
    assert article.body == "First para.\n\nSecond para."


def test_latin1_declared_and_cp1252_fallback():
    xml = '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><item>' \
          "<title>Caf\u00e9 cr\u00e8me</title><description>x</description></item></channel></rss>"
    assert read_bytes(xml.encode("latin-1"))[0].title == "Café crème"
    text = "Titre \u2019\u00e9t\u00e9\u2019\n\nCorps du texte.".encode("cp1252")
    assert read_bytes(text, "a.txt")[0].title == "Titre ’été’"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be"])
def test_bom_encodings(encoding):
    data = "Grüße aus Köln\n\nText.".encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert read_bytes(data)[0].title == "Grüße aus Köln"


def test_formats_tuple():
    assert set(FORMATS) == {"prezly", "ninjs", "newsml", "newsml1", "rss", "atom", "jsonfeed",
                            "html", "markdown", "text", "wire", "ritzau"}


def test_newsml_message_with_xhtml_body():
    xml = b"""<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet>
<newsItem guid="urn:a" xml:lang="fr"><itemMeta><versionCreated>2020-02-02T10:00:00Z</versionCreated>
</itemMeta><contentMeta><headline>Titre</headline></contentMeta><contentSet>
<inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml">
<head><title>t</title></head><body><h1>Intertitre</h1><p>Premier.</p><p>Second.</p></body></html>
</inlineXML></contentSet></newsItem></itemSet></newsMessage>"""
    (article,) = read_bytes(xml)
    assert (article.format, article.id, article.title, article.language) == (
        "newsml", "urn:a", "Titre", "fr")
    assert article.body == "Intertitre\n\nPremier.\n\nSecond."
    assert article.updated == datetime(2020, 2, 2, 10, tzinfo=UTC)


def test_html_page_json_ld_wins():
    page = """<!doctype html><html lang="en"><head><title>Site | Story</title>
<meta property="og:title" content="OG title">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "LD headline", "datePublished": "2022-02-02T02:02:02Z", "inLanguage": "en-GB",
 "author": [{"@type": "Person", "name": "A One"}, {"@type": "Person", "name": "B Two"}],
 "keywords": "k1, k2", "url": "https://ld.test/story"}</script></head>
<body><nav>Menu Home About</nav><article><p>First paragraph of the story is here.</p>
<p>Second paragraph follows with more words.</p></article></body></html>"""
    (article,) = read_bytes(page.encode(), "saved")
    assert article.format == "html"
    assert article.title == "LD headline"
    assert (article.language, article.author, article.url) == (
        "en-GB", "A One, B Two", "https://ld.test/story")
    assert article.tags == ["k1", "k2"]
    assert article.published == datetime(2022, 2, 2, 2, 2, 2, tzinfo=UTC)
    assert "First paragraph of the story is here." in article.body
    assert "Menu" not in article.body


def test_html_page_drops_teaser_lines_keeps_cited_links():
    story = " ".join(["The council met on Monday and voted on the new budget for the city."] * 4)
    page = f"""<!doctype html><html lang="en"><head><title>Budget vote</title></head><body>
<article><h1>Budget vote</h1><p>{story}</p>
<p>Read more: <a href="/other-story">Mayor resigns after long dispute</a></p>
<p>The figures, <a href="/report.pdf">published in a report</a>, show a deficit and the
council says it will cut spending on roads and parks over the next three years.</p>
<p>{story}</p></article></body></html>"""
    (article,) = read_bytes(page.encode(), "saved")
    assert "Mayor resigns" not in article.body
    assert "published in a report, show a deficit" in " ".join(article.body.split())
    assert "](" not in article.body


@pytest.mark.parametrize(("page_title", "headline"), [
    ("Brexit : ce qui change | Le Journal", "Brexit : ce qui change"),
    ("Le Journal » Politique » Brexit – ce qui change", "Brexit – ce qui change"),
    ("Brexit – ce qui change – Le Journal", "Brexit – ce qui change"),
])
def test_page_title_loses_the_site_name_that_the_home_link_heading_gives(page_title, headline):
    story = " ".join(["Le Parlement a voté mardi une loi sur le commerce avec le Royaume-Uni."] * 5)
    page = f"""<!doctype html><html lang="fr"><head><title>{page_title}</title></head><body>
<div id="header"><h1><a href="https://journal.example/">Le Journal</a></h1></div>
<div class="post"><p>{story}</p><p>{story}</p></div></body></html>"""
    (article,) = read_bytes(page.encode(), "saved")
    assert article.title == headline


def test_page_title_loses_the_site_name_that_og_site_name_gives():
    story = " ".join(["Die Stadt hat am Montag den Haushalt für das Jahr 2027 beschlossen."] * 5)
    page = f"""<!doctype html><html lang="de"><head><title>Gift Guide</title>
<meta property="og:site_name" content="Journelles">
<meta property="og:title" content="Christmas Gift Guide | Journelles | Jetzt entdecken!">
</head><body><div class="post"><p>{story}</p><p>{story}</p></div></body></html>"""
    (article,) = read_bytes(page.encode(), "saved")
    assert article.title == "Christmas Gift Guide"


_DECOMPOSED_TITLE = unicodedata.normalize("NFD", "Café für Zürich")
_DECOMPOSED_BODY = unicodedata.normalize("NFD", "Der Stadtrat hat die Öffnungszeiten geprüft.")
_DECOMPOSED_FILES = {
    "prezly": story(title=_DECOMPOSED_TITLE, content=f"<p>{_DECOMPOSED_BODY}</p>",
                    author={"name": unicodedata.normalize("NFD", "Jörg Müller")}),
    "ninjs": json.dumps({"uri": "urn:n", "headline": _DECOMPOSED_TITLE,
                         "body_text": _DECOMPOSED_BODY}).encode(),
    "rss": f"""<?xml version="1.0"?><rss version="2.0"><channel><title>C</title>
<item><title>{_DECOMPOSED_TITLE}</title><guid>g</guid>
<description>{_DECOMPOSED_BODY}</description></item></channel></rss>""".encode(),
    "markdown": f"# {_DECOMPOSED_TITLE}\n\n{_DECOMPOSED_BODY}\n".encode(),
    "html": f"""<!doctype html><html lang="de"><head><title>{_DECOMPOSED_TITLE}</title></head>
<body><article><p>{" ".join([_DECOMPOSED_BODY] * 6)}</p></article></body></html>""".encode(),
}
_DECOMPOSED_NAMES = {"rss": "feed.xml", "markdown": "story.md", "html": "page.html"}


@pytest.mark.parametrize("kind", sorted(_DECOMPOSED_FILES))
def test_decomposed_accents_are_stored_composed(kind):
    # "geprüft" written as u + U+0308 (macOS, some CMSs) must be the same word as "geprüft".
    (article,) = read_bytes(_DECOMPOSED_FILES[kind], _DECOMPOSED_NAMES.get(kind, ""))
    assert article.title == "Café für Zürich"
    assert "Der Stadtrat hat die Öffnungszeiten geprüft." in article.body
    assert unicodedata.is_normalized("NFC", article.body)
    if kind == "prezly":
        assert article.author == "Jörg Müller"
