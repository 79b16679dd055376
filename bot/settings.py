"""Settings from the environment or a `.env` file; every one is documented in .env.example."""

from __future__ import annotations

import codecs
import io
import math
import os
import re
import secrets
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from dotenv import load_dotenv
from dotenv.parser import parse_stream

from bot.i18n import LANGUAGES, base_language, system_language

DEFAULT_API_URL = "https://api.telegram.org"


class SettingsError(ValueError):
    """A setting has a value we cannot use; the message names the variable."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the application reads from its environment."""

    token: str | None = field(default=None, repr=False)  # never printed
    api_url: str = DEFAULT_API_URL
    db_path: Path = Path("newsbot.db")
    articles_dir: Path = Path("articles")
    ingest_interval: float = 60.0
    schedule_tick: float = 60.0
    settle_seconds: float = 2.0
    max_file_bytes: int = 10_000_000
    timezone: str = "Europe/Brussels"
    digest_time: str = "08:00"
    channel: str | None = None
    admin_ids: frozenset[int] = frozenset()
    summary_sentences: int = 5
    send_rate: float = 29.5
    burst: int = 5  # instant posts within a minute before they become one combined message
    watch: bool = True  # watch the drop folder (inotify) besides the periodic scan
    language: str = "en"  # groups, channels and chats whose app sends no language we speak
    terminal_language: str = "en"  # console and CLI: NEWSBOT_LANGUAGE, else the locale (LANG)
    edit_window_hours: float = 48.0  # corrections edit messages sent at most this long ago
    # Webhook mode when webhook_url is set; long polling otherwise.
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8080
    webhook_secret: str | None = field(default=None, repr=False)  # never printed
    # Health and metrics server; off when http_port is None.
    http_port: int | None = None
    http_listen: str = "127.0.0.1"
    health_telegram_seconds: float = 300.0
    health_scan_seconds: float | None = None  # None: the larger of 10 min and 3 scan intervals

    @property
    def scan_age_limit(self) -> float:
        """Seconds after which the last finished scan counts as too old for /healthz."""
        if self.health_scan_seconds is not None:
            return self.health_scan_seconds
        return max(600.0, 3 * self.ingest_interval)


def _load_dotenv(path: Path) -> None:
    """Set the variables of a .env file that the environment does not set already.

    Read here, not by python-dotenv from the path: a .env saved by Windows Notepad as
    "Unicode" (UTF-16 with a BOM) is read as such, and one that is not UTF-8 is a
    SettingsError naming the file and the line, not a UnicodeDecodeError traceback.
    """
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return
    except OSError as error:
        raise SettingsError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise SettingsError(f"{path} is not UTF-8 text (byte 0x{data[error.start]:02X} on line "
                            f"{line}): save it as UTF-8") from None
    # python-dotenv skips a line it cannot read with a warning that names no file, and the
    # setting is silently not set (a token line without "=": the bot starts as a console).
    # Said here without the line's text, which may hold the token.
    broken = [binding.original.line for binding in parse_stream(io.StringIO(text))
              if binding.error]
    if broken:
        raise SettingsError(f"{path}, line {broken[0]}: not NAME=value (quote a value that "
                            "holds a quotation mark or #)")
    load_dotenv(stream=io.StringIO(text), override=False)


