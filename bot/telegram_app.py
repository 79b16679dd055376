"""The Telegram front end: PTB application, handlers, and the jobs that ingest and deliver.

Everything a command says comes from bot.commands; every message goes out through bot.send and
every delivery through bot.delivery. This module only translates between Telegram updates and
Caller/Reply, and wires the jobs, the drop-folder watcher, the webhook and the health and
metrics server to them.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import sqlite3
import sys
import threading
import time
from collections.abc import Awaitable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from telegram import BotCommand, Update
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import i18n, metrics
from bot.channel_check import check_channel
from bot.channels import ChannelCheck
from bot.commands import (
    ADMIN_COMMANDS,
    COMMANDS,
    Commands,
    command_menu,
    needs_manage,
    parse_command,
)
from bot.connect import RetryNotice, api_host, connect
from bot.delivery import Deliveries
from bot.health import Facts, Limits
from bot.i18n import _
from bot.ingest import IngestReport, drop_folder_problem, ingest_with
from bot.metrics import SendKind
from bot.render import to_plain
from bot.replies import Caller, Reply
from bot.replies import Outcome as Answer
from bot.send import Address, Outcome, OutcomeHook, Pacer, Priority, Sender
from bot.settings import Settings
from bot.status_server import StatusServer, database_error, listen_sockets
from bot.telegram_watch import TelegramContact, WatchedRequest
from bot.watch import DropFolderWatcher
from bot.webhook import listen_problem, recent_delivery_error, webhook_options
from storage import chats as chat_store
from storage.db import connect as connect_db
from storage.db import open_database

log = logging.getLogger(__name__)

# What each kind of message counts as in /metrics (a burst is an instant post).
SEND_KINDS = {"digest": SendKind.DIGEST, "instant": SendKind.INSTANT,
              "burst": SendKind.INSTANT, "alert": SendKind.ALERT, "reply": SendKind.REPLY,
              "edit": SendKind.EDIT}


class WebhookRefused(Exception):
    """Telegram refused setWebhook (a URL it cannot use): retrying would never help."""


class NewsBot:
    """The running bot's state: settings, database connection, sender, deliveries, jobs."""

    def __init__(self, settings: Settings, on_outcome: OutcomeHook | None = None) -> None:
        self.settings = settings
        self.db = open_database(settings.db_path)
        self.commands = Commands(self.db.conn, settings)
        self.ingest_lock = threading.Lock()
        self.on_outcome = on_outcome
        self.sender: Sender | None = None
        self.deliveries: Deliveries | None = None
        self.watcher: DropFolderWatcher | None = None
        self.folder_problem: str | None = None  # why the drop folder cannot be scanned, if so
        self.ready = False  # post_init ran: the Bot can send
        self.answer_locks: dict[int, asyncio.Lock] = {}  # one chat's answers go in order
        # Digests wait for the first scan after start, or a restart would find "nothing new"
        # in files that arrived while the bot was down and close the day without them.
        self.first_scan_done = False
        # What /healthz judges by (monotonic seconds).
        self.started = time.monotonic()
        self.last_scan: float | None = None
        self.write_error: str | None = None  # the database's last refusal of an ingest write
        self.contact = TelegramContact()
        self.webhook_error: str | None = None
        self.status_server: StatusServer | None = None
        self.unreachable = RetryNotice()  # Telegram lost while polling: a warning a minute
        self.polling_error = ""  # the last polling failure, for that warning
        self.unreachable_job: Any = None  # the pending look at whether it is still lost
        self.app: Application | None = None
        # Tasks started while PTB's application is not running (see spawn).
        self.outside_tasks: set[asyncio.Task] = set()

    def attach(self, app: Application) -> None:
        """Create the sender and the deliveries over the application's Bot."""
        self.app = app
        pacer = Pacer(self.settings.send_rate)
        self.sender = Sender(app.bot, pacer, on_outcome=self.count_outcome)
        self.deliveries = Deliveries(self.db.conn, self.settings, self.sender,
                                     spawn=self.spawn, on_digest=metrics.digest_finished)

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task:
        """Run `coro` as a task that is finished before the bot shuts down.

        While the application runs, PTB's create_task keeps the task (Application.stop awaits
        it, its errors reach on_error). Outside that time PTB would neither keep nor await it,
        and warns: post_init (PTB runs it before start) asks for the first stream pass, the
        first scan may finish before start, and while stopping PTB still handles pending
        updates, running jobs and watched files. Those tasks are kept here: post_stop awaits
        them (the Bot can still send), post_shutdown cancels any left.
        """
        if self.app is not None and self.app.running:
            return self.app.create_task(coro, name=name)
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self.outside_tasks.add(task)
        task.add_done_callback(self._outside_task_done)
        return task

    def _outside_task_done(self, task: asyncio.Task) -> None:
        self.outside_tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("task %s failed", task.get_name(), exc_info=task.exception())

    async def finish_outside_tasks(self, cancel: bool = False) -> None:
        """Await (or cancel) the tasks spawn kept, including any they start meanwhile."""
        while self.outside_tasks:
            tasks = list(self.outside_tasks)
            if cancel:
                for task in tasks:
                    task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self.outside_tasks.difference_update(tasks)

    def count_outcome(self, kind: str, outcome: Outcome) -> None:
        """The send module's one outcome hook: messages sent, by kind, in /metrics."""
        if outcome in (Outcome.SENT, Outcome.MAYBE_SENT) and kind in SEND_KINDS:
            metrics.sent(SEND_KINDS[kind])
        if self.on_outcome is not None:
            self.on_outcome(kind, outcome)

    # -- jobs -------------------------------------------------------------------------------

    async def ingest_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Scan the drop folder off the event loop, then post what is new at once."""
        await self.ingest_and_stream(None)

    async def ingest_and_stream(self, paths: list[Path] | None,
                                settle_seconds: float | None = None) -> None:
        """Ingest (the folder, or the paths the watcher saw) and deliver instant posts and
        alerts for what is new; commands keep being answered meanwhile. A scan's rejections
        are warnings (the operator must act on them)."""
        first = paths is None and not self.first_scan_done
        started = time.monotonic()
        report = await asyncio.to_thread(self._ingest_once, paths, settle_seconds)
        if report is None:
            return
        if first or report.new or report.updated or report.rejected or report.unstored:
            log.info("ingest: %s", report.summary_line())
        # What /healthz says of writes: the last scan's refusal, or none once a scan stored
        # everything it read.
        self.write_error = report.unstored[-1][1] if report.unstored else None
        if paths is None:  # a scan of the whole folder
            self.last_scan = time.monotonic()
            metrics.scanned(report.new, report.updated, report.unchanged,
                            [reason for _, reason in report.rejected], report.watched,
                            self.last_scan - started, time.time())
        for path, reason in report.rejected:
            log.warning("rejected %s: %s", path, reason)
        for path, error in report.unstored:
            log.error("could not store %s (%s): it is read again at the next scan", path, error)
        # Before post_init the Bot cannot send yet: post_init starts the first stream pass.
        # An updated story may be a correction or withdrawal (messages to edit) or one whose
        # new version lifted its embargo (to post as new).
        if (report.new or report.updated) and self.deliveries is not None and self.ready:
            self.deliveries.request_stream()
            self.deliveries.request_edits()

    def _ingest_once(self, paths: list[Path] | None,
                     settle_seconds: float | None) -> IngestReport | None:
        # A periodic scan is skipped while the previous one runs; a scan for files the watcher
        # saw waits for it instead, so a watched file is never skipped.
        if not self.ingest_lock.acquire(blocking=paths is not None):
            return None
        try:
            try:
                conn = connect_db(self.settings.db_path)  # its own connection: it lives in a thread
                try:
                    return ingest_with(conn, self.settings, paths, settle_seconds=settle_seconds)
                finally:
                    conn.close()
            except sqlite3.OperationalError as error:
                # The whole scan's commit refused (a full disk, a read-only file): one line.
                log.error("ingest failed: the database refused the scan's writes (%s); "
                          "everything is read again at the next scan", error)
                self.write_error = str(error)
                return None
            except Exception:
                log.exception("ingest failed")
                return None
        finally:
            # Digests may start now: only a scan of the folder that ran (even one that failed)
            # opens them.
            if paths is None:
                self.first_scan_done = True
            self.ingest_lock.release()

    async def digest_tick(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Every tick: start the digests that are due, and post anything still pending."""
        if not self.first_scan_done or self.deliveries is None:
            return
        self.check_drop_folder()
        now = datetime.now(UTC)
        # Before the digests, so a story released this minute is in a digest due this minute.
        self.deliveries.lift_embargoes(now)
        metrics.digests_due(self.deliveries.start_due_digests(now))
        # The safety net for instant posts: held-back bursts and anything a failed pass left;
        # and for edits a pass could not finish (Telegram unreachable, a restart).
        self.deliveries.request_stream()
        self.deliveries.request_edits()

    def check_drop_folder(self) -> None:
        """Say when the drop folder goes missing and when it is back; then watch the folder
        made again at its place and scan it (inotify stops with the folder it watched, so
        files renamed in waited for the periodic scan, NEWSBOT_INGEST_INTERVAL)."""
        problem = drop_folder_problem(self.settings.articles_dir)
        if problem != self.folder_problem:
            if problem:
                log.warning("%s", problem)
            else:
                log.info("drop folder %s is there again", self.settings.articles_dir)
            self.folder_problem = problem
        watcher = self.watcher
        if problem is None and watcher is not None and not watcher.watching() \
                and watcher.rewatch():
            self.spawn(self.ingest_and_stream(None), "rescan")

    # -- handlers ---------------------------------------------------------------------------

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer a command through the shared command logic."""
        message = update.effective_message
        # A command may also be the caption of a photo or file (a screenshot sent with
        # "/search harbour" under it): it is answered as if typed.
        text = (message.text or message.caption) if message is not None else None
        if message is None or not text or self.sender is None:
            return
        received = time.monotonic()
        caller = await self.caller(update, context, text)
        # A message from a chat (or topic) the bot had stopped serving, after a 403, shows it
        # can be served again: a user who unblocked the bot while it was down a day or more
        # (Telegram's membership update was lost) types /start, and gets digests again.
        chat_store.reactivate(self.db.conn, caller.chat_id, datetime.now(UTC), caller.thread_id)
        try:
            replies = await self.replies_for(caller, text, context)
        except Exception:  # a bug in one command: tell the user, keep serving the others
            log.exception("command failed in chat %s", caller.chat_id)
            with i18n.using(self.commands.language_for(caller)):
                replies = [Reply(_("Sorry, that did not work; the error is in the bot's log."))]
        if not replies and caller.chat_type == "channel":
            log.info("a command posted in channel %s is ignored: channels are set up from a "
                     "private chat with the bot (/addchannel, /settings @channel)", caller.chat_id)
        # Sent by a task of its own: PTB handles updates one at a time, and waiting here for
        # this chat's one-message-a-second pace would hold every other chat's command too.
        # (While stopping, PTB still handles pending updates: spawn keeps those answers too.)
        self.spawn(self._answer(caller, text, replies, received),
                   f"answer-{caller.chat_id}")

    async def _answer(self, caller: Caller, text: str, replies: list[Reply],
                      received: float) -> None:
        """Send a command's replies in order per chat (a digest through the ledger), then
        count the latency."""
        address = Address(caller.chat_id, caller.thread_id)
        async with self.answer_locks.setdefault(caller.chat_id, asyncio.Lock()):
            if replies and replies[-1].digest_cursor is not None:
                ids = [article for reply in replies for article in reply.article_ids]
                if chat_store.delivered(self.db.conn, caller.chat_id, ids, caller.thread_id):
                    # A digest sent meanwhile (a /digest just before) took some of these:
                    # build it again now, so nothing goes out twice.
                    replies = self.commands.handle(caller, text)
            if replies and replies[-1].digest_cursor is not None and self.deliveries is not None:
                await self.deliveries.deliver_now(address, replies)
            elif self.sender is not None:
                for reply in replies:
                    await self.sender.send(address, reply, Priority.REPLY)
        metrics.replied(time.monotonic() - received)

    async def replies_for(self, caller: Caller, text: str,
                          context: ContextTypes.DEFAULT_TYPE) -> list[Reply]:
        """The command's replies; /addchannel first asks Telegram what the bot may do there."""
        parsed = parse_command(text)
        if parsed is not None and parsed[0] == "addchannel" and self.commands.is_bot_admin(caller):
            check: ChannelCheck | None = None
            if parsed[1]:
                check = await check_channel(context.bot, parsed[1])
            return self.commands.add_channel(caller, parsed[1], check)
        return self.commands.handle(caller, text)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Page a list or change a setting from an inline button, editing the message."""
        query = update.callback_query
        if query is None or query.data is None or query.message is None or self.sender is None:
            return
        caller = await self.caller(update, context, query.data)
        replies = self.commands.callback(caller, query.data)
        if len(replies) == 1 and replies[0].outcome not in (Answer.OK, Answer.EMPTY):
            # A refusal or a stale button: a notice over the message, which stays as it is.
            await self._answer_press(query, caller.chat_id, to_plain(replies[0].text)[:200])
            return
        await self._answer_press(query, caller.chat_id)  # stops the spinner; the edit matters
        if len(replies) > 1:  # a page longer than one message: sent anew, not squeezed in
            # to the chat, not as replies: the pressed message may be old
            address = Address(caller.chat_id, caller.thread_id)
            async with self.answer_locks.setdefault(caller.chat_id, asyncio.Lock()):
                for reply in replies:
                    await self.sender.send(address, reply, Priority.REPLY)
            return
        await self.sender.edit(query.message.chat.id, query.message.message_id, replies[0])

    @staticmethod
    async def _answer_press(query: Any, chat_id: int, notice: str | None = None) -> None:
        """Answer a button press (with a notice, if given). Telegram takes an answer only for
        seconds: a press read after a restart, or pressed twice, cannot be answered, and that
        is no error of ours (the edit still goes out)."""
        try:
            await query.answer(notice, show_alert=notice is not None)
        except TelegramError as error:
            log.info("could not answer a button press in %s: %s", chat_id, error)

    async def on_migrate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Keep a group's subscription when Telegram turns it into a supergroup."""
        message = update.effective_message
        if message and message.migrate_to_chat_id:
            chat_store.migrate_chat(self.db.conn, message.chat_id, message.migrate_to_chat_id)
            log.info("chat %s migrated to %s", message.chat_id, message.migrate_to_chat_id)

    async def on_topic_reopened(self, update: Update,
                                context: ContextTypes.DEFAULT_TYPE) -> None:
        """A forum topic reopened: what waited while it was closed goes out at the next tick."""
        message = update.effective_message
        if message is not None and self.deliveries is not None:
            self.deliveries.release(message.chat_id)

    async def on_membership(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Stop delivering to a chat that removed the bot; resume when it is added back."""
        change = update.my_chat_member
        if change is None:
            return
        status = change.new_chat_member.status
        chat_id = change.chat.id
        if status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
            # Every target of the chat, its forum topics too (which may have no row of the
            # chat itself).
            chat_store.deactivate(self.db.conn, chat_id, f"bot {status} by the chat")
            log.info("removed from chat %s: deliveries stopped", chat_id)
        else:
            chat_store.reactivate(self.db.conn, chat_id, datetime.now(UTC))
            # Its admins changed what the bot may do there (restricted it, or gave back the
            # right to post): a target held for want of that right is tried at the next tick.
            if self.deliveries is not None:
                self.deliveries.release(chat_id)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log handler errors (token-redacted by the log filter) and keep running."""
        if update is None and isinstance(context.error, NetworkError):
            # Polling failed: PTB retries on its own; one warning a minute says why.
            self.polling_error = context.error.message
            if self.unreachable.due():
                self.warn_unreachable()
            self.watch_unreachable(context.job_queue)
            return
        log.error("error while handling an update: %s", context.error,
                  exc_info=context.error if not isinstance(context.error, NetworkError) else None)

    def warn_unreachable(self) -> None:
        """The one-a-minute warning while polling cannot reach Telegram, with the last error."""
        log.warning("cannot reach %s (%s), retrying", api_host(self.settings.api_url),
                    self.polling_error)

    def watch_unreachable(self, jobs: Any) -> None:
        """Look again when the next warning is due. PTB's retries (1 s, growing to 30 s apart)
        would put the first repeat ~75 s after the first warning if only a failure warned."""
        if self.unreachable_job is None and jobs is not None:
            self.unreachable_job = jobs.run_once(self.still_unreachable,
                                                 when=self.unreachable.remaining(),
                                                 name="unreachable")

    async def still_unreachable(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A minute after a 'cannot reach' warning: warn again unless Telegram answered since."""
        self.unreachable_job = None
        answered, warned = self.contact.last_answer, self.unreachable.last
        if answered is not None and warned is not None and answered > warned:
            self.unreachable.reset()  # back: a new loss warns at once
            return
        if self.unreachable.due():
            self.warn_unreachable()
        self.watch_unreachable(context.job_queue)

    async def caller(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                     text: str) -> Caller:
        """Who is asking; in groups, ask Telegram whether they administer the group."""
        chat = update.effective_chat
        user = update.effective_user
        can_manage = True
        if chat.type in ("group", "supergroup") and needs_manage(text):
            can_manage = await self.is_group_admin(context, chat.id, update)
        message = update.effective_message
        # In a forum, a command typed in a topic is about that topic (0: the General topic).
        thread = (message.message_thread_id or 0) if message is not None \
            and message.is_topic_message else 0
        return Caller(chat_id=chat.id, user_id=user.id if user else None, chat_type=chat.type,
                      chat_title=chat.title, can_manage=can_manage, thread_id=thread,
                      language_code=user.language_code if user else None)

    async def is_group_admin(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int,
                             update: Update) -> bool:
        """Whether the sender administers the group (anonymous admins post as the group)."""
        message = update.effective_message
        if message is not None and message.sender_chat and message.sender_chat.id == chat_id:
            return True
        user = update.effective_user
        if user is None:
            return False
        try:
            member = await context.bot.get_chat_member(chat_id, user.id)
        except TelegramError as error:
            log.warning("could not check admin status in %s: %s", chat_id, error)
            return False
        return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)

    # -- start-up ---------------------------------------------------------------------------

    async def post_init(self, app: Application) -> None:
        """Set the webhook, register the command menu and the channel, watch the folder."""
        # Commands addressed to another bot (/latest@other_bot) are then ignored.
        self.commands.bot_username = app.bot.username
        if self.settings.webhook_url:
            await self.register_webhook(app)
        await self.register_commands(app)
        if self.settings.channel:
            await self.register_channel(app)
        # The first scan started in run_bot; what it found before now goes out from here.
        self.ready = True
        if self.deliveries is not None:
            self.deliveries.request_stream()
        if self.settings.watch:
            self.watcher = DropFolderWatcher(
                self.settings.articles_dir, asyncio.get_running_loop(),
                lambda paths, settle: self.spawn(self.ingest_and_stream(paths, settle),
                                                 "watched-ingest"),
                settle_seconds=self.settings.settle_seconds)
            self.watcher.start()

    async def register_commands(self, app: Application) -> None:
        """The command menu in each language, and NEWSBOT_LANGUAGE's for every other client."""
        menus = [(code, code) for code in i18n.LANGUAGES] + [(None, self.settings.language)]
        for language_code, language in menus:
            with i18n.using(language):
                menu = [BotCommand(name, text[:256]) for name, text in command_menu()]
            try:
                await app.bot.set_my_commands(menu, language_code=language_code)
            except TelegramError as error:
                log.warning("could not set the command menu (%s): %s",
                            language_code or "default", error)

    async def register_webhook(self, app: Application) -> None:
        """Try setWebhook once, so a URL Telegram refuses stops the start with its reason."""
        # PTB's bootstrap calls setWebhook again (harmless) and retries network errors
        # forever, but it would also retry a refusal forever with nothing logged above DEBUG.
        options = webhook_options(self.settings)
        try:
            await app.bot.set_webhook(options.webhook_url, secret_token=options.secret_token,
                                      allowed_updates=Update.ALL_TYPES)
        except BadRequest as error:
            raise WebhookRefused(error.message) from None
        except (NetworkError, RetryAfter) as error:
            log.warning("could not set the webhook yet (%s); retrying", error)

    async def post_stop(self, app: Application) -> None:
        """Stop watching the drop folder, then finish the tasks started while PTB was not
        running (Application.stop has awaited its own; the Bot can still send)."""
        self.stop_watching()
        await self.finish_outside_tasks()

    async def post_shutdown(self, app: Application) -> None:
        """Stop watching the drop folder, cancel any task left (post_stop runs only after a
        start), and stop the health and metrics server."""
        self.stop_watching()
        await self.finish_outside_tasks(cancel=True)
        if self.status_server is not None:
            await self.status_server.stop()

    def stop_watching(self) -> None:
        """Stop the drop-folder watcher, if it runs."""
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None

    # -- health -----------------------------------------------------------------------------

    async def health_facts(self) -> Facts:
        """What /healthz judges: the database answers, scan and Telegram ages, webhook errors."""
        error = await database_error(self.settings.db_path)
        write_error = self.write_error
        if self.deliveries is not None and self.deliveries.unwritten:
            write_error = "deliveries paused until the delivery ledger can be written"
        return Facts(now=time.monotonic(), started=self.started, database_error=error,
                     last_scan=self.last_scan, last_telegram_answer=self.contact.last_answer,
                     webhook_error=self.webhook_error, write_error=write_error)

    def health_limits(self) -> Limits:
        """How old the last scan and Telegram's last answer may be."""
        return Limits(scan_age=self.settings.scan_age_limit,
                      telegram_silence=self.settings.health_telegram_seconds)

    async def webhook_probe(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Ask Telegram how webhook delivery goes; also keeps 'Telegram answered' fresh."""
        # With a webhook the bot calls Telegram only to send; without this, a quiet night
        # would look like Telegram being unreachable.
        try:
            info = await context.bot.get_webhook_info()
        except TelegramError as error:
            log.warning("could not ask Telegram about the webhook: %s", error)
            return
        problem = recent_delivery_error(info.last_error_date, info.last_error_message,
                                        info.pending_update_count, datetime.now(UTC),
                                        self.settings.health_telegram_seconds)
        if problem != self.webhook_error and problem is not None:
            log.warning("Telegram cannot deliver updates to the webhook: %s", problem)
        self.webhook_error = problem

    async def register_channel(self, app: Application) -> None:
        """NEWSBOT_CHANNEL: a managed channel with the default settings (a shortcut for
        /addchannel); it keeps any settings its admins gave it since."""
        check = await check_channel(app.bot, self.settings.channel or "")
        if not check.ok:
            log.warning("channel %s: %s", self.settings.channel, check.problem)
            return
        changes = {"type": check.type, "title": check.title, "username": check.username,
                   "managed": True}
        # subscribe() keeps a served channel as it is, and serves again one that removed the
        # bot and has it back.
        chat_store.subscribe(self.db.conn, check.chat_id, datetime.now(UTC), **changes)
        log.info("channel %s (%s) receives deliveries", self.settings.channel, check.chat_id)


def build_application(settings: Settings,
                      on_outcome: OutcomeHook | None = None) -> tuple[Application, NewsBot]:
    """Assemble the PTB application with handlers and jobs, pointed at TELEGRAM_API_URL.

    No PTB rate limiter: bot.send paces every message (overall, per chat, per group) and is
    the only place that retries, so a flood wait is never handled twice.
    """
    newsbot = NewsBot(settings, on_outcome)
    app = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(f"{settings.api_url}/bot")
        .base_file_url(f"{settings.api_url}/file/bot")
        # PTB's own pool sizes (256, and 1 for getUpdates); watched for /healthz and /metrics.
        .request(WatchedRequest(newsbot.contact, connection_pool_size=256))
        .get_updates_request(WatchedRequest(newsbot.contact, connection_pool_size=1))
        .post_init(newsbot.post_init)
        .post_stop(newsbot.post_stop)
        .post_shutdown(newsbot.post_shutdown)
        .build()
    )
    newsbot.attach(app)
    names = [name for name, _text in COMMANDS] + ["start", "stats", "embargoed",
                                                  *ADMIN_COMMANDS]
    app.add_handler(CommandHandler(names, newsbot.on_command))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, newsbot.on_migrate))
    app.add_handler(MessageHandler(filters.StatusUpdate.FORUM_TOPIC_REOPENED,
                                   newsbot.on_topic_reopened))
    app.add_handler(MessageHandler(filters.COMMAND, newsbot.on_command))  # unknown commands
    app.add_handler(MessageHandler(filters.CAPTION & filters.CaptionRegex(r"^\s*/"),
                                   newsbot.on_command))  # a command as a photo's caption
    # Plain text in a private chat gets a hint; in groups it is talk between people.
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE,
                                   newsbot.on_command))
    app.add_handler(CallbackQueryHandler(newsbot.on_button))
    app.add_handler(ChatMemberHandler(newsbot.on_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_error_handler(newsbot.on_error)
    jobs = app.job_queue
    # The first scan starts in run_bot, at once, while connecting (a `first` moment computed
    # here is already past when the JobQueue starts after a slow start-up, and APScheduler then
    # waits a whole interval); PTB cannot start a repeating job at once.
    jobs.run_repeating(newsbot.ingest_job, interval=settings.ingest_interval,
                       first=settings.ingest_interval, name="ingest")
    jobs.run_repeating(newsbot.digest_tick, interval=settings.schedule_tick,
                       first=_to_next_tick(settings.schedule_tick), name="digests")
    if settings.webhook_url:
        # Three looks per allowed silence, so one lost probe does not make the bot "unhealthy".
        jobs.run_repeating(newsbot.webhook_probe, interval=settings.health_telegram_seconds / 3,
                           first=1, name="webhook-probe")
    return app, newsbot


def run_bot(settings: Settings) -> int:
    """Run until SIGINT/SIGTERM, long polling or on the webhook; returns the exit status."""
    app, newsbot = build_application(settings)
    # One loop for the whole run: the first scan, the status server, connecting, then PTB's
    # run_polling/run_webhook (which take the current loop).
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    if settings.http_port is not None:
        try:
            sockets = listen_sockets(settings.http_listen, settings.http_port)
        except OSError as error:
            print("newsbot: " + _("cannot serve health and metrics on {address}: {error}").format(
                address=f"{settings.http_listen}:{settings.http_port}",
                error=error.strerror or error), file=sys.stderr)
            return 2
        newsbot.status_server = StatusServer(sockets, newsbot.health_facts,
                                             newsbot.health_limits())
        # Serve from the start, on the loop PTB will run, not only after getMe worked: a bot
        # that cannot reach Telegram at boot can say so.
        newsbot.status_server.start()
        metrics.watch_database(settings.db_path)
        log.info("health and metrics on http://%s:%d/healthz and /metrics",
                 settings.http_listen, settings.http_port)
    # Start-up objects live as long as the process: keep the collector from rescanning them,
    # which showed up as 20 ms pauses in digest building at a million articles.
    gc.freeze()
    log.info("newsbot starting: Bot API at %s, drop folder %s, database %s",
             settings.api_url, settings.articles_dir, settings.db_path)
    if problem := drop_folder_problem(settings.articles_dir):
        log.warning("%s", problem)
        newsbot.folder_problem = problem
    # The first scan starts at once, while connecting: /latest has news as soon as we answer.
    first_scan = loop.create_task(newsbot.ingest_and_stream(None), name="first-scan")
    try:
        user = _until_stopped(loop, connect(app, settings.api_url))
        if user is None:
            return 0
        log.info("connected as @%s, %s", user.username,
                 "webhook" if settings.webhook_url else "polling")
        if settings.webhook_url:
            return _run_webhook(app, settings)
        # Polling deletes any webhook first (PTB's bootstrap does), so switching back works.
        app.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1,
                        close_loop=False)
    except InvalidToken:
        print("newsbot: " + _("Telegram rejected TELEGRAM_BOT_TOKEN; get a token from "
                              "@BotFather."), file=sys.stderr)
        return 2
    except WebhookRefused as error:
        print("newsbot: " + _("Telegram refused NEWSBOT_WEBHOOK_URL {url}: {error}").format(
            url=settings.webhook_url, error=error), file=sys.stderr)
        return 2
    finally:
        if not first_scan.done():  # stopped mid-scan: the scan's thread finishes on its own
            first_scan.cancel()
            loop.run_until_complete(asyncio.gather(first_scan, return_exceptions=True))
        loop.close()
    return 0


def _run_webhook(app: Application, settings: Settings) -> int:
    options = webhook_options(settings)
    busy = listen_problem(options.listen, options.port)
    if busy is not None:
        print("newsbot: " + _("cannot listen for the webhook on {address}: {error}").format(
            address=f"{options.listen}:{options.port}", error=busy), file=sys.stderr)
        return 2
    log.info("webhook mode: Telegram posts to %s, served on %s:%d%s", options.webhook_url,
             options.listen, options.port, options.url_path)
    # Updates that arrive while the bot is down wait at Telegram (no drop_pending_updates),
    # and the webhook stays set on shutdown so they keep waiting there, not in getUpdates.
    app.run_webhook(listen=options.listen, port=options.port, url_path=options.url_path,
                    webhook_url=options.webhook_url, secret_token=options.secret_token,
                    allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1,
                    close_loop=False)
    return 0


def _until_stopped(loop: asyncio.AbstractEventLoop, work: Awaitable[Any]) -> Any:
    """Run `work` on the loop; SIGINT/SIGTERM cancel it (PTB's handlers come later): None."""
    task = loop.create_task(work)
    stops = (signal.SIGINT, signal.SIGTERM)
    for number in stops:
        loop.add_signal_handler(number, task.cancel)
    try:
        return loop.run_until_complete(task)
    except asyncio.CancelledError:
        log.info("stopped before Telegram answered")
        return None
    finally:
        for number in stops:
            loop.remove_signal_handler(number)


def _to_next_tick(tick: float) -> float:
    # Align minute ticks to the wall clock so a digest set for 08:00 goes out at 08:00:0x.
    if tick < 60:
        return tick
    now = datetime.now(UTC)
    return 60 - now.second - now.microsecond / 1e6 + 0.5

