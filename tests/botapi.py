"""A local stand-in for the Telegram Bot API, strict where Telegram is strict.

Tests run the real python-telegram-bot client against it, with no network:

    with BotApiStandIn(token="123:ABC") as api:
        bot = telegram.Bot("123:ABC", base_url=api.base_url, base_file_url=api.base_file_url)

It serves `POST /bot<token>/<method>` (form-encoded, multipart or JSON bodies, as PTB 22 sends
them) from a ThreadingHTTPServer on 127.0.0.1 in a background thread, so sync and async tests can
use it alike. It keeps a registry of chats, stores the messages the bot sends, validates HTML the
way Telegram's parser (tdlib) does, and can inject updates and faults (429, 403, 5xx, chat
migration, rate limits, slow replies, dropped connections).

Decisions, where Telegram itself is lenient (all switched off with `strict_html=False`):
- an `&` that does not start `&lt;`, `&gt;`, `&amp;`, `&quot;` or a numeric entity ending in `;` is
  rejected; Telegram would show it verbatim, which is an escaping bug in our renderer;
- `<a>` without a non-empty `href` is rejected; Telegram would use the link text as the URL.
A link to a URL Telegram does not accept (`javascript:`, `data:`, ...) is kept as plain text with
no `text_link` entity, exactly as Telegram does, in both modes: assert on `entities` to catch it.
The token never appears in logs, reprs or error messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.parser
import email.policy
import hmac
import json
import logging
import math
import re
import socket
import string
import struct
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

logger = logging.getLogger(__name__)

BOT_USERNAME = "newsbot_test_bot"
MAX_TEXT_UTF16 = 4096
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_BUTTONS = 100

CHAT_TYPES = ("private", "group", "supergroup", "channel")
HTML_TAGS = frozenset(
    {"a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
     "tg-emoji", "tg-time", "code", "pre", "blockquote"}
)
_SIMPLE_ENTITY = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "tg-spoiler": "spoiler", "span": "spoiler", "code": "code",
}
_NAMED_HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TIME_FORMAT = re.compile(r"r|w?[dD]?[tT]?")
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_BOT_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_BUTTON_ACTIONS = (
    "url", "callback_data", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
    "callback_game", "pay",
)
_CHAT_ACTIONS = frozenset(
    {"typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
     "upload_document", "choose_sticker", "find_location", "record_video_note",
     "upload_video_note"}
)
# PTB form-encodes every value as a string (JSON for objects), so types are restored by name.
_INT_PARAMS = frozenset(
    {"message_id", "offset", "limit", "timeout", "user_id", "cache_time", "message_thread_id",
     "reply_to_message_id", "max_connections", "from_chat_id"}
)
_BOOL_PARAMS = frozenset(
    {"show_alert", "disable_notification", "protect_content", "drop_pending_updates",
     "allow_sending_without_reply", "disable_web_page_preview", "allow_paid_broadcast"}
)
_JSON_PARAMS = frozenset(
    {"reply_markup", "commands", "scope", "allowed_updates", "entities", "link_preview_options",
     "reply_parameters"}
)
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; make sure that only one bot "
         "instance is running",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


class ApiError(Exception):
    """A Bot API error reply: HTTP status, description and optional ResponseParameters."""

    def __init__(self, code: int, description: str, parameters: dict | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict:
        """Return the JSON body Telegram sends for this error."""
        body: dict[str, Any] = {"ok": False, "error_code": self.code,
                                "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


class HtmlParseError(ValueError):
    """Why Telegram's HTML parse mode rejects a text (the part after "can't parse entities: ")."""


