"""IPTC NewsML 1.x as agencies deliver it: several NewsItems, nested components, NITF inside
DataContent, photos beside the text, revisions, kill notices, ISO-8859-1 and DOCTYPEs. The
files in tests/data/agency/newsml1-*.xml are written for these tests in the shapes of AFP,
Belga, ANP and ATS files (their own copy is not redistributable)."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import pytest

from bot.ingest import ingest
from storage import articles as article_store
from storage.readers import read_bytes
from storage.readers.xml import drop_external_dtd
from storage.records import PubStatus, RejectedFile
from storage.status import Status
from tests.helpers import DATA, age, one_article, write

AGENCY = DATA / "agency"


def read(name: str):
    """The articles of one of the NewsML 1 fixtures."""
    return read_bytes((AGENCY / name).read_bytes(), name)


def item(*, status: str = "Usable", identifier: str = "", management: str = "",
         body: str = "<p>The port reopened on Monday after the storm.</p>",
         root: str = "NewsML") -> bytes:
    """A one-item NewsML 1 document with the given status, identifier and text."""
    identifier = identifier or """<ProviderId>example.org</ProviderId><DateId>20261203</DateId>
      <NewsItemId>item-1</NewsItemId><RevisionId>1</RevisionId>"""
    news_item = f"""<NewsItem><Identification><NewsIdentifier>{identifier}</NewsIdentifier>
    </Identification><NewsManagement><FirstCreated>20261203T101500Z</FirstCreated>
    <Status FormalName="{status}"/>{management}</NewsManagement>
    <NewsComponent><NewsLines><HeadLine>Port reopens</HeadLine></NewsLines>
    <ContentItem><MediaType FormalName="Text"/><DataContent>{body}</DataContent></ContentItem>
    </NewsComponent></NewsItem>"""
    document = news_item if root == "NewsItem" else f"<NewsML>{news_item}</NewsML>"
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{document}'.encode()


def test_each_news_item_of_a_document_is_an_article():
    french, dutch = read("newsml1-two-items.xml")
    assert french.format == dutch.format == "newsml1"
    assert french.title == "Gand inaugure ses nouvelles digues contre les crues"
    # The sub-headline is the standfirst; the NITF text nested below the headline follows,
    # without the space PA-style layout leaves before a stop; the photo's caption is no text.
    assert french.body.split("\n\n") == [
        "Les murs protègent vingt mille logements du port et du centre historique.",
        "La ville de Gand a inauguré lundi de nouvelles digues le long de l'Escaut.",
        "Les travaux ont duré trois ans et coûté 40 millions d'euros, selon la Ville.",
    ]
    assert french.author == "Claire Dubois"
    assert french.language == "fr"
    assert french.published == datetime(2026, 12, 3, 10, 15, tzinfo=UTC)
    assert french.id == "urn:newsml:example-agency.fr:20261203:TX-PAR-GND01"
    assert french.image_url == "https://example-agency.fr/photos/gnd01.jpg"
    assert french.urgency == 3 and french.tags == ["Belgique", "crues"]
    # Belga's shape: the Lead component opens the body, inline markup escaped as text goes.
    assert dutch.title == "Tramlijn naar de haven rijdt vanaf maandag"
    assert dutch.body.split("\n\n") == [
        "De nieuwe tramlijn tussen het station en de haven rijdt vanaf maandag elke tien "
        "minuten.",
        "De stad en De Lijn investeerden samen twaalf miljoen euro in de sporen.",
        "De eerste weken is de tram gratis voor wie in de haven werkt.",
    ]
    assert dutch.language == "nl"
    assert dutch.id == "urn:newsml:example-belga.be:20261203:1207"


def test_a_document_holding_only_a_photo_is_refused_saying_so():
    with pytest.raises(RejectedFile, match=r"^NewsML 1 document has no text story "
                                           r"\(skipped: ph-1 \(picture\)\)$"):
        read("newsml1-photo-only.xml")


def test_a_missing_headline_is_taken_from_the_first_sentence():
    article = one_article((AGENCY / "newsml1-no-headline.xml").read_bytes(), "no-hl.xml")
    assert article.title == "Brussels airport reopened its second runway on Thursday."
    assert article.body.split("\n\n")[1] == "The runway had been closed since October for repairs."


def test_iso_8859_1_and_a_doctype_naming_dtds_are_read_without_fetching(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the reader tried to fetch a DTD")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    (article,) = read("newsml1-latin1-doctype.xml")
    assert article.title == "Genève étend la zone piétonne de la Vieille-Ville"
    assert article.body.endswith("une décision «attendue depuis dix ans».")
    assert article.id == "urn:newsml:www.example-ats.ch:20261203:bsf201"


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE NewsML SYSTEM "NewsML_1.2.dtd">',
    '<!DOCTYPE NewsML PUBLIC "urn:newsml:iptc.org:20031010:NewsMLv1.2.dtd:1" "NewsML-1.2.dtd">',
    '<!DOCTYPE NewsML PUBLIC "a" "b.dtd" [\n\t<!ENTITY % nitf SYSTEM "nitf-3-0.dtd">\n\t%nitf;\n]>',
])
def test_a_doctype_that_only_names_dtds_is_dropped(doctype: str):
    text = f'<?xml version="1.0"?>\n{doctype}\n<NewsML/>'
    assert drop_external_dtd(text) == '<?xml version="1.0"?>\n\n<NewsML/>'


@pytest.mark.parametrize("subset", [
    '<!ENTITY agency "Example Press">',  # a general entity: expanded into the text
    '<!ENTITY % a "<!ENTITY b \'x\'>"> %a;',  # a parameter entity declaring one
])
def test_a_doctype_declaring_entities_is_still_refused(subset: str):
    data = item(body="&agency;").replace(
        b"<NewsML>", f"<!DOCTYPE NewsML [{subset}]>\n<NewsML>".encode(), 1)
    with pytest.raises(RejectedFile, match="entit"):
        read_bytes(data, "entities.xml")


@pytest.mark.parametrize(("status", "management", "pubstatus", "embargoed"), [
    ("Usable", "", PubStatus.USABLE, None),
    ("USABLE", "", PubStatus.USABLE, None),
    ("Canceled", "", PubStatus.CANCELED, None),
    ("Cancelled", "", PubStatus.CANCELED, None),
    ("kill", "", PubStatus.CANCELED, None),
    ("Withheld", "", PubStatus.WITHHELD, None),
    # An embargo with its release time holds the story until then…
    ("Embargoed", "<StatusWillChange><FutureStatus FormalName='Usable'/>"
                  "<DateAndTime>20261204T230100+0100</DateAndTime></StatusWillChange>",
     PubStatus.USABLE, datetime(2026, 12, 4, 22, 1, tzinfo=UTC)),
    # …and one without (PA says it in a comment only) is withheld, never shown early.
    ("Embargoed", "", PubStatus.WITHHELD, None),
    ("OPEN", "", PubStatus.USABLE, None),  # Belga's audio bulletins: no IPTC status
])
def test_status(status: str, management: str, pubstatus: PubStatus,
                embargoed: datetime | None):
    article = one_article(item(status=status, management=management), "status.xml")
    assert (article.pubstatus, article.embargoed) == (pubstatus, embargoed)


@pytest.mark.parametrize(("identifier", "expected"), [
    # The PublicIdentifier without its revision (and the A/U/N update mark).
    ("<PublicIdentifier>urn:newsml:afp.com:20240710:240710125902.qpsp2jzk:1</PublicIdentifier>",
     "urn:newsml:afp.com:20240710:240710125902.qpsp2jzk"),
    ("<PublicIdentifier>urn:newsml:sda-ats.ch:20190603:bsf153:1N</PublicIdentifier>",
     "urn:newsml:sda-ats.ch:20190603:bsf153"),
    # ANP numbers the revision into NewsItemId as well: the PublicIdentifier is the story's.
    ("<ProviderId>ANP</ProviderId><DateId>20181210</DateId>"
     "<NewsItemId>ANPX-101218-041-v2</NewsItemId><RevisionId>2</RevisionId>"
     "<PublicIdentifier>urn:newsml:anp.nl:20181210:ANPX-101218-041:2</PublicIdentifier>",
     "urn:newsml:anp.nl:20181210:ANPX-101218-041"),
    # Belga: a PublicIdentifier naming only the agency, and the revision's time in DateId.
    ("<ProviderId>belga.be</ProviderId><DateId>20190129T133400</DateId>"
     "<NewsItemId>98055798</NewsItemId><RevisionId>4</RevisionId>"
     "<PublicIdentifier>urn:newsml:www.belga.be</PublicIdentifier>",
     "urn:newsml:belga.be:20190129:98055798"),
    ("<ProviderId>abc.com</ProviderId><NewsItemId>ABC3058248</NewsItemId>"
     "<DateId>2024-04-17 13:00:00</DateId>", "urn:newsml:abc.com:20240417:ABC3058248"),
    # Placeholders are no id (every such item would be one story).
    ("<ProviderId>belga.be</ProviderId><DateId>20190603</DateId><NewsItemId>0</NewsItemId>",
     None),
    ("<ProviderId>www.itar-tass.com</ProviderId>", None),
])
def test_identity_across_revisions(identifier: str, expected: str | None):
    assert one_article(item(identifier=identifier), "id.xml").id == expected


@pytest.mark.parametrize(("body", "paragraphs"), [
    # HTML in CDATA (ANA), typed or not.
    ("<![CDATA[<P>First one.</P><P>Second one.</P>]]>", ["First one.", "Second one."]),
    # NITF body.content holding its HTML as text (ABC).
    ("<body><body.content><![CDATA[Body here<BR>more here]]></body.content></body>",
     ["Body here\nmore here"]),
    # An escaped NITF document.
    ("<![CDATA[<nitf><body><body.content><p>One.</p><p>Two.</p></body.content></body></nitf>]]>",
     ["One.", "Two."]),
    # Plain text: a paragraph per line.
    ("The port reopened on Monday.\nShips queued offshore.",
     ["The port reopened on Monday.", "Ships queued offshore."]),
])
def test_data_content_shapes(body: str, paragraphs: list[str]):
    assert one_article(item(body=body), "body.xml").body.split("\n\n") == paragraphs


def test_equivalent_forms_of_one_text_are_read_once_and_metadata_comes_from_around():
    document = b"""<NewsML><NewsItem><NewsManagement><Status FormalName="Usable"/>
    </NewsManagement><NewsComponent><DescriptiveMetadata><Language FormalName="nl"/>
    </DescriptiveMetadata><NewsLines><ByLine>Door Sanne de Vries</ByLine></NewsLines>
    <NewsComponent EquivalentsList="yes"><Role FormalName="Main"/>
    <NewsLines><HeadLine>Fietsbrug goedgekeurd</HeadLine></NewsLines>
    <ContentItem><MediaType FormalName="Text"/><MimeType FormalName="text/vnd.IPTC.NITF"/>
    <DataContent><nitf><body><body.content><p>De raad stemde in.</p></body.content></body>
    </nitf></DataContent></ContentItem>
    <ContentItem><MediaType FormalName="Text"/><MimeType FormalName="text/plain"/>
    <DataContent>De raad stemde in, zoals verwacht.</DataContent></ContentItem>
    </NewsComponent></NewsComponent></NewsItem></NewsML>"""
    article = one_article(document, "equivalents.xml")
    assert (article.title, article.body) == ("Fietsbrug goedgekeurd", "De raad stemde in.")
    assert (article.language, article.author) == ("nl", "Sanne de Vries")


def test_a_flash_of_a_headline_alone_is_a_story():
    flash = b"""<NewsML><NewsItem><NewsManagement><Urgency FormalName="1"/></NewsManagement>
    <NewsComponent><NewsLines><HeadLine>FLASH Port of Antwerp closed</HeadLine></NewsLines>
    </NewsComponent></NewsItem></NewsML>"""
    article = one_article(flash, "flash.xml")
    assert (article.title, article.body, article.urgency) == ("FLASH Port of Antwerp closed", "", 1)


def test_a_bare_news_item_is_read_and_a_g2_news_item_is_not_mistaken_for_it():
    assert one_article(item(root="NewsItem"), "bare.xml").format == "newsml1"
    g2 = b"""<newsItem guid="urn:example:1"><contentMeta><headline>Port reopens</headline>
    </contentMeta><contentSet><inlineXML><p>Ships sail.</p></inlineXML></contentSet></newsItem>"""
    assert one_article(g2, "g2.xml").format == "newsml"


@pytest.mark.parametrize(("document", "reason"), [
    (b"<NewsML><NewsEnvelope/></NewsML>", "NewsML 1 document contains no NewsItem"),
    (b"<NewsML><NewsItem><Identification><NewsIdentifier><ProviderId>x.org</ProviderId>"
     b"<DateId>20261203</DateId><NewsItemId>7</NewsItemId></NewsIdentifier></Identification>"
     b"<Update><InsertAfter DuidRef='c1'/></Update></NewsItem></NewsML>",
     "NewsML 1 document has no text story (skipped: urn:newsml:x.org:20261203:7 (an update "
     "listing changes to an earlier revision))"),
])
def test_documents_without_a_story_are_refused_with_the_reason(document: bytes, reason: str):
    with pytest.raises(RejectedFile) as refused:
        read_bytes(document, "empty.xml")
    assert str(refused.value) == reason


def test_a_later_revision_updates_the_story_and_a_kill_notice_withdraws_it(conn, tmp_path):
    drop = tmp_path / "drop"
    write(drop, "anp-017-1.xml", (AGENCY / "newsml1-revision-1.xml").read_bytes())
    first = ingest(conn, [drop])
    assert (first.new, first.updated, first.rejected) == (1, 0, [])
    [story] = article_store.latest(conn)
    assert story.title == "Utrecht krijgt fietsbrug over het Merwedekanaal"
    # The correction comes in a file of its own: the same row, its public number kept.
    write(drop, "anp-017-2.xml", (AGENCY / "newsml1-revision-2.xml").read_bytes())
    second = ingest(conn, [drop])
    assert (second.new, second.updated) == (0, 1)
    [corrected] = article_store.latest(conn)
    assert corrected.seq == story.seq and article_store.count(conn) == 1
    assert corrected.title == "Utrecht krijgt fietsbrug over het Merwedekanaal, kosten hoger"
    assert "twintig miljoen" in corrected.body
    assert corrected.updated == datetime(2026, 12, 3, 9, 45, tzinfo=UTC)
    # The kill notice hides it everywhere; the row keeps what readers saw.
    write(drop, "anp-017-3.xml", (AGENCY / "newsml1-canceled.xml").read_bytes())
    ingest(conn, [drop])
    assert article_store.latest(conn) == []
    kept = article_store.get_article(conn, story.seq, hidden=True)
    assert kept.status is Status.WITHDRAWN and kept.title == corrected.title


def test_a_document_of_two_items_ingests_two_stories_once(conn, tmp_path):
    drop = tmp_path / "drop"
    path = write(drop, "wire.xml", (AGENCY / "newsml1-two-items.xml").read_bytes())
    assert ingest(conn, [drop]).new == 2
    age(path, 10)  # touched, same bytes
    again = ingest(conn, [drop])
    assert (again.new, again.updated) == (0, 0)
    languages = {story.title: story.language for story in article_store.latest(conn)}
    assert languages == {"Gand inaugure ses nouvelles digues contre les crues": "fr",
                         "Tramlijn naar de haven rijdt vanaf maandag": "nl"}
