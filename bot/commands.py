"""Command logic shared by the Telegram bot and the console: text in, Reply objects out.

Nothing here knows Telegram; front ends turn a Reply into a message (HTML + inline buttons) or
into terminal text, and tell us who is asking (chat, user, may they change the chat's settings).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

import summarizer
from bot.digest import Digest, build_digest
from bot.render import article_item, escape, fit, format_when, link, list_messages
from bot.settings import Settings, SettingsError, check_timezone, parse_hhmm
from bot.throttle import Throttle
from storage import articles as article_store
from storage import chats as chat_store
from storage import files as file_store
from storage import filtered
from storage.articles import SearchSyntaxError
from storage.chats import Chat
from storage.db import transaction

LATEST_DEFAULT, LATEST_MAX = 5, 20
SEARCH_PAGE = 5
LENGTHS = (1, 2, 3, 5)
LANGUAGE_CHOICES = ("en", "nl", "fr", "de")
MAX_NUMBER = 2**63 - 1  # SQLite's integers: a larger article number or offset exists nowhere
FILTERS_APPLY = "applies to /latest, /search and your digests"

COMMANDS: list[tuple[str, str]] = [
    ("latest", "newest articles: /latest [N]"),
    ("search", "full-text search: /search words"),
    ("article", "one article: full summary, tags, source, link: /article N"),
    ("digest", "what is new since your last digest"),
    ("subscribe", "daily digest: /subscribe [HH:MM]"),
    ("unsubscribe", "stop the daily digest"),
    ("settings", "time zone, digest time, length, filters"),
    ("timezone", "set the time zone: /timezone Europe/Brussels"),
    ("length", "summary sentences per article: /length 1-5"),
    ("languages", "only these languages: /languages nl,fr or all"),
    ("include", "only articles with these words: /include port, rail* or none"),
    ("exclude", "hide articles with these words: /exclude word, word or none"),
    ("help", "what this bot does"),
]
# Commands that cost database work per call: each user gets a burst of them, then a steady rate.
EXPENSIVE = {"search", "latest", "digest", "article"}
# Commands that change a chat's state: in groups only its administrators may use them.
MANAGING = {"subscribe", "unsubscribe", "timezone", "length", "languages", "include", "exclude"}


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button that sends `data` back (at most 64 bytes)."""

    text: str
    data: str


class Outcome(StrEnum):
    """What a reply tells, for front ends that answer differently (the CLI's exit status)."""

    OK = "ok"
    EMPTY = "empty"  # a valid request with nothing to show ("No articles yet.")
    NOT_FOUND = "not found"  # the thing asked for does not exist (/article 999)
    BAD_INPUT = "bad input"  # the request cannot be read; the text says how to fix it
    REFUSED = "refused"  # not allowed for this user


@dataclass(slots=True)
class Reply:
    """One message to show: Telegram-HTML text, optional buttons, and ledger bookkeeping."""

    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    outcome: Outcome = Outcome.OK
    article_ids: list[str] = field(default_factory=list)  # record as delivered once sent
    digest_cursor: int | None = None  # on the last message of a digest: move the cursor here


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is asking: the chat, the user, and whether they may change the chat's settings."""

    chat_id: int
    user_id: int | None = None
    chat_type: str = "private"
    chat_title: str | None = None
    can_manage: bool = True
    operator: bool = False  # the server's own operator (console, CLI): may use admin commands


