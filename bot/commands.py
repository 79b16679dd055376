"""Command logic shared by the Telegram bot and the console: text in, Reply objects out.

Nothing here knows Telegram; front ends turn a Reply into a message (HTML + inline buttons) or
into terminal text, and tell us who is asking (chat, user, may they change the chat's settings).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

import summarizer
from bot import i18n
from bot.channels import ChannelCheck, channel_reference
from bot.chat_language import language_of
from bot.digest import Digest, build_digest, digest_replies
from bot.i18n import N_, _, ngettext
from bot.render import article_item, dated, escape, fit, format_when, link, list_messages
from bot.replies import Button, Caller, Outcome, Reply
from bot.schedule import describe_weekdays, glue_meridiem, parse_times, parse_weekdays
from bot.settings import Settings, SettingsError, check_timezone
from bot.throttle import Throttle
from storage import articles as article_store
from storage import chats as chat_store
from storage import files as file_store
from storage import filtered, search_query
from storage.articles import SearchSyntaxError
from storage.chats import Chat, Mode, OnWithdraw, Preview
from storage.db import transaction
from storage.status import Change, Status
from storage.versions import versions_of

LATEST_DEFAULT, LATEST_MAX = 5, 20
SEARCH_PAGE = 5
STATS_REJECTED = 5  # rejected files /stats names; the rest are counted
LENGTHS = (1, 2, 3, 5)
LANGUAGE_CHOICES = ("en", "nl", "fr", "de")
MAX_NUMBER = 2**63 - 1  # SQLite's integers: a larger article number or offset exists nowhere

# Descriptions are marked here and translated where they are shown (/help, Telegram's menu).
COMMANDS: list[tuple[str, str]] = [
    ("latest", N_("newest articles: /latest [N]")),
    ("search", N_("full-text search: /search words")),
    ("article", N_("one article: full summary, tags, source, link: /article N")),
    ("digest", N_("what is new since your last digest")),
    ("subscribe", N_("digest at times: /subscribe 07:30,18:00 [mon-fri] — or /subscribe instant")),
    ("unsubscribe", N_("stop every delivery here: digests, instant posts, alerts")),
    ("settings", N_("time zone, digest time, length, filters, language")),
    ("timezone", N_("set the time zone: /timezone Europe/Brussels")),
    ("length", N_("summary sentences per article: /length 1-5")),
    ("languages", N_("only articles in these languages: /languages nl,fr or all")),
    ("include", N_("only articles with these words: /include port, rail* or none")),
    ("exclude", N_("hide articles with these words: /exclude word, word or none")),
    ("alert", N_("breaking alerts for these words: /alert strike, outage or none")),
    ("preview", N_("link previews: /preview off, link or image")),
    ("withdrawals", N_("a withdrawn story's post: /withdrawals edit or delete")),
    ("language", N_("the bot's language: /language nl, fr, de or en")),
    ("help", N_("what this bot does")),
]
# Commands that cost database work per call: each user gets a burst of them, then a steady rate.
EXPENSIVE = {"search", "latest", "digest", "article"}
# Commands that change a chat's state: in groups only its administrators may use them.
MANAGING = {"subscribe", "unsubscribe", "timezone", "length", "languages", "include", "exclude",
            "alert", "preview", "language", "withdrawals"}
# Commands a bot admin may aim at a managed channel from a private chat: /languages @news_nl nl.
TARGETABLE = MANAGING | {"settings"}
ADMIN_COMMANDS = ("channels", "addchannel", "removechannel")
# What /language accepts to follow the Telegram app's language again (private chats).
FOLLOW_APP = ("auto", "app", "telegram")

Option = TypeVar("Option", Preview, OnWithdraw)

# How /settings, its buttons and the replies name each option, in the reader's language. A
# command takes the English keyword (as /help and the README write it) or the reader's word.
PREVIEW_NAMES = {
    Preview.OFF: N_("off"),
    # Translators: a /preview option: the article's link card under the post.
    Preview.LINK: N_("link"),
    # Translators: a /preview option: the article's image, large, above the post.
    Preview.IMAGE: N_("image"),
}
WITHDRAWAL_NAMES = {
    # Translators: a /withdrawals option: a withdrawn story's post is edited into a notice.
    OnWithdraw.EDIT: N_("edit"),
    # Translators: a /withdrawals option: a withdrawn story's post is deleted.
    OnWithdraw.DELETE: N_("delete"),
}
# A story's history as /article tells it (cosmetic changes and moved embargoes are not news).
HISTORY = {
    Change.NEW: N_("received"),
    Change.HELD: N_("received under embargo"),
    Change.LIFTED: N_("embargo lifted, published"),
    Change.CORRECTED: N_("corrected"),
    Change.WITHDRAWN: N_("withdrawn by the publisher"),
    Change.RESTORED: N_("usable again"),
}


def filters_apply() -> str:
    """The note that filters apply everywhere, in the current language."""
    return _("applies to /latest, /search and your digests")


def parse_command(text: str) -> tuple[str, str] | None:
    """('latest', '10') from '/latest@newsbot 10'; None when the text is not a command.

    Any white space ends the command's name, as Telegram reads it: a phone's Enter after
    `/search` starts the words, it is not part of the name.
    """
    text = text.strip()
    if not text.startswith("/"):
        return None
    head, rest = _command_head(text)
    name = head.split("@", 1)[0].lower()
    return (name, rest.strip()) if name else None


_COMMAND_HEAD = re.compile(r"/(\S*)(\s*)(.*)", re.DOTALL)


def _command_head(text: str) -> tuple[str, str]:
    """'/latest@newsbot\n10' as ('latest@newsbot', '10'): the name, then the rest."""
    head, _space, rest = _COMMAND_HEAD.match(text).groups()
    return head, rest


def addressee(text: str) -> str | None:
    """The bot a command names: 'other_bot' from '/latest@other_bot 3', else None."""
    if not text.lstrip().startswith("/"):
        return None
    head, _rest = _command_head(text.strip())
    _head, at, name = head.partition("@")
    return name if at and name else None


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
        """Answer one typed command, in the chat's language; unknown ones get a short hint.

        In groups, where several bots listen, commands for another bot and unknown commands
        not addressed to us are ignored (no reply), and so is plain text. Commands posted in a
        channel are ignored.
        """
        with i18n.using(self.language_for(caller)):
            return self._handle(caller, text)

    def _handle(self, caller: Caller, text: str) -> list[Reply]:
        if caller.chat_type == "channel":
            # A channel's posts are publications: an answer there would be published to all
            # its readers, and a channel is set up by the bot's admins from a private chat
            # (/addchannel, /settings @channel), not by whoever may post in it.
            return []
        parsed = parse_command(text)
        group = caller.chat_type in ("group", "supergroup", "channel")
        if parsed is None:
            if group:
                return []
            return [Reply(_("I answer commands: /latest, /search words, /article N — send "
                            "/help for all of them."))]
        name, args = parsed
        target = addressee(text)
        if target and self.bot_username and target.lower() != self.bot_username.lower():
            return []
        known = (name in ("start", "stats", "embargoed", *ADMIN_COMMANDS)
                 or hasattr(self, f"cmd_{name}"))
        if group and not known and not target:
            return []
        # Whatever reads articles sees a story whose embargo has just passed (the bot's tick
        # lifts them too, and posts them; this is for the console and the CLI between ticks).
        article_store.lift_embargoes(self.conn, self.clock())
        if name in EXPENSIVE and caller.user_id is not None:
            wait = self.throttle.wait_time(caller.user_id)
            if wait:
                return [Reply(_("Too many requests: please wait {seconds} s.").format(
                    seconds=max(1, round(wait))))]
        if name in MANAGING and not caller.can_manage:
            return [Reply(_("Only this group's administrators can change its digest and "
                            "settings."), outcome=Outcome.REFUSED)]
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
        chat = self.chat(caller)
        handler = getattr(self, f"cmd_{name}", None)
        if name == "start":
            handler = self.cmd_help
        if handler is None:
            return [Reply(_("Unknown command /{name}. Send /help for the list.").format(
                name=escape(name, 40)), outcome=Outcome.BAD_INPUT)]
        return handler(chat, args)

    def callback(self, caller: Caller, data: str) -> list[Reply]:
        """Answer an inline button press: the page or settings that replace its message.

        A refused or unreadable press gets one reply with that outcome (Telegram shows it as
        an alert); a page too long for one message comes as several replies.
        """
        with i18n.using(self.language_for(caller)):
            return self._callback(caller, data)

    def _callback(self, caller: Caller, data: str) -> list[Reply]:
        if needs_manage(data) and not caller.can_manage:
            return [Reply(_("Only this group's administrators can change that."),
                          outcome=Outcome.REFUSED)]
        if caller.user_id is not None and self.throttle.wait_time(caller.user_id):
            return [Reply(_("Too many requests: please wait a few seconds and press again."),
                          outcome=Outcome.REFUSED)]
        chat = self.chat(caller)
        kind, _sep, rest = data.partition(":")
        first, _sep, second = rest.partition(":")
        if kind == "l" and _number(first) is not None and _number(second):
            return self._latest_page(chat, min(_number(second), LATEST_MAX), _number(first))
        if kind == "s" and _number(second) is not None:
            query = chat_store.load_query(self.conn, first)
            if query is None:
                return [Reply(_("This search has expired: send /search again."),
                              outcome=Outcome.NOT_FOUND)]
            return self._search_page(query, _number(second), chat)
        if kind == "set":
            return [self._settings_button(chat, rest)]
        if kind == "cset":  # a managed channel's settings, from a bot admin's private chat
            chat_id, _sep, rest = rest.partition(":")
            if not self.is_bot_admin(caller):
                return [Reply(_("Only the bot's administrators can change a channel's settings."),
                              outcome=Outcome.REFUSED)]
            target = chat_store.find_managed(self.conn, chat_id)
            if target is None:  # removed since the button was sent
                return [Reply(_("That channel is no longer managed here: see /channels."),
                              outcome=Outcome.NOT_FOUND)]
            return [self._settings_button(target, rest)]
        return [Reply(_("This button is not (or no longer) valid: send the command again."),
                      outcome=Outcome.BAD_INPUT)]

    def latest(self, caller: Caller, count: int, offset: int = 0) -> list[Reply]:
        """The `count` newest articles from `offset` on, for front ends with their own paging."""
        with i18n.using(self.language_for(caller)):
            if not 1 <= count <= LATEST_MAX:
                return [_latest_usage()]
            return self._latest_page(self.chat(caller), count, _offset(offset))

    def search(self, caller: Caller, query: str, offset: int = 0) -> list[Reply]:
        """A page of search results from `offset` on, for front ends with their own paging."""
        with i18n.using(self.language_for(caller)):
            return self._search_page(query, _offset(offset), self.chat(caller))

    def preview_digest(self, caller: Caller) -> list[Reply]:
        """What the chat's digest would hold now, recording nothing (`newsbot digest`)."""
        with i18n.using(self.language_for(caller)):
            chat = self.chat(caller)
            digest = self.build_digest(chat, self.clock())
            if digest.empty:
                return [self._nothing_new(chat, digest)]
            return digest_replies(digest)

    def language(self, chat: Chat) -> str:
        """The language the bot writes to `chat` in (bot.chat_language.language_of)."""
        return language_of(self.conn, chat, self.settings)

    def language_for(self, caller: Caller) -> str:
        """The caller's chat's language, remembering the app language a private chat sends."""
        if caller.answer_language:  # the front end fixed it (the one-shot CLI: the terminal's)
            return caller.answer_language
        seen = i18n.base_language(caller.language_code)
        chat = chat_store.get_chat(self.conn, caller.chat_id, caller.thread_id)
        if caller.chat_type == "private" and seen and (chat is None or chat.seen_language != seen):
            # Remembered for what comes without an update: the digest, an instant post.
            chat = chat_store.update_chat(self.conn, caller.chat_id, type=caller.chat_type,
                                          seen_language=seen)
        if chat is None:  # first contact: the chat is stored by the command itself
            chat = Chat(chat_id=caller.chat_id, thread_id=caller.thread_id, type=caller.chat_type,
                        seen_language=seen)
        return self.language(chat)

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
            _("<b>newsbot</b> summarizes the news files dropped on this server, offline, and "
              "sends you digests."),
            "",
            *(f"/{name} — {escape(_(text))}" for name, text in COMMANDS),
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
                return [Reply(_("No older articles."), outcome=Outcome.EMPTY)]
            return [Reply(_("No articles match your filters (see /settings).")
                          if _filters(chat).any else _("No articles yet."),
                          outcome=Outcome.EMPTY)]
        more = len(items) > count
        items = items[:count]
        header = _("<b>Latest news</b> ({first}–{last})").format(
            first=i18n.number(offset + 1), last=i18n.number(offset + len(items)))
        blocks = [article_item(a, self.timezone(chat), chat.summary_sentences) for a in items]
        buttons = _page_buttons(offset, count, more, (_("« Newer"), _("Older »")),
                                lambda start: f"l:{start}:{count}")
        return _paged(header, blocks, buttons)

    def cmd_search(self, chat: Chat, args: str) -> list[Reply]:
        """Full-text search, best matches first, with paging buttons."""
        if not args:
            return [Reply(_('Usage: /search words — e.g. /search sovereign cloud, '
                            '/search "critical infrastructure", /search energ*'))]
        return self._search_page(args, 0, chat)

    def _search_page(self, query: str, offset: int, chat: Chat) -> list[Reply]:
        filters = _filters(chat)
        try:
            items = filtered.search(self.conn, query, SEARCH_PAGE + 1, offset, filters)
        except SearchSyntaxError as error:
            return [Reply(escape(search_problem(error)), outcome=Outcome.BAD_INPUT)]
        if not items:
            if offset:
                return [Reply(_("No more results."), outcome=Outcome.EMPTY)]
            text = (_("Nothing found for <b>{query}</b> matching your filters (see /settings).")
                    if filters.any else _("Nothing found for <b>{query}</b>."))
            return [Reply(text.format(query=escape(query, 200)), outcome=Outcome.EMPTY)]
        more = len(items) > SEARCH_PAGE
        items = items[:SEARCH_PAGE]
        with transaction(self.conn):
            key = chat_store.save_query(self.conn, query)
        header = _("<b>Search:</b> {query} ({first}–{last})").format(
            query=escape(query, 200), first=i18n.number(offset + 1),
            last=i18n.number(offset + len(items)))
        blocks = [article_item(a, self.timezone(chat), chat.summary_sentences) for a in items]
        buttons = _page_buttons(offset, SEARCH_PAGE, more, (_("« Back"), _("More »")),
                                lambda start: f"s:{key}:{start}")
        return _paged(header, blocks, buttons)

    def cmd_article(self, chat: Chat, args: str) -> list[Reply]:
        """One article: title, source, author, date, full summary, tags, link."""
        number = args.strip().lstrip("#")
        if not number.isdecimal():
            return [Reply(_("Usage: /article N — the number shown under each article."),
                          outcome=Outcome.BAD_INPUT)]
        seq = _number(number)
        article = article_store.get_article(self.conn, seq) if seq is not None else None
        if article is None:
            return [Reply(_("No article {number}. Try /latest.").format(
                number=escape(number, 30)), outcome=Outcome.NOT_FOUND)]
        lines = [f"<b>{link(article.title, article.url)}</b>"]
        meta = [escape(dated(article, self.timezone(chat)))]
        if article.author:
            meta.append(escape(article.author, 120))
        if article.language:
            meta.append(escape(article.language))
        lines.append(f"<i>{' · '.join(meta)}</i>")
        lines.append("")
        lines.extend(escape(sentence, 600) for sentence in article.summary)
        if not article.summary:  # a headline-only item: say so, not a blank gap
            lines.append("<i>" + _("(No text to summarize beyond the headline.)") + "</i>")
        if article.tags:
            lines.append("")
            lines.append(_("Tags: {tags}").format(tags=escape(", ".join(article.tags[:20]), 500)))
        source = article.source_file.rsplit("/", 1)[-1] if article.source_file else None
        footer = [_("source: {file} ({format})").format(
                      file=escape(source, 120), format=escape(article.format or "?"))
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
        lines = [_("<b>Versions</b>")]
        for version in events:
            when, what = escape(format_when(version.at, timezone)), _(HISTORY[version.change])
            if version.change is Change.CORRECTED and version.title:
                lines.append(_("• {when}: {change} — {title}").format(
                    when=when, change=what, title=escape(version.title, 200)))
            else:
                lines.append(_("• {when}: {change}").format(when=when, change=what))
        return lines

    def cmd_digest(self, chat: Chat, args: str) -> list[Reply]:
        """Everything new for this chat since its last digest; 'nothing new' when empty."""
        digest = self.digest(chat, self.clock())
        if digest.empty:
            return [self._nothing_new(chat, digest)]
        return digest_replies(digest)

    def _nothing_new(self, chat: Chat, digest: Digest) -> Reply:
        if digest.since is None:
            if digest.filtered_out:
                return Reply(ngettext(
                    "{count} new article, none matching your filters (see /settings).",
                    "{count} new articles, none matching your filters (see /settings).",
                    digest.filtered_out).format(count=i18n.number(digest.filtered_out)),
                    outcome=Outcome.EMPTY)
            return Reply(_("Nothing new yet."), outcome=Outcome.EMPTY)
        since = escape(format_when(digest.since, self.timezone(chat)))
        if digest.filtered_out:
            return Reply(ngettext(
                "{count} new article since {since}, none matching your filters (see /settings).",
                "{count} new articles since {since}, none matching your filters (see /settings).",
                digest.filtered_out).format(count=i18n.number(digest.filtered_out), since=since),
                outcome=Outcome.EMPTY)
        return Reply(_("Nothing new since {since}.").format(since=since), outcome=Outcome.EMPTY)

    def build_digest(self, chat: Chat, now: datetime) -> Digest:
        """This chat's digest as of `now` (not yet sent), in the chat's language."""
        with i18n.using(self.language(chat)):
            return build_digest(self.conn, chat, self.timezone(chat), now)

    def digest(self, chat: Chat, now: datetime) -> Digest:
        """This chat's digest as of `now`; an empty one is closed at once (nothing to send)."""
        article_store.lift_embargoes(self.conn, now)  # the console's scheduled digest too
        digest = self.build_digest(chat, now)
        if digest.empty:
            chat_store.finish_digest(self.conn, chat.chat_id, digest.cursor, now, chat.thread_id)
        return digest

    # -- subscriptions and settings -----------------------------------------------------------

    def cmd_subscribe(self, chat: Chat, args: str) -> list[Reply]:
        """Digests at one or more local times, optionally on some weekdays; or instant posts."""
        plan = parse_subscription(args)
        if plan is None:
            return [Reply(_("Usage: /subscribe 07:30 — several times: /subscribe 07:30,12:00,18:00"
                            " — weekdays only: /subscribe 07:30 mon-fri — each article as it "
                            "arrives: /subscribe instant"), outcome=Outcome.BAD_INPUT)]
        mode, times, weekdays = plan
        changes: dict[str, object] = {"mode": mode}
        if mode is Mode.INSTANT:
            chat = chat_store.subscribe(self.conn, chat.chat_id, self.clock(), chat.thread_id,
                                        **changes)
            return [Reply(_("Subscribed: each new article is posted {where} as soon as it arrives "
                            "(a burst becomes one message). /subscribe 07:30 switches to "
                            "digests.").format(where=escape(self._where(chat))))]
        times = times or chat.times or (self.settings.digest_time,)
        changes["digest_time"] = ",".join(times)
        if weekdays is not None:
            changes["weekdays"] = weekdays
        chat = chat_store.subscribe(self.conn, chat.chat_id, self.clock(), chat.thread_id,
                                    **changes)
        return [Reply(_("Subscribed: a digest {where} at <b>{times}</b>, {days} ({zone}). Change "
                        "the zone with /timezone.").format(
            where=escape(self._where(chat)), times=escape(", ".join(chat.times)),
            days=escape(describe_weekdays(chat.weekdays)), zone=escape(self.timezone(chat))))]

    def _where(self, chat: Chat) -> str:
        """Where posts go, as said in a reply: 'to @news_nl', 'in this topic', 'here'."""
        if chat.managed:
            return _("to {name}").format(name=_channel_name(chat))
        return _("in this topic") if chat.thread_id else _("here")

    def cmd_alert(self, chat: Chat, args: str) -> list[Reply]:
        """Words that make an article a breaking alert, sent at once (or none to clear)."""
        return self._keywords(chat, args, "alert_keywords")

    def cmd_preview(self, chat: Chat, args: str) -> list[Reply]:
        """Link previews under posts: off, the article's link, or its image large above."""
        value = _typed_option(PREVIEW_NAMES, args)
        if value is None:
            return [Reply(_("Preview: <b>{preview}</b>. Set with /preview off, /preview link (the "
                            "article's link card) or /preview image (its lead image, large, "
                            "above the text).").format(preview=_(PREVIEW_NAMES[chat.preview])),
                          outcome=Outcome.BAD_INPUT if args.strip() else Outcome.OK)]
        chat_store.update_chat(self.conn, chat.chat_id, chat.thread_id, preview=value)
        return [Reply(_("Preview: <b>{preview}</b>.").format(preview=_(PREVIEW_NAMES[value])))]

    def cmd_withdrawals(self, chat: Chat, args: str) -> list[Reply]:
        """What a withdrawn story's instant post becomes: an edited notice, or nothing."""
        value = _typed_option(WITHDRAWAL_NAMES, args)
        if value is None:
            return [Reply(_("Withdrawn stories: <b>{action}</b>. /withdrawals edit replaces the "
                            "post with \"Withdrawn by the publisher: title\"; /withdrawals "
                            "delete removes it. Digests always drop the item, with a note.")
                          .format(action=_(WITHDRAWAL_NAMES[chat.on_withdraw])),
                          outcome=Outcome.BAD_INPUT if args.strip() else Outcome.OK)]
        chat_store.update_chat(self.conn, chat.chat_id, chat.thread_id, on_withdraw=value)
        return [Reply(_("Withdrawn stories: <b>{action}</b>.").format(
            action=_(WITHDRAWAL_NAMES[value])))]

    def cmd_unsubscribe(self, chat: Chat, args: str) -> list[Reply]:
        """Stop every delivery to this target: digests, instant posts and alerts."""
        if not chat.subscribed:
            return [Reply(_("Nothing is delivered here. /subscribe starts digests."))]
        chat_store.update_chat(self.conn, chat.chat_id, chat.thread_id, subscribed=False)
        return [Reply(_("Unsubscribed: nothing more is delivered here (digests, instant posts, "
                        "alerts). /subscribe to start again."))]

    def cmd_timezone(self, chat: Chat, args: str) -> list[Reply]:
        """Show or set the chat's time zone."""
        if not args:
            return [Reply(_("Time zone: <b>{zone}</b>. Set it with /timezone Europe/Brussels")
                          .format(zone=escape(self.timezone(chat))))]
        try:
            zone = check_timezone(args.strip())  # any case: stored as IANA writes it
        except SettingsError:
            return [Reply(_("Unknown time zone {zone}. Use a name like Europe/Brussels, "
                            "Europe/Amsterdam or America/New_York.").format(
                zone=escape(args, 60)), outcome=Outcome.BAD_INPUT)]
        changes: dict[str, object] = {"timezone": zone}
        if chat.subscribed and zone != self.timezone(chat):
            changes["subscribed_at"] = self.clock()  # chat_store.schedule_of: from now on
        chat_store.update_chat(self.conn, chat.chat_id, chat.thread_id, **changes)
        return [Reply(_("Time zone set to <b>{zone}</b>.").format(zone=escape(zone)))]

    def cmd_length(self, chat: Chat, args: str) -> list[Reply]:
        """Set how many summary sentences each digest item shows."""
        most = self.settings.summary_sentences
        length = _number(args.strip())
        if length is None or not 1 <= length <= most:
            return [Reply(_("Usage: /length N with N from 1 to {most}.").format(most=most),
                          outcome=Outcome.BAD_INPUT)]
        chat_store.update_chat(self.conn, chat.chat_id, chat.thread_id, summary_sentences=length)
        return [Reply(ngettext(
            "Summaries now show {count} sentence per article in /latest, /search and your "
            "digests.",
            "Summaries now show {count} sentences per article in /latest, /search and your "
            "digests.", length).format(count=length))]

    def cmd_languages(self, chat: Chat, args: str) -> list[Reply]:
        """Only show articles in these languages (or all)."""
        if not args:
            current = ", ".join(chat.languages) or _("all")
            return [Reply(_("Article languages: <b>{languages}</b> ({applies}). Set with "
                            "/languages nl,fr or /languages all").format(
                languages=escape(current), applies=filters_apply()))]
        if args.strip().lower() in ("all", "any", "*", _("all").lower()):
            codes: tuple[str, ...] = ()
        else:
            parts = [part for part in args.replace(",", " ").split() if part]
            normalized = [summarizer.normalize_language(part) for part in parts]
            bad = [part for part, code in zip(parts, normalized, strict=True) if code is None]
            if bad:
                return [Reply(_("Unknown language {language}. Use codes like en, nl, fr, de.")
                              .format(language=escape(bad[0], 30)), outcome=Outcome.BAD_INPUT)]
            codes = tuple(dict.fromkeys(code for code in normalized if code))
        chat_store.update_chat(self.conn, chat.chat_id, chat.thread_id, languages=codes)
        return [Reply(_("Article languages: <b>{languages}</b> — {applies}.").format(
            languages=escape(", ".join(codes) or _("all")), applies=filters_apply()))]

    def cmd_include(self, chat: Chat, args: str) -> list[Reply]:
        """Only show articles mentioning one of these words (or none to clear)."""
        return self._keywords(chat, args, "include_keywords")

    def cmd_exclude(self, chat: Chat, args: str) -> list[Reply]:
        """Hide articles mentioning any of these words (or none to clear)."""
        return self._keywords(chat, args, "exclude_keywords")

    def _keywords(self, chat: Chat, args: str, field_name: str) -> list[Reply]:
        if not args:
            current = ", ".join(getattr(chat, field_name)) or _("none")
            text = {
                "include_keywords": _("Only articles mentioning: <b>{words}</b> ({applies}). Set "
                                      "with /include word, other word — or none"),
                "exclude_keywords": _("Hiding articles mentioning: <b>{words}</b> ({applies}). "
                                      "Set with /exclude word, other word — or none"),
                "alert_keywords": _("Breaking alerts for: <b>{words}</b>. Set with /alert word, "
                                    "other word — or none"),
            }[field_name]
            return [Reply(text.format(words=escape(current, 500), applies=filters_apply()))]
        words: tuple[str, ...] = ()
        if args.strip().lower() not in ("none", "clear", "-", _("none").lower()):
            words = tuple(dict.fromkeys(w.strip() for w in args.split(",") if w.strip()))[:20]
            # Commas alone are no words either: clearing is "none", not a typo.
            empty = [word for word in words if search_query.keyword_term(word) is None] or (
                [] if words else [args.strip()])
            if empty:  # "***" or "?!" would match nothing, or (in a search) everything
                return [Reply(_("{word} has no letters or digits to look for: give words, "
                                "e.g. port, rail*").format(word=escape(empty[0], 60)),
                              outcome=Outcome.BAD_INPUT)]
        chat_store.update_chat(self.conn, chat.chat_id, chat.thread_id, **{field_name: words})
        if not words:  # "Only articles mentioning: none" would read as a filter on "none"
            text = {
                "include_keywords": _("Include words cleared: articles no longer need to "
                                      "mention a word — {applies}."),
                "exclude_keywords": _("Exclude words cleared: no article is hidden for its "
                                      "words any more — {applies}."),
                "alert_keywords": _("Alert words cleared: only stories an agency marks urgent "
                                    "(urgency 1–2) are breaking alerts now."),
            }[field_name]
            return [Reply(text.format(applies=filters_apply()))]
        text = {
            "include_keywords": _("Only articles mentioning: <b>{words}</b> — {applies}."),
            "exclude_keywords": _("Hiding articles mentioning: <b>{words}</b> — {applies}."),
            "alert_keywords": _("Breaking alerts for: <b>{words}</b>."),
        }[field_name]
        return [Reply(text.format(words=escape(", ".join(words), 500), applies=filters_apply()))]

    def cmd_language(self, chat: Chat, args: str) -> list[Reply]:
        """Show or choose the language the bot writes in for this chat."""
        choice = args.strip().lower()
        if not choice:
            return [self._language_reply(chat)]
        if choice in FOLLOW_APP:
            chat = chat_store.update_chat(self.conn, chat.chat_id, chat.thread_id, ui_language=None)
        else:
            language = i18n.base_language(choice) or _language_by_name(choice)
            if language is None:
                return [Reply(_("Unknown language {language}. Choose nl, fr, de or en.").format(
                    language=escape(args, 30)), outcome=Outcome.BAD_INPUT)]
            chat = chat_store.update_chat(self.conn, chat.chat_id, chat.thread_id,
                                          ui_language=language)
        # The answer already speaks the new language.
        with i18n.using(self.language(chat)):
            return [Reply(_("From now on I write in {language}.").format(
                language=i18n.language_in_text(self.language(chat))))]

    def _language_reply(self, chat: Chat) -> Reply:
        current = i18n.language_in_text(self.language(chat))
        if chat.ui_language:
            text = _("I write to this chat in <b>{language}</b>. Change it with /language nl, "
                     "fr, de or en.")
        elif chat.type == "private":
            text = _("I write in <b>{language}</b>, the language of your Telegram app. Choose "
                     "another with /language nl, fr, de or en.")
        else:
            text = _("I write to this chat in <b>{language}</b>, the bot's default. Change it "
                     "with /language nl, fr, de or en.")
        return Reply(text.format(language=current),
                     [_language_buttons(self.language(chat), _button_prefix(chat))])

    def cmd_settings(self, chat: Chat, args: str) -> list[Reply]:
        """Show the chat's settings with buttons to change the common ones."""
        return [self._settings_reply(chat)]

    def _settings_reply(self, chat: Chat, saved: bool = False) -> Reply:
        if not chat.subscribed:
            delivery = _("off (/subscribe)")
        elif chat.mode is Mode.INSTANT:
            delivery = _("instant: each article as it arrives")
        else:
            times = ", ".join(chat.times or (self.settings.digest_time,))
            delivery = (_("daily at {time}").format(time=times) if not chat.weekdays
                        else _("at {times}, {days}").format(
                            times=times, days=describe_weekdays(chat.weekdays)))
        if chat.managed:
            name = escape(_channel_name(chat))
            header = (_("<b>Settings</b> of {name} — saved") if saved
                      else _("<b>Settings</b> of {name}")).format(name=name)
        else:
            header = _("<b>Settings</b> — saved") if saved else _("<b>Settings</b>")
        none = _("none")
        lines = [
            header,
            _("Bot language: {language} (/language)").format(
                language=i18n.language_in_text(self.language(chat))),
            _("Time zone: {zone} (/timezone)").format(zone=escape(self.timezone(chat))),
            _("Digest: {digest}").format(digest=escape(delivery)),
            ngettext("Summary length: {count} sentence (/length)",
                     "Summary length: {count} sentences (/length)",
                     chat.summary_sentences).format(count=chat.summary_sentences),
            _("Article languages: {languages} (/languages)").format(
                languages=escape(", ".join(chat.languages) or _("all"))),
            _("Include words: {words} (/include)").format(
                words=escape(", ".join(chat.include_keywords) or none, 300)),
            _("Exclude words: {words} (/exclude)").format(
                words=escape(", ".join(chat.exclude_keywords) or none, 300)),
            _("Alert words: {words} (/alert)").format(
                words=escape(", ".join(chat.alert_keywords) or none, 300)),
            _("Preview: {preview} (/preview)").format(preview=_(PREVIEW_NAMES[chat.preview])),
            _("Withdrawn stories: {action} (/withdrawals)").format(
                action=_(WITHDRAWAL_NAMES[chat.on_withdraw])),
        ]
        prefix = _button_prefix(chat)
        lengths = [Button(("• " if n == chat.summary_sentences else "")
                          + ngettext("{count} sent.", "{count} sent.", n).format(count=n),
                          f"{prefix}len:{n}")
                   for n in LENGTHS if n <= self.settings.summary_sentences]
        languages = [Button(("✓ " if code in chat.languages else "") + code,
                            f"{prefix}lang:{code}") for code in LANGUAGE_CHOICES]
        languages.append(Button(("✓ " if not chat.languages else "") + _("all"),
                                f"{prefix}lang:all"))
        mode_names = {Mode.DIGEST: _("digest"), Mode.INSTANT: _("instant")}
        modes = [Button(("• " if chat.mode is mode else "") + mode_names[mode],
                        f"{prefix}mode:{mode}") for mode in Mode]
        previews = [Button(("• " if chat.preview is p else "")
                           + _("preview {preview}").format(preview=_(PREVIEW_NAMES[p])),
                           f"{prefix}prev:{p}")
                    for p in Preview]
        toggle = (Button(_("Stop deliveries"), f"{prefix}sub:0") if chat.subscribed
                  else Button(_("Start deliveries"), f"{prefix}sub:1"))
        rows = [lengths, languages, modes, previews, [toggle],
                _language_buttons(self.language(chat), prefix)]
        return Reply("\n".join(lines), rows)

    def _reloaded(self, chat: Chat) -> Chat:
        return chat_store.get_chat(self.conn, chat.chat_id, chat.thread_id) or chat

    def _settings_button(self, chat: Chat, rest: str) -> Reply:
        what, _sep, value = rest.partition(":")
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
            return self._settings_reply(self._reloaded(chat), saved=True)
        elif what == "prev" and value in {str(p) for p in Preview}:
            changes["preview"] = Preview(value)
        elif what == "ui" and value in i18n.LANGUAGES:
            chat = chat_store.update_chat(self.conn, chat.chat_id, chat.thread_id,
                                          ui_language=value)
            with i18n.using(value):  # the page that answers the press speaks the new language
                return self._settings_reply(chat, saved=True)
        elif what == "sub":
            self.cmd_subscribe(chat, "") if value == "1" else self.cmd_unsubscribe(chat, "")
            return self._settings_reply(self._reloaded(chat), saved=True)
        else:
            return self._settings_reply(chat)
        # Only the field the button sets: the digest may have moved the cursor meanwhile.
        chat = chat_store.update_chat(self.conn, chat.chat_id, chat.thread_id, **changes)
        return self._settings_reply(chat, saved=True)

    # -- admin --------------------------------------------------------------------------------

    def _stats(self, chat: Chat) -> list[Reply]:
        """Counts for administrators: articles, subscribers, last ingest, rejected files."""
        last = file_store.last_ingest(self.conn)
        rejected = file_store.rejected_files(self.conn, STATS_REJECTED)
        rejected_total = file_store.rejected_count(self.conn)
        counts = article_store.count_by_status(self.conn)
        lines = [
            _("<b>newsbot stats</b>"),
            _("Articles: {count}").format(count=i18n.number(counts[Status.PUBLISHED])),
            # Not articles to readers (yet, or any more): told apart, never counted above.
            _("Under embargo: {count} (/embargoed) · withdrawn by the publisher: {withdrawn}")
            .format(count=i18n.number(counts[Status.EMBARGOED]),
                    withdrawn=i18n.number(counts[Status.WITHDRAWN])),
            _("Subscribed chats: {count}").format(
                count=i18n.number(chat_store.count_subscribers(self.conn))),
            _("Last ingest: {when}").format(
                when=escape(format_when(last, self.timezone(chat)) if last else _("never"))),
            _("Rejected files: {count}").format(count=i18n.number(rejected_total)),
            *(f"• {escape(path.rsplit('/', 1)[-1], 80)}: {escape(reason, 200)}"
              for path, reason in rejected),
        ]
        if rejected_total > len(rejected):
            more = rejected_total - len(rejected)
            lines.append(ngettext("… and {count} more (newsbot ingest lists them all)",
                                  "… and {count} more (newsbot ingest lists them all)",
                                  more).format(count=i18n.number(more)))
        return [Reply("\n".join(lines))]

    # -- channels, managed by the bot's admins from a private chat ------------------------------

    def is_bot_admin(self, caller: Caller) -> bool:
        """Whether the caller is the server's operator (console, CLI), or in NEWSBOT_ADMIN_IDS
        and writing from a private chat."""
        if caller.operator:
            return True
        return (caller.user_id is not None and caller.user_id in self.settings.admin_ids
                and caller.chat_type in ("private", "console"))

    def channel_command(self, caller: Caller, name: str, args: str) -> list[Reply]:
        """/channels, /removechannel (and /addchannel where Telegram cannot be asked)."""
        if not self.is_bot_admin(caller):
            return [Reply(_("Channels are managed by the bot's administrators, in a private chat "
                            "with the bot."), outcome=Outcome.REFUSED)]
        if name == "channels":
            return [self._channel_list()]
        if name == "addchannel":
            return self._add_channel(caller, args, None)
        target = chat_store.find_managed(self.conn, args) if args.strip() else None
        if target is None:
            return [Reply(_("Usage: /removechannel @name — one of /channels."),
                          outcome=Outcome.BAD_INPUT if not args.strip() else Outcome.NOT_FOUND)]
        chat_store.update_chat(self.conn, target.chat_id, subscribed=False, managed=False)
        return [Reply(_("Removed {name}: nothing is sent there any more.").format(
            name=escape(_channel_name(target))))]

    def add_channel(self, caller: Caller, args: str, check: ChannelCheck | None) -> list[Reply]:
        """Register a channel or group the bot may post in (checked by the front end)."""
        with i18n.using(self.language_for(caller)):
            return self._add_channel(caller, args, check)

    def _add_channel(self, caller: Caller, args: str, check: ChannelCheck | None) -> list[Reply]:
        if not self.is_bot_admin(caller):
            return self.channel_command(caller, "addchannel", args)
        if not args.strip():
            return [Reply(_("Usage: /addchannel @name or /addchannel -100… — the bot must be an "
                            "administrator there with the right to post."),
                          outcome=Outcome.BAD_INPUT)]
        if check is None:
            return [Reply(_("Adding a channel needs Telegram (it checks the bot may post there); "
                            "run the bot with a token."), outcome=Outcome.REFUSED)]
        if not check.ok:
            return [Reply(_("Cannot add {name}: {problem}.").format(
                name=escape(args.strip(), 60),
                problem=escape(_(check.problem).format(reason=check.reason), 300)),
                outcome=Outcome.REFUSED)]
        changes = {"type": check.type, "title": check.title, "username": check.username,
                   "managed": True}
        before = chat_store.get_chat(self.conn, check.chat_id)
        # subscribe() keeps a served channel as it is, and serves again one that removed the
        # bot and has it back.
        target = chat_store.subscribe(self.conn, check.chat_id, self.clock(), **changes)
        name = escape(f"@{target.username}" if target.username else str(target.chat_id))
        if before is not None and before.managed and before.subscribed and before.active:
            # Added again, typically after the channel was renamed: only its name changed.
            return [Reply(_("{name} ({title}) is one of /channels already: its name is updated, "
                            "its settings are kept.").format(
                                name=name, title=escape(target.title or target.type, 100))),
                    self._settings_reply(target)]
        times = ", ".join(target.times or (self.settings.digest_time,))
        return [Reply(_("Added {name} ({title}): a digest at {times}. Set it up from here: "
                        "/settings {name}, /languages {name} nl, /subscribe {name} instant.")
                      .format(name=name, title=escape(target.title or target.type, 100),
                              times=escape(times))),
                self._settings_reply(target)]

    def _channel_list(self) -> Reply:
        targets = chat_store.managed_chats(self.conn)
        if not targets:
            return Reply(_("No channels yet. /addchannel @name adds one."), outcome=Outcome.EMPTY)
        lines = [_("<b>Channels</b>")]
        for target in targets:
            name = f"@{target.username}" if target.username else str(target.chat_id)
            if not target.subscribed:
                state = _("off")
            elif target.mode is Mode.INSTANT:
                state = _("instant")
            else:
                state = _("digest {times}").format(
                    times=", ".join(target.times or (self.settings.digest_time,)))
            if not target.active:
                state = _("{state} — unreachable: {reason}").format(
                    state=state, reason=target.inactive_reason or "?")
            languages = ", ".join(target.languages) or _("all languages")
            lines.append(f"• {escape(name)} ({escape(target.title or '', 80)}): "
                         f"{escape(state, 200)}; {escape(languages)}")
        lines.append(_("/settings @name to change one, /removechannel @name to stop."))
        return Reply("\n".join(lines))

    def _aimed(self, caller: Caller, name: str, args: str) -> tuple[Chat, str] | Reply | None:
        """(channel, rest) when a bot admin aims a settings command at a managed channel."""
        head, _sep, rest = args.strip().partition(" ")
        if name not in TARGETABLE or not head or channel_reference(head) is None:
            return None
        if not self.is_bot_admin(caller):
            return Reply(_("Only the bot's administrators can change a channel's settings, from a "
                           "private chat with the bot."), outcome=Outcome.REFUSED)
        target = chat_store.find_managed(self.conn, head)
        if target is None:
            return Reply(_("{name} is not one of /channels: /addchannel {name} first.").format(
                name=escape(head, 60)), outcome=Outcome.NOT_FOUND)
        return target, rest.strip()

    def embargoed_for(self, caller: Caller) -> list[Reply]:
        """/embargoed: the stories waiting for their embargo, for NEWSBOT_ADMIN_IDS and the
        server's operator (others learn nothing, not even that there are any)."""
        if not caller.operator and caller.user_id not in self.settings.admin_ids:
            return [Reply(_("This command is for the bot's administrators."),
                          outcome=Outcome.REFUSED)]
        pending = article_store.embargoed(self.conn)
        if not pending:
            return [Reply(_("No story is under embargo."), outcome=Outcome.EMPTY)]
        total = article_store.count_by_status(self.conn)[Status.EMBARGOED]
        timezone = self.timezone(self.chat(caller))
        lines = [ngettext("<b>Under embargo</b> · {count} story",
                          "<b>Under embargo</b> · {count} stories", total).format(
            count=i18n.number(total))]
        for title, until in pending:
            if until is None:  # not stored so today; said rather than hidden if it ever is
                lines.append(_("• no time given: {title}").format(title=escape(title, 200)))
            else:
                lines.append(_("• until {when}: {title}").format(
                    when=escape(format_when(until, timezone)), title=escape(title, 200)))
        if total > len(pending):
            rest = total - len(pending)
            lines.append(ngettext("… and {count} more", "… and {count} more", rest).format(
                count=i18n.number(rest)))
        return [Reply(fit("\n".join(lines)))]

    def stats_for(self, caller: Caller) -> list[Reply]:
        """/stats, for NEWSBOT_ADMIN_IDS and the server's operator (others learn nothing)."""
        if not caller.operator and caller.user_id not in self.settings.admin_ids:
            return [Reply(_("This command is for the bot's administrators."),
                          outcome=Outcome.REFUSED)]
        return self._stats(self.chat(caller))


def search_problem(error: SearchSyntaxError) -> str:
    """Why a search cannot be read, in the current language."""
    problem = _(error.problem).format(**error.params)
    if error.search is None:
        return problem
    return _(search_query.READ_PROBLEM).format(search=search_query.quoted(error.search),
                                               problem=problem, hint=_(search_query.HINT))


def command_menu() -> list[tuple[str, str]]:
    """The command list with descriptions in the current language (Telegram's menu, /help)."""
    return [(name, _(text)) for name, text in COMMANDS]


def _channel_name(chat: Chat) -> str:
    """A managed channel as people name it: @username, else its title, else its id."""
    if chat.username:
        return f"@{chat.username}"
    return chat.title or str(chat.chat_id)


def _button_prefix(chat: Chat) -> str:
    """Settings buttons of a managed channel carry its id: they are pressed in an admin's chat."""
    return f"cset:{chat.chat_id}:" if chat.managed else "set:"


def _typed_option(names: dict[Option, str], typed: str) -> Option | None:
    """The option a reader typed: its English keyword ('image') or its name in the reader's
    language ('Bild'), any case, accents optional; None for anything else."""
    word = i18n.fold_word(typed)
    for value, name in names.items():
        if word and word in (str(value), i18n.fold_word(_(name))):
            return value
    return None


def _language_buttons(current: str, prefix: str = "set:") -> list[Button]:
    """One button per language the bot speaks, each named in its own language."""
    return [Button(("✓ " if code == current else "") + i18n.language_name(code),
                   f"{prefix}ui:{code}") for code in i18n.LANGUAGES]


def _language_by_name(text: str) -> str | None:
    """'nederlands', 'français', 'deutsch', 'english' (what people also type) to a code."""
    names = {name.lower(): code for code, name in i18n.NAMES.items()}
    names.update({"francais": "fr", "dutch": "nl", "vlaams": "nl", "german": "de",
                  "french": "fr", "engels": "en", "anglais": "en", "englisch": "en"})
    return names.get(text)
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
    return Reply(_("Usage: /latest [N] with N from 1 to {most} (articles per page).").format(
        most=LATEST_MAX), outcome=Outcome.BAD_INPUT)


def _filters(chat: Chat) -> filtered.Filters:
    return filtered.Filters(chat.languages, chat.include_keywords, chat.exclude_keywords)


def _offset(offset: int) -> int:
    """A page's offset as SQLite can bind it: a larger one (`--page 999999999999999999999`,
    an OverflowError) is past the end all the same."""
    return min(max(offset, 0), MAX_NUMBER)


def _number(text: str) -> int | None:
    """A non-negative integer SQLite can hold, from digits only; else None."""
    # Any decimal digits (int() reads them): ３ from a CJK input method, ٣ from an Arabic one.
    if not text.isdecimal() or len(text) > 19 or int(text) > MAX_NUMBER:
        return None
    return int(text)


def parse_subscription(args: str) -> tuple[Mode, tuple[str, ...], tuple[int, ...] | None] | None:
    """(mode, times, weekdays) from "/subscribe" arguments; None when they cannot be read.

    "" keeps the times; "instant"; "07:30,12:00,18:00"; "07:30 mon-fri"; "mon-fri" alone.
    Weekdays None means "keep what the target had".
    """
    words = glue_meridiem(args).replace(", ", ",").split()
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
