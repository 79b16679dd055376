"""Building a chat's digest: what is new since its last one, filtered, rendered, split to fit."""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.render import article_item, escape, fit, format_when, pack
from storage import articles as article_store
from storage.articles import StoredArticle
from storage.chats import Chat, delivered

FIRST_DIGEST_WINDOW = timedelta(hours=24)
MAX_ITEMS = 50  # a digest is a summary; beyond this, the reader is pointed to /latest


@dataclass(slots=True)
class DigestMessage:
    """One message of a digest and the articles it carries (recorded in the ledger once sent)."""

    text: str
    article_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Digest:
    """A chat's digest: its messages, and the cursor to store once all are delivered."""

    messages: list[DigestMessage]
    cursor: int
    since: datetime | None
    items: int

    @property
    def empty(self) -> bool:
        """Whether there is nothing to send."""
        return not self.messages


def fold(text: str) -> str:
    """Lower-case text without diacritics, so 'Ecole' matches 'école'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if decomposed.isascii():
        return decomposed
    # Remove each distinct combining mark with str.replace (C loops): a per-character
    # generator made digests with keyword filters spend milliseconds per article
    # (bench/queries.py). No character below U+0300 is a combining mark.
    for mark in [ch for ch in set(decomposed) - _BELOW_COMBINING if unicodedata.combining(ch)]:
        decomposed = decomposed.replace(mark, "")
    return decomposed


_BELOW_COMBINING = frozenset(map(chr, range(0x300)))


# A chat's few keywords are folded once, not once per candidate article.
_fold_word = functools.lru_cache(maxsize=4096)(fold)


def matches_keywords(article: StoredArticle, include: tuple[str, ...],
                     exclude: tuple[str, ...]) -> bool:
    """Whether an article passes a chat's include (any) and exclude (none) keyword filters."""
    return _passes(article.title, article.body, article.tags, include, exclude)


def _passes(title: str, body: str, tags: list[str] | tuple[str, ...], include: tuple[str, ...],
            exclude: tuple[str, ...]) -> bool:
    if not include and not exclude:
        return True
    haystack = fold(" ".join([title, body, " ".join(tags)]))
    if include and not any(_fold_word(word) in haystack for word in include):
        return False
    return not any(_fold_word(word) in haystack for word in exclude)


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
    # Filter on light rows and load only the articles shown: a day at a million articles is
    # ~1,000 candidates, and building each one whole cost more than the rest of the digest.
    include, exclude = chat.include_keywords, chat.exclude_keywords
    candidates = article_store.since_briefs(conn, cursor, list(chat.languages) or None,
                                            limit=5000, with_text=bool(include or exclude))
    already = delivered(conn, chat.chat_id, [a.id for a in candidates])
    chosen = [a for a in candidates if a.id not in already
              and _passes(a.title, a.body, a.tags, include, exclude)]
    if not chosen:
        return Digest([], newest, since, 0)
    shown = article_store.by_seqs(conn, [a.seq for a in chosen[:max_items]])
    header = f"<b>📰 News digest</b> · {len(chosen)} new"
    if since is not None:
        header += f" since {escape(format_when(since, timezone))}"
    blocks = [article_item(a, timezone, chat.summary_sentences) for a in shown]
    if len(chosen) > len(shown):
        blocks.append(f"… and {len(chosen) - len(shown)} more: /latest 20 or /search")
    # The header travels with the first item so the first message never carries only a title.
    blocks[0] = f"{header}\n\n{blocks[0]}"
    blocks = [fit(block) for block in blocks]
    messages = []
    for group in pack(blocks):
        text = "\n\n".join(blocks[i] for i in group)
        ids = [shown[i].id for i in group if i < len(shown)]
        messages.append(DigestMessage(text, ids))
    # Articles beyond max_items are considered delivered-by-summary: the cursor passes them.
    for extra in chosen[len(shown):]:
        messages[-1].article_ids.append(extra.id)
    return Digest(messages, newest, since, len(chosen))
