"""BotApiStandIn: chats, users, updates and what the bot sent, over the HTTP/method/fault layers."""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from .faults import Delay, Fault, FaultsMixin, RateLimit
from .html import parse_html
from .methods import MethodsMixin
from .server import HttpMixin, QuietServer
from .webhook import WebhookMixin

BOT_USERNAME = "newsbot_test_bot"
CHAT_TYPES = ("private", "group", "supergroup", "channel")
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")


class BotApiStandIn(HttpMixin, FaultsMixin, MethodsMixin, WebhookMixin):
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
        self._server: QuietServer | None = None
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
        self._rights: dict[tuple[int, int], dict[str, bool]] = {}
        self._topics: dict[int, dict[int, str]] = {}
        self._closed_topics: set[tuple[int, int]] = set()
        self._creators: dict[int, int] = {}
        self._next_message_id: dict[int, int] = {}
        self._messages: dict[tuple[int, int], dict] = {}
        self._bot_messages: set[tuple[int, int]] = set()
        self._updates: list[dict] = []
        self._next_update_id = 10_001
        self._poll_generation = 0
        self._webhook_url = ""
        self._webhook_secret = ""
        self._webhook_error: tuple[int, str] | None = None  # (unix time, message)
        self._commands: dict[tuple[str, str], list[dict]] = {}
        self._callbacks: dict[str, dict] = {}
        self._next_callback = 1
        self._faults: dict[str, deque[Fault]] = {}
        self._delays: dict[str, Delay] = {}
        self._drops: dict[str, deque[bool]] = {}
        self._rate: RateLimit | None = None
        self._sent: list[dict] = []
        self._calls: list[tuple[str, dict]] = []
        self._deleted: list[tuple[int, int]] = []
        self._callback_answers: list[dict] = []

    def __repr__(self) -> str:
        return f"<BotApiStandIn {self.url if self._server else '(stopped)'}>"

    def __enter__(self) -> BotApiStandIn:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- test set-up -------------------------------------------------------------------------

    def add_chat(
        self,
        chat_id: int,
        type: str = "private",
        title: str | None = None,
        username: str | None = None,
        first_name: str | None = None,
        is_forum: bool = False,
    ) -> dict:
        """Register (or update) a chat the bot can talk to; return its Chat object."""
        if type not in CHAT_TYPES:
            raise ValueError(f"chat type must be one of {CHAT_TYPES}, not {type!r}")
        if is_forum and type != "supergroup":
            raise ValueError("only supergroups can be forums")
        chat: dict[str, Any] = {"id": chat_id, "type": type}
        if is_forum:
            chat["is_forum"] = True
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

    def add_topic(self, chat_id: int, thread_id: int, name: str = "") -> None:
        """Create a forum topic (message_thread_id) in a forum supergroup."""
        with self._cond:
            if not self._chats.get(chat_id, {}).get("is_forum"):
                raise ValueError(f"chat {chat_id} is not a forum (add_chat(..., is_forum=True))")
            self._topics.setdefault(chat_id, {})[thread_id] = name or f"Topic {thread_id}"

    def delete_topic(self, chat_id: int, thread_id: int) -> None:
        """Delete a forum topic: sends to it answer 400 'message thread not found'."""
        with self._cond:
            self._topics.get(chat_id, {}).pop(thread_id, None)

    def close_topic(self, chat_id: int, thread_id: int) -> None:
        """Close a forum topic: sends to it answer 400 TOPIC_CLOSED until it is reopened."""
        with self._cond:
            self._closed_topics.add((chat_id, thread_id))

    def reopen_topic(self, chat_id: int, thread_id: int) -> dict:
        """Reopen a closed topic and queue Telegram's forum_topic_reopened service message."""
        with self._cond:
            self._closed_topics.discard((chat_id, thread_id))
            message = {"message_id": self._take_message_id(chat_id), "date": int(time.time()),
                       "chat": dict(self._chats[chat_id]), "message_thread_id": thread_id,
                       "is_topic_message": True, "forum_topic_reopened": {},
                       "from": self._make_user(self._creators.get(chat_id) or 1000, None, None)}
            return self.inject_update({"message": message})

    def set_rights(self, chat_id: int, user_id: int, **rights: bool) -> None:
        """Change an administrator's rights (e.g. can_post_messages=False) for getChatMember;
        for the bot, can_send_messages=False in a group (restricted) or can_post_messages=False
        in a channel also makes its messages there answer 400, as Telegram does."""
        with self._cond:
            self._rights[(chat_id, user_id)] = dict(rights)

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

    def backdate(self, chat_id: int, message_id: int, hours: float) -> None:
        """Make a stored message look sent `hours` ago (Telegram refuses to delete one older
        than 48 hours)."""
        with self._cond:
            self._messages[(chat_id, message_id)]["date"] -= int(hours * 3600)

    def set_admins(self, chat_id: int, user_ids: set[int], creator: int | None = None) -> None:
        """Set a chat's administrators (getChatMember says "administrator", creator "creator")."""
        with self._cond:
            self._admins[chat_id] = set(user_ids)
            if creator is not None:
                self._admins[chat_id].add(creator)
                self._creators[chat_id] = creator

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
        thread_id: int | None = None,
        language_code: str | None = None,
        as_caption: bool = False,
    ) -> dict:
        """Queue a message (channel_post in channels) from a user, in a forum topic if
        thread_id is given (a photo with `text` as its caption if as_caption); return the
        Update."""
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
                user = self._make_user(user_id or 1000, username, first_name, language_code)
                self._users[user["id"]] = user
                message["from"] = user
                kind = "message"
            if thread_id:
                if thread_id not in self._topics.get(chat_id, {}):
                    raise ValueError(f"chat {chat_id} has no topic {thread_id}")
                message["message_thread_id"] = thread_id
                message["is_topic_message"] = True
            command = _COMMAND.match(text)
            if command:
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": command.end()}
                ]
            if as_caption:
                message["caption"] = message.pop("text")
                if "entities" in message:
                    message["caption_entities"] = message.pop("entities")
                message["photo"] = [{"file_id": f"photo-{message['message_id']}",
                                     "file_unique_id": f"p{message['message_id']}",
                                     "width": 1280, "height": 720}]
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
        language_code: str | None = None,
        seconds_ago: float = 0,
    ) -> dict:
        """Queue a button press on a message the bot sent; return the Update. A press made
        `seconds_ago` more than CALLBACK_ANSWER_WINDOW ago (the bot was down) can no longer
        be answered, as on Telegram."""
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
            user = self._make_user(user_id, username, first_name, language_code)
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
            self._callbacks[query_id] = {**query, "pressed": time.monotonic() - seconds_ago}
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

    def edits_of(self, chat_id: int, message_id: int) -> list[dict]:
        """The edits Telegram applied to one message (answered "not modified" are not edits)."""
        return [m for m in self.sent if m["chat_id"] == chat_id
                and m["message_id"] == message_id and m["method"] == "editMessageText"]

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

