"""Logging set-up that never writes the bot token or the webhook secret, whoever logs them."""

from __future__ import annotations

import logging
import re

# Bot API URLs look like .../bot123456:AAH.../sendMessage; httpx logs them at INFO.
_TOKEN_PATTERN = re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}")


class RedactToken(logging.Filter):
    """Replace the bot token (and anything shaped like one) and other secrets in log records."""

    def __init__(self, token: str | None = None, *secrets: str | None) -> None:
        super().__init__()
        self.token = token
        # PTB logs every Bot API call's parameters at DEBUG, setWebhook's secret_token included.
        self.secrets = [secret for secret in secrets if secret]

    def redact(self, text: str) -> str:
        """The text with any token replaced by '<token>' and any secret by '<secret>'."""
        if self.token:
            text = text.replace(self.token, "<token>")
        for secret in self.secrets:
            text = text.replace(secret, "<secret>")
        return _TOKEN_PATTERN.sub("<token>", text)

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message in place; never drops a record."""
        message = record.getMessage()
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            text = str(error)
            if self.redact(text) != text:
                # Tracebacks are formatted later from exc_info: swap in a redacted copy.
                record.exc_info = (record.exc_info[0], type(error)(self.redact(text))
                                   if _rebuildable(error) else RuntimeError(self.redact(text)),
                                   record.exc_info[2])
                record.exc_text = None
        return True


def _rebuildable(error: BaseException) -> bool:
    try:
        type(error)("x")
    except Exception:
        return False
    return True


def setup_logging(level: str = "INFO", token: str | None = None, *secrets: str | None) -> None:
    """Log to stderr with the token and secrets redacted; quiet per-request lines."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(token, *secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL (with the token) at INFO; PTB's polling chatter is noise.
    # tornado.access would log a line per webhook POST and per health check.
    for name in ("httpx", "httpcore", "apscheduler", "telegram.ext.Updater", "tornado.access"):
        logging.getLogger(name).setLevel(logging.WARNING)
    # Article parsing libraries warn about pages they find odd ("discarding data: None"); a
    # file we cannot use is reported once, by us, with its reason.
    for name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
        logging.getLogger(name).setLevel(logging.ERROR)
