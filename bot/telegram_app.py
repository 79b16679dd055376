"""The Telegram front end: PTB application, handlers, the ingest and digest jobs, sending.

Everything a command says comes from bot.commands; this module only translates between Telegram
updates and Caller/Reply, and between PTB errors and bot.delivery's outcomes.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ChatMemberStatus, ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import (
    AIORateLimiter,
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
from bot.commands import (
    COMMANDS,
    Caller,
    Commands,
    Outcome,
    Reply,
    command_menu,
    digest_replies,
    needs_manage,
)
from bot.connect import RetryNotice, api_host, connect
from bot.delivery import ChatMoved, ChatUnreachable, MaybeDelivered, RetryLater, deliver
from bot.health import Facts, Limits
from bot.i18n import _
from bot.ingest import drop_folder_problem, ingest_with
from bot.metrics import SendKind
from bot.render import to_plain
from bot.schedule import due_chats
from bot.settings import Settings
from bot.status_server import StatusServer, database_error, listen_sockets
from bot.telegram_watch import TelegramContact, WatchedRequest
from bot.webhook import listen_problem, recent_delivery_error, webhook_options
from storage import chats as chat_store
from storage.chats import Chat
from storage.db import connect as connect_db
from storage.db import open_database

log = logging.getLogger(__name__)


class WebhookRefused(Exception):
    """Telegram refused setWebhook (a URL it cannot use): retrying would never help."""


FANOUT_CONCURRENCY = 16  # chats served at once; the rate limiter keeps the total at 30 msg/s


class NewsBot:
    """The running bot's state: settings, database connections, and its jobs."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.db = open_database(settings.db_path)
        self.commands = Commands(self.db.conn, settings)
        self.ingest_lock = threading.Lock()
        self.delivering: set[int] = set()
        self.fanout = asyncio.Semaphore(FANOUT_CONCURRENCY)
        # Digests wait for the first scan after start, or a restart would find "nothing new"
        # in files that arrived while the bot was down and close the day without them.
        self.first_scan_done = False
        # What /healthz judges by (monotonic seconds).
        self.started = time.monotonic()
        self.last_scan: float | None = None
        self.contact = TelegramContact()
        self.webhook_error: str | None = None
        self.status_server: StatusServer | None = None
        self.unreachable = RetryNotice()  # Telegram lost while polling: a warning a minute

    # -- sending ----------------------------------------------------------------------------

    async def send(self, app: Application, chat_id: int, reply: Reply) -> None:
        """Send one reply, translating Telegram's errors into delivery outcomes."""
        try:
            await app.bot.send_message(
                chat_id, reply.text, parse_mode=ParseMode.HTML,
                reply_markup=markup(reply),
                link_preview_options=LinkPreviewOptions(is_disabled=True))
            metrics.sent(SendKind.DIGEST)
        except RetryAfter as error:
            raise RetryLater("flood limit", _seconds(error.retry_after)) from None
        except ChatMigrated as error:
            raise ChatMoved(error.new_chat_id) from None
        except Forbidden as error:
            raise ChatUnreachable(error.message) from None
        except BadRequest as error:
            if "chat not found" in error.message.lower():
                raise ChatUnreachable(error.message) from None
            # Our HTML should always parse; if Telegram disagrees, the text still gets there.
            log.error("Telegram refused a message to %s (%s); sending it as plain text",
                      chat_id, error.message)
            await app.bot.send_message(chat_id, to_plain(reply.text)[:4096],
                                       reply_markup=markup(reply))
            metrics.sent(SendKind.DIGEST)
        except TimedOut as error:
            if reached_telegram(error):
                raise MaybeDelivered("Telegram's answer timed out") from None
            # Connect, pool or write timeout: the request never reached Telegram whole.
            raise RetryLater(f"network: {error.message}") from None
        except NetworkError as error:  # resets, 5xx: retried (a rare duplicate over a loss)
            raise RetryLater(f"network: {error.message}") from None

    async def deliver_digest(self, app: Application, chat_id: int, replies: list[Reply]) -> None:
        """Deliver one chat's digest, never two at once for the same chat."""
        if chat_id in self.delivering:
            return
        self.delivering.add(chat_id)
        try:
            await self._deliver(app, chat_id, replies)
        finally:
            self.delivering.discard(chat_id)

    async def _scheduled_digest(self, app: Application, chat: Chat, now: datetime) -> None:
        # Built here rather than in the tick, so 10,000 due chats do not hold the event loop
        # for seconds before the first message goes out; the caller marked the chat as busy.
        try:
            async with self.fanout:
                digest = self.commands.digest(chat, now)
                if digest.empty:
                    metrics.digest_finished("empty")
                else:
                    await self._deliver(app, chat.chat_id, digest_replies(digest))
        except Exception:  # one chat's failure must not stop the others
            log.exception("digest to %s failed", chat.chat_id)
        finally:
            self.delivering.discard(chat.chat_id)

    async def _deliver(self, app: Application, chat_id: int, replies: list[Reply]) -> None:
        # A group that turns into a supergroup mid-digest continues under its new id; that id
        # is busy too until this delivery ends, or the next tick would see it due (its cursor
        # has not moved yet) and send the same digest a second time.
        moved_to: list[int] = []

        def on_move(new_id: int) -> None:
            if new_id not in self.delivering:
                moved_to.append(new_id)
                self.delivering.add(new_id)

        try:
            result = await deliver(self.db.conn, chat_id, replies,
                                   lambda cid, reply: self.send(app, cid, reply),
                                   on_move=on_move)
            log.info("digest to %s: %s, %d message(s)", result.chat_id, result.outcome,
                     result.sent)
            metrics.digest_finished(result.outcome)
        except Exception:  # one chat's failure must not stop the others
            log.exception("digest to %s failed", chat_id)
            metrics.digest_finished("failed")
        finally:
            self.delivering.difference_update(moved_to)

    # -- jobs -------------------------------------------------------------------------------

    async def ingest_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Scan the drop folder off the event loop, so commands keep being answered."""
        await self.scan()

    async def scan(self) -> None:
        """One scan in a thread; its rejections are warnings (the operator must act on them)."""
        first = not self.first_scan_done
        started = time.monotonic()
        report = await asyncio.to_thread(self._ingest_once)
        if report is None:
            return
        if first or report.new or report.updated or report.rejected:
            log.info("ingest: %s", report.summary_line())
        self.last_scan = time.monotonic()
        metrics.scanned(report.new, report.updated, report.unchanged,
                        [reason for _, reason in report.rejected], report.watched,
                        self.last_scan - started, time.time())
        for path, reason in report.rejected:
            log.warning("rejected %s: %s", path, reason)

    def _ingest_once(self):
        if not self.ingest_lock.acquire(blocking=False):
            return None  # the previous scan is still running
        try:
            conn = connect_db(self.settings.db_path)  # its own connection: it lives in a thread
            try:
                return ingest_with(conn, self.settings)
            finally:
                conn.close()
        except Exception:
            log.exception("ingest failed")
            return None
        finally:
            # Digests may start now: only a scan that ran (even one that failed) opens them.
            self.first_scan_done = True
            self.ingest_lock.release()

    async def digest_tick(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Every tick: send the daily digest to every chat whose local digest time has come."""
        if not self.first_scan_done:
            return
        now = datetime.now(UTC)
        chats = chat_store.subscribed_chats(self.db.conn)
        due = [chat for chat in due_chats(chats, now, self.settings.digest_time,
                                          self.settings.timezone)
               if chat.chat_id not in self.delivering]
        metrics.digests_due(len(due))
        for chat in due:
            self.delivering.add(chat.chat_id)
            context.application.create_task(
                self._scheduled_digest(context.application, chat, now),
                name=f"digest-{chat.chat_id}")

    # -- handlers ---------------------------------------------------------------------------

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer a command through the shared command logic."""
        message = update.effective_message
        if message is None or not message.text:
            return
        received = time.monotonic()
        caller = await self.caller(update, context, message.text)
        try:
            replies = self.commands.handle(caller, message.text)
        except Exception:  # a bug in one command: tell the user, keep serving the others
            log.exception("command failed in chat %s", caller.chat_id)
            with i18n.using(self.commands.language_for(caller)):
                replies = [Reply(_("Sorry, that did not work; the error is in the bot's log."))]
        if replies and replies[-1].digest_cursor is not None:
            await self.deliver_digest(context.application, caller.chat_id, replies)
            metrics.replied(time.monotonic() - received)
            return
        for reply in replies:
            if await answer(lambda reply=reply: message.reply_html(
                    reply.text, reply_markup=markup(reply),
                    link_preview_options=LinkPreviewOptions(is_disabled=True), do_quote=False),
                    caller.chat_id):
                metrics.sent(SendKind.REPLY)
        metrics.replied(time.monotonic() - received)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Page a list or change a setting from an inline button, editing the message."""
        query = update.callback_query
        if query is None or query.data is None or query.message is None:
            return
        caller = await self.caller(update, context, query.data)
        replies = self.commands.callback(caller, query.data)
        if len(replies) == 1 and replies[0].outcome not in (Outcome.OK, Outcome.EMPTY):
            # A refusal or a stale button: a notice over the message, which stays as it is.
            await query.answer(to_plain(replies[0].text)[:200], show_alert=True)
            return
        try:
            await query.answer()
        except TelegramError as error:  # only stops the spinner; the edit below matters
            log.info("could not answer a button press in %s: %s", caller.chat_id, error)
        if len(replies) > 1:  # a page longer than one message: sent anew, not squeezed in
            for reply in replies:  # to the chat, not as replies: the pressed message may be old
                await answer(lambda reply=reply: context.bot.send_message(
                    caller.chat_id, reply.text, parse_mode=ParseMode.HTML,
                    reply_markup=markup(reply),
                    link_preview_options=LinkPreviewOptions(is_disabled=True)), caller.chat_id)
            return
        reply = replies[0]
        try:
            if await answer(lambda: query.edit_message_text(
                    reply.text, parse_mode=ParseMode.HTML, reply_markup=markup(reply),
                    link_preview_options=LinkPreviewOptions(is_disabled=True)), caller.chat_id):
                metrics.sent(SendKind.EDIT)
        except BadRequest as error:
            if "not modified" not in error.message.lower():
                raise

    async def on_migrate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Keep a group's subscription when Telegram turns it into a supergroup."""
        message = update.effective_message
        if message and message.migrate_to_chat_id:
            chat_store.migrate_chat(self.db.conn, message.chat_id, message.migrate_to_chat_id)
            log.info("chat %s migrated to %s", message.chat_id, message.migrate_to_chat_id)

    async def on_membership(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Stop delivering to a chat that removed the bot; resume when it is added back."""
        change = update.my_chat_member
        if change is None:
            return
        status = change.new_chat_member.status
        chat_id = change.chat.id
        if status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
            if chat_store.get_chat(self.db.conn, chat_id) is not None:
                chat_store.deactivate(self.db.conn, chat_id, f"bot {status} by the chat")
                log.info("removed from chat %s: deliveries stopped", chat_id)
        elif chat_store.get_chat(self.db.conn, chat_id) is not None:
            chat_store.update_chat(self.db.conn, chat_id, active=True, inactive_reason=None)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log handler errors (token-redacted by the log filter) and keep running."""
        if update is None and isinstance(context.error, NetworkError):
            # Polling failed: PTB retries on its own; one warning a minute says why.
            if self.unreachable.due():
                log.warning("cannot reach %s (%s), retrying", api_host(self.settings.api_url),
                            context.error.message)
            return
        log.error("error while handling an update: %s", context.error,
                  exc_info=context.error if not isinstance(context.error, NetworkError) else None)

    async def caller(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                     text: str) -> Caller:
        """Who is asking; in groups, ask Telegram whether they administer the group."""
        chat = update.effective_chat
        user = update.effective_user
        can_manage = True
        if chat.type in ("group", "supergroup") and needs_manage(text):
            can_manage = await self.is_group_admin(context, chat.id, update)
        return Caller(chat_id=chat.id, user_id=user.id if user else None, chat_type=chat.type,
                      chat_title=chat.title, can_manage=can_manage,
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
        """Set the webhook, register the command menu and the channel."""
        # Commands addressed to another bot (/latest@other_bot) are then ignored.
        self.commands.bot_username = app.bot.username
        if self.settings.webhook_url:
            await self.register_webhook(app)
        await self.register_commands(app)
        if self.settings.channel:
            await self.register_channel(app)

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

    async def post_shutdown(self, app: Application) -> None:
        """Stop the health and metrics server."""
        if self.status_server is not None:
            await self.status_server.stop()

    # -- health -----------------------------------------------------------------------------

    async def health_facts(self) -> Facts:
        """What /healthz judges: the database answers, scan and Telegram ages, webhook errors."""
        error = await database_error(self.settings.db_path)
        return Facts(now=time.monotonic(), started=self.started, database_error=error,
                     last_scan=self.last_scan, last_telegram_answer=self.contact.last_answer,
                     webhook_error=self.webhook_error)

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
        """Subscribe NEWSBOT_CHANNEL to every daily digest."""
        channel = self.settings.channel
        try:
            chat = await app.bot.get_chat(int(channel) if channel.lstrip("-").isdigit()
                                          else channel)
        except TelegramError as error:
            log.warning("channel %s is not reachable (%s): is the bot an admin there?",
                        channel, error)
            return
        chat_store.subscribe(self.db.conn, chat.id, datetime.now(UTC), type="channel",
                             title=chat.title)
        log.info("channel %s (%s) receives the daily digests", channel, chat.id)


def reached_telegram(error: TimedOut) -> bool:
    """Tell whether a timed-out request was sent whole, so Telegram has likely acted on it."""
    # Only a read timeout comes after the whole request went out; resending then would most
    # likely show the message twice. Connect, pool and write timeouts never reached Telegram.
    return isinstance(error.__cause__, httpx.ReadTimeout)


async def answer(call: Callable[[], Awaitable[Any]], chat_id: int, attempts: int = 3,
                 base_delay: float = 0.5) -> bool:
    """Make a reply call, again after a reset or a server error, so a user is not left unanswered.

    A refused request (BadRequest) is raised; a read timeout is not repeated, since Telegram has
    most likely shown the message already. Flood waits are the rate limiter's job. Returns
    whether the reply got through (or most likely did).
    """
    for attempt in range(1, attempts + 1):
        try:
            await call()
            return True
        except BadRequest:
            raise
        except TimedOut as error:
            if reached_telegram(error):
                log.warning("answer to chat %s may have been delivered (%s); not sending it "
                            "again", chat_id, error.message)
                return True
            failure: NetworkError = error
        except NetworkError as error:
            failure = error
        if attempt == attempts:
            log.warning("could not answer chat %s after %d tries: %s", chat_id, attempts,
                        failure.message)
            return False
        await asyncio.sleep(base_delay * 2 ** (attempt - 1))
    return False


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    """Inline keyboard for a reply's buttons, or None."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.text, callback_data=b.data)
                                  for b in row] for row in reply.buttons])


def build_application(settings: Settings) -> tuple[Application, NewsBot]:
    """Assemble the PTB application with handlers and jobs, pointed at TELEGRAM_API_URL."""
    newsbot = NewsBot(settings)
    app = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(f"{settings.api_url}/bot")
        .base_file_url(f"{settings.api_url}/file/bot")
        # PTB's own pool sizes (256, and 1 for getUpdates); watched for /healthz and /metrics.
        .request(WatchedRequest(newsbot.contact, connection_pool_size=256))
        .get_updates_request(WatchedRequest(newsbot.contact, connection_pool_size=1))
        # One message every 1/send_rate s, never a burst: a burst over Telegram's ~30 msg/s
        # earns a 429 that pauses every send for a second (bench/results/fanout.md).
        .rate_limiter(AIORateLimiter(overall_max_rate=1,
                                     overall_time_period=1 / settings.send_rate, max_retries=3))
        .post_init(newsbot.post_init)
        .post_shutdown(newsbot.post_shutdown)
        .build()
    )
    names = [name for name, _text in COMMANDS] + ["start", "stats"]
    app.add_handler(CommandHandler(names, newsbot.on_command))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, newsbot.on_migrate))
    app.add_handler(MessageHandler(filters.COMMAND, newsbot.on_command))  # unknown commands
    # Plain text in a private chat gets a hint; in groups it is talk between people.
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE,
                                   newsbot.on_command))
    app.add_handler(CallbackQueryHandler(newsbot.on_button))
    app.add_handler(ChatMemberHandler(newsbot.on_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_error_handler(newsbot.on_error)
    jobs = app.job_queue
    # The first scan runs at start (run_bot); PTB cannot start a repeating job at once.
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
    # The first scan starts at once, while connecting: /latest has news as soon as we answer.
    first_scan = loop.create_task(newsbot.scan(), name="first-scan")
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


def _seconds(value: Any) -> float:
    # PTB gives retry_after as int seconds or, in newer versions, a timedelta.
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)
