"""Helpers the tests share (fixtures live in conftest.py): the repository's own sample data,
a clean environment for `newsbot` subprocesses, files written as a drop folder sees them, and for
the webhook, health and metrics tests free ports, GETs and scraped metric values; for delivery
tests a stored article and a scripted sender."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from bot.replies import Reply
from bot.send import Address, Outcome, Priority, SendResult
from storage import articles as article_store
from storage.readers import read_bytes
from storage.records import Article

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"  # copies of the shared samples: a clone needs nothing beside it
ARTICLES = DATA / "articles"
EVAL = DATA / "eval"


def clean_env(**env: str) -> dict[str, str]:
    """This process's environment for a `newsbot` subprocess: no outside TELEGRAM_/NEWSBOT_
    settings, the repo importable, no settle wait; `env` on top."""
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("TELEGRAM_", "NEWSBOT_"))
                   and k not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    # The CLI and console speak the locale's language: tests pin English unless they ask.
    return {**environment, "LANG": "C.UTF-8", "NEWSBOT_SETTLE_SECONDS": "0",
            "PYTHONPATH": str(REPO), **env}


def without_since(digest: str) -> str:
    """A digest's text with its header's "since <moment>" blanked: a first digest covers the
    last 24 hours, so that moment moves with the clock, to the minute."""
    return re.sub(r"(new articles? since ).+", r"\1…", digest, count=1)


def age(path: Path, seconds: float = 60) -> Path:
    """Make a file look written `seconds` ago, so the settle time does not hold it back."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - int(seconds * 1e9)))
    return path


def write(folder: Path, name: str | bytes, data: str | bytes, seconds_ago: float = 60) -> Path:
    """Write a file (its name may be raw bytes) and age it past the settle time."""
    path = Path(os.fsdecode(os.path.join(os.fsencode(folder), os.fsencode(name))))
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return age(path, seconds_ago)


def link(path: Path, target: Path | str, seconds_ago: float = 60) -> Path:
    """Make `path` a symbolic link to `target`, the link itself aged past the settle time."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)
    past = os.lstat(path).st_mtime_ns - int(seconds_ago * 1e9)
    os.utime(path, ns=(past, past), follow_symlinks=False)
    return path


def swap_after_listing(monkeypatch, path: Path, replace) -> None:
    """Make the scan list `path` as it is, then call `replace(path)` before it is read."""
    from bot import ingest as ingest_module

    real_walk = ingest_module.walk

    def walk_then_swap(root):
        found = list(real_walk(root))
        replace(path)
        return iter(found)

    monkeypatch.setattr(ingest_module, "walk", walk_then_swap)


class DeniedReading:
    """Paths that cannot be read, as for a user without the permission (also when the tests
    run as root, which chmod does not stop): opening, listing and access(R_OK) fail."""

    def __init__(self, monkeypatch, *paths: Path) -> None:
        self.paths = {os.fspath(path) for path in paths}
        real_open, real_scandir, real_access = os.open, os.scandir, os.access

        def denied(path) -> bool:
            return os.fspath(path) in self.paths

        def no_open(path, *args, **kwargs):
            if denied(path):
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return real_open(path, *args, **kwargs)

        def no_scandir(path="."):
            if denied(path):
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return real_scandir(path)

        def no_access(path, mode, *args, **kwargs):
            return not denied(path) and real_access(path, mode, *args, **kwargs)

        monkeypatch.setattr(os, "open", no_open)
        monkeypatch.setattr(os, "scandir", no_scandir)
        monkeypatch.setattr(os, "access", no_access)

    def allow(self) -> None:
        """The owner fixed the permissions (a chmod: size and mtime stay as they were)."""
        self.paths.clear()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_get(url: str, timeout: float = 10) -> tuple[int, str]:
    """GET a URL: (status, body); status 0 when nothing answered."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return 0, ""


def scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """The bot's /metrics as {(sample name, sorted labels): value}."""
    status, body = http_get(f"http://127.0.0.1:{port}/metrics")
    assert status == 200, (status, body[:500])
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(body) for sample in family.samples}


def sample(metrics: dict, name: str, **labels: str) -> float:
    """One scraped value; fails the test with the names it has when it is missing."""
    key = (name, tuple(sorted(labels.items())))
    if key not in metrics:
        known = [dict(found_labels) for found, found_labels in metrics if found == name]
        raise AssertionError(f"no sample {name}{labels}; it has the labels {known}")
    return metrics[key]


def add_article(conn, title: str, body: str = "A sentence about it. Another one here.",
                **extra) -> int:
    """Store an article (published an hour ago unless told) and return its public number."""
    extra.setdefault("published", datetime.now(UTC) - timedelta(hours=1))
    article_store.store(conn, Article(title=title, body=body, **extra),
                        [s.strip() + "." for s in body.split(".") if s.strip()])
    return article_store.max_seq(conn)


