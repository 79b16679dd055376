"""Webhook mode: where the bot listens, what it tells Telegram, and Telegram's delivery errors.

Telegram POSTs each update to NEWSBOT_WEBHOOK_URL (HTTPS, usually a reverse proxy) with the
secret from setWebhook in the X-Telegram-Bot-Api-Secret-Token header; the proxy forwards to
NEWSBOT_WEBHOOK_LISTEN:NEWSBOT_WEBHOOK_PORT on the URL's own path, where PTB's webhook server
refuses any request without that header (403).
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from bot.settings import Settings


@dataclass(frozen=True, slots=True)
class WebhookOptions:
    """The arguments of PTB's run_webhook that come from our settings."""

    listen: str
    port: int
    url_path: str
    webhook_url: str
    secret_token: str

    def __repr__(self) -> str:  # the secret must not reach a log line by accident
        return (f"WebhookOptions(listen={self.listen!r}, port={self.port}, "
                f"url_path={self.url_path!r}, webhook_url={self.webhook_url!r})")


def webhook_options(settings: Settings) -> WebhookOptions:
    """run_webhook's arguments: listen on the public URL's path, so a proxy passes it as is."""
    if not settings.webhook_url or not settings.webhook_secret:
        raise ValueError("webhook mode needs NEWSBOT_WEBHOOK_URL (and a secret)")
    path = urlsplit(settings.webhook_url).path or "/"
    return WebhookOptions(listen=settings.webhook_listen, port=settings.webhook_port,
                          url_path=path, webhook_url=settings.webhook_url,
                          secret_token=settings.webhook_secret)


def listen_problem(listen: str, port: int) -> str | None:
    """Why the webhook server could not listen on listen:port, or None when it can."""
    # Checked before start so a busy port is one clear line, not a traceback from tornado.
    try:
        infos = socket.getaddrinfo(listen, port, type=socket.SOCK_STREAM)
        family, kind, proto, _, address = infos[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as error:
        return error.strerror or str(error)
    return None


def recent_delivery_error(last_error_date: datetime | None, last_error_message: str | None,
                          pending: int, now: datetime, window: float) -> str | None:
    """Telegram's last webhook delivery error while it still matters, else None.

    It matters while updates wait and the error is younger than `window` seconds; an old error
    with nothing pending has been overcome.
    """
    if last_error_date is None or pending == 0:
        return None
    if (now - last_error_date).total_seconds() > window:
        return None
    return f"{last_error_message or 'unknown error'} ({pending} update(s) waiting)"