def load_settings(env: dict[str, str] | None = None, dotenv: bool = True) -> Settings:
    """Read settings from `env` (default: os.environ, after loading ./.env without override)."""
    if env is None:
        if dotenv:
            _load_dotenv(Path.cwd() / ".env")
        env = dict(os.environ)

    def get(name: str) -> str | None:
        value = env.get(name, "").strip()
        return value or None

    d = Settings()  # the defaults, written once in the dataclass
    timezone = check_timezone(get("NEWSBOT_TIMEZONE") or d.timezone, "NEWSBOT_TIMEZONE")
    digest_time = get("NEWSBOT_DIGEST_TIME") or d.digest_time
    if parse_hhmm(digest_time) is None:
        raise SettingsError(f"NEWSBOT_DIGEST_TIME must be HH:MM, got {digest_time!r}")
    api_url = (get("TELEGRAM_API_URL") or d.api_url).rstrip("/")
    if not _is_http_url(api_url):  # else the bot would retry an unusable address for ever
        raise SettingsError("TELEGRAM_API_URL must be a URL like https://api.telegram.org or "
                            f"http://127.0.0.1:8081, got {api_url!r}")
    webhook_url = get("NEWSBOT_WEBHOOK_URL")
    if webhook_url is not None:
        check_webhook_url(webhook_url, api_url)
    scan_seconds = get("NEWSBOT_HEALTH_SCAN_SECONDS")
    language = get("NEWSBOT_LANGUAGE")
    if language is not None and base_language(language) is None:
        raise SettingsError(f"NEWSBOT_LANGUAGE must be one of {', '.join(LANGUAGES)}, "
                            f"got {language!r}")
    http_port = _port(get, "NEWSBOT_HTTP_PORT")
    webhook_port = _port(get, "NEWSBOT_WEBHOOK_PORT") or d.webhook_port
    if webhook_url is not None and http_port == webhook_port:
        raise SettingsError(f"NEWSBOT_HTTP_PORT and NEWSBOT_WEBHOOK_PORT are both {http_port}; "
                            "the health server and the webhook need a port each")
    return Settings(
        token=get("TELEGRAM_BOT_TOKEN"),
        api_url=api_url,
        db_path=Path(get("NEWSBOT_DB") or d.db_path),
        articles_dir=Path(get("NEWSBOT_ARTICLES_DIR") or d.articles_dir),
        ingest_interval=_number(get, "NEWSBOT_INGEST_INTERVAL", d.ingest_interval, minimum=0.1),
        schedule_tick=_number(get, "NEWSBOT_SCHEDULE_TICK", d.schedule_tick, minimum=0.1),
        settle_seconds=_number(get, "NEWSBOT_SETTLE_SECONDS", d.settle_seconds, minimum=0.0),
        max_file_bytes=int(_number(get, "NEWSBOT_MAX_FILE_MB", d.max_file_bytes / 1e6,
                                   minimum=0.001) * 1e6),
        timezone=timezone,
        digest_time=digest_time,
        channel=get("NEWSBOT_CHANNEL"),
        admin_ids=_ids(get("NEWSBOT_ADMIN_IDS")),
        send_rate=_number(get, "NEWSBOT_SEND_RATE", d.send_rate, minimum=0.1),
        burst=int(_number(get, "NEWSBOT_BURST", d.burst, minimum=1)),
        edit_window_hours=_number(get, "NEWSBOT_EDIT_WINDOW_HOURS", d.edit_window_hours,
                                  minimum=0.0),
        watch=(get("NEWSBOT_WATCH") or "on").lower() not in ("0", "off", "no", "false"),
        summary_sentences=int(_number(get, "NEWSBOT_SUMMARY_SENTENCES", d.summary_sentences,
                                      minimum=1)),
        language=base_language(language) or d.language,
        terminal_language=base_language(language) or system_language(env) or d.language,
        webhook_url=webhook_url,
        webhook_listen=get("NEWSBOT_WEBHOOK_LISTEN") or d.webhook_listen,
        webhook_port=webhook_port,
        # Random per start unless given: Telegram learns the new one from setWebhook each time.
        webhook_secret=(_secret(get("NEWSBOT_WEBHOOK_SECRET"))
                        or (secrets.token_urlsafe(32) if webhook_url else None)),
        http_port=http_port,
        http_listen=get("NEWSBOT_HTTP_LISTEN") or d.http_listen,
        # Long polls last 10 s, so a shorter silence would call every quiet poll "unhealthy".
        health_telegram_seconds=_number(get, "NEWSBOT_HEALTH_TELEGRAM_SECONDS",
                                        d.health_telegram_seconds, minimum=30),
        health_scan_seconds=(None if scan_seconds is None else
                             _number(get, "NEWSBOT_HEALTH_SCAN_SECONDS", 0, minimum=1)),
    )


def _is_http_url(url: str) -> bool:
    """Whether `url` is an http(s) URL with a host ("http://[::1" is not: unclosed)."""
    try:
        parts = urlsplit(url)
        return parts.scheme in ("https", "http") and bool(parts.hostname)
    except ValueError:
        return False


