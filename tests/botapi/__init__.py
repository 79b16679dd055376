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

from .errors import ApiError
from .html import MAX_TEXT_UTF16, HtmlParseError, check_link, parse_html, utf16_len
from .standin import BOT_USERNAME, CHAT_TYPES, BotApiStandIn

__all__ = [
    "BOT_USERNAME", "CHAT_TYPES", "MAX_TEXT_UTF16", "ApiError", "BotApiStandIn",
    "HtmlParseError", "check_link", "parse_html", "utf16_len",
]
