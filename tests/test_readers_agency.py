"""Agency and newsroom files as they are sent: wire copy layout, media items, packages, NITF
bylines, a headline repeated in the body. Real IPTC examples are in tests/data/agency/."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage.readers import read_bytes
from storage.readers.cleaning import plain_paragraphs
from storage.records import PubStatus, RejectedFile
from tests.helpers import one_article

AGENCY = Path(__file__).parent / "data" / "agency"

# The shape of ANSA's NewsML-G2 text items: `text/plain` wire copy in CDATA, wrapped in <p>,
# hard-wrapped, each paragraph starting on an indented line, no blank lines.
WIRE = """<p>

            (ANSA) - Rome, October 11 - Italian Foreign Minister Angelino
Alfano has said that the Catalan independence declaration is
unacceptable.
   "Unacceptable Catalan unilateral independence declaration,"
Alfano said via his Twitter account.
   Catalan leader Carles Puigdemont signed a declaration of
independence on Tuesday, but halted implementation to allow for
negotiations.
          </p>"""


def newsml_item(body: str, contenttype: str = "text/plain", item_class: str = "text") -> bytes:
    """A NewsML-G2 newsItem whose body is inlineData of the given type."""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="tag:example.org,2017:1"
  standard="NewsML-G2" standardversion="2.4" version="1" xml:lang="en">
<itemMeta><itemClass qcode="ninat:{item_class}"/>
<versionCreated>2017-10-11T10:41:00+0100</versionCreated></itemMeta>
<contentMeta><headline>Catalan declaration unacceptable, says Alfano</headline></contentMeta>
<contentSet><inlineData contenttype="{contenttype}"><![CDATA[{body}]]></inlineData></contentSet>
</newsItem>""".encode()


only = one_article


def test_wire_copy_in_newsml_keeps_its_paragraphs_and_loses_its_markup():
    body = only(newsml_item(WIRE), "ansa.xml").body
    assert body.split("\n\n") == [
        "(ANSA) - Rome, October 11 - Italian Foreign Minister Angelino Alfano has said that the "
        "Catalan independence declaration is unacceptable.",
        '"Unacceptable Catalan unilateral independence declaration," Alfano said via his '
        "Twitter account.",
        "Catalan leader Carles Puigdemont signed a declaration of independence on Tuesday, but "
        "halted implementation to allow for negotiations.",
    ]


def test_inline_data_typed_html_is_read_as_html():
    body = only(newsml_item("<p>First &amp; only.</p><p>Second one.</p>", "text/html"),
                "item.xml").body
    assert body == "First & only.\n\nSecond one."


@pytest.mark.parametrize(("text", "paragraphs"), [
    # One paragraph per line stays so, a headline line included.
    ("Storm closes port\nThe port closed on Monday.\nShips wait offshore.",
     ["Storm closes port", "The port closed on Monday.", "Ships wait offshore."]),
    # Hard-wrapped lines are one paragraph again; a short last line ends it.
    ("The council approved the harbour plan on Monday after a long\n"
     "debate that ran well into the night, officials said in a\nstatement.\n"
     "Work starts in May.",
     ["The council approved the harbour plan on Monday after a long debate that ran well into "
      "the night, officials said in a statement.", "Work starts in May."]),
    # Blank lines separate paragraphs; a list keeps one item per line.
    ("Three changes:\n- fares rise\n- lines merge\n\nMore next week.",
     ["Three changes:\n- fares rise\n- lines merge", "More next week."]),
])
def test_plain_text_layouts(text: str, paragraphs: list[str]):
    assert plain_paragraphs(text).split("\n\n") == paragraphs


def test_a_text_file_of_wire_copy_keeps_its_paragraphs():
    text = "Alfano rejects declaration\n" + WIRE.replace("<p>", "").replace("</p>", "")
    article = only(text.encode(), "wire.txt")
    assert article.title == "Alfano rejects declaration"
    assert len(article.body.split("\n\n")) == 3


@pytest.mark.parametrize(("name", "reason"), [
    ("ap-image-2.0.json", "ninjs picture item, not a text story"),
    ("newsml-photo.xml", "NewsML-G2 picture item, not a text story"),
    ("newsml-package.xml", "NewsML-G2 packageItem is a package"),
])
def test_media_items_and_packages_sent_alone_are_refused_with_the_reason(name: str,
                                                                         reason: str):
    with pytest.raises(RejectedFile, match=reason):
        read_bytes((AGENCY / name).read_bytes(), name)


def test_a_picture_item_with_a_body_of_its_own_is_still_a_story():
    item = {"uri": "urn:example:1", "type": "picture", "headlines": [{"value": "Flood"}],
            "bodies": [{"contentType": "text/plain", "value": "The river rose overnight."}]}
    assert only(json.dumps(item).encode(), "flood.json").body == "The river rose overnight."


def test_a_credit_line_is_not_the_body_of_a_text_item():
    item = {"uri": "urn:example:2", "type": "text", "headline": "Vote delayed",
            "descriptions": [{"role": "creditline", "value": "ASSOCIATED PRESS"},
                             {"role": "summary", "value": "The vote was put off a week."}]}
    assert only(json.dumps(item).encode(), "vote.json").body == "The vote was put off a week."


