"""Lead image URLs and agency urgency, from every format that carries them."""

from __future__ import annotations

import json

import pytest

from storage.readers import read_bytes

IMAGE = "https://img.example.org/lead.jpg"
BODY = "<p>The harbour reopened on Monday after repairs.</p>"

NEWSML = f"""<?xml version="1.0" encoding="UTF-8"?>
<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/">
 <itemSet>
  <newsItem guid="urn:example:text-1">
   <itemMeta><itemClass qcode="ninat:text"/></itemMeta>
   <contentMeta><urgency>2</urgency><headline>Harbour reopens</headline></contentMeta>
   <contentSet><inlineXML contenttype="application/xhtml+xml">
    <html xmlns="http://www.w3.org/1999/xhtml"><body>{BODY}</body></html>
   </inlineXML></contentSet>
  </newsItem>
  <newsItem guid="urn:example:picture-1">
   <itemMeta><itemClass qcode="ninat:picture"/></itemMeta>
   <contentMeta><headline>The harbour</headline></contentMeta>
   <contentSet><remoteContent href="{IMAGE}" contenttype="image/jpeg"/></contentSet>
  </newsItem>
 </itemSet>
</newsMessage>"""

RSS = f"""<?xml version="1.0"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Feed</title>
<item><title>Enclosed</title><link>https://news.example.org/1</link><description>One.</description>
<enclosure url="{IMAGE}" type="image/jpeg" length="100"/></item>
<item><title>Media</title><link>https://news.example.org/2</link><description>Two.</description>
<media:content url="{IMAGE}" medium="image"/></item>
<item><title>Thumb</title><link>https://news.example.org/3</link><description>Three.</description>
<media:thumbnail url="{IMAGE}"/></item>
<item><title>Audio only</title><link>https://news.example.org/4</link><description>Four.</description>
<enclosure url="https://img.example.org/a.mp3" type="audio/mpeg" length="100"/></item>
</channel></rss>"""


@pytest.mark.parametrize("data", [
    {"uuid": "p1", "title": "Harbour", "body": BODY, "header_image": {"cdnUrl": IMAGE}},
    {"uuid": "p2", "title": "Harbour", "body": BODY, "thumbnail_url": IMAGE},
    {"uuid": "p3", "title": "Harbour", "body": BODY,
     "header_image": json.dumps({"uuid": "0f2c-11aa"})},
], ids=["cdnUrl", "thumbnail_url", "uploadcare-uuid"])
def test_prezly_lead_image(data):
    (article,) = read_bytes(json.dumps(data).encode())
    expected = IMAGE if "uuid" not in str(data.get("header_image", "")) else \
        "https://cdn.uc.assets.prezly.com/0f2c-11aa/"
    assert article.image_url == expected


@pytest.mark.parametrize("associations", [
    {"featureimage": {"type": "picture", "renditions": {
        "thumb": {"href": "https://img.example.org/t.jpg", "width": 100},
        "original": {"href": IMAGE, "width": 2000}}}},
    [{"name": "lead", "type": "picture", "renditions": [{"href": IMAGE, "width": 2000}]}],
], ids=["ninjs-1.x-2.x", "ninjs-3.x"])
def test_ninjs_lead_image_and_urgency(associations):
    data = {"uri": "urn:x:1", "type": "text", "headline": "Harbour", "body_html": BODY,
            "urgency": 1, "associations": associations}
    (article,) = read_bytes(json.dumps(data).encode())
    assert (article.image_url, article.urgency) == (IMAGE, 1)


def test_newsml_picture_item_is_the_messages_lead_image_and_urgency_is_read():
    # The picture item itself is skipped (main's #9: a newsMessage keeps its text items only).
    (text,) = read_bytes(NEWSML.encode())
    assert (text.title, text.image_url, text.urgency) == ("Harbour reopens", IMAGE, 2)


def test_rss_enclosure_media_content_and_thumbnail():
    articles = read_bytes(RSS.encode())
    assert [a.image_url for a in articles] == [IMAGE, IMAGE, IMAGE, None]


def test_json_feed_image():
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "F", "items": [
        {"id": "1", "title": "Harbour", "content_html": BODY, "image": IMAGE}]}
    (article,) = read_bytes(json.dumps(feed).encode())
    assert article.image_url == IMAGE


def test_html_og_image():
    page = (f'<html lang="en"><head><title>Harbour reopens</title>'
            f'<meta property="og:image" content="{IMAGE}"></head><body><article>'
            + "<p>The harbour reopened on Monday after long repairs to the quay walls.</p>" * 5
            + "</article></body></html>")
    (article,) = read_bytes(page.encode(), "page.html")
    assert article.image_url == IMAGE


@pytest.mark.parametrize("value", ["javascript:alert(1)", "ftp://x/y.jpg", 42, ""])
def test_only_http_image_urls_are_kept(value):
    data = {"uuid": "p9", "title": "Harbour", "body": BODY, "thumbnail_url": value}
    (article,) = read_bytes(json.dumps(data).encode())
    assert article.image_url is None
