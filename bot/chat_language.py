"""Which language the bot writes to a target in: its own choice, its app's, or the default.

The command logic and the deliveries (digests, instant posts, alerts) both ask here, so a
scheduled digest speaks the same language as the chat's /settings.
"""

from __future__ import annotations

import sqlite3

from bot.settings import Settings
from storage import chats as chat_store
from storage.chats import Chat


def language_of(conn: sqlite3.Connection, chat: Chat, settings: Settings) -> str:
    """The target's language: /language's choice, else (private chats) the app's, else the
    bot's default; a forum topic without a choice of its own speaks like its group."""
    if chat.ui_language:
        return chat.ui_language
    if chat.thread_id:
        group = chat_store.get_chat(conn, chat.chat_id) or Chat(chat_id=chat.chat_id,
                                                               type=chat.type)
        return language_of(conn, group, settings)
    if chat.type == "console":  # the terminal's own chat: NEWSBOT_LANGUAGE, else LANG
        return settings.terminal_language
    if chat.type == "private" and chat.seen_language:
        return chat.seen_language
    return settings.language
