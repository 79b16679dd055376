"""Every sample file under shared/articles reads into the expected Article(s)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storage.readers import read_bytes, read_file
from tests.helpers import ARTICLES


def utc(*parts: int) -> datetime:
    """Build a UTC datetime."""
    return datetime(*parts, tzinfo=UTC)


# file, format, count, title, key sentence, published, language, url, author
SAMPLES = [
    (
        "prezly/belga-critical-cloud.json", "prezly", 1,
        "Belgian IT firms team up to offer sovereign cloud storage for critical sectors",
        "the two companies announced in a press release on Tuesday.",
        utc(2026, 5, 26, 19, 48), "en_BE",
        "https://www.belganewsagency.eu/belgian-it-firms-team-up-to-offer-sovereign-cloud-storage-for-critical-sectors",
        "Flanders News Service",
    ),
    (
        "ninjs/dpa-text-2.1.json", "ninjs", 1,
        "Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?",
        "Für Lucien Favre war es «der größte Skandal im Fußball seit Jahren».",
        utc(2019, 5, 10, 14, 2, 28), "de", None, "Christian Hollmann, dpa",
    ),
    (
        "ninjs/simple-text-3.1.json", "ninjs", 1,
        "Captain of wrecked cruise ship on trial in Italy",
        "Schettino has denied wrongdoing.",
        utc(2013, 7, 9, 10, 37), None,
        "http://ninjs.example.com/newsitems/20130709simp123",
        "Paulo Santalucia and Frances d'Emilio",
    ),
    (
        "ninjs/businesswire-1.4.json", "ninjs", 1,
        "Dell Redefines Workstation Computing Boundaries with Smallest Tower and Most Powerful "
        "Rack Workstations",
        "the Dell Precision T1700 small form-factor",
        utc(2013, 5, 16, 4, 1), "en",
        "http://www.businesswire.com/news/home/20130515006361/en", None,
    ),
    (
        "newsml-g2/news-item.xml", "newsml", 1,
        'Fed to halt QE to avert "bubble"', "",
        utc(2016, 10, 18, 18, 12, 21), "en-GB", None, "Meredith Jameson",
    ),
    (
        "newsml-g2/nitf-inline.xml", "newsml", 1,
        "Arizona Diamondbacks (29-23) at Philadelphia Phillies (26-24), 7:05p.m.",
        "looks set to be a clash of the Titans.",
        None, None, None, "Sports Network",
    ),
    (
        "feeds/npr-technology.json", "jsonfeed", 25,
        "Keller Rinaudo: How can delivery drones save lives?",
        "Keller Rinaudo founded Zipline, a delivery company",
        utc(2021, 10, 29, 14, 26),
        None,
        "https://www.npr.org/2021/10/29/1050315385/keller-rinaudo-how-can-delivery-drones-save-lives"
        "?utm_medium=JSONFeed&utm_campaign=technology",
        "Manoush Zomorodi",
    ),
    (
        "feeds/example.rss", "rss", 1, "Example entry",
        "Here is some text containing an interesting description.",
        utc(2009, 9, 6, 16, 20), None, "http://www.example.com/blog/post/1", None,
    ),
    (
        "feeds/example.atom", "atom", 2, "Atom-Powered Robots Run Amok", "Some text.",
        utc(2003, 12, 13, 18, 30, 2), None, "http://example.org/2003/12/13/atom03", "John Doe",
    ),
    (
        "html/dw.com-colonial.html", "html", 1,
        "Berlin confronts Germany's colonial past with new initiative",
        "Berlin's relationship with its colonial history is being reconsidered",
        utc(2020, 1, 19), "en",
        "https://www.dw.com/en/berlin-confronts-germanys-colonial-past-with-new-initiative/a-52060881",
        "Deutsche Welle (www.dw.com)",
    ),
    (
        "html/heise.de-lithium.html", "html", 1, "Lithium aus dem Schredder",
        "Die Ökobilanz von Elektroautos wird vor allem durch die Produktion der Batterien",
        utc(2019, 6, 20, 7, 30), "de",
        "https://www.heise.de/newsticker/meldung/Lithium-aus-dem-Schredder-4451133.html",
        "Denis Dilba",
    ),
    (
        "html/laviedesidees.fr-evaluation.html", "html", 1,
        "L’évaluation et les listes de revues",
        "Depuis longtemps, les économistes et les gestionnaires",
        utc(2009, 9, 15), "fr", "http://www.laviedesidees.fr/L-evaluation-et-les-listes-de.html",
        "Florence Audier",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "fmt", "count", "title", "sentence", "published", "language", "url", "author"),
    SAMPLES,
    ids=[sample[0] for sample in SAMPLES],
)
def test_sample_reads(name, fmt, count, title, sentence, published, language, url, author):
    articles = read_file(ARTICLES / name)
    assert len(articles) == count
    first = articles[0]
    assert first.format == fmt
    assert first.title == title
    assert sentence in first.body
    assert first.published == published
    assert first.language == language
    assert first.url == url
    assert first.author == author
    for article in articles:
        assert article.title
        assert article.published is None or article.published.tzinfo is not None
        assert "\n\n\n" not in article.body
        assert "<" not in article.body or fmt == "html"


def test_every_sample_is_covered():
    files = {
        str(path.relative_to(ARTICLES))
        for path in ARTICLES.rglob("*")
        if path.is_file() and path.suffix != ".md"
    }
    assert files == {sample[0] for sample in SAMPLES}


@pytest.mark.parametrize(
    ("name", "min_chars", "min_paragraphs"),
    [
        ("prezly/belga-critical-cloud.json", 1500, 7),
        ("ninjs/dpa-text-2.1.json", 2000, 8),
        ("ninjs/simple-text-3.1.json", 800, 4),
        ("html/dw.com-colonial.html", 4000, 15),
        ("html/heise.de-lithium.html", 1500, 6),
        ("html/laviedesidees.fr-evaluation.html", 20000, 30),
    ],
)
def test_sample_bodies_are_substantial_paragraphs(name, min_chars, min_paragraphs):
    body = read_file(ARTICLES / name)[0].body
    assert len(body) >= min_chars
    assert len(body.split("\n\n")) >= min_paragraphs


@pytest.mark.parametrize(
    ("name", "article_id", "updated"),
    [
        (
            "prezly/belga-critical-cloud.json",
            "https://www.belganewsagency.eu/belgian-it-firms-team-up-to-offer-sovereign-cloud-"
            "storage-for-critical-sectors",
            utc(2026, 5, 26, 19, 48, 7),
        ),
        ("ninjs/dpa-text-2.1.json", "urn:newsml:dpa.com:20090101:190510-99-167362", None),
        (
            "newsml-g2/news-item.xml",
            "urn:newsml:acmenews.com:20161018:US-FINANCE-FED",
            utc(2018, 10, 21, 21, 25, 32),
        ),
        ("feeds/example.rss", "7bd204c6-1655-4c27-aeee-53f933c5395f", None),
        ("feeds/npr-technology.json", "1050315385", utc(2021, 10, 29, 15, 59)),
    ],
)
def test_sample_ids_and_updates(name, article_id, updated):
    article = read_file(ARTICLES / name)[0]
    assert article.id == article_id
    if updated is not None:
        assert article.updated == updated


@pytest.mark.parametrize(
    ("name", "tags"),
    [
        ("ninjs/businesswire-1.4.json", ["United States", "Technology", "Data Management"]),
        ("newsml-g2/news-item.xml", ["economy, business and finance", "labour market"]),
        ("html/heise.de-lithium.html", ["Akkus", "Batterien", "Lithium"]),
        ("html/dw.com-colonial.html", ["Berlin", "colonialism"]),
    ],
)
def test_sample_tags(name, tags):
    found = read_file(ARTICLES / name)[0].tags
    assert set(tags) <= set(found)


def test_belga_body_has_no_furniture():
    body = read_file(ARTICLES / "prezly/belga-critical-cloud.json")[0].body
    assert "Related news" not in body
    assert "#FlandersNewsService" not in body
    assert "PHOTO ©" not in body
    assert "Microsoft's three Belgian data centres" not in body
    assert "\xa0" not in body


def test_belga_heading_is_its_own_paragraph():
    paragraphs = read_file(ARTICLES / "prezly/belga-critical-cloud.json")[0].body.split("\n\n")
    assert "Surge in demand" in paragraphs
    assert len(paragraphs) == 8
    assert not any(p.startswith("Surge in demand") and p != "Surge in demand" for p in paragraphs)


def test_html_furniture_and_credits_are_dropped():
    body = read_file(ARTICLES / "html/laviedesidees.fr-evaluation.html")[0].body
    assert "svenwerk" not in body
    npr = read_file(ARTICLES / "feeds/npr-technology.json")
    assert all("npr-rss-pixel" not in article.body for article in npr)


@pytest.mark.parametrize(
    ("name", "saved_as", "fmt"),
    [
        ("prezly/belga-critical-cloud.json", "story.txt", "prezly"),
        ("prezly/belga-critical-cloud.json", "story", "prezly"),
        ("ninjs/dpa-text-2.1.json", "item.txt", "ninjs"),
        ("ninjs/simple-text-3.1.json", "", "ninjs"),
        ("feeds/example.rss", "feed.xml", "rss"),
        ("feeds/example.atom", "feed.txt", "atom"),
        ("feeds/npr-technology.json", "feed", "jsonfeed"),
        ("newsml-g2/news-item.xml", "item.dat", "newsml"),
        ("html/heise.de-lithium.html", "page", "html"),
    ],
)
def test_detection_by_content_not_extension(name, saved_as, fmt):
    data = (ARTICLES / name).read_bytes()
    assert read_bytes(data, saved_as)[0].format == fmt
