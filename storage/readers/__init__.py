"""Article file readers: bytes of any supported format in, Article records out.

`read_file` and `read_bytes` are the only entry points. They never raise anything but
`RejectedFile`, whose message is a one-line reason to show the user. Formats are detected by
content (see `detect`); each format lives in its own module.
"""

from __future__ import annotations

import json
import logging
import re
import stat
from pathlib import Path

from storage.readers.decode import decode_text
from storage.readers.detect import (
    FEED_ROOTS,
    extension,
    json_kind,
    name_refusal,
    plain_text_refusal,
    root_name,
    sniff,
)
from storage.readers.feeds import read_feed
from storage.readers.html_page import read_html
from storage.readers.jsonfeed import read_jsonfeed
from storage.readers.newsml import ROOTS as NEWSML_ROOTS
from storage.readers.newsml import read_newsml
from storage.readers.newsml1 import ROOTS as NEWSML1_ROOTS
from storage.readers.newsml1 import read_newsml1
from storage.readers.ninjs import read_ninjs
from storage.readers.prezly import read_prezly
from storage.readers.ritzau import ROOTS as RITZAU_ROOTS
from storage.readers.ritzau import read_ritzau
from storage.readers.text import read_text
from storage.readers.wire_text import read_wire_text
from storage.readers.xml import drop_external_dtd, parse_xml
from storage.records import Article, RejectedFile

__all__ = ["FORMATS", "read_bytes", "read_file", "Article", "RejectedFile"]

FORMATS = ("prezly", "ninjs", "newsml", "newsml1", "rss", "atom", "jsonfeed", "html", "markdown",
           "text", "wire", "ritzau")

logger = logging.getLogger(__name__)

