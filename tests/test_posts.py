"""Rendering instant posts, breaking alerts and bursts (pure)."""

from __future__ import annotations

import pytest

from bot.posts import article_post, burst_post
from bot.render import entity_count, utf16_len
from storage.articles import StoredArticle
from storage.chats import Chat, Preview


def article(seq: int = 7, **fields) -> StoredArticle:
    values = {"id": f"a{seq}", "seq": seq, "title": f"Harbour reopens {seq}", "body": "x",
              "summary": ["The harbour reopened.", "Ships returned."],
              "url": f"https://news.example.org/{seq}",
              "image_url": "https://img.example.org/lead.jpg", **fields}
    return StoredArticle(**values)


@pytest.mark.parametrize("preview, url, large", [
    (Preview.OFF, None, False),
    (Preview.LINK, "https://news.example.org/7", False),
    (Preview.IMAGE, "https://img.example.org/lead.jpg", True),
])
def test_the_targets_preview_setting(preview, url, large):
    reply = article_post(article(), Chat(chat_id=1, preview=preview), "UTC")
    assert (reply.preview_url, reply.large_preview) == (url, large)
    assert reply.article_ids == ["a7"] and "/article 7" in reply.text


def test_image_preview_without_an_image_falls_back_to_the_page():
    reply = article_post(article(image_url=None), Chat(chat_id=1, preview=Preview.IMAGE), "UTC")
    assert reply.preview_url == "https://news.example.org/7" and reply.large_preview


def test_a_breaking_post_says_so():
    assert "Breaking" in article_post(article(), Chat(chat_id=1), "UTC", breaking=True).text


def test_a_burst_of_any_size_is_one_message_that_carries_every_article():
    many = [article(seq, title="A long headline about the harbour works " * 4)
            for seq in range(1, 301)]
    reply = burst_post(many[:60], [a.id for a in many])
    assert utf16_len(reply.text) <= 4096 and "300 new articles" in reply.text
    assert "more: /latest 20" in reply.text and len(reply.article_ids) == 300


def test_a_burst_of_short_headlines_links_every_one_it_shows():
    # Telegram formats only a message's first 100 entities; beyond, links would be lost.
    short = [article(seq, title=f"Flash {seq}", url=f"https://x.be/{seq}") for seq in range(200)]
    reply = burst_post(short, [a.id for a in short])
    assert entity_count(reply.text) <= 100 and "more: /latest 20" in reply.text