class FakeSender:
    """A MessageSender that answers as scripted (outcomes by call), then 'sent' with ids."""

    def __init__(self, script: list[SendResult | Outcome] | None = None) -> None:
        self.script = list(script or [])
        self.sent: list[tuple[Address, Reply, Priority]] = []
        self.changes: list[tuple[str, int, int, str | None]] = []  # (edit|delete, chat, id, text)
        self.calls = 0

    async def send(self, address: Address, reply: Reply, priority: Priority = Priority.REPLY,
                   purpose: str = "reply") -> SendResult:
        """Return the next scripted result, else record the message as sent."""
        self.calls += 1
        await asyncio.sleep(0)
        if self.script:
            scripted = self.script.pop(0)
            if isinstance(scripted, SendResult):
                return scripted
            return SendResult(scripted, address.chat_id, reason=str(scripted))
        self.sent.append((address, reply, priority))
        return SendResult(Outcome.SENT, address.chat_id, 100 + len(self.sent))

    def texts(self, chat_id: int | None = None) -> list[str]:
        """Texts of what got through (to one chat, if given)."""
        return [reply.text for address, reply, _ in self.sent
                if chat_id is None or address.chat_id == chat_id]

    async def edit(self, chat_id: int, message_id: int, reply: Reply,
                   priority: Priority = Priority.REPLY) -> SendResult:
        """An edit, answered from the same script (else applied and recorded)."""
        return self._change(("edit", chat_id, message_id, reply.text), chat_id)

    async def delete(self, chat_id: int, message_id: int,
                     priority: Priority = Priority.REPLY) -> SendResult:
        """A delete, answered from the same script (else applied and recorded)."""
        return self._change(("delete", chat_id, message_id, None), chat_id)

    def _change(self, call: tuple, chat_id: int) -> SendResult:
        self.calls += 1
        if self.script:
            scripted = self.script.pop(0)
            return scripted if isinstance(scripted, SendResult) else SendResult(
                scripted, chat_id, reason=str(scripted))
        self.changes.append(call)
        return SendResult(Outcome.SENT, chat_id)


NEWSROOM = DATA / "newsroom"
FAR_EMBARGO = ("2099-01-01T09:00:00Z", "2099-01-01 09:00:00")  # as the fixtures spell it


def newsroom(name: str, embargo: datetime | None = None) -> str:
    """A tests/data/newsroom fixture's text, its far-future embargo moved to `embargo`."""
    text = (NEWSROOM / name).read_text(encoding="utf-8")
    if embargo is not None:
        moment = embargo.astimezone(UTC)
        text = text.replace(FAR_EMBARGO[0], f"{moment:%Y-%m-%dT%H:%M:%S}Z").replace(
            FAR_EMBARGO[1], f"{moment:%Y-%m-%d %H:%M:%S}")
    return text


def read_newsroom(name: str, embargo: datetime | None = None) -> Article:
    """The one article of a newsroom fixture, read as ingest reads it."""
    from storage.readers import read_bytes

    [article] = read_bytes(newsroom(name, embargo).encode("utf-8"), name)
    return article


# -- languages ---------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]{2,}")
_PLACEHOLDER_OR_COMMAND = re.compile(r"\{\w*\}|/\w+|<[^>]+>|https?://\S+")


def _words(text: str) -> set[str]:
    return {word.casefold() for word in _WORD.findall(_PLACEHOLDER_OR_COMMAND.sub(" ", text))}


def english_only_words(language: str) -> set[str]:
    """Words of the English messages (the catalogs' msgids) that `language`'s catalog never uses:
    seeing one in a reply means a sentence of the bot reached the reader in English."""
    from bot.catalogs import extract, read_catalog

    english: set[str] = set()
    for message in extract():
        for text in message.id if isinstance(message.id, tuple) else (message.id,):
            english |= _words(text)
    own: set[str] = set()
    for message in read_catalog(language):
        for text in message.string if isinstance(message.string, tuple) else (message.string,):
            own |= _words(text or "")
    return english - own


def english_in(text: str, english: set[str], content: tuple[str, ...] = ()) -> set[str]:
    """The English-only words in `text`, once the articles' own words (`content`) are removed."""
    for part in sorted(content, key=len, reverse=True):
        text = text.replace(part, " ")
    return _words(text) & english


def one_article(data: bytes, name: str) -> Article:
    """The one article a file's bytes hold (the test fails if they hold another number)."""
    (article,) = read_bytes(data, name)
    return article