_JSON_READERS = {"prezly": read_prezly, "ninjs": read_ninjs, "jsonfeed": read_jsonfeed}
_MAX_MESSAGE_CHARS = 300
_EXTERNAL_DOCTYPE = re.compile(r"<!DOCTYPE[^\[>]*>", re.IGNORECASE)
_DTD = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def read_file(path: Path, max_bytes: int = 10_000_000) -> list[Article]:
    """Read an article file, refusing it before reading when it is over `max_bytes`."""
    path = Path(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise RejectedFile(f"{path.name or path} is not a regular file")
        if info.st_size > max_bytes:
            raise RejectedFile(too_big(info.st_size, max_bytes))
        data = path.read_bytes()
    except RejectedFile:
        raise
    except OSError as exc:
        raise RejectedFile(f"cannot read file: {exc.strerror or exc}") from exc
    # The file may have grown between stat and read.
    if len(data) > max_bytes:
        raise RejectedFile(too_big(len(data), max_bytes))
    return read_bytes(data, path.name)


def read_bytes(data: bytes, name: str = "") -> list[Article]:
    """Detect the format of file bytes by content and read them into one or more Articles.

    The name refuses what is never an article (data, code, logs, settings) before the bytes
    are read, and plain text under a name that is not a text file's.
    """
    reader = "decoder"
    try:
        if refusal := name_refusal(name):
            raise RejectedFile(refusal)
        text = decode_text(bytes(data))
        family = sniff(text, name)
        reader = family.rstrip("?")
        if family.startswith("json"):
            return _read_json(text, lenient=family.endswith("?"), name=name)
        if family == "xml":
            return _read_xml(text)
        if family == "html":
            return read_html(text)
        # Agency wire copy (AP's ANPA `.tst`, dpa's 7901 text) is read by content, any name.
        reader = "wire"
        if (wire := read_wire_text(text)) is not None:
            return wire
        reader = family
        if refusal := plain_text_refusal(name):
            raise RejectedFile(refusal)
        return read_text(text, markdown=family == "markdown")
    except RejectedFile as exc:
        raise RejectedFile(_one_line(str(exc))) from exc.__cause__
    except RecursionError as exc:
        raise RejectedFile(f"{reader} document is nested too deeply to read") from exc
    except Exception as exc:  # noqa: BLE001 - third-party parsers fail in many ways
        logger.debug("%s reader failed on %r", reader, name, exc_info=True)
        message = _one_line(f"{reader} reader failed: {type(exc).__name__}: {exc}")
        raise RejectedFile(message) from exc


# Keys under which APIs return their articles: Prezly's `stories`, ninjs APIs' `item`/`items`,
# `data` and `results` elsewhere; a response saved to a file is read as the list it holds.
_ENVELOPE_KEYS = ("stories", "items", "item", "data", "results")


def _enveloped(data: object, depth: int = 2) -> object:
    """The articles of an API response (`{"total": 1, "item": [...]}`, AP's
    `{"data": {"item": {...}}}`), else the data as is."""
    if not isinstance(data, dict) or json_kind(data) is not None:
        return data
    for key in _ENVELOPE_KEYS:
        value = data.get(key)
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            return value
        if isinstance(value, dict) and json_kind(value) is not None:
            return [value]
        if isinstance(value, dict) and depth > 1:
            inner = _enveloped(value, depth - 1)
            if inner is not value:
                return inner
    return data


def _read_json(text: str, lenient: bool, name: str) -> list[Article]:
    """Parse JSON and dispatch on its shape; `lenient` falls back to text when it is not JSON."""
    try:
        data = json.loads(text)
    except RecursionError as exc:
        raise RejectedFile("JSON is nested too deeply to read") from exc
    except json.JSONDecodeError as exc:
        if lenient:
            return read_text(text, markdown=extension(name) != ".txt")
        # json's messages end where its position goes: "Unterminated string starting at".
        what = exc.msg.removesuffix(" at")
        where = f"line {exc.lineno} column {exc.colno}"
        raise RejectedFile(f"invalid JSON: {what} at {where}") from exc
    data = _enveloped(data)
    if isinstance(data, list):
        if not data:
            raise RejectedFile("JSON list is empty: no articles")
        articles: list[Article] = []
        refused: list[str] = []
        for item in data:
            # AP's feed wraps each item again: {"meta": {...}, "item": {...}}.
            inner = _enveloped(item)
            for entry in inner if isinstance(inner, list) else [inner]:
                try:
                    articles += _read_json_object(entry)
                except RejectedFile as error:
                    # A feed of a story and its photos is the story, as a newsMessage is.
                    refused.append(str(error))
        if refused:
            logger.info("JSON list: skipped %d of %d items: %s", len(refused),
                        len(refused) + len(articles), "; ".join(sorted(set(refused))))
        if not articles:
            reasons = "; ".join(sorted(set(refused)))
            raise RejectedFile(reasons if len(refused) == 1 else
                               f"no item of the JSON list is a story ({reasons})")
        return articles
    return _read_json_object(data)


def _read_json_object(data: object) -> list[Article]:
    """Read one JSON object by its shape: Prezly story, ninjs item or JSON Feed."""
    kind = json_kind(data)
    if kind is None:
        if isinstance(data, dict):
            keys = ", ".join(sorted(str(key) for key in data)[:8]) or "none"
            found = f"an object with keys: {keys}"
        else:
            found = f"a {type(data).__name__.replace('dict', 'object')}"
        raise RejectedFile(
            f"unknown JSON shape: expected a Prezly story, ninjs item or JSON Feed, found {found}"
        )
    return _JSON_READERS[kind](data)


def _read_xml(text: str) -> list[Article]:
    """Parse XML safely (refusing entities) and dispatch on the root element."""
    if root_name(text) in NEWSML1_ROOTS:
        # Agencies name NewsML 1's DTD (ATS and Kyodo pull NITF's in through a parameter
        # entity): it is dropped, never fetched; a DOCTYPE declaring entities stays refused.
        text = drop_external_dtd(text)
    if (root_name(text) or "").lower() in FEED_ROOTS:
        # Old feeds name Netscape's RSS 0.91 DTD; it is never fetched, so it need not refuse
        # the feed. A DOCTYPE with an internal subset (entity declarations) stays refused.
        text = _EXTERNAL_DOCTYPE.sub("", text, count=1)
        if not _DTD.search(text):
            # Without a DTD nothing can declare an entity, so defusedxml has nothing to refuse
            # and feedparser reads the feed whatever a parse here finds: parse it once.
            return read_feed(text)
    try:
        tree = parse_xml(text)
    except RejectedFile as exc:
        # feedparser copes with the broken markup of real feeds; entity tricks stay refused.
        if (root_name(text) or "").lower() in FEED_ROOTS and str(exc).startswith("invalid XML"):
            return read_feed(text)
        raise
    if tree.tag.lower() in FEED_ROOTS:
        return read_feed(text)
    if tree.tag in NEWSML_ROOTS:
        return read_newsml(tree)
    if tree.tag in NEWSML1_ROOTS:
        return read_newsml1(tree)
    if tree.tag in RITZAU_ROOTS:
        return read_ritzau(tree)
    if tree.tag.lower() in ("html", "body"):
        return read_html(text)
    raise RejectedFile(
        f"unknown XML format: root element <{tree.tag}> is not RSS, Atom, NewsML-G2, NewsML 1, "
        "NITF or Ritzau's"
    )


def too_big(size: int, limit: int) -> str:
    """Say how big a file is against the limit, in megabytes with one decimal."""
    return f"file is {size / 1_000_000:.1f} MB, over the {limit / 1_000_000:.1f} MB limit"


def _one_line(message: str) -> str:
    """Collapse a message to one short line."""
    message = " ".join(message.split())
    if len(message) > _MAX_MESSAGE_CHARS:
        message = message[: _MAX_MESSAGE_CHARS - 1] + "…"
    return message or "file could not be read"