def utf16_len(text: str) -> int:
    """Return the length of text in UTF-16 code units, the unit Telegram counts in."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def check_link(url: str) -> str | None:
    """Return the URL Telegram would link to, or None where it keeps the text unlinked."""
    url = url.strip()
    if not url or any(ch.isspace() for ch in url):
        return None
    scheme_match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
    if scheme_match is None:
        # Telegram accepts a bare domain and links it over http.
        url = "http://" + url
        scheme = "http"
    else:
        scheme = scheme_match.group(1).lower()
    if scheme in ("tg", "ton", "tonsite"):
        return url
    if scheme not in ("http", "https"):
        return None
    host = urlsplit(url).hostname or ""
    if not host or ("." not in host and host != "localhost"):
        return None
    return url


def _decode_entity(text: str, pos: int) -> tuple[str, int, bool] | None:
    """Decode the HTML entity at text[pos] == '&' like tdlib: (char, end, had_semicolon)."""
    n = len(text)
    i = pos + 1
    if i < n and text[i] == "#":
        i += 1
        digits = string.digits
        base = 10
        if i < n and text[i] in "xX":
            digits, base, i = string.hexdigits, 16, i + 1
        start = i
        while i < n and text[i] in digits:
            i += 1
        if i == start or i - start > 8:
            return None
        code = int(text[start:i], base)
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        char = chr(code)
    else:
        start = i
        while i < n and text[i].isascii() and text[i].isalpha():
            i += 1
        char = _NAMED_HTML_ENTITIES.get(text[start:i])
        if char is None:
            return None
    if i < n and text[i] == ";":
        return char, i + 1, True
    return char, i, False


@dataclass
class _OpenTag:
    name: str
    attrs: dict[str, str]
    offset: int
    begin: int
    out_index: int


def parse_html(text: str, strict: bool = True) -> tuple[str, list[dict]]:
    """Parse Telegram HTML into (visible text, MessageEntity dicts), raising HtmlParseError."""

    def at(pos: int) -> str:
        return f"at byte offset {len(text[:pos].encode())}"

    out: list[str] = []
    entities: list[dict] = []
    stack: list[_OpenTag] = []
    u16 = 0
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch == "&":
            decoded = _decode_entity(text, i)
            if decoded is not None and (decoded[2] or not strict):
                out.append(decoded[0])
                u16 += utf16_len(decoded[0])
                i = decoded[1]
                continue
            if strict:
                raise HtmlParseError(
                    f"Unsupported HTML entity {at(i)} (stand-in strict mode: escape '&' as "
                    "&amp;; Telegram would show it verbatim)"
                )
        if ch != "<":
            out.append(ch)
            u16 += 2 if ord(ch) > 0xFFFF else 1
            i += 1
            continue
        begin = i
        i += 1
        if i < n and text[i] == "/":
            i = _close_tag(text, i + 1, begin, stack, entities, out, u16, at)
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] != ">":
            j += 1
        if j >= n:
            raise HtmlParseError(f"Unclosed start tag {at(begin)}")
        name = text[i:j].lower()
        if name not in HTML_TAGS:
            raise HtmlParseError(f'Unsupported start tag "{name}" {at(begin)}')
        attrs, i = _read_attributes(text, j, name, begin, at)
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" {at(begin)}')
        if name == "a" and strict and not attrs.get("href", "").strip():
            raise HtmlParseError(
                f'Tag "a" must have a non-empty attribute "href" {at(begin)} (stand-in strict '
                "mode; Telegram would link the text itself)"
            )
        stack.append(_OpenTag(name, attrs, u16, begin, len(out)))
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    return _strip("".join(out), entities)


def _read_attributes(
    text: str, i: int, name: str, begin: int, at: Callable[[int], str]
) -> tuple[dict[str, str], int]:
    """Read a start tag's attributes from text[i] to its '>'; return them and the index after."""
    n = len(text)
    attrs: dict[str, str] = {}
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise HtmlParseError(f'Unclosed start tag "{name}" {at(begin)}')
        if text[i] == ">":
            return attrs, i + 1
        start = i
        while i < n and not text[i].isspace() and text[i] not in "=>/\"'":
            i += 1
        attr = text[start:i].lower()
        if not attr:
            raise HtmlParseError(f'Empty attribute name in the tag "{name}" {at(begin)}')
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise HtmlParseError(f'Unclosed start tag "{name}" {at(begin)}')
        if text[i] != "=":
            attrs[attr] = ""  # a bare attribute, such as blockquote's `expandable`
            continue
        i += 1
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise HtmlParseError(f'Unclosed start tag "{name}" {at(begin)}')
        if text[i] in "\"'":
            quote = text[i]
            i += 1
            value: list[str] = []
            while i < n and text[i] != quote:
                decoded = _decode_entity(text, i) if text[i] == "&" else None
                if decoded is not None:
                    value.append(decoded[0])
                    i = decoded[1]
                else:
                    value.append(text[i])
                    i += 1
            if i >= n:
                raise HtmlParseError(f"Unclosed start tag {at(begin)}")
            i += 1
            attrs[attr] = "".join(value)
        else:
            start = i
            while i < n and text[i].isascii() and (text[i].isalnum() or text[i] in ".-"):
                i += 1
            if i >= n:
                raise HtmlParseError(f'Unclosed start tag "{name}" {at(begin)}')
            if not text[i].isspace() and text[i] != ">":
                raise HtmlParseError(f"Unexpected end of name token {at(i)}")
            attrs[attr] = text[start:i].lower()


def _close_tag(
    text: str,
    i: int,
    begin: int,
    stack: list[_OpenTag],
    entities: list[dict],
    out: list[str],
    u16: int,
    at: Callable[[int], str],
) -> int:
    """Handle the end tag starting at text[begin]; append its entity; return the index after."""
    n = len(text)
    if not stack:
        raise HtmlParseError(f"Unexpected end tag {at(begin)}")
    j = i
    while j < n and not text[j].isspace() and text[j] != ">":
        j += 1
    end_name = text[i:j].lower()
    while j < n and text[j].isspace():
        j += 1
    if j >= n or text[j] != ">":
        raise HtmlParseError(f"Unclosed end tag {at(begin)}")
    top = stack[-1]
    if end_name and end_name != top.name:
        raise HtmlParseError(
            f'Unmatched end tag {at(begin)}, expected "</{top.name}>", found "</{end_name}>"'
        )
    stack.pop()
    length = u16 - top.offset
    if length > 0:
        entity = _entity_for(top, length, "".join(out[top.out_index:]), entities)
        if entity is not None:
            entities.append(entity)
    return j + 1


def _entity_for(tag: _OpenTag, length: int, inner: str, entities: list[dict]) -> dict | None:
    """Build the MessageEntity a closed tag stands for, or None where Telegram makes none."""
    entity: dict[str, Any] = {"type": "", "offset": tag.offset, "length": length}
    name = tag.name
    if name == "code":
        entity["type"] = "code"
        language = tag.attrs.get("class", "")
        if language.startswith("language-") and len(language) > len("language-"):
            entity["language"] = language.removeprefix("language-")
    elif name in _SIMPLE_ENTITY:
        entity["type"] = _SIMPLE_ENTITY[name]
    elif name == "pre":
        entity["type"] = "pre"
        last = entities[-1] if entities else None
        # <pre><code class="language-x"> is one pre entity with a language, as in tdlib.
        if last and last["type"] == "code" and (last["offset"], last["length"]) == (
            tag.offset, length
        ):
            entities.pop()
            if "language" in last:
                entity["language"] = last["language"]
    elif name == "blockquote":
        entity["type"] = "expandable_blockquote" if "expandable" in tag.attrs else "blockquote"
    elif name == "a":
        url = tag.attrs.get("href", "").strip() or inner.strip()
        user = re.fullmatch(r"tg://user\?id=(\d+)", url)
        if user:
            entity["type"] = "text_mention"
            entity["user"] = {"id": int(user.group(1)), "is_bot": False,
                              "first_name": inner.strip() or "User"}
        else:
            link = check_link(url)
            if link is None:
                return None
            entity.update(type="text_link", url=link)
    elif name == "tg-emoji":
        emoji_id = tag.attrs.get("emoji-id", "")
        if not emoji_id.isdigit():
            raise HtmlParseError("Invalid custom emoji identifier specified")
        entity.update(type="custom_emoji", custom_emoji_id=emoji_id)
    elif name == "tg-time":
        unix, time_format = tag.attrs.get("unix", ""), tag.attrs.get("format", "")
        if not unix.isdigit():
            raise HtmlParseError("Invalid Unix time specified")
        if not _TIME_FORMAT.fullmatch(time_format):
            raise HtmlParseError("Invalid date time format specified")
        entity.update(type="date_time", unix_time=int(unix))
        if time_format:
            entity["date_time_format"] = time_format
    return entity


