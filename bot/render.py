"""Rendering replies as Telegram HTML: escaping, safe links, dates, and splitting at 4096 units."""

from __future__ import annotations

import html
import re
from datetime import datetime
from urllib.parse import urlsplit

from bot.i18n import _, format_moment
from storage.articles import StoredArticle

MESSAGE_LIMIT = 4096  # Telegram's limit, in UTF-16 code units
# Telegram formats only the first 100 entities of a message (bold, links, /commands …): the
# rest show as plain text, links lost, with no error. A list of 40 headline-only items has 120.
MAX_ENTITIES = 100
TITLE_LIMIT = 300
SENTENCE_LIMIT = 600
URL_LIMIT = 1000

# Characters that reorder or hide text (bidi overrides, zero-width joiners used for spoofing).
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2028\u2029\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str | None, limit: int | None = None) -> str:
    """Plain text made inert for display: no control or bidi-override chars, optionally cut."""
    text = _CONTROL.sub("", _INVISIBLE.sub("", text or ""))
    text = " ".join(text.split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def escape(text: str | None, limit: int | None = None) -> str:
    """Text escaped for Telegram's HTML parse mode (only &lt; &gt; &amp; &quot; are needed)."""
    return html.escape(clean(text, limit), quote=True).replace("&#x27;", "'")


def safe_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) link of sane length, else None (never javascript:)."""
    if not url:
        return None
    url = url.strip()
    if len(url) > URL_LIMIT or _CONTROL.search(url) or _INVISIBLE.search(url) or " " in url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def link(text: str, url: str | None) -> str:
    """An escaped link when the URL is safe, else just the escaped text."""
    target = safe_url(url)
    label = escape(text, TITLE_LIMIT)
    if target is None:
        return label
    return f'<a href="{html.escape(target, quote=True)}">{label}</a>'


def format_when(moment: datetime | None, timezone: str) -> str:
    """A date and time in the chat's time zone and language: '26 May 2026, 21:48'."""
    if moment is None:
        return _("undated")
    return format_moment(moment, timezone)


def dated(article: StoredArticle, timezone: str) -> str:
    """When a story is from: its publication (else update) time, or, for a story that carries
    no date, when it arrived, said as such (a page saved today from 2015 is not news of today)."""
    if article.published or article.updated or article.first_seen is None:
        return format_when(article.when, timezone)
    return _("received {moment}").format(moment=format_moment(article.first_seen, timezone))


def untitled() -> str:
    """What stands in for a missing title."""
    return _("(untitled)")


def article_item(article: StoredArticle, timezone: str, sentences: int) -> str:
    """One article as a digest or list item: bold linked title, time, summary, how to open it."""
    title = f"<b>{link(article.title or untitled(), article.url)}</b>"
    meta = [dated(article, timezone)]
    if article.language:
        meta.append(article.language)
    summary = " ".join(escape(s, SENTENCE_LIMIT) for s in article.summary[: max(sentences, 0)])
    lines = [title, f"<i>{escape(' · '.join(meta))}</i>"]
    if summary:
        lines.append(summary)
    lines.append(f"/article {article.seq}")
    return "\n".join(lines)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's limits."""
    return len(text.encode("utf-16-le")) // 2


# What Telegram makes an entity of: a formatting tag, and what it links by itself in the text:
# a /command, @mention, #hashtag, $cashtag (not a closing tag, a path, a/b or &#39;) or a URL
# (not an href's).
_ENTITY_TAG = re.compile(r"<(?:b|strong|i|em|u|ins|s|strike|del|a|span|tg-spoiler|tg-emoji|"
                         r"tg-time|code|pre|blockquote)[\s>]")
_AUTO_ENTITY = re.compile(r"(?<![\w/<&])[/@#$]\w|(?<![\"\w])https?://")


def entity_count(text: str) -> int:
    """An upper bound of the entities Telegram makes of a message's HTML: its formatting tags
    and what it links by itself (escaped text has no tags of its own)."""
    return len(_ENTITY_TAG.findall(text)) + len(_AUTO_ENTITY.findall(text))


def pack(blocks: list[str], limit: int = MESSAGE_LIMIT, separator: str = "\n\n",
         max_entities: int = MAX_ENTITIES) -> list[list[int]]:
    """Group block indexes into messages whose joined HTML stays within `limit` UTF-16 units
    and `max_entities` entities.

    The HTML length is an upper bound of what Telegram counts (tags and entities disappear),
    so a message that fits here always fits there; so is `entity_count`, so every item keeps
    its bold title and link. Blocks are never split.
    """
    groups: list[list[int]] = []
    size = entities = 0
    gap = utf16_len(separator)
    for index, block in enumerate(blocks):
        length, count = utf16_len(block), entity_count(block)
        if groups and size + gap + length <= limit and entities + count <= max_entities:
            groups[-1].append(index)
            size += gap + length
            entities += count
        else:
            groups.append([index])
            size, entities = length, count
    return groups


def fit(block: str, limit: int = MESSAGE_LIMIT) -> str:
    """A block that fits in one message: as is, or its plain text cut and escaped."""
    if utf16_len(block) <= limit:
        return block
    plain = to_plain(block)
    while utf16_len(html.escape(plain, quote=False)) > limit - 1:
        plain = plain[: int(len(plain) * 0.9)]
    return html.escape(plain, quote=False) + "…"


def split_message(blocks: list[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Join blocks into as few messages as fit, splitting only between blocks."""
    blocks = [fit(block, limit) for block in blocks]
    return ["\n\n".join(blocks[i] for i in group) for group in pack(blocks, limit)]


def list_messages(header: str, blocks: list[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """A header and every item of a list, over as many messages as they need, none dropped.

    The header travels with the first item, so no message carries only a title.
    """
    if not blocks:
        return [fit(header, limit)]
    return split_message([f"{header}\n\n{blocks[0]}", *blocks[1:]], limit)


_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_HREF = re.compile(r'href="([^"]*)"')


def to_plain(text: str) -> str:
    """Telegram HTML as terminal text: tags dropped, links shown as 'label <url>'."""
    out: list[str] = []
    position = 0
    pending_urls: list[str | None] = []
    for match in _TAG.finditer(text):
        out.append(text[position:match.start()])
        closing, name, attributes = match.groups()
        if name == "a":
            if closing:
                url = pending_urls.pop() if pending_urls else None
                if url:
                    out.append(f" <{url}>")
            else:
                found = _HREF.search(attributes)
                pending_urls.append(html.unescape(found[1]) if found else None)
        position = match.end()
    out.append(text[position:])
    return html.unescape("".join(out))
