"""Agency deliveries as other newsroom systems write them (dpa's NewsML-G2, NTB's and EFE's
NITF, AP's API items, dpa's wire text): the story and its fields, not the metadata printed
around it. The fixtures in tests/data/agency/ are written here in those shapes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.ingest import ingest
from storage.readers import read_bytes
from storage.records import PubStatus, RejectedFile
from tests.helpers import one_article, write

AGENCY = Path(__file__).parent / "data" / "agency"


def agency(name: str, **replace: str):
    """The one article of an agency fixture, with text replaced first (old=new)."""
    text = (AGENCY / name).read_text(encoding="utf-8")
    for old, new in replace.items():
        text = text.replace(old, new)
    return one_article(text.encode(), name)


def test_g2_xhtml_header_of_metadata_is_not_the_story():
    article = agency("g2-xhtml-header.xml")
    assert article.title == "Council backs the harbour plan after a long night"
    assert article.body.split("\n\n") == [
        "ANTWERP, Belgium (AP) — The city council approved the harbour plan at two in the "
        "morning.",
        "Work on the new quay starts at 7 o'clock on Monday, the port said.",
    ]


def test_g2_creator_written_as_a_byline_is_the_name():
    assert agency("g2-xhtml-header.xml").author == "ANNA DE WIT and JAN PEETERS"


@pytest.mark.parametrize(("dateline", "opening"), [
    ('<span class="dateline">London <span class="credit">(dpa)</span> - </span>',
     "London (dpa) - The city council"),
    ('<span class="dateline">ANTWERP (AP) —</span> ', "ANTWERP (AP) — The city council"),
])
def test_a_dateline_with_its_own_separator_is_left_as_it_is(dateline: str, opening: str):
    old = '<span class="dateline">ANTWERP, Belgium <span class="credit">(AP)</span></span>'
    assert agency("g2-xhtml-header.xml", **{old: dateline}).body.startswith(opening)


def test_nitf_language_id_and_release_come_from_its_head():
    article = agency("nitf-update-key.xml")
    assert article.language == "nb-NO"
    assert article.id == "nitf:NTB:ferje-5a1c"
    assert article.embargoed == datetime(2025, 3, 4, 11, 0, tzinfo=UTC)
    assert article.pubstatus is PubStatus.USABLE


def test_nitf_embed_code_and_its_label_are_not_body_text():
    assert agency("nitf-update-key.xml").body.split("\n\n") == [
        "Ferja mellom Bodø og Moskenes er innstilt resten av dagen.",
        "Stormen ventes å løye i kveld, opplyser rederiet.",
    ]


def test_nitf_without_an_update_key_is_known_by_its_doc_id():
    article = agency("nitf-update-key.xml", **{'<du-key key="ferje-5a1c" version="8"/>': ""})
    assert article.id == "nitf:NTB:ferje-5a1c_7"


@pytest.mark.parametrize("status", ["canceled", "withheld"])
def test_nitf_management_status_withdraws_the_story(status: str):
    article = agency("nitf-update-key.xml", **{'"usable"': f'"{status}"'})
    assert article.pubstatus is PubStatus(status)


def test_the_next_nitf_version_in_another_file_updates_the_story(conn, tmp_path):
    drop = tmp_path / "drop"
    first = (AGENCY / "nitf-update-key.xml").read_text(encoding="utf-8")
    write(drop, "ferje-7.xml", first, seconds_ago=60)
    assert ingest(conn, [drop]).new == 1
    second = first.replace("ferje-5a1c_7", "ferje-5a1c_8").replace("i kveld", "i natt")
    write(drop, "ferje-8.xml", second, seconds_ago=30)
    report = ingest(conn, [drop])
    assert (report.new, report.updated) == (0, 1)
    [body] = [row[0] for row in conn.execute("SELECT body FROM articles")]
    assert "i natt" in body


def test_a_picture_item_whose_body_is_its_headline_is_refused_as_a_picture():
    with pytest.raises(RejectedFile, match="ninjs picture item, not a text story"):
        read_bytes((AGENCY / "ninjs-picture-caption-body.json").read_bytes(), "photo.json")


def test_an_api_item_that_only_links_its_text_is_refused_saying_so():
    # AP's media API answer: the item sits under data.item, its text is a download.
    with pytest.raises(RejectedFile, match=r"no story text, only links to download it "
                                           r"\(nitf, anpa rendition\)"):
        read_bytes((AGENCY / "ap-api-item.json").read_bytes(), "ap.json")


def test_an_api_item_under_data_item_with_a_body_is_read():
    response = json.loads((AGENCY / "ap-api-item.json").read_text(encoding="utf-8"))
    response["data"]["item"]["body_nitf"] = ("<nitf><body><body.content><p>Antwerp leads."
                                             "</p></body.content></body></nitf>")
    assert one_article(json.dumps(response).encode(), "ap.json").body == "Antwerp leads."


@pytest.mark.parametrize(("name", "author", "published", "story_id"), [
    ("anpa-take.tst", "JAN PEETERS", datetime(2025, 3, 4, 22, 15, tzinfo=UTC),
     "anpa:BC-SOC--Harbour-Derby:2025-03-04"),
    ("dpa-7901.txt", "Jan Peeters", datetime(2025, 3, 4, 22, 15, tzinfo=UTC),
     "dpa:Football/Belgium/:2025-03-04"),
])
def test_wire_copy_is_its_story_with_headline_byline_and_time_sent(
        name: str, author: str, published: datetime, story_id: str):
    article = one_article((AGENCY / name).read_bytes(), name)
    assert article.format == "wire"
    assert article.title == "Antwerp win harbour derby in the last minute"
    assert article.author == author
    assert article.published == published
    assert article.id == story_id
    assert article.body.split("\n\n")[-1] == "The teams meet again in May."


def test_anpa_control_bytes_and_typewriter_marks_are_not_in_the_text():
    body = one_article((AGENCY / "anpa-take.tst").read_bytes(), "take.tst").body
    assert body.split("\n\n") == [
        "ANTWERP, Belgium (AP) — Antwerp beat Ghent 2-1 on Tuesday with a goal in the last "
        "minute of the harbour derby.",
        "“We never stopped believing,” coach Mia Claes said.",
        "The teams meet again in May.",
    ]
    assert not any(ord(char) < 32 and char != "\n" for char in body)


def test_dpa_notes_to_editors_and_sign_off_are_not_the_story():
    body = one_article((AGENCY / "dpa-7901.txt").read_bytes(), "dpa.txt").body
    assert "Notebook" not in body and "not intended for publication" not in body
    assert "dpa jp mc" not in body and "GMT" not in body


@pytest.mark.parametrize(("name", "old", "new"), [
    ("anpa-take.tst", "1stLd-Writethru", "2ndLd-Writethru"),
    ("dpa-7901.txt", "1ST LEAD", "2ND LEAD"),
])
def test_the_next_take_of_wire_copy_updates_its_story(conn, tmp_path, name, old, new):
    drop = tmp_path / "drop"
    first = (AGENCY / name).read_text(encoding="utf-8")
    write(drop, "take-1" + Path(name).suffix, first, seconds_ago=60)
    assert ingest(conn, [drop]).new == 1
    second = first.replace(old, new).replace("again in May", "again in June")
    write(drop, "take-2" + Path(name).suffix, second, seconds_ago=30)
    report = ingest(conn, [drop])
    assert (report.new, report.updated) == (0, 1)
    [body] = [row[0] for row in conn.execute("SELECT body FROM articles")]
    assert body.endswith("again in June.")


FORMATS = Path(__file__).parent / "data" / "formats"


def wordpress(**replace: str):
    """The articles of the WordPress export fixture, with text replaced first (old=new)."""
    text = (FORMATS / "wordpress-export.xml").read_text(encoding="utf-8")
    for old, new in replace.items():
        text = text.replace(old, new)
    return read_bytes(text.encode(), "export.xml")


def test_a_wordpress_export_gives_its_posts_not_its_attachments_or_pages():
    assert [article.title for article in wordpress()] == [
        "Harbour plan approved", "Ferry timetable (draft)", "Quay opening day"]


def test_a_wordpress_post_keeps_the_paragraphs_and_breaks_its_author_typed():
    assert wordpress()[0].body == ("The council approved the harbour plan on Monday night.\n\n"
                                   "Work on the new quay starts in May.\n"
                                   "The port expects the first ships in 2027.")


def test_a_wordpress_draft_is_withheld_and_a_scheduled_post_embargoed_until_its_date():
    _, draft, scheduled = wordpress()
    assert draft.pubstatus is PubStatus.WITHHELD
    assert scheduled.pubstatus is PubStatus.USABLE
    assert scheduled.embargoed == datetime(2099, 5, 3, 8, 0, tzinfo=UTC)


def test_a_wordpress_export_of_attachments_only_is_refused_saying_so():
    only_media = (FORMATS / "wordpress-export.xml").read_text(encoding="utf-8")
    for kind in ("post", "page"):
        only_media = only_media.replace(f"<![CDATA[{kind}]]></wp:post_type>",
                                        "<![CDATA[attachment]]></wp:post_type>")
    with pytest.raises(RejectedFile, match="WordPress export holds no posts"):
        read_bytes(only_media.encode(), "media.xml")


@pytest.mark.parametrize("marker", ["UPDATE 2-", "REFILE-", "CORRECTED-", "RPT-"])
def test_a_wire_version_marker_is_not_part_of_the_headline(marker: str):
    headline = "<headline>Council backs"
    article = agency("g2-xhtml-header.xml", **{headline: f"<headline>{marker}Council backs"})
    assert article.title == "Council backs the harbour plan after a long night"


def test_a_genre_label_stays_in_the_headline():
    article = agency("g2-xhtml-header.xml", **{"<headline>Council": "<headline>EXCLUSIVE-Council"})
    assert article.title.startswith("EXCLUSIVE-Council backs")


def test_a_teleprinter_message_loses_its_framing_and_keeps_its_lines():
    article = one_article((AGENCY / "teleprinter-release.tst").read_bytes(), "release.tst")
    assert article.title == "Media release: New quay opens to ships in May"
    assert article.body.split("\n\n") == [
        "Tue 4 March 2025",
        "The Harbour Authority today opened bookings for the new quay.",
        "Berths available from May:\n* Quay 1: 240 m\n* Quay 2: 310 m",
        "SOURCE: Harbour Authority",
    ]


def test_an_anpa_list_sent_as_head_lines_is_its_text():
    listing = ("\x01V4644-----\nr e AP-Top-Sports-Hea     03-04 0120\n"
               "\x02^*9006< ^AP-Top-Sports-Headlines,0120<\n^AP Top Sports News at 10 p.m.<\n"
               "^Antwerp top the table\n^Ghent sack coach\n\n\t   AP-WF-03-04-25 2215GMT<\n\x03")
    article = one_article(listing.encode(), "top.tst")
    assert article.title == "AP Top Sports News at 10 p.m."
    assert article.id == "anpa:AP-Top-Sports-Headlines:2025-03-04"
    assert article.body == "Antwerp top the table\nGhent sack coach"


def test_plain_text_that_only_looks_like_a_wire_header_is_still_refused_by_name():
    with pytest.raises(RejectedFile, match="holds plain text, not a news format"):
        read_bytes(b"ZCZC is what the old telex said first.\nNo end marker here.\n", "x.tst")


def test_tt_body_markup_is_read_as_the_story_it_prints():
    article = agency("g2-ttnitf.xml")
    assert article.author == "Anna Svensson/TT"
    assert article.body.split("\n\n") == [
        "Kommunen godkände planen på måndagen.",
        "– Det är en bra dag för staden, säger hamnchefen.",
        "Klart 2027",
        "Bygget börjar i maj.",
        "Fakta: Kajen",
        "310 meter lång.",
    ]


def test_plain_wire_copy_in_one_xhtml_paragraph_keeps_its_paragraphs():
    article = agency("g2-plain-copy-in-p.xml")
    assert article.title == "Port traffic rises as new quay opens"
    assert article.body.split("\n\n") == [
        "(Adds detail)\n* Ship calls up 4 percent\n* Quay 2 opens in May",
        "March 4 (Example) - Traffic through the port rose in February as the first ships "
        "used the new quay, the authority said on Tuesday.",
        "Container volumes were up 6 percent on the year, while bulk cargo fell slightly.",
        "(Reporting by Jan Peeters)",
    ]


def test_an_xhtml_paragraph_the_file_indents_line_by_line_stays_one_paragraph():
    # Pretty-printed XML indents every line of a wrapped <p>: that is HTML layout, a space.
    item = b"""<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:example:fed">
      <contentMeta><headline>Fed holds rates</headline></contentMeta>
      <contentSet><inlineXML contenttype="application/xhtml+xml">
        <html xmlns="http://www.w3.org/1999/xhtml"><body>
            <p>The Federal Reserve expects the labour market to stay strong, its chair
            told reporters on Friday. Rates will stay where they are
            for now.</p>
        </body></html>
      </inlineXML></contentSet></newsItem>"""
    assert one_article(item, "fed.xml").body == (
        "The Federal Reserve expects the labour market to stay strong, its chair told "
        "reporters on Friday. Rates will stay where they are for now.")


def test_a_list_of_a_story_and_its_photo_gives_the_story():
    photo = json.loads((AGENCY / "ninjs-picture-caption-body.json").read_text(encoding="utf-8"))
    story = {"uri": "urn:example:harbour", "type": "text", "headline": "Harbour plan approved",
             "body_text": "The council approved the harbour plan."}
    articles = read_bytes(json.dumps([photo, story]).encode(), "list.json")
    assert [article.title for article in articles] == ["Harbour plan approved"]


def test_an_api_feed_of_wrapped_items_is_read_item_by_item():
    # AP's feed: {"data": {"items": [{"meta": {}, "item": {...}}]}}
    response = json.loads((AGENCY / "ap-api-item.json").read_text(encoding="utf-8"))
    item = response["data"]["item"]
    item["body_text"] = "Antwerp lead the table."
    feed = {"api_version": "1.1", "data": {"items": [{"meta": {}, "item": item}]}}
    assert one_article(json.dumps(feed).encode(), "feed.json").body == "Antwerp lead the table."


def test_a_list_with_no_story_says_why_each_item_was_refused():
    photo = json.loads((AGENCY / "ninjs-picture-caption-body.json").read_text(encoding="utf-8"))
    api = json.loads((AGENCY / "ap-api-item.json").read_text(encoding="utf-8"))["data"]["item"]
    with pytest.raises(RejectedFile, match=r"no item of the JSON list is a story \(") as error:
        read_bytes(json.dumps([photo, api]).encode(), "list.json")
    assert "picture item" in str(error.value) and "links to download" in str(error.value)


def ritzau() -> list:
    """The three stories of the Ritzau feed fixture."""
    return read_bytes((AGENCY / "ritzau-feed.xml").read_bytes(), "ritzau.xml")


def test_ritzau_press_release_is_headed_by_what_it_says_not_its_issuer():
    release = ritzau()[0]
    assert release.title == "Harbour Lines opens a ferry route to Aarhus"
    assert release.body == ("COPENHAGEN, March 4, 2025 -- Harbour Lines' new route starts in May."
                            "\n\n\"We are proud,\" the chief executive said.")
    assert release.id == "0f1e2d3c-0000-4000-8000-000000000001"
    assert release.format == "ritzau"


def test_ritzau_flash_without_headline_and_cancelled_story():
    _, flash, cancelled = ritzau()
    assert flash.title == "Færgen til Aarhus er aflyst i dag."
    assert flash.author == "Peder Poulsen"
    assert flash.tags == ["Udland"]
    assert flash.published == datetime(2025, 3, 4, 17, 32, 18, 397000, tzinfo=UTC)
    assert cancelled.pubstatus is PubStatus.CANCELED


def test_a_lone_ritzau_story_is_read_too():
    feed = (AGENCY / "ritzau-feed.xml").read_text(encoding="utf-8")
    story = feed[feed.rindex("<RBNews>"):feed.rindex("</RBNews>") + len("</RBNews>")]
    assert one_article(story.encode(), "story.xml").title == "Kort om sport"


def test_g2_by_is_the_author_when_there_is_no_creator():
    article = agency("g2-xhtml-header.xml", **{
        "<creator><name>By ANNA DE WIT and JAN PEETERS</name></creator>":
            "<by>ANNA DE WIT, JAN PEETERS </by>"})
    assert article.author == "ANNA DE WIT, JAN PEETERS"


def test_an_ap_slug_as_nitf_headline_gives_its_keyword_and_leaves_the_body():
    nitf = """<nitf><head><docdata><date.issue norm="20250304T040512Z"/></docdata></head>
<body><body.head><hedline><hl1>BC-SOC--Harbour Standings</hl1></hedline></body.head>
<body.content><block><hl2>BC-SOC--Harbour Standings</hl2></block>
<table><tr><th>HARBOUR LEAGUE</th></tr><tr><td>Antwerp</td><td>31</td></tr></table>
</body.content></body></nitf>"""
    article = one_article(nitf.encode(), "ap.xml")
    assert article.title == "Harbour Standings"
    assert article.body.split("\n\n") == ["HARBOUR LEAGUE", "Antwerp 31"]
