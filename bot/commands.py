"""Command logic shared by the Telegram bot and the console: text in, Reply objects out.

Nothing here knows Telegram; front ends turn a Reply into a message (HTML + inline buttons) or
into terminal text, and tell us who is asking (chat, user, may they change the chat's settings).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

import summarizer
from bot.channels import ChannelCheck, channel_reference
from bot.digest import Digest, build_digest, digest_replies
from bot.render import article_item, escape, fit, format_when, link, list_messages
from bot.replies import Button, Caller, Outcome, Reply
from bot.schedule import describe_weekdays, parse_times, parse_weekdays
from bot.settings import Settings, SettingsError, check_timezone
from bot.throttle import Throttle
from storage import articles as article_store
from storage import chats as chat_store
from storage import files as file_store
from storage import filtered
from storage.articles import SearchSyntaxError
from storage.chats import Chat, Mode, Preview
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
    ("subscribe", "digest at times: /subscribe 07:30,18:00 [mon-fri] — or /subscribe instant"),
    ("unsubscribe", "stop the daily digest"),
    ("settings", "time zone, digest time, length, filters"),
    ("timezone", "set the time zone: /timezone Europe/Brussels"),
    ("length", "summary sentences per article: /length 1-5"),
    ("languages", "only these languages: /languages nl,fr or all"),
    ("include", "only articles with these words: /include port, rail* or none"),
    ("exclude", "hide articles with these words: /exclude word, word or none"),
    ("alert", "breaking alerts for these words: /alert strike, outage or none"),
    ("preview", "link previews: /preview off, link or image"),
    ("help", "what this bot does"),
]
# Commands that cost database work per call: each user gets a burst of them, then a steady rate.
EXPENSIVE = {"search", "latest", "digest", "article"}
# Commands that change a chat's state: in groups only its administrators may use them.
MANAGING = {"subscribe", "unsubscribe", "timezone", "length", "languages", "include", "exclude",
            "alert", "preview"}
# Commands a bot admin may aim at a managed channel from a private chat: /languages @news_nl nl.
TARGETABLE = MANAGING | {"settings"}
ADMIN_COMMANDS = ("channels", "addchannel", "removechannel")


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
        known = (name in ("start", "stats", *ADMIN_COMMANDS)
                 or hasattr(self, f"cmd_{name}"))
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
        if name in ADMIN_COMMANDS:
            return self.channel_command(caller, name, args)
        aimed = self._aimed(caller, name, args)
        if isinstance(aimed, Reply):
            return [aimed]
        if aimed is not None:
            chat, args = aimed
            return getattr(self, f"cmd_{name}")(chat, args)
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
        if kind == "cset":  # a managed channel's settings, from a bot admin's private chat
            chat_id, _, rest = rest.partition(":")
            target = (chat_store.find_managed(self.conn, chat_id)
                      if self.is_bot_admin(caller) else None)
            if target is None:
                return [Reply("Only the bot's administrators can change a channel's settings.",
                              outcome=Outcome.REFUSED)]
            return [self._settings_button(target, rest)]
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
                                      caller.chat_title, caller.thread_id)

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
        """Digests at one or more local times, optionally on some weekdays; or instant posts."""
        plan = parse_subscription(args)
        if plan is None:
            return [Reply("Usage: /subscribe 07:30 — several times: /subscribe 07:30,12:00,18:00"
                          " — weekdays only: /subscribe 07:30 mon-fri — each article as it "
                          "arrives: /subscribe instant")]
        mode, times, weekdays = plan
        changes: dict[str, object] = {"mode": mode}
        if mode is Mode.INSTANT:
            chat = chat_store.subscribe(self.conn, chat.chat_id, self.clock(), chat.thread_id,
                                        **changes)
            return [Reply(f"Subscribed: each new article is posted {escape(self._where(chat))} "
                          "as soon as it arrives (a burst becomes one message). "
                          "/subscribe 07:30 switches to digests.")]
        times = times or chat.times or (self.settings.digest_time,)
        changes["digest_time"] = ",".join(times)
        if weekdays is not None:
            changes["weekdays"] = weekdays
        chat = chat_store.subscribe(self.conn, chat.chat_id, self.clock(), chat.thread_id,
                                    **changes)
        return [Reply(f"Subscribed: a digest {escape(self._where(chat))} at "
                      f"<b>{escape(', '.join(chat.times))}</b>, "
                      f"{escape(describe_weekdays(chat.weekdays))} "
                      f"({escape(self.timezone(chat))}). Change the zone with /timezone.")]

    def _where(self, chat: Chat) -> str:
        if chat.managed and chat.username:
            return f"to @{chat.username}"
        if chat.managed:
            return f"to {chat.title or chat.chat_id}"
        return "in this topic" if chat.thread_id else "here"

    def cmd_alert(self, chat: Chat, args: str) -> list[Reply]:
        """Words that make an article a breaking alert, sent at once (or none to clear)."""
        return self._keywords(chat, args, "alert_keywords", "Breaking alerts for")

    def cmd_preview(self, chat: Chat, args: str) -> list[Reply]:
        """Link previews under posts: off, the article's link, or its image large above."""
        value = args.strip().lower()
        if value not in {str(p) for p in Preview}:
            return [Reply(f"Preview: <b>{chat.preview}</b>. Set with /preview off, /preview "
                          "link (the article's link card) or /preview image (its lead image, "
                          "large, above the text).")]
        chat_store.update_chat(self.conn, chat.chat_id, chat.thread_id, preview=Preview(value))
        return [Reply(f"Preview: <b>{value}</b>.")]

    def cmd_unsubscribe(self, chat: Chat, args: str) -> list[Reply]:
        """Stop the daily digest."""
        if not chat.subscribed:
            return [Reply("Nothing is delivered here. /subscribe starts digests.")]
        chat_store.update_chat(self.conn, chat.chat_id, chat.thread_id, subscribed=False)
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
        chat_store.update_chat(self.conn, chat.chat_id, chat.thread_id, timezone=args.strip())
        return [Reply(f"Time zone set to <b>{escape(args.strip())}</b>.")]

    def cmd_length(self, chat: Chat, args: str) -> list[Reply]:
        """Set how many summary sentences each digest item shows."""
        most = self.settings.summary_sentences
        length = _number(args.strip())
        if length is None or not 1 <= length <= most:
            return [Reply(f"Usage: /length N with N from 1 to {most}.",
                          outcome=Outcome.BAD_INPUT)]
        chat_store.update_chat(self.conn, chat.chat_id, chat.thread_id, summary_sentences=length)
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
        chat_store.update_chat(self.conn, chat.chat_id, chat.thread_id, languages=codes)
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
        chat_store.update_chat(self.conn, chat.chat_id, chat.thread_id, **{field_name: words})
        return [Reply(f"{label}: <b>{escape(', '.join(words) or 'none', 500)}</b> — "
                      f"{FILTERS_APPLY}.")]

    def cmd_settings(self, chat: Chat, args: str) -> list[Reply]:
        """Show the chat's settings with buttons to change the common ones."""
        return [self._settings_reply(chat)]

    def _settings_reply(self, chat: Chat, note: str = "") -> Reply:
        if not chat.subscribed:
            delivery = "off (/subscribe)"
        elif chat.mode is Mode.INSTANT:
            delivery = "instant: each article as it arrives"
        else:
            times = ", ".join(chat.times or (self.settings.digest_time,))
            delivery = (f"daily at {times}" if not chat.weekdays
                        else f"at {times}, {describe_weekdays(chat.weekdays)}")
        name = self._where(chat).removeprefix("to ") if chat.managed else ""
        lines = [
            "<b>Settings</b>" + (f" of {escape(name)}" if name else "")
            + (f" — {escape(note)}" if note else ""),
            f"Time zone: {escape(self.timezone(chat))} (/timezone)",
            f"Digest: {escape(delivery)}",
            f"Summary length: {chat.summary_sentences} sentence(s) (/length)",
            f"Languages: {escape(', '.join(chat.languages) or 'all')} (/languages)",
            f"Include words: {escape(', '.join(chat.include_keywords) or 'none', 300)} (/include)",
            f"Exclude words: {escape(', '.join(chat.exclude_keywords) or 'none', 300)} (/exclude)",
            f"Alert words: {escape(', '.join(chat.alert_keywords) or 'none', 300)} (/alert)",
            f"Preview: {chat.preview} (/preview)",
        ]
        # Buttons for a managed channel carry its id: they are pressed in an admin's chat.
        prefix = f"cset:{chat.chat_id}:" if chat.managed else "set:"
        lengths = [Button(("• " if n == chat.summary_sentences else "") + f"{n} sent.",
                          f"{prefix}len:{n}")
                   for n in LENGTHS if n <= self.settings.summary_sentences]
        languages = [Button(("✓ " if code in chat.languages else "") + code,
                            f"{prefix}lang:{code}") for code in LANGUAGE_CHOICES]
        languages.append(Button(("✓ " if not chat.languages else "") + "all", f"{prefix}lang:all"))
        modes = [Button(("• " if chat.mode is mode else "") + str(mode), f"{prefix}mode:{mode}")
                 for mode in Mode]
        previews = [Button(("• " if chat.preview is p else "") + f"preview {p}",
                           f"{prefix}prev:{p}") for p in Preview]
        toggle = (Button("Stop deliveries", f"{prefix}sub:0") if chat.subscribed
                  else Button("Start deliveries", f"{prefix}sub:1"))
        return Reply("\n".join(lines), [lengths, languages, modes, previews, [toggle]])

    def _reloaded(self, chat: Chat) -> Chat:
        return chat_store.get_chat(self.conn, chat.chat_id, chat.thread_id) or chat

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
        elif what == "mode" and value in {str(m) for m in Mode}:
            if Mode(value) is Mode.INSTANT:
                self.cmd_subscribe(chat, "instant")
            else:
                self.cmd_subscribe(chat, ",".join(chat.times))
            return self._settings_reply(self._reloaded(chat), "saved")
        elif what == "prev" and value in {str(p) for p in Preview}:
            changes["preview"] = Preview(value)
        elif what == "sub":
            self.cmd_subscribe(chat, "") if value == "1" else self.cmd_unsubscribe(chat, "")
            return self._settings_reply(self._reloaded(chat), "saved")
        else:
            return self._settings_reply(chat)
        # Only the field the button sets: the digest may have moved the cursor meanwhile.
        chat = chat_store.update_chat(self.conn, chat.chat_id, chat.thread_id, **changes)
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

    # -- channels, managed by the bot's admins from a private chat ------------------------------

    def is_bot_admin(self, caller: Caller) -> bool:
        """Whether the caller is in NEWSBOT_ADMIN_IDS and writes from a private chat."""
        return (caller.user_id is not None and caller.user_id in self.settings.admin_ids
                and caller.chat_type in ("private", "console"))

    def channel_command(self, caller: Caller, name: str, args: str) -> list[Reply]:
        """/channels, /removechannel (and /addchannel where Telegram cannot be asked)."""
        if not self.is_bot_admin(caller):
            return [Reply("Channels are managed by the bot's administrators, in a private chat "
                          "with the bot.")]
        if name == "channels":
            return [self._channel_list()]
        if name == "addchannel":
            return self.add_channel(caller, args, None)
        target = chat_store.find_managed(self.conn, args) if args.strip() else None
        if target is None:
            return [Reply("Usage: /removechannel @name — one of /channels.")]
        chat_store.update_chat(self.conn, target.chat_id, subscribed=False, managed=False)
        return [Reply(f"Removed {escape(self._where(target).removeprefix('to '))}: nothing is "
                      "sent there any more.")]

    def add_channel(self, caller: Caller, args: str, check: ChannelCheck | None) -> list[Reply]:
        """Register a channel or group the bot may post in (checked by the front end)."""
        if not self.is_bot_admin(caller):
            return self.channel_command(caller, "addchannel", args)
        if not args.strip():
            return [Reply("Usage: /addchannel @name or /addchannel -100… — the bot must be an "
                          "administrator there with the right to post.")]
        if check is None:
            return [Reply("Adding a channel needs Telegram (it checks the bot may post there); "
                          "run the bot with a token.")]
        if not check.ok:
            return [Reply(f"Cannot add {escape(args.strip(), 60)}: {escape(check.problem, 300)}.")]
        existing = chat_store.get_chat(self.conn, check.chat_id)
        changes = {"type": check.type, "title": check.title, "username": check.username,
                   "managed": True}
        if existing is None or not existing.subscribed:
            target = chat_store.subscribe(self.conn, check.chat_id, self.clock(), **changes)
        else:
            target = chat_store.update_chat(self.conn, check.chat_id, **changes)
        name = f"@{target.username}" if target.username else str(target.chat_id)
        return [Reply(f"Added {escape(name)} ({escape(target.title or target.type, 100)}): a "
                      f"digest at {escape(', '.join(target.times or (self.settings.digest_time,)))}"
                      f". Set it up from here: /settings {escape(name)}, /languages "
                      f"{escape(name)} nl, /subscribe {escape(name)} instant."),
                self._settings_reply(target)]

    def _channel_list(self) -> Reply:
        targets = chat_store.managed_chats(self.conn)
        if not targets:
            return Reply("No channels yet. /addchannel @name adds one.")
        lines = ["<b>Channels</b>"]
        for target in targets:
            name = f"@{target.username}" if target.username else str(target.chat_id)
            if not target.subscribed:
                state = "off"
            elif target.mode is Mode.INSTANT:
                state = "instant"
            else:
                state = f"digest {', '.join(target.times or (self.settings.digest_time,))}"
            if not target.active:
                state += f" — unreachable: {target.inactive_reason or '?'}"
            languages = ", ".join(target.languages) or "all languages"
            lines.append(f"• {escape(name)} ({escape(target.title or '', 80)}): "
                         f"{escape(state, 200)}; {escape(languages)}")
        lines.append("/settings @name to change one, /removechannel @name to stop.")
        return Reply("\n".join(lines))

    def _aimed(self, caller: Caller, name: str, args: str) -> tuple[Chat, str] | Reply | None:
        """(channel, rest) when a bot admin aims a settings command at a managed channel."""
        head, _, rest = args.strip().partition(" ")
        if name not in TARGETABLE or not head or channel_reference(head) is None:
            return None
        if not self.is_bot_admin(caller):
            return Reply("Only the bot's administrators can change a channel's settings, from a "
                         "private chat with the bot.")
        target = chat_store.find_managed(self.conn, head)
        if target is None:
            return Reply(f"{escape(head, 60)} is not one of /channels: /addchannel "
                         f"{escape(head, 60)} first.")
        return target, rest.strip()

    def stats_for(self, caller: Caller) -> list[Reply]:
        """/stats, for NEWSBOT_ADMIN_IDS and the server's operator (others learn nothing)."""
        if not caller.operator and caller.user_id not in self.settings.admin_ids:
            return [Reply("This command is for the bot's administrators.",
                          outcome=Outcome.REFUSED)]
        return self._stats(self.chat(caller))


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


def parse_subscription(args: str) -> tuple[Mode, tuple[str, ...], tuple[int, ...] | None] | None:
    """(mode, times, weekdays) from "/subscribe" arguments; None when they cannot be read.

    "" keeps the times; "instant"; "07:30,12:00,18:00"; "07:30 mon-fri"; "mon-fri" alone.
    Weekdays None means "keep what the target had".
    """
    words = args.replace(", ", ",").split()
    if [w.lower() for w in words] == ["instant"]:
        return Mode.INSTANT, (), None
    times: tuple[str, ...] = ()
    weekdays: tuple[int, ...] | None = None
    for word in words:
        parsed_times = parse_times(word)
        if parsed_times is not None and not times:
            times = parsed_times
            continue
        parsed_days = parse_weekdays(word)
        if parsed_days is None or weekdays is not None:
            return None
        weekdays = parsed_days
    return Mode.DIGEST, times, weekdays