def _strip(text: str, entities: list[dict]) -> tuple[str, list[dict]]:
    """Strip surrounding whitespace as Telegram does, clipping and shifting the entities."""
    stripped = text.strip()
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    end = lead + utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(entity["offset"], lead)
        stop = min(entity["offset"] + entity["length"], end)
        if stop > start:
            kept.append({**entity, "offset": start - lead, "length": stop - start})
    kept.sort(key=lambda e: (e["offset"], -e["length"]))
    return stripped, kept


@dataclass
class _Fault:
    code: int
    description: str
    parameters: dict | None = None


@dataclass
class _Delay:
    seconds: float
    remaining: int | None


@dataclass
class _RateLimit:
    per_second: int | None
    per_chat_per_minute: int | None
    times: deque = field(default_factory=deque)
    chat_times: dict[int, deque] = field(default_factory=dict)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that hung up (cancelled long polls); log anything else."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError, ValueError, OSError)):
            return
        logger.exception("Bot API stand-in: unexpected error in the HTTP layer")


class BotApiStandIn:
    """A Telegram Bot API look-alike on 127.0.0.1 for end-to-end tests of the real PTB client."""

    def __init__(
        self,
        token: str = "123:ABC",
        *,
        strict_html: bool = True,
        bot_username: str = BOT_USERNAME,
        bot_first_name: str = "Newsbot Test",
    ) -> None:
        if not re.fullmatch(r"\d+:[A-Za-z0-9_-]+", token):
            raise ValueError("token must look like '<bot id>:<secret>'")
        self._token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.strict_html = strict_html
        self._cond = threading.Condition(threading.RLock())
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._methods: dict[str, Callable[[dict], Any]] = {
            name.lower(): getattr(self, "_m_" + name) for name in (
                "getMe", "getUpdates", "deleteWebhook", "setWebhook", "getWebhookInfo",
                "setMyCommands", "getMyCommands", "deleteMyCommands", "sendMessage",
                "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery",
                "deleteMessage", "getChat", "getChatMember", "getChatAdministrators",
                "sendChatAction", "close", "logOut",
            )
        }
        self._canonical = {name.lower(): name for name in (
            f.__name__.removeprefix("_m_") for f in self._methods.values()
        )}
        self._chats: dict[int, dict] = {}
        self._users: dict[int, dict] = {}
        self._blocked: set[int] = set()
        self._migrated: dict[int, int] = {}
        self._admins: dict[int, set[int]] = {}
        self._creators: dict[int, int] = {}
        self._next_message_id: dict[int, int] = {}
        self._messages: dict[tuple[int, int], dict] = {}
        self._bot_messages: set[tuple[int, int]] = set()
        self._updates: list[dict] = []
        self._next_update_id = 10_001
        self._poll_generation = 0
        self._webhook_url = ""
        self._commands: dict[tuple[str, str], list[dict]] = {}
        self._callbacks: dict[str, dict] = {}
        self._next_callback = 1
        self._faults: dict[str, deque[_Fault]] = {}
        self._delays: dict[str, _Delay] = {}
        self._drops: dict[str, deque[bool]] = {}
        self._rate: _RateLimit | None = None
        self._sent: list[dict] = []
        self._calls: list[tuple[str, dict]] = []
        self._deleted: list[tuple[int, int]] = []
        self._callback_answers: list[dict] = []

    def __repr__(self) -> str:
        return f"<BotApiStandIn {self.url if self._server else '(stopped)'}>"

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> BotApiStandIn:
        """Start serving on a free port of 127.0.0.1 in a daemon thread."""
        if self._server is not None:
            return self
        api = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "BotApiStandIn/1.0"

            def do_POST(self) -> None:
                api._handle(self)

            do_GET = do_POST

            def log_message(self, format: str, *args: Any) -> None:
                """Stay silent: request lines carry the bot token."""

        self._stopping.clear()
        self._server = _Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
            name="botapi-standin", daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; waiting long polls and delayed replies end at once."""
        if self._server is None:
            return
        self._stopping.set()
        with self._cond:
            self._cond.notify_all()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> BotApiStandIn:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Root URL of the server, e.g. http://127.0.0.1:54321."""
        if self._server is None:
            raise RuntimeError("the stand-in is not running; use it as a context manager")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def base_url(self) -> str:
        """Value for PTB's `base_url` (Bot(..., base_url=...) or ApplicationBuilder.base_url)."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for PTB's `base_file_url` (file downloads are not served: they answer 404)."""
        return f"{self.url}/file/bot"

    # -- test set-up -------------------------------------------------------------------------

    def add_chat(
        self,
        chat_id: int,
        type: str = "private",
        title: str | None = None,
        username: str | None = None,
        first_name: str | None = None,
    ) -> dict:
        """Register (or update) a chat the bot can talk to; return its Chat object."""
        if type not in CHAT_TYPES:
            raise ValueError(f"chat type must be one of {CHAT_TYPES}, not {type!r}")
        chat: dict[str, Any] = {"id": chat_id, "type": type}
        if type == "private":
            chat["first_name"] = first_name or f"User {chat_id}"
        else:
            chat["title"] = title or f"Chat {chat_id}"
        if username:
            chat["username"] = username.lstrip("@")
        with self._cond:
            self._chats[chat_id] = chat
            if type == "private":
                self._users.setdefault(chat_id, self._make_user(
                    chat_id, username=username, first_name=chat["first_name"]))
        return dict(chat)

    def block_chat(self, chat_id: int) -> None:
        """Make every call about this chat fail with 403 (blocked by the user, or kicked)."""
        with self._cond:
            self._blocked.add(chat_id)

    def unblock_chat(self, chat_id: int) -> None:
        """Undo block_chat."""
        with self._cond:
            self._blocked.discard(chat_id)

    def migrate_chat(self, old_id: int, new_id: int) -> dict:
        """Upgrade a group to a supergroup: the old id answers 400 with migrate_to_chat_id."""
        with self._cond:
            old = self._chats.get(old_id) or {"title": f"Chat {old_id}"}
            new = self.add_chat(new_id, "supergroup", title=old.get("title"),
                                username=old.get("username"))
            self._migrated[old_id] = new_id
            if old_id in self._admins:
                self._admins[new_id] = set(self._admins[old_id])
            if old_id in self._creators:
                self._creators[new_id] = self._creators[old_id]
        return new

    def set_admins(self, chat_id: int, user_ids: set[int], creator: int | None = None) -> None:
        """Set a chat's administrators (getChatMember says "administrator", creator "creator")."""
        with self._cond:
            self._admins[chat_id] = set(user_ids)
            if creator is not None:
                self._admins[chat_id].add(creator)
                self._creators[chat_id] = creator

    def fail_next(
        self,
        method: str,
        count: int = 1,
        error_code: int = 429,
        retry_after: int = 2,
        description: str | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        """Make the next `count` calls of `method` ("*" for any) fail with error_code."""
        parameters: dict[str, int] | None = None
        if error_code == 429:
            parameters = {"retry_after": retry_after}
            description = description or f"Too Many Requests: retry after {retry_after}"
        if migrate_to_chat_id is not None:
            parameters = {"migrate_to_chat_id": migrate_to_chat_id}
        description = description or _DEFAULT_DESCRIPTIONS.get(error_code, "Unknown error")
        with self._cond:
            queue = self._faults.setdefault(self._key(method), deque())
            queue.extend(_Fault(error_code, description, parameters) for _ in range(count))

    def clear_faults(self, method: str = "*") -> None:
        """Forget the failures still queued for `method` ("*": the catch-all queue)."""
        with self._cond:
            self._faults.pop(self._key(method), None)

    def rate_limit(
        self, per_second: int | None = 30, per_chat_per_minute: int | None = None
    ) -> None:
        """Limit sending methods (send*/edit*), globally per second and optionally per chat."""
        with self._cond:
            if per_second is None and per_chat_per_minute is None:
                self._rate = None
            else:
                self._rate = _RateLimit(per_second, per_chat_per_minute)

    def delay(self, method: str, seconds: float, count: int | None = None) -> None:
        """Answer `method` only after `seconds` (it is processed at once); 0 switches it off."""
        with self._cond:
            if seconds <= 0:
                self._delays.pop(self._key(method), None)
            else:
                self._delays[self._key(method)] = _Delay(seconds, count)

    def drop_next(self, method: str, count: int = 1, after_processing: bool = False) -> None:
        """Reset the connection on the next `count` calls, before or after acting on them."""
        with self._cond:
            self._drops.setdefault(self._key(method), deque()).extend([after_processing] * count)

    # -- injecting updates -------------------------------------------------------------------

    def inject_message(
        self,
        chat_id: int,
        text: str,
        user_id: int | None = None,
        chat_type: str = "private",
        username: str | None = None,
        first_name: str | None = None,
        title: str | None = None,
    ) -> dict:
        """Queue a message (channel_post in channels) from a user; return the Update."""
        with self._cond:
            chat = self._chats.get(chat_id)
            if chat is None:
                private = chat_type == "private"
                chat = self.add_chat(chat_id, chat_type, title=title,
                                     username=username if private else None,
                                     first_name=first_name if private else None)
            message: dict[str, Any] = {
                "message_id": self._take_message_id(chat_id),
                "date": int(time.time()),
                "chat": dict(chat),
                "text": text,
            }
            if chat["type"] == "channel":
                message["sender_chat"] = dict(chat)
                kind = "channel_post"
            else:
                user_id = chat_id if user_id is None and chat["type"] == "private" else user_id
                user = self._make_user(user_id or 1000, username, first_name)
                self._users[user["id"]] = user
                message["from"] = user
                kind = "message"
            command = _COMMAND.match(text)
            if command:
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": command.end()}
                ]
            self._messages[(chat_id, message["message_id"])] = message
            return self.inject_update({kind: message})

    def inject_callback(
        self,
        chat_id: int,
        message_id: int,
        data: str,
        user_id: int | None = None,
        username: str | None = None,
        first_name: str | None = None,
        check_button: bool = True,
    ) -> dict:
        """Queue a button press on a message the bot sent; return the Update."""
        with self._cond:
            message = self._messages.get((chat_id, message_id))
            if message is None or (chat_id, message_id) not in self._bot_messages:
                raise ValueError(f"the bot sent no message {message_id} to chat {chat_id}")
            buttons = [b.get("callback_data") for row in message.get("reply_markup", {}).get(
                "inline_keyboard", []) for b in row]
            if check_button and data not in buttons:
                raise ValueError(f"message {message_id} has no button with data {data!r}: "
                                 f"{buttons}")
            if user_id is None:
                user_id = chat_id if message["chat"]["type"] == "private" else 1000
            user = self._make_user(user_id, username, first_name)
            self._users[user_id] = user
            query_id = str(self._next_callback)
            self._next_callback += 1
            query = {
                "id": query_id,
                "from": user,
                "message": json.loads(json.dumps(message)),
                "chat_instance": str(abs(chat_id) * 7919),
                "data": data,
            }
            self._callbacks[query_id] = query
            return self.inject_update({"callback_query": query})

    def inject_update(self, update: dict) -> dict:
        """Queue any Update (its update_id is assigned here); return it."""
        with self._cond:
            update = {**update, "update_id": self._next_update_id}
            self._next_update_id += 1
            self._updates.append(update)
            self._cond.notify_all()
            return update

    # -- inspecting what happened ------------------------------------------------------------

    @property
    def sent(self) -> list[dict]:
        """Snapshot of every message sent or edited: method, chat_id, text, plain, entities, ..."""
        with self._cond:
            return list(self._sent)

    @property
    def calls(self) -> list[tuple[str, dict]]:
        """Snapshot of every authorised request as (canonical method name, params)."""
        with self._cond:
            return list(self._calls)

    @property
    def deleted(self) -> list[tuple[int, int]]:
        """Snapshot of (chat_id, message_id) pairs the bot deleted."""
        with self._cond:
            return list(self._deleted)

    @property
    def callback_answers(self) -> list[dict]:
        """Snapshot of answerCallbackQuery params, in order."""
        with self._cond:
            return list(self._callback_answers)

    @property
    def pending_updates(self) -> list[dict]:
        """Updates not yet confirmed by a getUpdates offset."""
        with self._cond:
            return list(self._updates)

    def calls_to(self, method: str) -> list[dict]:
        """Params of every call of one method (case-insensitive)."""
        key = self._key(method)
        return [params for name, params in self.calls if name.lower() == key]

    def messages_to(self, chat_id: int) -> list[dict]:
        """New messages (sendMessage records, not edits) sent to a chat, in order."""
        return [m for m in self.sent if m["chat_id"] == chat_id and m["method"] == "sendMessage"]

    def message(self, chat_id: int, message_id: int) -> dict | None:
        """The current state of a message (after edits), or None if unknown or deleted."""
        with self._cond:
            found = self._messages.get((chat_id, message_id))
            return json.loads(json.dumps(found)) if found else None

    def commands(self, scope: dict | None = None, language_code: str = "") -> list[dict]:
        """The command list set for a scope (default scope) and language."""
        with self._cond:
            return list(self._commands.get(self._scope_key(scope, language_code), []))

    def plain_text(self, html: str) -> str:
        """The text a user sees for an HTML message (raises HtmlParseError if Telegram would)."""
        return parse_html(html, strict=self.strict_html)[0]

    def wait_for(
        self, predicate: Callable[[dict], bool], timeout: float = 10, count: int = 1
    ) -> list[dict]:
        """Block until `count` sent records match; return the matches or raise AssertionError."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                matches = [m for m in self._sent if predicate(m)]
                if len(matches) >= count:
                    return matches
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"timed out after {timeout}s waiting for {count} matching message(s); "
                        f"{len(matches)} matched. Sent so far:\n{self._describe_sent()}"
                    )
                self._cond.wait(remaining)

    def wait_for_messages(self, chat_id: int, count: int = 1, timeout: float = 10) -> list[dict]:
        """Block until `count` new messages went to chat_id; return all of them."""
        return self.wait_for(
            lambda m: m["chat_id"] == chat_id and m["method"] == "sendMessage", timeout, count
        )

    def wait_for_calls(self, method: str, count: int = 1, timeout: float = 10) -> list[dict]:
        """Block until `method` was called `count` times; return their params."""
        key = self._key(method)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [p for name, p in self._calls if name.lower() == key]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    names = [name for name, _ in self._calls]
                    raise AssertionError(f"timed out waiting for {count} {method} call(s); "
                                         f"calls so far: {names}")
                self._cond.wait(remaining)

    async def wait_for_async(
        self, predicate: Callable[[dict], bool], timeout: float = 10, count: int = 1
    ) -> list[dict]:
        """wait_for without blocking the event loop the bot runs on."""
        return await asyncio.to_thread(self.wait_for, predicate, timeout, count)

    async def wait_for_messages_async(
        self, chat_id: int, count: int = 1, timeout: float = 10
    ) -> list[dict]:
        """wait_for_messages without blocking the event loop the bot runs on."""
        return await asyncio.to_thread(self.wait_for_messages, chat_id, count, timeout)

    async def wait_for_calls_async(
        self, method: str, count: int = 1, timeout: float = 10
    ) -> list[dict]:
        """wait_for_calls without blocking the event loop the bot runs on."""
        return await asyncio.to_thread(self.wait_for_calls, method, count, timeout)

    # -- HTTP layer --------------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        """Serve one request: route, check the token, apply faults, run the method, reply."""
        request.close_connection = True
        path = urlsplit(request.path).path
        route = re.fullmatch(r"/bot([^/]+)/([A-Za-z0-9_]+)/?", path)
        if route is None:
            self._reply(request, ApiError(404, "Not Found").payload(), 404)
            return
        if not hmac.compare_digest(route.group(1).encode(), self._token.encode()):
            self._reply(request, ApiError(401, "Unauthorized").payload(), 401)
            return
        key = route.group(2).lower()
        if key not in self._methods:
            self._reply(request, ApiError(404, "Not Found").payload(), 404)
            return
        method = self._canonical[key]
        raw: dict[str, Any] = {}
        bad_request: ApiError | None = None
        try:
            raw = self._read_params(request)
            params = {name: self._coerce(name, value) for name, value in raw.items()}
        except ApiError as error:
            params, bad_request = raw, error
        with self._cond:
            # Logged even when the body is malformed, so tests can see what was tried.
            self._calls.append((method, params))
            self._cond.notify_all()
            drop = self._take(self._drops, key) if bad_request is None else None
        if bad_request is not None:
            self._reply(request, bad_request.payload(), bad_request.code)
            return
        if drop is False:
            self._reset(request)
            return
        try:
            with self._cond:
                fault = self._take(self._faults, key)
                if fault is not None:
                    raise ApiError(fault.code, fault.description, fault.parameters)
            result = self._methods[key](params)
            status, body = 200, {"ok": True, "result": result}
        except ApiError as error:
            status, body = error.code, error.payload()
        except Exception as error:  # a bug here must reach the test as a readable reply
            logger.exception("Bot API stand-in failed in %s", method)
            status = 500
            body = ApiError(500, f"Internal Server Error: stand-in bug: {error!r}").payload()
        seconds = self._take_delay(key)
        if seconds:
            self._stopping.wait(seconds)
        if drop:
            self._reset(request)
            return
        self._reply(request, body, status)

    def _reply(self, request: BaseHTTPRequestHandler, body: dict, status: int) -> None:
        """Write a JSON reply."""
        data = json.dumps(body, ensure_ascii=False).encode()
        with contextlib.suppress(OSError):
            request.send_response(status)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(data)))
            request.send_header("Connection", "close")
            request.end_headers()
            request.wfile.write(data)

    @staticmethod
    def _reset(request: BaseHTTPRequestHandler) -> None:
        """Drop the connection with a TCP reset, no reply."""
        request.close_connection = True
        with contextlib.suppress(OSError):
            request.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
            request.connection.close()

    @staticmethod
    def _read_params(request: BaseHTTPRequestHandler) -> dict[str, Any]:
        """Read the query string and body (JSON, form-encoded or multipart) into raw params."""
        params: dict[str, Any] = dict(parse_qsl(urlsplit(request.path).query))
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        content_type = request.headers.get_content_type()
        if body and content_type == "application/json":
            try:
                data = json.loads(body)
            except ValueError as error:
                raise ApiError(400, "Bad Request: can't parse JSON object") from error
            if not isinstance(data, dict):
                raise ApiError(400, "Bad Request: JSON object expected")
            params.update(data)
        elif body and content_type == "multipart/form-data":
            header = f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode()
            form = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + body)
            for part in form.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True) or b""
                if part.get_filename():
                    params[name] = {"filename": part.get_filename(), "size": len(payload)}
                else:
                    params[name] = payload.decode()
        elif body:
            params.update(parse_qsl(body.decode(), keep_blank_values=True))
        return params

    @staticmethod
    def _coerce(name: str, value: Any) -> Any:
        """Turn a form value back into the type the Bot API expects for that parameter."""
        if not isinstance(value, str):
            return value
        if name in _JSON_PARAMS:
            try:
                return json.loads(value)
            except ValueError as error:
                what = "reply keyboard markup" if name == "reply_markup" else name
                raise ApiError(400, f"Bad Request: can't parse {what} JSON object") from error
        if name in _INT_PARAMS:
            try:
                return int(value)
            except ValueError as error:
                raise ApiError(400, f"Bad Request: invalid {name} specified") from error
        if name in _BOOL_PARAMS:
            return value.lower() in ("true", "1")
        return value

    # -- shared machinery --------------------------------------------------------------------

    @staticmethod
    def _key(method: str) -> str:
        return method.lower()

    @staticmethod
    def _take(table: dict[str, deque], key: str) -> Any:
        """Pop the next queued item for a method, or for "*", or return None."""
        for name in (key, "*"):
            queue = table.get(name)
            if queue:
                return queue.popleft()
        return None

    def _take_delay(self, key: str) -> float:
        with self._cond:
            delay = self._delays.get(key) or self._delays.get("*")
            if delay is None:
                return 0.0
            if delay.remaining is not None:
                delay.remaining -= 1
                if delay.remaining <= 0:
                    self._delays = {k: v for k, v in self._delays.items() if v is not delay}
            return delay.seconds

    def _bot_user(self) -> dict:
        return {"id": self.bot_id, "is_bot": True, "first_name": self.bot_first_name,
                "username": self.bot_username}

    def _make_user(self, user_id: int, username: str | None, first_name: str | None) -> dict:
        known = self._users.get(user_id, {})
        user = {"id": user_id, "is_bot": False,
                "first_name": first_name or known.get("first_name") or f"User {user_id}"}
        if username or known.get("username"):
            user["username"] = (username or known["username"]).lstrip("@")
        return user

    def _take_message_id(self, chat_id: int) -> int:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        return message_id

    def _chat(self, params: dict, blocked_ok: bool = False) -> dict:
        """Resolve chat_id (a number or @username) to a registered chat, as Telegram does."""
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        if isinstance(raw, str) and raw.startswith("@"):
            name = raw[1:].lower()
            chat_id = next((c["id"] for c in self._chats.values()
                            if c.get("username", "").lower() == name), None)
        else:
            try:
                chat_id = int(raw)
            except (TypeError, ValueError):
                chat_id = None
        if chat_id in self._migrated:
            raise ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                           {"migrate_to_chat_id": self._migrated[chat_id]})
        chat = self._chats.get(chat_id) if chat_id is not None else None
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        if chat_id in self._blocked and not blocked_ok:
            if chat["type"] == "private":
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            raise ApiError(403, f"Forbidden: bot was kicked from the {chat['type']} chat")
        return chat

    def _text(self, params: dict) -> tuple[str, list[dict]]:
        """Validate a message text and parse mode; return the visible text and its entities."""
        raw = params.get("text")
        if not isinstance(raw, str) or not raw:
            raise ApiError(400, "Bad Request: message text is empty")
        mode = str(params.get("parse_mode") or "").lower()
        if mode == "html":
            try:
                text, entities = parse_html(raw, strict=self.strict_html)
            except HtmlParseError as error:
                raise ApiError(400, f"Bad Request: can't parse entities: {error}") from error
        elif mode in ("", "markdown", "markdownv2"):
            # Markdown is not parsed here: the bot renders HTML, so it is taken verbatim.
            text, entities = _strip(raw, [])
            given = params.get("entities")
            if mode == "" and isinstance(given, list):
                entities = given
        else:
            raise ApiError(400, "Bad Request: unsupported parse_mode")
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(text) > MAX_TEXT_UTF16:
            raise ApiError(400, "Bad Request: message is too long")
        return text, entities

    @staticmethod
    def _markup(markup: Any) -> dict | None:
        """Validate reply_markup; inline keyboards are checked button by button."""
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        if "inline_keyboard" not in markup:
            if {"keyboard", "remove_keyboard", "force_reply"} & markup.keys():
                return markup
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise ApiError(400, 'Bad Request: field "inline_keyboard" of the '
                                "InlineKeyboardMarkup must be an Array of Arrays")
        buttons = [button for row in rows for button in row]
        if len(buttons) > MAX_INLINE_BUTTONS:
            raise ApiError(400, "Bad Request: reply markup is too long")
        prefix = "Bad Request: can't parse inline keyboard button: "
        for button in buttons:
            if not isinstance(button, dict):
                raise ApiError(400, prefix + "InlineKeyboardButton must be an Object")
            text = button.get("text")
            if not isinstance(text, str) or not text.strip():
                raise ApiError(400, prefix + "Text must be non-empty")
            actions = [name for name in _BUTTON_ACTIONS if name in button]
            if not actions:
                raise ApiError(400, prefix + "Text buttons are unallowed in the inline keyboard")
            if len(actions) > 1:
                raise ApiError(400, prefix + f"can't use {actions[0]} and {actions[1]} together")
            if "callback_data" in button:
                data = button["callback_data"]
                if not isinstance(data, str) or not (
                    1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES
                ):
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            if "url" in button and (
                not isinstance(button["url"], str) or check_link(button["url"]) is None
            ):
                raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
        return markup

    def _check_rate(self, chat_id: int) -> None:
        """Apply the configured flood limits to one sending call (reserving a slot)."""
        rate = self._rate
        if rate is None:
            return
        now = time.monotonic()
        windows: list[tuple[deque, int, float]] = []
        if rate.per_second is not None:
            windows.append((rate.times, rate.per_second, 1.0))
        if rate.per_chat_per_minute is not None:
            times = rate.chat_times.setdefault(chat_id, deque())
            windows.append((times, rate.per_chat_per_minute, 60.0))
        for times, limit, span in windows:
            while times and times[0] <= now - span:
                times.popleft()
            if len(times) >= limit:
                wait = max(1, math.ceil(times[0] + span - now))
                raise ApiError(429, f"Too Many Requests: retry after {wait}",
                               {"retry_after": wait})
        for times, _, _ in windows:
            times.append(now)

    def _record(self, method: str, params: dict, message: dict) -> None:
        """Remember a sent or edited message for the test to assert on."""
        self._sent.append({
            "method": method,
            "chat_id": message["chat"]["id"],
            "message_id": message["message_id"],
            "text": params.get("text"),
            "parse_mode": params.get("parse_mode"),
            "reply_markup": message.get("reply_markup"),
            "plain": message.get("text"),
            "entities": list(message.get("entities", [])),
            "params": params,
            "time": time.monotonic(),
        })
        self._cond.notify_all()

    def _stored(self, chat: dict, params: dict, action: str) -> dict:
        """The bot's message named by params["message_id"], for editing or deleting."""
        message_id = params.get("message_id")
        if message_id is None:
            raise ApiError(400, "Bad Request: message identifier is not specified")
        message = self._messages.get((chat["id"], message_id))
        if message is None:
            raise ApiError(400, f"Bad Request: message to {action} not found")
        if action == "edit" and (chat["id"], message_id) not in self._bot_messages:
            raise ApiError(400, "Bad Request: message can't be edited")
        return message

    @staticmethod
    def _scope_key(scope: dict | None, language_code: str | None) -> tuple[str, str]:
        return json.dumps(scope or {"type": "default"}, sort_keys=True), language_code or ""

    def _member(self, chat_id: int, user_id: int) -> dict:
        user = self._bot_user() if user_id == self.bot_id else self._make_user(user_id, None, None)
        if self._creators.get(chat_id) == user_id:
            return {"status": "creator", "user": user, "is_anonymous": False}
        if user_id in self._admins.get(chat_id, set()):
            rights = dict.fromkeys(
                ("can_manage_chat", "can_delete_messages", "can_manage_video_chats",
                 "can_restrict_members", "can_promote_members", "can_change_info",
                 "can_invite_users", "can_post_stories", "can_edit_stories",
                 "can_delete_stories", "can_post_messages", "can_edit_messages",
                 "can_pin_messages"), True)
            return {"status": "administrator", "user": user, "can_be_edited": False,
                    "is_anonymous": False, **rights}
        return {"status": "member", "user": user}

    def _describe_sent(self) -> str:
        lines = [
            f"  {m['method']} chat={m['chat_id']} id={m['message_id']}: {str(m['plain'])[:200]!r}"
            for m in self._sent
        ]
        return "\n".join(lines) or "  (nothing)"

    # -- Bot API methods ---------------------------------------------------------------------

    def _m_getMe(self, params: dict) -> dict:
        return {**self._bot_user(), "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": False, "can_connect_to_business": False,
                "has_main_web_app": False}

    def _m_getUpdates(self, params: dict) -> list[dict]:
        offset = params.get("offset")
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        deadline = time.monotonic() + timeout
        with self._cond:
            if self._webhook_url:
                raise ApiError(409, "Conflict: can't use getUpdates method while webhook is "
                                    "active; use deleteWebhook to delete the webhook first")
            self._poll_generation += 1
            generation = self._poll_generation
            self._cond.notify_all()  # an older long poll now ends with 409, as on Telegram
            if offset:
                if offset > 0:
                    self._updates = [u for u in self._updates if u["update_id"] >= offset]
                else:
                    self._updates = self._updates[offset:]
            while True:
                if generation != self._poll_generation:
                    raise ApiError(409, _DEFAULT_DESCRIPTIONS[409])
                remaining = deadline - time.monotonic()
                if self._updates or remaining <= 0 or self._stopping.is_set():
                    return json.loads(json.dumps(self._updates[:limit]))
                self._cond.wait(remaining)

    def _m_deleteWebhook(self, params: dict) -> bool:
        with self._cond:
            self._webhook_url = ""
            if params.get("drop_pending_updates"):
                self._updates.clear()
        return True

    def _m_setWebhook(self, params: dict) -> bool:
        url = str(params.get("url") or "")
        if url and not url.startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for "
                                "webhook")
        with self._cond:
            # Recorded (so getUpdates conflicts, as on Telegram) but nothing is ever delivered.
            self._webhook_url = url
        return True

    def _m_getWebhookInfo(self, params: dict) -> dict:
        with self._cond:
            return {"url": self._webhook_url, "has_custom_certificate": False,
                    "pending_update_count": len(self._updates)}

    def _m_setMyCommands(self, params: dict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        if len(commands) > 100:
            raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not isinstance(command, dict) or not _BOT_COMMAND_NAME.fullmatch(
                str(command.get("command", ""))
            ):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._scope_key(params.get("scope"), params.get("language_code"))
        with self._cond:
            self._commands[key] = [{"command": c["command"], "description": c["description"]}
                                   for c in commands]
        return True

    def _m_getMyCommands(self, params: dict) -> list[dict]:
        return self.commands(params.get("scope"), params.get("language_code") or "")

    def _m_deleteMyCommands(self, params: dict) -> bool:
        with self._cond:
            self._commands.pop(self._scope_key(params.get("scope"),
                                               params.get("language_code")), None)
        return True

    def _m_sendMessage(self, params: dict) -> dict:
        with self._cond:
            chat = self._chat(params)
            text, entities = self._text(params)
            markup = self._markup(params.get("reply_markup"))
            reply = params.get("reply_parameters") or {}
            reply_to = reply.get("message_id") or params.get("reply_to_message_id")
            allow_missing = reply.get("allow_sending_without_reply") or params.get(
                "allow_sending_without_reply")
            if reply_to and (chat["id"], reply_to) not in self._messages and not allow_missing:
                raise ApiError(400, "Bad Request: message to be replied not found")
            self._check_rate(chat["id"])
            message: dict[str, Any] = {
                "message_id": self._take_message_id(chat["id"]),
                "date": int(time.time()),
                "chat": dict(chat),
                "text": text,
            }
            if chat["type"] == "channel":
                message["sender_chat"] = dict(chat)
            else:
                message["from"] = self._bot_user()
            if entities:
                message["entities"] = entities
            if markup and "inline_keyboard" in markup:
                message["reply_markup"] = markup
            if reply_to and (chat["id"], reply_to) in self._messages:
                message["reply_to_message"] = self._messages[(chat["id"], reply_to)]
            key = (chat["id"], message["message_id"])
            self._messages[key] = message
            self._bot_messages.add(key)
            self._record("sendMessage", params, message)
            return json.loads(json.dumps(message))

    def _m_editMessageText(self, params: dict) -> dict:
        with self._cond:
            chat, message, inline = self._editable(params)
            text, entities = self._text(params)
            if (message.get("text"), message.get("entities", []), message.get("reply_markup")) \
                    == (text, entities, inline):
                raise ApiError(400, _NOT_MODIFIED)
            self._check_rate(chat["id"])
            message["text"] = text
            message.pop("entities", None)
            if entities:
                message["entities"] = entities
            return self._edited("editMessageText", params, message, inline)

    def _m_editMessageReplyMarkup(self, params: dict) -> dict:
        with self._cond:
            chat, message, inline = self._editable(params)
            if message.get("reply_markup") == inline:
                raise ApiError(400, _NOT_MODIFIED)
            self._check_rate(chat["id"])
            return self._edited("editMessageReplyMarkup", params, message, inline)

    def _editable(self, params: dict) -> tuple[dict, dict, dict | None]:
        """The chat, the bot's stored message and the new inline keyboard of an edit."""
        if "inline_message_id" in params:
            raise ApiError(400, "Bad Request: inline messages are not supported by the "
                                "stand-in")
        chat = self._chat(params)
        message = self._stored(chat, params, "edit")
        markup = self._markup(params.get("reply_markup"))
        return chat, message, markup if markup and "inline_keyboard" in markup else None

    def _edited(self, method: str, params: dict, message: dict, inline: dict | None) -> dict:
        """Apply the keyboard (an edit without reply_markup removes it), record, answer."""
        message.pop("reply_markup", None)
        if inline:
            message["reply_markup"] = inline
        message["edit_date"] = int(time.time())
        self._record(method, params, message)
        return json.loads(json.dumps(message))

    def _m_answerCallbackQuery(self, params: dict) -> bool:
        with self._cond:
            query_id = str(params.get("callback_query_id") or "")
            if self._callbacks.pop(query_id, None) is None:
                raise ApiError(400, "Bad Request: query is too old and response timeout "
                                    "expired or query ID is invalid")
            self._callback_answers.append(params)
            self._cond.notify_all()
        return True

    def _m_deleteMessage(self, params: dict) -> bool:
        with self._cond:
            chat = self._chat(params)
            message = self._stored(chat, params, "delete")
            key = (chat["id"], message["message_id"])
            del self._messages[key]
            self._bot_messages.discard(key)
            self._deleted.append(key)
            self._cond.notify_all()
        return True

    def _m_getChat(self, params: dict) -> dict:
        with self._cond:
            chat = self._chat(params, blocked_ok=True)
            gifts = dict.fromkeys(("unlimited_gifts", "limited_gifts", "unique_gifts",
                                   "premium_subscription", "gifts_from_channels"), True)
            return {**chat, "accent_color_id": 0, "max_reaction_count": 11,
                    "accepted_gift_types": gifts}

    def _m_getChatMember(self, params: dict) -> dict:
        with self._cond:
            chat = self._chat(params)
            user_id = params.get("user_id")
            if not isinstance(user_id, int):
                raise ApiError(400, "Bad Request: invalid user_id specified")
            return self._member(chat["id"], user_id)

    def _m_getChatAdministrators(self, params: dict) -> list[dict]:
        with self._cond:
            chat = self._chat(params)
            if chat["type"] == "private":
                raise ApiError(400, "Bad Request: there are no administrators in the private "
                                    "chat")
            creator = self._creators.get(chat["id"])
            admins = sorted(self._admins.get(chat["id"], set()), key=lambda u: u != creator)
            return [self._member(chat["id"], user_id) for user_id in admins]

    def _m_sendChatAction(self, params: dict) -> bool:
        with self._cond:
            self._chat(params)
            if params.get("action") not in _CHAT_ACTIONS:
                raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    def _m_close(self, params: dict) -> bool:
        return True

    def _m_logOut(self, params: dict) -> bool:
        return True
