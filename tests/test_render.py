"""Rendering: escaping, safe links, UTF-16 lengths and splitting on item boundaries."""

from __future__ import annotations

import pytest

from bot.render import (
    entity_count,
    escape,
    link,
    safe_url,
    split_message,
    to_plain,
    utf16_len,
)
from tests.botapi import parse_html


@pytest.mark.parametrize("text, escaped", [
    ("a < b & c > d", "a &lt; b &amp; c &gt; d"),
    ('say "hi"', "say &quot;hi&quot;"),
    ("<b>not bold</b>", "&lt;b&gt;not bold&lt;/b&gt;"),
    ("right\u202eto left", "rightto left"),
    ("bell\x07 and\x00nul", "bell andnul"),
])
def test_escape_makes_text_inert(text, escaped):
    assert escape(text) == escaped


@pytest.mark.parametrize("url, ok", [
    ("https://example.org/a?b=1&c=2", True),
    ("http://example.org", True),
    ("javascript:alert(1)", False),
    ("JaVaScRiPt:alert(1)", False),
    ("data:text/html,<script>", False),
    ("tg://resolve?domain=x", False),
    ("//example.org", False),
    ("https://exa mple.org", False),
    (None, False),
])
def test_only_http_links_survive(url, ok):
    assert (safe_url(url) is not None) == ok


def test_link_escapes_href_quotes():
    assert link("T", 'https://e.org/"><b>') == '<a href="https://e.org/&quot;&gt;&lt;b&gt;">T</a>'


def test_utf16_length_counts_astral_characters_twice():
    assert utf16_len("a😀") == 3


def test_split_never_exceeds_the_limit_and_keeps_blocks_whole():
    blocks = [f"<b>Item {n}</b> " + "😀" * 300 for n in range(20)]
    messages = split_message(blocks)
    assert all(utf16_len(m) <= 4096 for m in messages)
    assert sum(m.count("<b>Item") for m in messages) == 20


def test_a_message_carries_at_most_100_entities_so_every_item_keeps_its_link():
    # Telegram formats only a message's first 100 entities: headline-only items are short
    # enough for 40 of them (120 entities) to fit in 4096 units.
    blocks = [f'<b><a href="https://x.be/{n}">Flash {n}</a></b>\n<i>1 Dec, 09:00</i>\n/article {n}'
              for n in range(60)]
    messages = split_message(blocks)
    assert all(entity_count(m) <= 100 for m in messages)
    assert all(len(parse_html(m)[1]) <= 100 for m in messages)
    assert sum(m.count("<a href") for m in messages) == 60


def test_entity_count_counts_tags_and_what_telegram_links_by_itself():
    text = '<b><a href="https://x.be/a/b">1 &lt;b&gt; 2</a></b> /article 3 and/or 4/5 &#x27;'
    assert entity_count(text) == 3
    assert entity_count("@news_nl #energy $EUR https://x.be/a or mail@x.be") == 4


def test_a_single_oversized_block_is_cut_not_dropped():
    [message] = split_message(["<b>x</b> " + "y" * 10000])
    assert utf16_len(message) <= 4096 and message.endswith("…")


def test_to_plain_shows_links_for_the_terminal():
    assert to_plain('<b><a href="https://e.org/?a=1&amp;b=2">T &amp; U</a></b>') == \
        "T & U <https://e.org/?a=1&b=2>"