def test_tt_html_body_does_not_repeat_the_headline():
    article = only((AGENCY / "tt-text-image-2.1.json").read_bytes(), "tt.json")
    assert article.title == "Militärövning i jätteformat hålls 2023"
    assert not article.body.startswith(article.title)
    assert "Pandemin satte stopp" in article.body
    assert article.url == "http://tt.se/media/text/210526-militarovning-a0f2d045"


def test_an_api_uri_with_access_tokens_is_never_the_link():
    item = {"uri": "http://api.ap.org/media/v/content/b2b6?qt=H1Kdh42orF&et=0a1aza3c0",
            "type": "text", "headline": "Markets rally", "body_text": "Stocks rose."}
    assert only(json.dumps(item).encode(), "ap.json").url is None


def test_nitf_byline_is_the_name_and_its_issue_date_the_publication():
    nitf = """<?xml version="1.0" encoding="utf-8"?>
<nitf><head><title>Trading pollution</title><docdata>
<date.issue norm="20151210T191044Z"/></docdata></head>
<body><body.head><hedline><hl1>Can trading pollution help?</hl1></hedline>
<byline>By BERNARD CONDON<byttl>AP Business Writer</byttl></byline></body.head>
<body.content><p>NEW YORK (AP) - The gas produced by hog manure harms the air.</p>
</body.content></body></nitf>"""
    article = only(nitf.encode(), "ap.xml")
    assert article.author == "BERNARD CONDON"
    assert article.published == datetime(2015, 12, 10, 19, 10, 44, tzinfo=UTC)


def test_prezly_document_title_block_and_image_caption_are_not_body_text():
    document = {"type": "document", "children": [
        {"type": "image-block", "file": {"uuid": "a"}, "layout": "contained",
         "children": [{"text": "Test caption"}]},
        {"type": "heading-one", "role": "title", "children": [{"text": "Port reopens"}]},
        {"type": "heading-two", "role": "subtitle", "children": [{"text": "Ships sail again"}]},
        {"type": "paragraph", "children": [{"text": "The port reopened on Monday."}]},
    ]}  # fmt: skip
    story = {"uuid": "5f0c", "title": "Port reopens", "content": json.dumps(document),
             "format_version": 5}
    body = only(json.dumps(story).encode(), "story.json").body
    assert body == "Ships sail again\n\nThe port reopened on Monday."


def test_a_service_language_on_a_story_in_another_language_gives_way_to_the_text():
    from bot.ingest import prepare

    # ANSA's English service declares xml:lang="it-IT" on its English wire copy.
    item = newsml_item(WIRE).replace(b'xml:lang="en"', b'xml:lang="it-IT"')
    article = only(item, "ansa.xml")
    assert article.language == "it-IT"
    assert prepare(article, 2)[0].language == "en"


def test_a_declared_language_the_text_agrees_with_is_kept():
    from bot.ingest import prepare

    article = only(newsml_item(WIRE).replace(b'xml:lang="en"', b'xml:lang="en-GB"'),
                   "ansa.xml")
    assert prepare(article, 2)[0].language == "en"


@pytest.mark.parametrize("key", ["item", "items", "data", "results"])
def test_an_api_response_saved_to_a_file_is_read_as_the_items_it_holds(key: str):
    items = [{"uri": f"urn:example:{n}", "type": "text", "headline": f"Advisory {n}",
              "body_text": f"Roads close at {n} pm."} for n in (1, 2)]
    response = {"total": 2, "limit": 20, "offset": 0, key: items}
    articles = read_bytes(json.dumps(response).encode(), "response.json")
    assert [a.title for a in articles] == ["Advisory 1", "Advisory 2"]


def test_an_empty_api_response_says_it_holds_no_articles():
    with pytest.raises(RejectedFile, match="empty: no articles"):
        read_bytes(b'{"total": 0, "items": []}', "response.json")


def test_truncated_json_is_named_with_where_it_breaks():
    with pytest.raises(RejectedFile) as refusal:
        read_bytes(b'{"title": "x', "cut.json")
    assert str(refusal.value) == "invalid JSON: Unterminated string starting at line 1 column 11"


@pytest.mark.parametrize(("docdata", "pubstatus", "embargoed"), [
    # PA's embargoed copy: held until its release time.
    ('<docdata management-status="embargoed"><date.issue norm="20261203T132446+0100"/>'
     '<date.release norm="20261204T000100+0100"/></docdata>',
     PubStatus.USABLE, datetime(2026, 12, 3, 23, 1, tzinfo=UTC)),
    # Embargoed with no release time: withheld, never shown early.
    ('<docdata management-status="embargoed"/>', PubStatus.WITHHELD, None),
    ('<docdata management-status="canceled"/>', PubStatus.CANCELED, None),
    ('<docdata management-status="usable"/>', PubStatus.USABLE, None),
])
def test_a_bare_nitf_documents_management_status_and_release(docdata: str,
                                                              pubstatus: PubStatus,
                                                              embargoed: datetime | None):
    nitf = f"""<nitf><head><title>UK break-up warning</title>{docdata}</head>
<body><body.content><p>The UK risks breaking up, the first minister warned.</p></body.content>
</body></nitf>"""
    article = only(nitf.encode(), "pa.xml")
    assert (article.pubstatus, article.embargoed) == (pubstatus, embargoed)
