"""Telegram's sending side of webhook mode, for the Bot API stand-in.

While the bot has a webhook set, `WebhookDelivery` POSTs each queued update (in order, one at a
time) as Telegram does: JSON body, `Content-Type: application/json`, and the setWebhook
`secret_token` in the `X-Telegram-Bot-Api-Secret-Token` header. A 2xx answer confirms the update;
anything else is recorded, reported by getWebhookInfo, and retried.

The registered URL is public HTTPS (the stand-in refuses anything else, as Telegram does); in
production a reverse proxy forwards it to the bot. Here `proxy_to` plays the proxy: the request
goes to that address with the registered URL's path, unchanged, like nginx's `proxy_pass`.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from .standin import BotApiStandIn

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
RETRY_SECONDS = 0.2


class WebhookMixin:
    """The stand-in's side of webhook delivery: which update is next, and how its POST went."""

    def next_webhook_update(self, timeout: float) -> tuple[dict, str, str] | None:
        """The oldest update waiting while a webhook is set, with (url, secret); or None."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not (self._webhook_url and self._updates):
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._stopping.is_set():
                    return None
                self._cond.wait(remaining)
            update = json.loads(json.dumps(self._updates[0]))
            return update, self._webhook_url, self._webhook_secret

    def webhook_delivered(self, update_id: int) -> None:
        """The webhook answered 2xx for this update: it is no longer pending."""
        with self._cond:
            self._updates = [u for u in self._updates if u["update_id"] != update_id]
            self._cond.notify_all()

    def webhook_failed(self, message: str) -> None:
        """The webhook refused an update or did not answer; getWebhookInfo reports it."""
        with self._cond:
            self._webhook_error = (int(time.time()), message)


@dataclass(frozen=True, slots=True)
class Delivery:
    """One POST to the webhook: which update, with which secret, and the HTTP status."""

    update_id: int
    status: int  # 0 when no HTTP answer came (refused, reset, timeout)
    secret: str | None


class WebhookDelivery:
    """Posts the stand-in's pending updates to the bot's webhook while one is set."""

    def __init__(self, api: BotApiStandIn, proxy_to: str) -> None:
        self.api = api
        self.proxy_to = proxy_to.rstrip("/")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._deliveries: list[Delivery] = []

    def __enter__(self) -> WebhookDelivery:
        self._thread = threading.Thread(target=self._run, name="webhook-delivery", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    @property
    def deliveries(self) -> list[Delivery]:
        """Every POST made so far, in order."""
        with self._lock:
            return list(self._deliveries)

    def target(self, webhook_url: str) -> str:
        """Where the proxy forwards a request for `webhook_url`: same path, our address."""
        parts = urlsplit(webhook_url)
        return self.proxy_to + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def post(self, webhook_url: str, update: dict, secret: str | None,
             content_type: str = "application/json") -> int:
        """POST one update as Telegram would (secret None: no header); the HTTP status or 0."""
        headers = {"Content-Type": content_type}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        request = urllib.request.Request(self.target(webhook_url), method="POST",
                                         data=json.dumps(update).encode(), headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                status = answer.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = 0
        with self._lock:
            self._deliveries.append(Delivery(update["update_id"], status, secret))
        return status

    def _run(self) -> None:
        while not self._stop.is_set():
            pending = self.api.next_webhook_update(timeout=0.1)
            if pending is None:
                continue
            update, url, secret = pending
            status = self.post(url, update, secret or None)
            if 200 <= status < 300:
                self.api.webhook_delivered(update["update_id"])
            else:
                # Telegram's own wording in getWebhookInfo.last_error_message.
                self.api.webhook_failed(f"Wrong response from the webhook: {status}" if status
                                        else "Connection refused")
                self._stop.wait(RETRY_SECONDS)
