"""Building a chat's digest: what is new since its last one, filtered, rendered, split to fit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.i18n import ngettext, number
from bot.render import article_item, escape, fit, format_when, pack
from bot.replies import Reply
from storage import articles as article_store
from storage.chats import Chat, delivered

FIRST_DIGEST_WINDOW = timedelta(hours=24)
MAX_ITEMS = 50  # a digest is a summary; beyond this, the reader is pointed to /latest


@dataclass(slots=True)
class DigestMessage:
    """One message of a digest and the articles it carries (recorded in the ledger once sent)."""

    text: str
    article_ids: list[str] = field(default_factory=list)
    layout: dict | None = None  # how it was rendered, to render it again (bot.revisions)


@dataclass(slots=True)
class Digest:
    """A chat's digest: its messages, and the cursor to store once all are delivered."""

    messages: list[DigestMessage]
    cursor: int
    since: datetime | None
    filtered_out: int = 0  # new items the chat's filters left out (an empty digest says so)

    @property
    def empty(self) -> bool:
        """Whether there is nothing to send."""
        return not self.messages


def new_for(conn, chat: Chat, cursor: int,
            limit: int = 5000) -> list[article_store.ArticleBrief]:
    """What the target has not received among articles after `cursor`, by its filters."""
    # Filter on light rows and load only the articles shown: a day at a million articles is
    # ~1,000 candidates, and building each one whole cost more than the rest of the digest.
    candidates = article_store.since_briefs(conn, cursor, list(chat.languages) or None,
                                            limit=limit)
    if not candidates:
        return []
    already = delivered(conn, chat.chat_id, [a.id for a in candidates], chat.thread_id)
    chosen = [a for a in candidates if a.id not in already]
    if chat.include_keywords:
        wanted = article_store.keyword_hits(conn, cursor, chat.include_keywords)
        chosen = [a for a in chosen if a.seq in wanted]
    if chat.exclude_keywords:
        unwanted = article_store.keyword_hits(conn, cursor, chat.exclude_keywords)
        chosen = [a for a in chosen if a.seq not in unwanted]
    return chosen


def build_digest(conn, chat: Chat, timezone: str, now: datetime,
                 max_items: int = MAX_ITEMS) -> Digest:
    """The digest of everything new for `chat` since its last one (first time: last 24 hours)."""
    if chat.digest_cursor or chat.last_digest_at:
        cursor = chat.digest_cursor
        since = chat.last_digest_at
    else:
        since = now - FIRST_DIGEST_WINDOW
        cursor = article_store.seq_at(conn, since)
    newest = article_store.max_seq(conn)
    chosen = new_for(conn, chat, cursor)
    if not chosen:
        # "Nothing new" would be untrue when the filters hid what came: count what they hid.
        hidden = 0
        if chat.languages or chat.include_keywords or chat.exclude_keywords:
            arrived = article_store.since_briefs(conn, cursor, None, limit=5000)
            sent = delivered(conn, chat.chat_id, [a.id for a in arrived], chat.thread_id)
            hidden = sum(a.id not in sent for a in arrived)
        return Digest([], newest, since, filtered_out=hidden)
    shown = article_store.by_seqs(conn, [a.seq for a in chosen[:max_items]])
    if since is None:
        header = ngettext("<b>📰 News digest</b> · {count} new article",
                          "<b>📰 News digest</b> · {count} new articles", len(chosen))
    else:
        header = ngettext("<b>📰 News digest</b> · {count} new article since {since}",
                          "<b>📰 News digest</b> · {count} new articles since {since}",
                          len(chosen))
    header = header.format(count=number(len(chosen)),
                           since=escape(format_when(since, timezone)) if since else "")
    blocks = [article_item(a, timezone, chat.summary_sentences) for a in shown]
    tail = None
    if len(chosen) > len(shown):
        rest = len(chosen) - len(shown)
        tail = ngettext("… and {count} more: /latest 20 or /search",
                        "… and {count} more: /latest 20 or /search", rest
                        ).format(count=number(rest))
        blocks.append(tail)
    # The header travels with the first item so the first message never carries only a title.
    blocks[0] = f"{header}\n\n{blocks[0]}"
    blocks = [fit(block) for block in blocks]
    messages = []
    for group in pack(blocks):
        text = "\n\n".join(blocks[i] for i in group)
        ids = [shown[i].id for i in group if i < len(shown)]
        layout = {"kind": "digest", "tz": timezone, "sentences": chat.summary_sentences,
                  "header": header if 0 in group else None, "items": ids,
                  "tail": tail if tail is not None and len(blocks) - 1 in group else None,
                  "seen": article_store.seen(shown[i] for i in group if i < len(shown))}
        messages.append(DigestMessage(text, ids, layout))
    # Articles beyond max_items are considered delivered-by-summary: the cursor passes them.
    for extra in chosen[len(shown):]:
        messages[-1].article_ids.append(extra.id)
    return Digest(messages, newest, since)


def digest_replies(digest: Digest) -> list[Reply]:
    """A digest's messages as replies, the last one carrying the cursor to store."""
    replies = [Reply(message.text, article_ids=message.article_ids, layout=message.layout)
               for message in digest.messages]
    replies[-1].digest_cursor = digest.cursor
    return replies