def parse_command(text: str) -> tuple[str, str] | None:
    """('latest', '10') from '/latest@newsbot 10'; None when the text is not a command."""
    text = text.strip()
    if not text.startswith("/"):
        return None
    head, _, rest = text[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    return (name, rest.strip()) if name else None


def addressee(text: str) -> str | None:
    """The bot a command names: 'other_bot' from '/latest@other_bot 3', else None."""
    head = text.strip().partition(" ")[0]
    _, at, name = head.partition("@")
    return name if text.lstrip().startswith("/") and at and name else None


def needs_manage(text: str) -> bool:
    """Whether the command or button changes chat settings (group admins only)."""
    if text.startswith("set:"):
        return True
    parsed = parse_command(text)
    return parsed is not None and parsed[0] in MANAGING


class Commands:
    """The bot's commands over one database connection and the application's settings."""

    def __init__(self, conn: sqlite3.Connection, settings: Settings,
                 clock=lambda: datetime.now(UTC), throttle: Throttle | None = None) -> None:
        self.conn = conn
        self.settings = settings
        self.clock = clock
        self.throttle = throttle or Throttle()
        self.bot_username: str | None = None  # set once Telegram said who we are

    # -- dispatch ----------------------------------------------------------------------------

    def handle(self, caller: Caller, text: str) -> list[Reply]:
        """Answer one typed command; unknown commands and plain text get a short hint.

        In groups, where several bots listen, commands for another bot and unknown commands
        not addressed to us are ignored (no reply), and so is plain text.
        """
        parsed = parse_command(text)
        group = caller.chat_type in ("group", "supergroup", "channel")
        if parsed is None:
            if group:
                return []
            return [Reply("I answer commands: /latest, /search words, /article N — send /help "
                          "for all of them.")]
        name, args = parsed
        target = addressee(text)
        if target and self.bot_username and target.lower() != self.bot_username.lower():
            return []
        known = name in ("start", "stats") or hasattr(self, f"cmd_{name}")
        if group and not known and not target:
            return []
        if name in EXPENSIVE and caller.user_id is not None:
            wait = self.throttle.wait_time(caller.user_id)
            if wait:
                return [Reply(f"Too many requests: please wait {max(1, round(wait))} s.")]
        if name in MANAGING and not caller.can_manage:
            return [Reply("Only this group's administrators can change its digest and settings.",
                          outcome=Outcome.REFUSED)]
        if name == "stats":
            return self.stats_for(caller)
        chat = self.chat(caller)
        handler = getattr(self, f"cmd_{name}", None)
        if name == "start":
            handler = self.cmd_help
        if handler is None:
            return [Reply(f"Unknown command /{escape(name, 40)}. Send /help for the list.",
                          outcome=Outcome.BAD_INPUT)]
        return handler(chat, args)

    def callback(self, caller: Caller, data: str) -> list[Reply]:
        """Answer an inline button press: the page or settings that replace its message.

        A refused or unreadable press gets one reply with that outcome (Telegram shows it as
        an alert); a page too long for one message comes as several replies.
        """
        if needs_manage(data) and not caller.can_manage:
            return [Reply("Only this group's administrators can change that.",
                          outcome=Outcome.REFUSED)]
        if caller.user_id is not None and self.throttle.wait_time(caller.user_id):
            return [Reply("Too many requests: please wait a few seconds and press again.",
                          outcome=Outcome.REFUSED)]
        chat = self.chat(caller)
        kind, _, rest = data.partition(":")
        first, _, second = rest.partition(":")
        if kind == "l" and _number(first) is not None and _number(second):
            return self._latest_page(chat, min(_number(second), LATEST_MAX), _number(first))
        if kind == "s" and _number(second) is not None:
            query = chat_store.load_query(self.conn, first)
            if query is None:
                return [Reply("This search has expired: send /search again.",
                              outcome=Outcome.NOT_FOUND)]
            return self._search_page(query, _number(second), chat)
        if kind == "set":
            return [self._settings_button(chat, rest)]
        return [Reply("This button is not (or no longer) valid: send the command again.",
                      outcome=Outcome.BAD_INPUT)]

    def latest(self, caller: Caller, count: int, offset: int = 0) -> list[Reply]:
        """The `count` newest articles from `offset` on, for front ends with their own paging."""
        if not 1 <= count <= LATEST_MAX:
            return [_latest_usage()]
        return self._latest_page(self.chat(caller), count, max(offset, 0))

    def search(self, caller: Caller, query: str, offset: int = 0) -> list[Reply]:
        """A page of search results from `offset` on, for front ends with their own paging."""
        return self._search_page(query, max(offset, 0), self.chat(caller))

    def preview_digest(self, caller: Caller) -> list[Reply]:
        """What the chat's digest would hold now, recording nothing (`newsbot digest`)."""
        chat = self.chat(caller)
        digest = self.build_digest(chat, self.clock())
        if digest.empty:
            return [self._nothing_new(chat, digest)]
        return digest_replies(digest)

    def chat(self, caller: Caller) -> Chat:
        """The caller's chat, created with the defaults on first contact."""
        return chat_store.ensure_chat(self.conn, caller.chat_id, caller.chat_type,
                                      caller.chat_title)

    def timezone(self, chat: Chat) -> str:
        """The chat's time zone, else the bot's default."""
        return chat.timezone or self.settings.timezone

    # -- reading -----------------------------------------------------------------------------

    def cmd_help(self, chat: Chat, args: str) -> list[Reply]:
        """What the bot does and the command list."""
        lines = [
            "<b>newsbot</b> summarizes the news files dropped on this server, offline, and "
            "sends you digests.",
            "",
            *(f"/{name} — {escape(text)}" for name, text in COMMANDS),
        ]
        return [Reply("\n".join(lines))]

    def cmd_latest(self, chat: Chat, args: str) -> list[Reply]:
        """The N newest articles, newest first, with paging buttons."""
        count = LATEST_DEFAULT
        if args:
            count = _number(args.strip()) or 0
            if not 1 <= count <= LATEST_MAX:  # one answer for 0, 21, 999 and -n 200
                return [_latest_usage()]
        return self._latest_page(chat, count, 0)

    def _latest_page(self, chat: Chat, count: int, offset: int) -> list[Reply]:
        items = filtered.latest(self.conn, count + 1, offset, _filters(chat))
        if not items:
            if offset:
                return [Reply("No older articles.", outcome=Outcome.EMPTY)]
            return [Reply("No articles match your filters (see /settings)." if _filters(chat).any
                          else "No articles yet.", outcome=Outcome.EMPTY)]
        more = len(items) > count
        items = items[:count]
        header = f"<b>Latest news</b> ({offset + 1}–{offset + len(items)})"
        blocks = [article_item(a, self.timezone(chat), chat.summary_sentences) for a in items]
        buttons = _page_buttons(offset, count, more, ("« Newer", "Older »"),
                                lambda start: f"l:{start}:{count}")
        return _paged(header, blocks, buttons)

    def cmd_search(self, chat: Chat, args: str) -> list[Reply]:
        """Full-text search, best matches first, with paging buttons."""
        if not args:
            return [Reply('Usage: /search words — e.g. /search sovereign cloud, '
                          '/search "critical infrastructure", /search energ*')]
        return self._search_page(args, 0, chat)

    def _search_page(self, query: str, offset: int, chat: Chat) -> list[Reply]:
        filters = _filters(chat)
        try:
            items = filtered.search(self.conn, query, SEARCH_PAGE + 1, offset, filters)
        except SearchSyntaxError as error:
            return [Reply(escape(str(error)), outcome=Outcome.BAD_INPUT)]
        if not items:
            if offset:
                return [Reply("No more results.", outcome=Outcome.EMPTY)]
            note = " matching your filters (see /settings)" if filters.any else ""
            return [Reply(f"Nothing found for <b>{escape(query, 200)}</b>{note}.",
                          outcome=Outcome.EMPTY)]
        more = len(items) > SEARCH_PAGE
        items = items[:SEARCH_PAGE]
        with transaction(self.conn):
            key = chat_store.save_query(self.conn, query)
        header = f"<b>Search:</b> {escape(query, 200)} ({offset + 1}–{offset + len(items)})"
        blocks = [article_item(a, self.timezone(chat), chat.summary_sentences) for a in items]
        buttons = _page_buttons(offset, SEARCH_PAGE, more, ("« Back", "More »"),
                                lambda start: f"s:{key}:{start}")
        return _paged(header, blocks, buttons)

    def cmd_article(self, chat: Chat, args: str) -> list[Reply]:
        """One article: title, source, author, date, full summary, tags, link."""
        number = args.strip().lstrip("#")
        if not number.isdigit():
            return [Reply("Usage: /article N — the number shown under each article.",
                          outcome=Outcome.BAD_INPUT)]
        seq = _number(number)
        article = article_store.get_article(self.conn, seq) if seq is not None else None
        if article is None:
            return [Reply(f"No article {escape(number, 30)}. Try /latest.",
                          outcome=Outcome.NOT_FOUND)]
        lines = [f"<b>{link(article.title, article.url)}</b>"]
        meta = [format_when(article.when, self.timezone(chat))]
        if article.author:
            meta.append(escape(article.author, 120))
        if article.language:
            meta.append(escape(article.language))
        lines.append(f"<i>{' · '.join(meta)}</i>")
        lines.append("")
        lines.extend(escape(sentence, 600) for sentence in article.summary)
        if article.tags:
            lines.append("")
            lines.append("Tags: " + escape(", ".join(article.tags[:20]), 500))
        source = article.source_file.rsplit("/", 1)[-1] if article.source_file else None
        footer = [f"source: {escape(source, 120)} ({escape(article.format or '?')})"
                  if source else None, f"/article {article.seq}"]
        lines.append("")
        lines.append(" · ".join(part for part in footer if part))
        return [Reply(fit("\n".join(lines)))]

    def cmd_digest(self, chat: Chat, args: str) -> list[Reply]:
        """Everything new for this chat since its last digest; 'nothing new' when empty."""
        digest = self.digest(chat, self.clock())
        if digest.empty:
            return [self._nothing_new(chat, digest)]
        return digest_replies(digest)

    def _nothing_new(self, chat: Chat, digest: Digest) -> Reply:
        since = format_when(digest.since, self.timezone(chat)) if digest.since else "ever"
        if digest.filtered_out:
            return Reply(f"{digest.filtered_out} new since {escape(since)}, none matching your "
                         "filters (see /settings).", outcome=Outcome.EMPTY)
        return Reply(f"Nothing new since {escape(since)}.", outcome=Outcome.EMPTY)

    def build_digest(self, chat: Chat, now: datetime) -> Digest:
        """This chat's digest as of `now` (not yet sent)."""
        return build_digest(self.conn, chat, self.timezone(chat), now)

    def digest(self, chat: Chat, now: datetime) -> Digest:
        """This chat's digest as of `now`; an empty one is closed at once (nothing to send)."""
        digest = self.build_digest(chat, now)
        if digest.empty:
            chat_store.finish_digest(self.conn, chat.chat_id, digest.cursor, now)
        return digest

    # -- subscriptions and settings -----------------------------------------------------------

    def cmd_subscribe(self, chat: Chat, args: str) -> list[Reply]:
        """Daily digest at HH:MM local time (default NEWSBOT_DIGEST_TIME)."""
        at = args or chat.digest_time or self.settings.digest_time
        parsed = parse_hhmm(at)
        if parsed is None:
            return [Reply("Usage: /subscribe [HH:MM], e.g. /subscribe 07:30")]
        at = f"{parsed[0]:02d}:{parsed[1]:02d}"
        chat_store.subscribe(self.conn, chat.chat_id, self.clock(), digest_time=at)
        return [Reply(f"Subscribed: a digest every day at <b>{at}</b> "
                      f"({escape(self.timezone(chat))}). Change the zone with /timezone.")]

    def cmd_unsubscribe(self, chat: Chat, args: str) -> list[Reply]:
        """Stop the daily digest."""
        if not chat.subscribed:
            return [Reply("This chat has no daily digest. /subscribe starts one.")]
        chat_store.update_chat(self.conn, chat.chat_id, subscribed=False)
        return [Reply("Unsubscribed: no more daily digests. /subscribe to start again.")]

    def cmd_timezone(self, chat: Chat, args: str) -> list[Reply]:
        """Show or set the chat's time zone."""
        if not args:
            return [Reply(f"Time zone: <b>{escape(self.timezone(chat))}</b>. "
                          "Set it with /timezone Europe/Brussels")]
        try:
            check_timezone(args.strip())
        except SettingsError:
            return [Reply(f"Unknown time zone {escape(args, 60)}. Use a name like "
                          "Europe/Brussels, Europe/Amsterdam or America/New_York.")]
        chat_store.update_chat(self.conn, chat.chat_id, timezone=args.strip())
        return [Reply(f"Time zone set to <b>{escape(args.strip())}</b>.")]

    def cmd_length(self, chat: Chat, args: str) -> list[Reply]:
        """Set how many summary sentences each digest item shows."""
        most = self.settings.summary_sentences
        length = _number(args.strip())
        if length is None or not 1 <= length <= most:
            return [Reply(f"Usage: /length N with N from 1 to {most}.",
                          outcome=Outcome.BAD_INPUT)]
        chat_store.update_chat(self.conn, chat.chat_id, summary_sentences=length)
        return [Reply(f"Summaries now show {length} sentence(s) per article in /latest, "
                      "/search and your digests.")]

    def cmd_languages(self, chat: Chat, args: str) -> list[Reply]:
        """Only show articles in these languages (or all)."""
        if not args:
            current = ", ".join(chat.languages) or "all"
            return [Reply(f"Languages: <b>{escape(current)}</b> ({FILTERS_APPLY}). "
                          "Set with /languages nl,fr or /languages all")]
        if args.strip().lower() in ("all", "any", "*"):
            codes: tuple[str, ...] = ()
        else:
            parts = [part for part in args.replace(",", " ").split() if part]
            normalized = [summarizer.normalize_language(part) for part in parts]
            bad = [part for part, code in zip(parts, normalized, strict=True) if code is None]
            if bad:
                return [Reply(f"Unknown language {escape(bad[0], 30)}. Use codes like en, nl, "
                              "fr, de.", outcome=Outcome.BAD_INPUT)]
            codes = tuple(dict.fromkeys(code for code in normalized if code))
        chat_store.update_chat(self.conn, chat.chat_id, languages=codes)
        return [Reply(f"Languages: <b>{escape(', '.join(codes) or 'all')}</b> — "
                      f"{FILTERS_APPLY}.")]

    def cmd_include(self, chat: Chat, args: str) -> list[Reply]:
        """Only show articles mentioning one of these words (or none to clear)."""
        return self._keywords(chat, args, "include_keywords", "Only articles mentioning")

    def cmd_exclude(self, chat: Chat, args: str) -> list[Reply]:
        """Hide articles mentioning any of these words (or none to clear)."""
        return self._keywords(chat, args, "exclude_keywords", "Hiding articles mentioning")

    def _keywords(self, chat: Chat, args: str, field_name: str, label: str) -> list[Reply]:
        if not args:
            current = ", ".join(getattr(chat, field_name)) or "none"
            return [Reply(f"{label}: <b>{escape(current, 500)}</b> ({FILTERS_APPLY}). "
                          f"Set with /{field_name.split('_')[0]} word, other word — or none")]
        words: tuple[str, ...] = ()
        if args.strip().lower() not in ("none", "clear", "-"):
            words = tuple(dict.fromkeys(w.strip() for w in args.split(",") if w.strip()))[:20]
        chat_store.update_chat(self.conn, chat.chat_id, **{field_name: words})
        return [Reply(f"{label}: <b>{escape(', '.join(words) or 'none', 500)}</b> — "
                      f"{FILTERS_APPLY}.")]

    def cmd_settings(self, chat: Chat, args: str) -> list[Reply]:
        """Show the chat's settings with buttons to change the common ones."""
        return [self._settings_reply(chat)]

    def _settings_reply(self, chat: Chat, note: str = "") -> Reply:
        digest = (f"daily at {chat.digest_time or self.settings.digest_time}"
                  if chat.subscribed else "off (/subscribe)")
        lines = [
            "<b>Settings</b>" + (f" — {escape(note)}" if note else ""),
            f"Time zone: {escape(self.timezone(chat))} (/timezone)",
            f"Digest: {escape(digest)}",
            f"Summary length: {chat.summary_sentences} sentence(s) (/length)",
            f"Languages: {escape(', '.join(chat.languages) or 'all')} (/languages)",
            f"Include words: {escape(', '.join(chat.include_keywords) or 'none', 300)} (/include)",
            f"Exclude words: {escape(', '.join(chat.exclude_keywords) or 'none', 300)} (/exclude)",
        ]
        lengths = [Button(("• " if n == chat.summary_sentences else "") + f"{n} sent.",
                          f"set:len:{n}") for n in LENGTHS if n <= self.settings.summary_sentences]
        languages = [Button(("✓ " if code in chat.languages else "") + code, f"set:lang:{code}")
                     for code in LANGUAGE_CHOICES]
        languages.append(Button(("✓ " if not chat.languages else "") + "all", "set:lang:all"))
        toggle = (Button("Stop daily digest", "set:sub:0") if chat.subscribed
                  else Button("Daily digest", "set:sub:1"))
        return Reply("\n".join(lines), [lengths, languages, [toggle]])

    def _settings_button(self, chat: Chat, rest: str) -> Reply:
        what, _, value = rest.partition(":")
        changes: dict[str, object] = {}
        if what == "len" and value.isdigit():
            changes["summary_sentences"] = max(1, min(int(value),
                                                      self.settings.summary_sentences))
        elif what == "lang":
            if value == "all":
                changes["languages"] = ()
            elif value in LANGUAGE_CHOICES:
                chosen = set(chat.languages) ^ {value}
                changes["languages"] = tuple(c for c in LANGUAGE_CHOICES if c in chosen)
        elif what == "sub":
            self.cmd_subscribe(chat, "") if value == "1" else self.cmd_unsubscribe(chat, "")
            return self._settings_reply(chat_store.get_chat(self.conn, chat.chat_id) or chat,
                                        "saved")
        else:
            return self._settings_reply(chat)
        # Only the field the button sets: the digest may have moved the cursor meanwhile.
        chat = chat_store.update_chat(self.conn, chat.chat_id, **changes)
        return self._settings_reply(chat, "saved")

    # -- admin --------------------------------------------------------------------------------

    def _stats(self, chat: Chat) -> list[Reply]:
        """Counts for administrators: articles, subscribers, last ingest, rejected files."""
        last = file_store.last_ingest(self.conn)
        rejected = file_store.rejected_files(self.conn, 5)
        lines = [
            "<b>newsbot stats</b>",
            f"Articles: {article_store.count(self.conn)}",
            f"Subscribed chats: {chat_store.count_subscribers(self.conn)}",
            f"Last ingest: {escape(format_when(last, self.timezone(chat)) if last else 'never')}",
            f"Rejected files: {file_store.rejected_count(self.conn)}",
            *(f"• {escape(path.rsplit('/', 1)[-1], 80)}: {escape(reason, 200)}"
              for path, reason in rejected),
        ]
        return [Reply("\n".join(lines))]

    def stats_for(self, caller: Caller) -> list[Reply]:
        """/stats, for NEWSBOT_ADMIN_IDS and the server's operator (others learn nothing)."""
        if not caller.operator and caller.user_id not in self.settings.admin_ids:
            return [Reply("This command is for the bot's administrators.",
                          outcome=Outcome.REFUSED)]
        return self._stats(self.chat(caller))


def digest_replies(digest: Digest) -> list[Reply]:
    """A digest's messages as replies, the last one carrying the cursor to store."""
    replies = [Reply(message.text, article_ids=message.article_ids) for message in digest.messages]
    replies[-1].digest_cursor = digest.cursor
    return replies


def _page_buttons(offset: int, step: int, more: bool, labels: tuple[str, str],
                  data: Callable[[int], str]) -> list[list[Button]]:
    """One row of back/forward buttons for a paged list (none when it fits on one page)."""
    row = []
    if offset > 0:
        row.append(Button(labels[0], data(max(offset - step, 0))))
    if more:
        row.append(Button(labels[1], data(offset + step)))
    return [row] if row else []


def _paged(header: str, blocks: list[str], buttons: list[list[Button]]) -> list[Reply]:
    """A page of a list: every item, over several messages if need be, buttons on the last."""
    replies = [Reply(text) for text in list_messages(header, blocks)]
    replies[-1].buttons = buttons
    return replies


def _latest_usage() -> Reply:
    return Reply(f"Usage: /latest [N] with N from 1 to {LATEST_MAX} (articles per page).",
                 outcome=Outcome.BAD_INPUT)


def _filters(chat: Chat) -> filtered.Filters:
    return filtered.Filters(chat.languages, chat.include_keywords, chat.exclude_keywords)


def _number(text: str) -> int | None:
    """A non-negative integer SQLite can hold, from digits only; else None."""
    if not (text.isascii() and text.isdigit()) or len(text) > 19 or int(text) > MAX_NUMBER:
        return None
    return int(text)
