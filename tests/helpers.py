"""Helpers the tests share (fixtures live in conftest.py): the repository's own sample data,
a clean environment for `newsbot` subprocesses, files written as a drop folder sees them, and for
the webhook, health and metrics tests free ports, GETs and scraped metric values."""

from __future__ import annotations

import os
import re
import socket
import urllib.error
import urllib.request
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

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


def swap_after_listing(monkeypatch, path: Path, replace) -> None:
    """Make the scan list `path` as it is, then call `replace(path)` before it is read."""
    from bot import ingest as ingest_module

    real_walk = ingest_module.walk

    def walk_then_swap(root):
        found = list(real_walk(root))
        replace(path)
        return iter(found)

    monkeypatch.setattr(ingest_module, "walk", walk_then_swap)


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
