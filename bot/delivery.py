"""Delivering news to targets with the ledger: digests, instant posts and breaking alerts.

The whole lifecycle lives here: which digests are due (bot.schedule), building them
(bot.digest), what is new for instant targets and what is breaking for digest targets, sending
through a `MessageSender` (bot.send) and writing down each message as soon as Telegram
accepted it, with its message_id. Nothing is delivered twice and nothing is skipped:

- a message is recorded (messages + deliveries, one transaction) right after Telegram accepts
  it, so a crash costs at most that one message sent again on restart, never a skipped item;
- a digest's cursor moves only after its last message, an instant/alert cursor only after the
  pass over that target, so a restart (even kill -9) resumes where it stopped;
- whatever a target has received (as a post or an alert) is left out of its next digest.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import partial
from typing import Any

from bot import i18n
from bot.chat_language import language_of
from bot.digest import build_digest, digest_replies, new_for
from bot.edits import EditOutcome, edit_pending
from bot.posts import article_post, burst_post
from bot.replies import Reply
from bot.schedule import due_chats
from bot.send import Address, MessageSender, Outcome, Priority, doubling
from bot.settings import Settings
from storage import articles as article_store
from storage import chats as chat_store
from storage.chats import Chat, MessageKind, Mode

log = logging.getLogger(__name__)

FANOUT_CONCURRENCY = 64  # targets served at once; the pacer keeps the total under the limit
BURST_WINDOW = 60.0  # s: more than NEWSBOT_BURST posts within it become one message
# A target where the bot may not post waits 1, 2, 4 ... minutes, at most an hour, between
# tries (the send retry policy's doubling, in minutes, for as long as the rights are missing):
# a restricted group costs a request and a log line an hour, not two a minute.
HOLD_FIRST = 60.0
HOLD_MAX = 3600.0
MAX_MOVES = 3


class DeliveryOutcome(StrEnum):
    """How a delivery to one target ended."""

    OK = "ok"
    UNREACHABLE = "unreachable"
    HELD = "held"  # the bot may not post there now: the target waits, then is tried again
    FAILED = "failed"


@dataclass(slots=True)
class DeliveryResult:
    """How a delivery to one target ended, and where (a group may have moved)."""

    chat_id: int
    thread_id: int = 0
    sent: int = 0
    outcome: DeliveryOutcome = DeliveryOutcome.OK
    reason: str = ""


async def deliver(conn: sqlite3.Connection, address: Address, replies: list[Reply],
                  sender: MessageSender, *, kind: MessageKind = MessageKind.DIGEST,
                  priority: Priority = Priority.DIGEST,
                  on_move: Callable[[int], None] | None = None,
                  unwritten: list[Callable[[], None]] | None = None) -> DeliveryResult:
    """Send replies in order; record each one in the ledger as soon as it is accepted.

    A message whose answer timed out after it was sent (maybe delivered) is recorded too, not
    resent. `on_move(new_id)` runs before anything is sent to a chat's new id, so the caller
    can mark that id as busy too. When the database refuses the ledger's write (a full disk,
    a read-only file) and `unwritten` is given, the write is kept there to be done later and
    the delivery stops (FAILED); without it, the error is raised.
    """
    result = DeliveryResult(address.chat_id, address.thread_id)
    for reply in replies:
        for _ in range(MAX_MOVES + 1):
            sent = await sender.send(address, reply, priority, purpose=str(kind))
            if sent.outcome is not Outcome.MOVED or sent.new_chat_id is None:
                break
            log.info("chat %s became %s; following it", address.chat_id, sent.new_chat_id)
            if on_move is not None:
                on_move(sent.new_chat_id)
            chat_store.migrate_chat(conn, address.chat_id, sent.new_chat_id)
            address = Address(sent.new_chat_id, address.thread_id)
            result.chat_id = sent.new_chat_id
        if sent.outcome is Outcome.UNREACHABLE:
            log.info("target %s/%s unreachable (%s): deliveries stopped", address.chat_id,
                     address.thread_id, sent.reason)
            chat_store.deactivate(conn, address.chat_id, sent.reason[:200],
                                  thread_id=address.thread_id if address.thread_id else None)
            result.outcome = DeliveryOutcome.UNREACHABLE
            return result
        if sent.outcome is Outcome.NO_RIGHTS:
            result.outcome, result.reason = DeliveryOutcome.HELD, sent.reason
            return result
        if not sent.delivered:
            result.outcome = DeliveryOutcome.FAILED
            return result
        result.sent += 1
        writes = [partial(chat_store.record_message, conn, address.chat_id, address.thread_id,
                          sent.message_id, kind, reply.article_ids, datetime.now(UTC),
                          layout=reply.layout, text=reply.text)]
        if reply.digest_cursor is not None:
            writes.append(partial(chat_store.finish_digest, conn, address.chat_id,
                                  reply.digest_cursor, datetime.now(UTC),
                                  thread_id=address.thread_id))
        for done, write in enumerate(writes):
            try:
                write()
            except sqlite3.Error as error:
                if unwritten is None:
                    raise
                # Telegram has the message; forgetting it would send it again at every tick
                # for as long as the database refuses writes (one digest a minute).
                log.error("message to %s sent but not recorded (%s): deliveries paused until "
                          "the database takes writes again", address.chat_id, error)
                unwritten.extend(writes[done:])
                result.outcome = DeliveryOutcome.FAILED
                return result
    return result


class Deliveries:
    """The running bot's deliveries: due digests, instant posts and alerts, one per target at
    a time."""

    def __init__(self, conn: sqlite3.Connection, settings: Settings, sender: MessageSender,
                 spawn: Callable[[Coroutine[Any, Any, None], str], Any] | None = None,
                 concurrency: int = FANOUT_CONCURRENCY,
                 on_digest: Callable[[str], None] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.conn = conn
        self.clock = clock
        self.settings = settings
        self.sender = sender
        self.spawn = spawn or (lambda coro, name: asyncio.get_running_loop().create_task(
            coro, name=name))
        self.on_digest = on_digest or (lambda outcome: None)  # e.g. a metrics counter
        self.busy: set[int] = set()  # chat ids with a delivery running
        self.fanout = asyncio.Semaphore(concurrency)
        self.stream_lock = asyncio.Lock()
        self.recent_posts: dict[tuple[int, int], deque[float]] = {}
        self.burst_until: dict[tuple[int, int], float] = {}
        self._streaming = False
        self._stream_again = False
        self._editing = False
        self._edit_again = False
        # Ledger writes the database refused after Telegram took the message, in order.
        self.unwritten: list[Callable[[], None]] = []
        # Targets where the bot may not post: (chat_id, thread_id) -> (until, tries so far).
        self.holds: dict[tuple[int, int], tuple[float, int]] = {}

    def held(self, key: tuple[int, int]) -> bool:
        """Whether a target waits after Telegram said the bot may not post there."""
        hold = self.holds.get(key)
        return hold is not None and hold[0] > self.clock()

    def release(self, chat_id: int) -> None:
        """Try a chat's targets again at the next tick (its admins changed the bot's rights)."""
        for key in [key for key in self.holds if key[0] == chat_id]:
            del self.holds[key]

    def _note(self, result: DeliveryResult, thread_id: int) -> None:
        """Hold a target the bot may not post to (longer each time), free it once it took one."""
        key = (result.chat_id, thread_id)
        if result.outcome is not DeliveryOutcome.HELD:
            if result.sent:
                self.holds.pop(key, None)
            return
        tries = self.holds.get(key, (0.0, 0))[1] + 1
        wait = doubling(tries, HOLD_FIRST, HOLD_MAX)
        self.holds[key] = (self.clock() + wait, tries)
        log.warning("chat %s may not be posted to (%s): an admin of the chat can give the bot "
                    "the right to send messages; trying again in %d min", result.chat_id,
                    result.reason, wait // 60)

    def ledger_writable(self) -> bool:
        """Write what the ledger still owes; False while the database refuses it (then no
        delivery starts: whatever is sent could not be recorded, and would be sent again)."""
        while self.unwritten:
            try:
                self.unwritten[0]()
            except sqlite3.Error:
                return False
            self.unwritten.pop(0)
            if not self.unwritten:
                log.warning("the database takes writes again: deliveries resume")
        return True

    def timezone(self, chat: Chat) -> str:
        """The target's time zone, else the bot's default."""
        return chat.timezone or self.settings.timezone

    # -- digests -----------------------------------------------------------------------------

    def start_due_digests(self, now: datetime) -> int:
        """Start one task per target whose digest is due; return how many started."""
        if not self.ledger_writable():
            return 0
        chats = chat_store.subscribed_chats(self.conn, Mode.DIGEST)
        due = [chat for chat in due_chats(chats, now, self.settings.digest_time,
                                          self.settings.timezone)
               if chat.chat_id not in self.busy and not self.held(chat.key)]
        for chat in due:
            self.busy.add(chat.chat_id)
            self.spawn(self._scheduled_digest(chat, now), f"digest-{chat.chat_id}")
        return len(due)

    async def _scheduled_digest(self, chat: Chat, now: datetime) -> None:
        # Built here rather than in the tick, so 10,000 due targets do not hold the event loop
        # for seconds before the first message goes out; the caller marked the chat as busy.
        try:
            async with self.fanout:
                if self.unwritten:
                    return  # the ledger cannot be written: due again at a later tick
                with i18n.using(language_of(self.conn, chat, self.settings)):
                    digest = build_digest(self.conn, chat, self.timezone(chat), now)
                if digest.empty:
                    chat_store.finish_digest(self.conn, chat.chat_id, digest.cursor, now,
                                             thread_id=chat.thread_id)
                    self.on_digest("empty")
                    return
                replies = digest_replies(digest)
                result = await self._deliver(Address(chat.chat_id, chat.thread_id), replies,
                                             MessageKind.DIGEST, Priority.DIGEST)
                self.on_digest(str(result.outcome) if result else "failed")
        except Exception:  # one target's failure must not stop the others
            log.exception("digest to %s failed", chat.chat_id)
            self.on_digest("failed")
        finally:
            self.busy.discard(chat.chat_id)

    async def deliver_now(self, address: Address, replies: list[Reply],
                          kind: MessageKind = MessageKind.DIGEST) -> None:
        """Deliver replies asked for by a command (/digest), never two at once per chat."""
        if address.chat_id in self.busy:
            return
        self.busy.add(address.chat_id)
        try:
            await self._deliver(address, replies, kind, Priority.REPLY)
        finally:
            self.busy.discard(address.chat_id)

    async def _deliver(self, address: Address, replies: list[Reply], kind: MessageKind,
                       priority: Priority) -> DeliveryResult | None:
        # A group that turns into a supergroup mid-digest continues under its new id; that id
        # is busy too until this delivery ends, or the next tick would see it due (its cursor
        # has not moved yet) and send the same digest a second time.
        moved_to: list[int] = []

        def on_move(new_id: int) -> None:
            if new_id not in self.busy:
                moved_to.append(new_id)
                self.busy.add(new_id)

        try:
            result = await deliver(self.conn, address, replies, self.sender, kind=kind,
                                   priority=priority, on_move=on_move,
                                   unwritten=self.unwritten)
            log.info("%s to %s: %s, %d message(s)", kind, result.chat_id, result.outcome,
                     result.sent)
            self._note(result, address.thread_id)
            return result
        except Exception:  # one target's failure must not stop the others
            log.exception("%s to %s failed", kind, address.chat_id)
            return None
        finally:
            self.busy.difference_update(moved_to)

    # -- embargoes and edits of sent messages --------------------------------------------------

    def lift_embargoes(self, now: datetime) -> int:
        """Publish the stories whose embargo time has come and post them as new; how many."""
        lifted = article_store.lift_embargoes(self.conn, now)
        if lifted:
            log.info("embargo lifted on %d stor%s", len(lifted), "y" if len(lifted) == 1
                     else "ies")
            self.request_stream()
        return len(lifted)

    def request_edits(self) -> None:
        """Work through the edit outbox soon; if a pass is running, once more after it."""
        if self._editing:
            self._edit_again = True
            return
        self._editing = True
        self.spawn(self._edit_passes(), "edits")

    async def _edit_passes(self) -> None:
        try:
            while True:
                self._edit_again = False
                await self.edit_pass(datetime.now(UTC))
                if not self._edit_again:
                    return
        except Exception:
            log.exception("edit pass failed")
        finally:
            self._editing = False

    async def edit_pass(self, now: datetime) -> list[EditOutcome]:
        """Edit (or delete) the sent messages whose stories changed (bot.edits)."""
        window = timedelta(hours=self.settings.edit_window_hours)
        return await edit_pending(self.conn, self.sender, now, window, settings=self.settings)

    # -- instant posts and breaking alerts ----------------------------------------------------

    def request_stream(self) -> None:
        """Run a stream pass soon; if one is running, one more right after it (so an article
        that arrives mid-pass is not left for the next tick)."""
        if self._streaming:
            self._stream_again = True
            return
        self._streaming = True
        self.spawn(self._stream_passes(), "stream")

    async def _stream_passes(self) -> None:
        try:
            while True:
                self._stream_again = False
                await self.stream()
                if not self._stream_again:
                    return
        except Exception:
            log.exception("instant delivery pass failed")
        finally:
            self._streaming = False

    async def stream(self) -> int:
        """Post what is new to instant targets and what is breaking to digest targets; return
        the number of targets sent to. One pass at a time."""
        async with self.stream_lock:
            if not self.ledger_writable():
                return 0
            newest = article_store.max_seq(self.conn)
            behind = [chat for chat in chat_store.subscribed_chats(self.conn)
                      if chat.stream_cursor < newest]
            if not behind:
                return 0
            urgent = article_store.urgent_seqs(self.conn, min(c.stream_cursor for c in behind))
            # Digest targets without alert words and nothing urgent since their cursor only
            # need the cursor moved: one statement, not 10,000 little passes.
            quiet = [chat for chat in behind if chat.mode is Mode.DIGEST
                     and not chat.alert_keywords and not any(s > chat.stream_cursor
                                                             for s in urgent)]
            chat_store.advance_streams(self.conn, [chat.key for chat in quiet], newest)
            quiet_keys = {chat.key for chat in quiet}
            targets = [chat for chat in behind if chat.key not in quiet_keys
                       and chat.chat_id not in self.busy and not self.held(chat.key)]
            for chat in targets:
                self.busy.add(chat.chat_id)
            await asyncio.gather(*(self._stream_one(chat, newest) for chat in targets))
            return len(targets)

    async def _stream_one(self, chat: Chat, newest: int) -> None:
        try:
            async with self.fanout:
                if self.unwritten:
                    return  # the ledger cannot be written: the cursor stays
                with i18n.using(language_of(self.conn, chat, self.settings)):
                    planned = self.stream_replies(chat, newest)
                if planned is None:
                    return  # held back after a burst: the cursor stays, nothing is lost
                replies, kind = planned
                if replies:
                    result = await self._deliver(
                        Address(chat.chat_id, chat.thread_id), replies, kind,
                        Priority.ALERT if kind is MessageKind.ALERT else Priority.INSTANT)
                    if result is None or result.outcome is not DeliveryOutcome.OK:
                        return  # the cursor stays: the ledger skips what did get through
                    chat = replace(chat, chat_id=result.chat_id)
                chat_store.advance_stream(self.conn, chat.chat_id, chat.thread_id, newest)
        except Exception:
            log.exception("instant delivery to %s failed", chat.chat_id)
        finally:
            self.busy.discard(chat.chat_id)

    def stream_replies(self, chat: Chat, newest: int) -> tuple[list[Reply], MessageKind] | None:
        """The messages a target gets now for articles after its stream cursor (up to newest);
        None to hold them back for now (a burst was just sent there)."""
        fresh = [a for a in new_for(self.conn, chat, chat.stream_cursor) if a.seq <= newest]
        urgent = article_store.urgent_seqs(self.conn, chat.stream_cursor)
        if chat.mode is Mode.DIGEST:
            breaking = self._breaking(chat, fresh, urgent, newest)
            articles = article_store.by_seqs(self.conn, breaking)
            return ([article_post(a, chat, self.timezone(chat), breaking=True)
                     for a in articles], MessageKind.ALERT)
        if not fresh:
            return [], MessageKind.INSTANT
        now = time.monotonic()
        if self.burst_until.get(chat.key, 0.0) > now:
            return None
        times = self.recent_posts.setdefault(chat.key, deque())
        while times and times[0] < now - BURST_WINDOW:
            times.popleft()
        if len(times) + len(fresh) > self.settings.burst:
            # One message for the lot, and what follows within the window waits for the next
            # one: a bulk import of 1,000 files is two or three messages, not 1,000.
            self.burst_until[chat.key] = now + BURST_WINDOW
            shown = article_store.by_seqs(self.conn, [a.seq for a in fresh[:60]])
            return [burst_post(shown, [a.id for a in fresh])], MessageKind.BURST
        times.extend([now] * len(fresh))
        articles = article_store.by_seqs(self.conn, [a.seq for a in fresh])
        return ([article_post(a, chat, self.timezone(chat), breaking=a.seq in urgent)
                 for a in articles], MessageKind.INSTANT)

    def _breaking(self, chat: Chat, fresh: list[article_store.ArticleBrief], urgent: set[int],
                  newest: int) -> list[int]:
        # Urgent agency items pass the target's filters; alert words need only its languages
        # and exclusions, since they are the target's own way of saying "this, at once".
        chosen = {a.seq for a in fresh if a.seq in urgent}
        if chat.alert_keywords:
            hits = article_store.keyword_hits(self.conn, chat.stream_cursor, chat.alert_keywords)
            unfiltered = replace(chat, include_keywords=())
            chosen |= {a.seq for a in new_for(self.conn, unfiltered, chat.stream_cursor)
                       if a.seq in hits and a.seq <= newest}
        return sorted(chosen)
