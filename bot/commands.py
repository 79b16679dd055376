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
from bot.render import article_item, escape, fit, format_when, link, split_message
from bot.replies import Button, Caller, Reply
from bot.schedule import describe_weekdays, parse_times, parse_weekdays
from bot.settings import Settings, SettingsError, check_timezone
from bot.throttle import Throttle
from storage import articles as article_store
from storage import chats as chat_store
from storage import files as file_store
from storage.articles import SearchSyntaxError
from storage.chats import Chat, Mode, OnWithdraw, Preview
from storage.db import transaction
from storage.status import Change
from storage.versions import versions_of

LATEST_DEFAULT, LATEST_MAX = 5, 20
SEARCH_PAGE = 5
LENGTHS = (1, 2, 3, 5)
LANGUAGE_CHOICES = ("en", "nl", "fr", "de")

COMMANDS: list[tuple[str, str]] = [
    ("latest", "newest articles: /latest [N]"),
    ("search", "full-text search: /search words"),
    ("article", "one article in full: /article ID"),
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
    ("withdrawals", "a withdrawn story's post: /withdrawals edit or delete"),
    ("help", "what this bot does"),
]
# Commands that cost database work per call: each user gets a burst of them, then a steady rate.
EXPENSIVE = {"search", "latest", "digest", "article"}
# Commands that change a chat's state: in groups only its administrators may use them.
MANAGING = {"subscribe", "unsubscribe", "timezone", "length", "languages", "include", "exclude",
            "alert", "preview", "withdrawals"}
# Commands a bot admin may aim at a managed channel from a private chat: /languages @news_nl nl.
TARGETABLE = MANAGING | {"settings"}
ADMIN_COMMANDS = ("channels", "addchannel", "removechannel")
# A story's history as /article tells it (cosmetic changes and moved embargoes are not news).
HISTORY = {
    Change.NEW: "received",
    Change.HELD: "received under embargo",
    Change.LIFTED: "embargo lifted, published",
    Change.CORRECTED: "corrected",
    Change.WITHDRAWN: "withdrawn by the publisher",
    Change.RESTORED: "usable again",
}


