"""Editing sent messages after their stories changed: the outbox, worked through bot.send.

Ingest puts every message that carried a corrected, withdrawn or restored story in the
outbox (storage.versions.queue_edits) in the same transaction as the story's new version.
Each pass here renders those messages again (bot.revisions), edits or deletes them through
the one rate-limited `Sender`, and only then takes them out of the outbox. A kill -9 between
Telegram's answer and that write leaves the message queued: the next pass renders the same
text again, Telegram answers "message is not modified" (or "not found" for a delete), and the
message leaves the outbox then, edited once, never lost.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime, timedelta
from enum import StrEnum

from bot import i18n
from bot.chat_language import language_of
from bot.revisions import revise
from bot.send import MessageEditor, Outcome, Priority
from bot.settings import Settings
from storage import articles as article_store
from storage import chats as chat_store
from storage.chats import Chat, OnWithdraw, message_hash
from storage.status import Change
from storage.versions import PendingEdit, finish_edit, pending_edits

log = logging.getLogger(__name__)


class EditOutcome(StrEnum):
    """How the edit of one sent message ended."""

    EDITED = "edited"
    DELETED = "deleted"
    NOT_MODIFIED = "not_modified"  # Telegram has that text already (e.g. edited before a crash)
    UNCHANGED = "unchanged"  # rendered again, the text is what was sent: nothing to ask
    GONE = "gone"  # deleted by someone, too old to delete, or the chat is gone
    EXPIRED = "expired"  # a correction past NEWSBOT_EDIT_WINDOW_HOURS: not attempted
    SKIPPED = "skipped"  # no layout to render it from (sent before edits existed)
    RETRY = "retry"  # Telegram could not be reached or refused for now: stays queued


# What each final send outcome means for the outbox entry.
_FINAL = {
    Outcome.NOT_MODIFIED: EditOutcome.NOT_MODIFIED,
    Outcome.GONE: EditOutcome.GONE,
    Outcome.UNREACHABLE: EditOutcome.GONE,
    Outcome.REFUSED: EditOutcome.GONE,  # never accepted: trying forever would not help
    Outcome.NO_RIGHTS: EditOutcome.GONE,  # an admin took the right away: the message stays
    Outcome.MOVED: EditOutcome.GONE,  # a supergroup's messages are not the old group's
}


def outcome_of(sent: Outcome, action: str) -> EditOutcome:
    """What a Sender outcome means for an edit or delete (pure)."""
    if sent is Outcome.SENT:
        return EditOutcome.DELETED if action == "delete" else EditOutcome.EDITED
    return _FINAL.get(sent, EditOutcome.RETRY)


def in_window(pending: PendingEdit, now: datetime, window: timedelta) -> bool:
    """Whether this edit may be made: corrections only within the window; a withdrawal or a
    story's return always (the publisher's kill is not a matter of taste)."""
    return pending.change is not Change.CORRECTED or now - pending.sent_at <= window


async def edit_pending(conn: sqlite3.Connection, sender: MessageEditor, now: datetime,
                       window: timedelta, limit: int = 500,
                       settings: Settings | None = None) -> list[EditOutcome]:
    """Work through the outbox once; returns each message's outcome, oldest first.

    `settings` give the default language of targets that chose none (None: the defaults).
    """
    settings = settings or Settings()
    outcomes = []
    for pending in pending_edits(conn, limit):
        try:
            outcome = await edit_one(conn, sender, pending, now, window, settings)
        except Exception:  # one message's failure must not stop the others
            log.exception("editing message %s in %s failed", pending.message_id,
                          pending.chat_id)
            outcome = EditOutcome.RETRY
        outcomes.append(outcome)
    return outcomes


async def edit_one(conn: sqlite3.Connection, sender: MessageEditor, pending: PendingEdit,
                   now: datetime, window: timedelta,
                   settings: Settings | None = None) -> EditOutcome:
    """Render one queued message again, in its target's language, and edit (or delete) it;
    the outbox entry goes once Telegram's answer is final."""
    if not in_window(pending, now, window):
        finish_edit(conn, pending.row, now)
        return EditOutcome.EXPIRED
    if pending.layout is None:
        finish_edit(conn, pending.row, now)
        return EditOutcome.SKIPPED
    ids = [pending.layout["article"]] if "article" in pending.layout else [
        *pending.layout.get("items", ()), *pending.layout.get("shown", ())]
    chat = chat_store.get_chat(conn, pending.chat_id, pending.thread_id)
    # The target's language now: what a reader of that chat reads (a topic speaks like its
    # group unless it chose otherwise).
    language = language_of(conn, chat or Chat(chat_id=pending.chat_id,
                                              thread_id=pending.thread_id),
                           settings or Settings())
    with i18n.using(language):
        revision = revise(pending.layout, article_store.by_id(conn, ids), pending.sent_at,
                          chat.on_withdraw if chat else OnWithdraw.EDIT)
    if revision is None:
        finish_edit(conn, pending.row, now)
        return EditOutcome.SKIPPED
    priority = Priority.ALERT if pending.change is Change.WITHDRAWN else Priority.INSTANT
    if revision.action == "delete":
        sent = await sender.delete(pending.chat_id, pending.message_id, priority)
    else:
        text_hash = message_hash(revision.reply.text)
        if text_hash == pending.text_hash:
            finish_edit(conn, pending.row, now)
            return EditOutcome.UNCHANGED
        sent = await sender.edit(pending.chat_id, pending.message_id, revision.reply, priority)
    outcome = outcome_of(sent.outcome, revision.action)
    if outcome is EditOutcome.RETRY:
        log.info("edit of message %s in %s: %s (%s); trying again later", pending.message_id,
                 pending.chat_id, sent.outcome, sent.reason)
        return outcome
    if outcome is EditOutcome.DELETED or (revision.action == "delete"
                                          and outcome is EditOutcome.GONE):
        finish_edit(conn, pending.row, now, deleted=True)
    else:
        finish_edit(conn, pending.row, now, text_hash=None if outcome is EditOutcome.GONE
                    else message_hash(revision.reply.text))
    log.info("message %s in %s (%s, %s): %s", pending.message_id, pending.chat_id,
             pending.kind, pending.change, outcome)
    return outcome