def check_webhook_url(url: str, api_url: str) -> None:
    """Raise SettingsError unless Telegram can deliver updates to `url`."""
    if not _is_http_url(url):
        raise SettingsError(
            f"NEWSBOT_WEBHOOK_URL must be a full URL like https://bot.example.org/telegram, "
            f"got {url!r}")
    # The cloud Bot API only delivers to HTTPS; a self-hosted server in --local mode takes HTTP.
    if urlsplit(url).scheme == "http" and api_url == DEFAULT_API_URL:
        raise SettingsError(
            "NEWSBOT_WEBHOOK_URL must start with https:// (Telegram delivers updates only over "
            "HTTPS; http:// works with a self-hosted Bot API server in --local mode)")


_HHMM = re.compile(r"([01]?\d|2[0-3])[:.h]([0-5]\d)(?::00)?")  # "07:30:00" is 07:30 too
_TWELVE_HOUR = re.compile(r"(1[0-2]|0?[1-9])(?:[:.]([0-5]\d))?\s*([ap])\.?m\.?", re.IGNORECASE)


def parse_hhmm(text: str) -> tuple[int, int] | None:
    """(hour, minute) from 'HH:MM', 'H:MM', 'HH:MM:00' or a 12-hour '7am' / '6:30 pm', or None
    when it is not a valid time (seconds other than :00 are: digests go out by the minute)."""
    text = text.strip()
    if match := _HHMM.fullmatch(text):
        return int(match[1]), int(match[2])
    if match := _TWELVE_HOUR.fullmatch(text):
        hour = int(match[1]) % 12 + (12 if match[3].lower() == "p" else 0)
        return hour, int(match[2] or 0)
    return None


def check_timezone(name: str, variable: str = "time zone") -> str:
    """The IANA name for `name` as IANA writes it ('europe/brussels' -> 'Europe/Brussels'), or
    SettingsError naming where the bad value came from."""
    if _is_zone(name):
        return name
    # Only now every zone's name: listing them walks the zone folders (some 20 ms a process).
    canonical = _timezones_by_folded_name().get(name.casefold())
    if canonical is None:  # the city alone ("Brussels", "new york"), when only one zone has it
        canonical = _timezones_by_city().get(name.strip().replace(" ", "_").casefold())
    if canonical is None:
        raise SettingsError(
            f"{variable}: unknown time zone {name!r} (use an IANA name like Europe/Brussels)")
    return canonical


def _is_zone(name: str) -> bool:
    """Whether `name`, exactly as written, opens a zone."""
    try:
        ZoneInfo(name)
    # OSError: a region ("Europe" is a folder of zones) or a name too long for a file name.
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


@cache
def _timezones_by_folded_name() -> dict[str, str]:
    """Every IANA zone name this system knows, by its case-folded spelling."""
    return {zone.casefold(): zone for zone in available_timezones()}


@cache
def _timezones_by_city() -> dict[str, str]:
    """Zones by their last part, case-folded ("brussels" -> Europe/Brussels); a city that two
    zones share is left out, so it stays unknown rather than a guess."""
    by_city: dict[str, set[str]] = {}
    for zone in available_timezones():
        if "/" in zone and not zone.startswith(("Etc/", "posix/", "right/", "SystemV/")):
            by_city.setdefault(zone.rsplit("/", 1)[1].casefold(), set()).add(zone)
    return {city: zones.pop() for city, zones in by_city.items() if len(zones) == 1}


def _number(get, name: str, default: float, minimum: float) -> float:
    raw = get(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None
    if not math.isfinite(value):  # "nan", "inf": float() reads them, no setting means them
        raise SettingsError(f"{name} must be a finite number, got {raw!r}")
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {raw!r}")
    return value


def _port(get, name: str) -> int | None:
    raw = get(name)
    if raw is None:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise SettingsError(f"{name} must be a TCP port number from 1 to 65535, got {raw!r}")
    return int(raw)


def _secret(raw: str | None) -> str | None:
    # The value itself is never echoed: it is a secret, and error messages end up in logs.
    if raw is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", raw):
        raise SettingsError("NEWSBOT_WEBHOOK_SECRET must be 1 to 256 characters from A-Z, a-z, "
                            "0-9, _ and - (Telegram's rule for secret_token)")
    return raw


def _ids(raw: str | None) -> frozenset[int]:
    if not raw:
        return frozenset()
    try:
        return frozenset(int(part) for part in re.split(r"[,\s]+", raw) if part)
    except ValueError:
        raise SettingsError(
            f"NEWSBOT_ADMIN_IDS must be numeric Telegram user ids separated by commas, got {raw!r}"
        ) from None