def parse_command(text: str) -> tuple[str, str] | None:
    """('latest', '10') from '/latest@newsbot 10'; None when the text is not a command."""
    text = text.strip()
    if not text.startswith("/"):
        return None
    head, _, rest = text[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    return (name, rest.strip()) if name else None


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

    # -- dispatch ----------------------------------------------------------------------------

    def handle(self, caller: Caller, text: str) -> list[Reply]:
        """Answer one typed command; unknown commands and plain text get a short hint."""
        parsed = parse_command(text)
        if parsed is None:
            return [Reply("Send /help to see what I can do.")]
        name, args = parsed
        # Whatever reads articles sees a story whose embargo has just passed (the bot's tick
        # lifts them too, and posts them; this is for the console and the CLI between ticks).
        article_store.lift_embargoes(self.conn, self.clock())
        if name in EXPENSIVE and caller.user_id is not None:
            wait = self.throttle.wait_time(caller.user_id)
            if wait:
                return [Reply(f"Too many requests: please wait {max(1, round(wait))} s.")]
        if name in MANAGING and not caller.can_manage:
            return [Reply("Only this group's administrators can change its digest and settings.")]
        if name == "stats":
            return self.stats_for(caller)
        if name == "embargoed":
            return self.embargoed_for(caller)
        if name in ADMIN_COMMANDS:
            return self.channel_command(caller, name, args)
        aimed = self._aimed(caller, name, args)
        if isinstance(aimed, Reply):
            return [aimed]
        if aimed is not None:
            chat, args = aimed
            return getattr(self, f"cmd_{name}")(chat, args)
        chat = self._chat(caller)
        handler = getattr(self, f"cmd_{name}", None)
        if name == "start":
            handler = self.cmd_help
        if handler is None:
            return [Reply(f"Unknown command /{escape(name, 40)}. Send /help for the list.")]
        return handler(chat, args)

    def callback(self, caller: Caller, data: str) -> Reply | None:
        """Answer an inline button press with the replacement for its message, if any."""
        if needs_manage(data) and not caller.can_manage:
            return None
        if caller.user_id is not None and self.throttle.wait_time(caller.user_id):
            return Reply("Too many requests: please wait a few seconds and press again.")
        chat = self._chat(caller)
        kind, _, rest = data.partition(":")
        if kind == "l":
            offset, _, count = rest.partition(":")
            return self._latest_page(chat, _int(count, LATEST_DEFAULT), _int(offset, 0))
        if kind == "s":
            key, _, offset = rest.partition(":")
            query = chat_store.load_query(self.conn, key)
            if query is None:
                return Reply("This search has expired: send /search again.")
            return self._search_page(query, _int(offset, 0), chat)
        if kind == "set":
            return self._settings_button(chat, rest)
        if kind == "cset":  # a managed channel's settings, from a bot admin's private chat
            chat_id, _, rest = rest.partition(":")
            target = (chat_store.find_managed(self.conn, chat_id)
                      if self.is_bot_admin(caller) else None)
            if target is None:
                return Reply("Only the bot's administrators can change a channel's settings.")
            return self._settings_button(target, rest)
        return None

    def _chat(self, caller: Caller) -> Chat:
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
            if not args.isdigit() or int(args) < 1:
                return [Reply(f"Usage: /latest [N] with N from 1 to {LATEST_MAX}.")]
            count = min(int(args), LATEST_MAX)
        return [self._latest_page(chat, count, 0)]

    def _latest_page(self, chat: Chat, count: int, offset: int) -> Reply:
        count = max(1, min(count, LATEST_MAX))
        items = article_store.latest(self.conn, count + 1, max(offset, 0),
                                     list(chat.languages) or None)
        if not items:
            return Reply("No articles yet." if offset == 0 else "No older articles.")
        more = len(items) > count
        items = items[:count]
        header = f"<b>Latest news</b> ({offset + 1}–{offset + len(items)})"
        blocks = [article_item(a, self.timezone(chat), min(chat.summary_sentences, 2))
                  for a in items]
        buttons = _page_buttons(offset, count, more, ("« Newer", "Older »"),
                                lambda start: f"l:{start}:{count}")
        return Reply(_one_message(header, blocks), buttons)

    def cmd_search(self, chat: Chat, args: str) -> list[Reply]:
        """Full-text search, best matches first, with paging buttons."""
        if not args:
            return [Reply('Usage: /search words — e.g. /search sovereign cloud, '
                          '/search "critical infrastructure", /search energ*')]
        return [self._search_page(args, 0, chat)]

    def _search_page(self, query: str, offset: int, chat: Chat) -> Reply:
        try:
            items = article_store.search(self.conn, query, SEARCH_PAGE + 1, max(offset, 0))
        except SearchSyntaxError as error:
            return Reply(escape(str(error)))
        if not items:
            return Reply(f"Nothing found for <b>{escape(query, 200)}</b>."
                         if offset == 0 else "No more results.")
        more = len(items) > SEARCH_PAGE
        items = items[:SEARCH_PAGE]
        with transaction(self.conn):
            key = chat_store.save_query(self.conn, query)
        header = f"<b>Search:</b> {escape(query, 200)} ({offset + 1}–{offset + len(items)})"
        blocks = [article_item(a, self.timezone(chat), 1) for a in items]
        buttons = _page_buttons(offset, SEARCH_PAGE, more, ("« Back", "More »"),
                                lambda start: f"s:{key}:{start}")
        return Reply(_one_message(header, blocks), buttons)

    def cmd_article(self, chat: Chat, args: str) -> list[Reply]:
        """One article: title, source, author, date, full summary, tags, link."""
        number = args.lstrip("#")
        if not number.isdigit():
            return [Reply("Usage: /article ID — the number shown under each article.")]
        article = article_store.get_article(self.conn, int(number))
        if article is None:
            return [Reply(f"No article {escape(number, 20)}. Try /latest.")]
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
        history = self._history(article.id, self.timezone(chat))
        if history:
            lines.append("")
            lines.extend(history)
        lines.append("")
        lines.append(" · ".join(part for part in footer if part))
        return [Reply(fit("\n".join(lines)))]

    def _history(self, article_id: str, timezone: str) -> list[str]:
        """The story's versions worth telling a reader; none for a story that never changed."""
        events = [v for v in versions_of(self.conn, article_id) if v.change in HISTORY]
        if not any(v.change is not Change.NEW for v in events):
            return []
        return ["<b>Versions</b>"] + [
            f"• {escape(format_when(v.at, timezone))}: {HISTORY[v.change]}"
            + (f" — {escape(v.title, 200)}" if v.change is Change.CORRECTED and v.title else "")
            for v in events]

    def cmd_digest(self, chat: Chat, args: str) -> list[Reply]:
        """Everything new for this chat since its last digest; 'nothing new' when empty."""
        digest = self.digest(chat, self.clock())
        if digest.empty:
            since = format_when(digest.since, self.timezone(chat)) if digest.since else "ever"
            return [Reply(f"Nothing new since {escape(since)}.")]
        return digest_replies(digest)

    def build_digest(self, chat: Chat, now: datetime) -> Digest:
        """This chat's digest as of `now` (not yet sent)."""
        return build_digest(self.conn, chat, self.timezone(chat), now)

    def digest(self, chat: Chat, now: datetime) -> Digest:
        """This chat's digest as of `now`; an empty one is closed at once (nothing to send)."""
        article_store.lift_embargoes(self.conn, now)  # the console's scheduled digest too
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

    def cmd_withdrawals(self, chat: Chat, args: str) -> list[Reply]:
        """What a withdrawn story's instant post becomes: an edited notice, or nothing."""
        value = args.strip().lower()
        if value not in {str(w) for w in OnWithdraw}:
            return [Reply(f"Withdrawn stories: <b>{chat.on_withdraw}</b>. /withdrawals edit "
                          "replaces the post with \"Withdrawn by the publisher: title\"; "
                          "/withdrawals delete removes it. Digests always drop the item, with a "
                          "note.")]
        chat_store.update_chat(self.conn, chat.chat_id, chat.thread_id,
                               on_withdraw=OnWithdraw(value))
        return [Reply(f"Withdrawn stories: <b>{value}</b>.")]

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
        if not args.isdigit() or not 1 <= int(args) <= self.settings.summary_sentences:
            return [Reply(f"Usage: /length N with N from 1 to {self.settings.summary_sentences}.")]
        chat_store.update_chat(self.conn, chat.chat_id, chat.thread_id, summary_sentences=int(args))
        return [Reply(f"Summaries now show {int(args)} sentence(s) per article.")]

    def cmd_languages(self, chat: Chat, args: str) -> list[Reply]:
        """Only show articles in these languages (or all)."""
        if not args:
            current = ", ".join(chat.languages) or "all"
            return [Reply(f"Languages: <b>{escape(current)}</b>. "
                          "Set with /languages nl,fr or /languages all")]
        if args.strip().lower() in ("all", "any", "*"):
            codes: tuple[str, ...] = ()
        else:
            parts = [part for part in args.replace(",", " ").split() if part]
            normalized = [summarizer.normalize_language(part) for part in parts]
            bad = [part for part, code in zip(parts, normalized, strict=True) if code is None]
            if bad:
                return [Reply(f"Unknown language {escape(bad[0], 30)}. Use codes like en, nl, "
                              "fr, de.")]
            codes = tuple(dict.fromkeys(code for code in normalized if code))
        chat_store.update_chat(self.conn, chat.chat_id, chat.thread_id, languages=codes)
        return [Reply(f"Languages: <b>{escape(', '.join(codes) or 'all')}</b>.")]

    def cmd_include(self, chat: Chat, args: str) -> list[Reply]:
        """Only show articles mentioning one of these words (or none to clear)."""
        return self._keywords(chat, args, "include_keywords", "Only articles mentioning")

    def cmd_exclude(self, chat: Chat, args: str) -> list[Reply]:
        """Hide articles mentioning any of these words (or none to clear)."""
        return self._keywords(chat, args, "exclude_keywords", "Hiding articles mentioning")

    def _keywords(self, chat: Chat, args: str, field_name: str, label: str) -> list[Reply]:
        if not args:
            current = ", ".join(getattr(chat, field_name)) or "none"
            return [Reply(f"{label}: <b>{escape(current, 500)}</b>. "
                          f"Set with /{field_name.split('_')[0]} word, other word — or none")]
        words: tuple[str, ...] = ()
        if args.strip().lower() not in ("none", "clear", "-"):
            words = tuple(dict.fromkeys(w.strip() for w in args.split(",") if w.strip()))[:20]
        chat_store.update_chat(self.conn, chat.chat_id, chat.thread_id, **{field_name: words})
        return [Reply(f"{label}: <b>{escape(', '.join(words) or 'none', 500)}</b>.")]

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
            f"Withdrawn stories: {chat.on_withdraw} (/withdrawals)",
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

    def embargoed_for(self, caller: Caller) -> list[Reply]:
        """/embargoed: the stories waiting for their embargo, for NEWSBOT_ADMIN_IDS only."""
        if caller.user_id is None or caller.user_id not in self.settings.admin_ids:
            return [Reply("This command is for the bot's administrators.")]
        pending = article_store.embargoed(self.conn)
        if not pending:
            return [Reply("No story is under embargo.")]
        timezone = self.timezone(self._chat(caller))
        lines = [f"<b>Under embargo</b> · {len(pending)}"] + [
            f"• {escape(format_when(until, timezone) if until else 'no time given')}: "
            f"{escape(title, 200)}" for title, until in pending]
        return [Reply(fit("\n".join(lines)))]

    def stats_for(self, caller: Caller) -> list[Reply]:
        """/stats, answered only for NEWSBOT_ADMIN_IDS (others learn nothing)."""
        if caller.user_id is None or caller.user_id not in self.settings.admin_ids:
            return [Reply("This command is for the bot's administrators.")]
        return self._stats(self._chat(caller))


def _page_buttons(offset: int, step: int, more: bool, labels: tuple[str, str],
                  data: Callable[[int], str]) -> list[list[Button]]:
    """One row of back/forward buttons for a paged list (none when it fits on one page)."""
    row = []
    if offset > 0:
        row.append(Button(labels[0], data(max(offset - step, 0))))
    if more:
        row.append(Button(labels[1], data(offset + step)))
    return [row] if row else []


def _one_message(header: str, blocks: list[str]) -> str:
    # Paged lists must be a single message (buttons edit it in place): drop items that overflow.
    messages = split_message([header, *blocks])
    return messages[0]


def _int(text: str, default: int) -> int:
    return int(text) if text.isdigit() else default


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
