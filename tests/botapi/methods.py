"""The Bot API methods the stand-in serves, validated as strictly as Telegram does."""

from __future__ import annotations

import json
import re
import time
from typing import Any

from .errors import DEFAULT_DESCRIPTIONS, ApiError
from .html import MAX_TEXT_UTF16, HtmlParseError, check_link, parse_html, strip_text, utf16_len

LINK_PREVIEW_FIELDS = ("is_disabled", "url", "prefer_small_media", "prefer_large_media",
                       "show_above_text")
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_BUTTONS = 100
# Telegram applies only a message's first 100 entities and shows the rest as plain text, with
# no error; the strict stand-in refuses such a message, since formatting would be lost.
MAX_ENTITIES = 100
# Telegram: a button press must be answered within seconds (about 15 in practice), else
# answerCallbackQuery fails; a press read after a restart is always too old.
CALLBACK_ANSWER_WINDOW = 15.0
MAX_CALLBACK_ANSWER_TEXT = 200  # "Text of the notification... 0-200 characters"
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
# Telegram: "a message can only be deleted if it was sent less than 48 hours ago".
DELETE_WINDOW = 48 * 3600
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


class MethodsMixin:
    """Bot API methods (`_m_<name>`) and the validation they share, on BotApiStandIn's state."""

    def _bot_user(self) -> dict:
        return {"id": self.bot_id, "is_bot": True, "first_name": self.bot_first_name,
                "username": self.bot_username}

    def _make_user(self, user_id: int, username: str | None, first_name: str | None,
                   language_code: str | None = None) -> dict:
        known = self._users.get(user_id, {})
        user = {"id": user_id, "is_bot": False,
                "first_name": first_name or known.get("first_name") or f"User {user_id}"}
        if username or known.get("username"):
            user["username"] = (username or known["username"]).lstrip("@")
        # Telegram sends the app's language (IETF tag) with every update from that user.
        if language_code or known.get("language_code"):
            user["language_code"] = language_code or known["language_code"]
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
            text, entities = strip_text(raw, [])
            given = params.get("entities")
            if mode == "" and isinstance(given, list):
                entities = given
        else:
            raise ApiError(400, "Bad Request: unsupported parse_mode")
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(text) > MAX_TEXT_UTF16:
            raise ApiError(400, "Bad Request: message is too long")
        if self.strict_html and len(entities) > MAX_ENTITIES:
            raise ApiError(400, f"Bad Request: {len(entities)} entities (stand-in strict mode: "
                                f"Telegram would format only the first {MAX_ENTITIES})")
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

    def _record(self, method: str, params: dict, message: dict) -> None:
        """Remember a sent or edited message for the test to assert on."""
        self._sent.append({
            "method": method,
            "chat_id": message["chat"]["id"],
            "thread_id": message.get("message_thread_id", 0),
            "message_id": message["message_id"],
            "link_preview_options": params.get("link_preview_options"),
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

    def _topic_of(self, chat: dict, thread_id: Any) -> int:
        """Check message_thread_id as Telegram does: only forum topics that exist."""
        if thread_id in (None, "", 0):
            return 0
        if not isinstance(thread_id, int):
            raise ApiError(400, "Bad Request: invalid message_thread_id specified")
        if not chat.get("is_forum"):
            raise ApiError(400, "Bad Request: message thread not found")
        if thread_id not in self._topics.get(chat["id"], {}):
            raise ApiError(400, "Bad Request: message thread not found")
        if (chat["id"], thread_id) in self._closed_topics:
            raise ApiError(400, "Bad Request: TOPIC_CLOSED")
        return thread_id

    @staticmethod
    def _link_preview(options: Any) -> None:
        """Validate link_preview_options (strict: unknown fields and contradictions refused)."""
        if options is None:
            return
        if not isinstance(options, dict):
            raise ApiError(400, "Bad Request: can't parse link preview options JSON object")
        unknown = set(options) - set(LINK_PREVIEW_FIELDS)
        if unknown:
            raise ApiError(400, f"Bad Request: unknown link preview option {sorted(unknown)[0]} "
                                "(stand-in strict mode)")
        for name, value in options.items():
            expected = str if name == "url" else bool
            if not isinstance(value, expected):
                raise ApiError(400, f"Bad Request: field \"{name}\" of the LinkPreviewOptions "
                                    f"must be of type {expected.__name__}")
        if options.get("prefer_small_media") and options.get("prefer_large_media"):
            raise ApiError(400, "Bad Request: can't use prefer_small_media and "
                                "prefer_large_media together (stand-in strict mode)")
        if "url" in options and check_link(options["url"]) is None:
            raise ApiError(400, "Bad Request: link preview URL is invalid (stand-in strict mode)")

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
                 "can_pin_messages", "can_manage_topics"), True)
            rights.update(self._rights.get((chat_id, user_id), {}))
            return {"status": "administrator", "user": user, "can_be_edited": False,
                    "is_anonymous": False, **rights}
        if self._chats.get(chat_id, {}).get("type") == "channel" and user_id == self.bot_id:
            return {"status": "left", "user": user}  # a bot only posts in channels it administers
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
                    raise ApiError(409, DEFAULT_DESCRIPTIONS[409])
                remaining = deadline - time.monotonic()
                if self._updates or remaining <= 0 or self._stopping.is_set():
                    return json.loads(json.dumps(self._updates[:limit]))
                self._cond.wait(remaining)

    def _m_deleteWebhook(self, params: dict) -> bool:
        with self._cond:
            self._webhook_url = ""
            self._webhook_secret = ""
            if params.get("drop_pending_updates"):
                self._updates.clear()
            self._cond.notify_all()
        return True

    def _m_setWebhook(self, params: dict) -> bool:
        url = str(params.get("url") or "")
        if url and not url.startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for "
                                "webhook")
        secret = str(params.get("secret_token") or "")
        if secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        with self._cond:
            # getUpdates now conflicts, as on Telegram; updates are POSTed to the URL only when
            # a WebhookDelivery (tests/botapi/webhook.py) plays Telegram's sending side.
            self._webhook_url = url
            self._webhook_secret = secret
            if params.get("drop_pending_updates"):
                self._updates.clear()
            self._cond.notify_all()
        return True

    def _m_getWebhookInfo(self, params: dict) -> dict:
        with self._cond:
            info: dict[str, Any] = {"url": self._webhook_url, "has_custom_certificate": False,
                                    "pending_update_count": len(self._updates)}
            if self._webhook_url and self._webhook_error is not None:
                info["last_error_date"], info["last_error_message"] = self._webhook_error
            return info

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

    def _may_post(self, chat: dict) -> None:
        """Refuse a message where the bot may not post, with Telegram's own descriptions."""
        rights = self._rights.get((chat["id"], self.bot_id), {})
        if chat["type"] == "channel" and rights.get("can_post_messages") is False:
            raise ApiError(400, "Bad Request: need administrator rights in the channel chat")
        if chat["type"] in ("group", "supergroup") and rights.get("can_send_messages") is False:
            raise ApiError(400, "Bad Request: not enough rights to send text messages to the "
                                "chat")

    def _m_sendMessage(self, params: dict) -> dict:
        with self._cond:
            chat = self._chat(params)
            self._may_post(chat)
            text, entities = self._text(params)
            markup = self._markup(params.get("reply_markup"))
            reply = params.get("reply_parameters") or {}
            reply_to = reply.get("message_id") or params.get("reply_to_message_id")
            allow_missing = reply.get("allow_sending_without_reply") or params.get(
                "allow_sending_without_reply")
            if reply_to and (chat["id"], reply_to) not in self._messages and not allow_missing:
                raise ApiError(400, "Bad Request: message to be replied not found")
            thread = self._topic_of(chat, params.get("message_thread_id"))
            self._link_preview(params.get("link_preview_options"))
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
            if thread:
                message["message_thread_id"] = thread
                message["is_topic_message"] = True
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
            self._link_preview(params.get("link_preview_options"))
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
            pressed = self._callbacks.pop(query_id, None)
            if pressed is None or time.monotonic() - pressed["pressed"] > CALLBACK_ANSWER_WINDOW:
                raise ApiError(400, "Bad Request: query is too old and response timeout "
                                    "expired or query ID is invalid")
            if len(str(params.get("text") or "")) > MAX_CALLBACK_ANSWER_TEXT:
                raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
            self._callback_answers.append(params)
            self._cond.notify_all()
        return True

    def _m_deleteMessage(self, params: dict) -> bool:
        with self._cond:
            chat = self._chat(params)
            message = self._stored(chat, params, "delete")
            if message["date"] < time.time() - DELETE_WINDOW:
                raise ApiError(400, "Bad Request: message can't be deleted")
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
