"""Feed entries as real sites write them (found on other feed readers' real-world fixtures):
stub contents, relative links, podcast enclosures, markup escaped twice, entities in bylines."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.helpers import one_article


def rss(item: str, channel: str = "") -> bytes:
    """An RSS 2.0 feed with one item."""
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Example</title>{channel}<item>{item}</item></channel></rss>").encode()


def only(data: bytes):
    """The one article a feed holds."""
    return one_article(data, "feed.xml")


def test_a_stub_content_beside_a_longer_description_is_not_the_body():
    lead = "Everyone wants good compression. But what exactly is good compression?"
    article = only(rss(
        f"<title>Pareto-optimal compression</title><description>{lead}</description>"
        "<content:encoded xmlns:content='http://purl.org/rss/1.0/modules/content/'>"
        "<![CDATA[<p>...</p>]]></content:encoded>"))
    assert article.body == lead


def test_a_full_content_still_wins_over_its_teaser():
    story = " ".join(["The council approved the harbour plan on Monday."] * 5)
    article = only(rss(
        "<title>Harbour plan</title><description>The council approved it.</description>"
        "<content:encoded xmlns:content='http://purl.org/rss/1.0/modules/content/'>"
        f"<![CDATA[<p>{story}</p>]]></content:encoded>"))
    assert article.body == story


def test_relative_entry_links_resolve_against_the_feeds_own_address():
    feed = b"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>tag:github.com,2008:https://github.com/gulpjs/gulp/releases</id>
  <link type="text/html" rel="alternate" href="https://github.com/gulpjs/gulp/releases"/>
  <link type="application/atom+xml" rel="self" href="https://github.com/gulpjs/gulp/releases.atom"/>
  <title>Release notes from gulp</title><updated>2015-06-01T19:49:52Z</updated>
  <entry><id>tag:github.com,2008:Repository/11167738/v3.9.0</id>
    <updated>2015-06-01T19:49:52Z</updated>
    <link rel="alternate" type="text/html" href="/gulpjs/gulp/releases/tag/v3.9.0"/>
    <title>v3.9.0</title><content type="html">&lt;p&gt;3.9.0&lt;/p&gt;</content>
  </entry></feed>"""
    assert only(feed).url == "https://github.com/gulpjs/gulp/releases/tag/v3.9.0"


def test_a_podcast_enclosure_is_not_the_episodes_link():
    article = only(rss(
        "<title>The Case of the Missing Hit</title><description>A woman sends a stranger to "
        "tell her ex she loves him.</description>"
        '<enclosure url="https://traffic.megaphone.fm/GLT4726279763.mp3" length="1" '
        'type="audio/mpeg"/>'))
    assert article.url is None


def test_markup_escaped_twice_is_text_not_tags():
    escaped_twice = ("&amp;lt;!-- SC_OFF --&amp;gt;&amp;lt;div class=&amp;quot;md&amp;quot;"
                     "&amp;gt;&amp;lt;p&amp;gt;Hey Reddit! Glad to be back.&amp;lt;/p&amp;gt;"
                     "&amp;lt;p&amp;gt;Ask me anything.&amp;lt;/p&amp;gt;&amp;lt;/div&amp;gt;")
    article = only(rss(f"<title>AMA</title><description>{escaped_twice}</description>"))
    assert article.body == "Hey Reddit! Glad to be back.\n\nAsk me anything."


def test_an_entity_in_a_feed_author_is_decoded():
    article = only(rss(
        "<title>Chemical regulation</title><description>This week we discuss TSCA."
        "</description>",
        channel="<itunes:author xmlns:itunes='http://www.itunes.com/dtds/podcast-1.0.dtd'>"
                "Bergeson &amp;amp; Campbell, PC</itunes:author>"))
    assert article.author == "Bergeson & Campbell, PC"


@pytest.mark.parametrize(("written", "utc"), [
    ("Tue, 08 Jul 2025 19:40:52 CEST", "2025-07-08T17:40:52+00:00"),
    ("Wed, 08 Jan 2025 19:40:52 CET", "2025-01-08T18:40:52+00:00"),
    ("Tue, 08 Jul 2025 19:40:52 BST", "2025-07-08T18:40:52+00:00"),
    ("Tue, 08 Jul 2025 19:40:52 EEST", "2025-07-08T16:40:52+00:00"),
    ("Tue, 08 Jul 2025 19:40:52 EDT", "2025-07-08T23:40:52+00:00"),  # RFC 822's own
    ("Tue, 08 Jul 2025 19:40:52 IST", "2025-07-08T19:40:52+00:00"),  # ambiguous: unknown
])
def test_european_zone_abbreviations_in_a_pubdate_are_their_offsets(written: str, utc: str):
    article = only(rss(f"<title>Advisory</title><description>Patch now.</description>"
                       f"<pubDate>{written}</pubDate>"))
    assert article.published == datetime.fromisoformat(utc)
