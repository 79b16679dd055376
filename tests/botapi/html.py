"""Telegram's HTML parse mode, as tdlib parses it: visible text and MessageEntity dicts.

Decisions where Telegram is lenient (switched off with strict=False): an `&` that does not start
a known entity ending in `;` is rejected, and so is `<a>` without a non-empty `href`. A link to a
URL Telegram does not accept (`javascript:`, `data:`, ...) stays plain text with no entity.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

MAX_TEXT_UTF16 = 4096
HTML_TAGS = frozenset(
    {"a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
     "tg-emoji", "tg-time", "code", "pre", "blockquote"}
)
_SIMPLE_ENTITY = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "tg-spoiler": "spoiler", "span": "spoiler", "code": "code",
}
_NAMED_HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TIME_FORMAT = re.compile(r"r|w?[dD]?[tT]?")


class HtmlParseError(ValueError):
    """Why Telegram's HTML parse mode rejects a text (the part after "can't parse entities: ")."""


def utf16_len(text: str) -> int:
    """Return the length of text in UTF-16 code units, the unit Telegram counts in."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def check_link(url: str) -> str | None:
    """Return the URL Telegram would link to, or None where it keeps the text unlinked."""
    url = url.strip()
    if not url or any(ch.isspace() for ch in url):
        return None
    scheme_match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
    if scheme_match is None:
        # Telegram accepts a bare domain and links it over http.
        url = "http://" + url
        scheme = "http"
    else:
        scheme = scheme_match.group(1).lower()
    if scheme in ("tg", "ton", "tonsite"):
        return url
    if scheme not in ("http", "https"):
        return None
    host = urlsplit(url).hostname or ""
    if not host or ("." not in host and host != "localhost"):
        return None
    return url


def _decode_entity(text: str, pos: int) -> tuple[str, int, bool] | None:
    """Decode the HTML entity at text[pos] == '&' like tdlib: (char, end, had_semicolon)."""
    n = len(text)
    i = pos + 1
    if i < n and text[i] == "#":
        i += 1
        digits = string.digits
        base = 10
        if i < n and text[i] in "xX":
            digits, base, i = string.hexdigits, 16, i + 1
        start = i
        while i < n and text[i] in digits:
            i += 1
        if i == start or i - start > 8:
            return None
        code = int(text[start:i], base)
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        char = chr(code)
    else:
        start = i
        while i < n and text[i].isascii() and text[i].isalpha():
            i += 1
        char = _NAMED_HTML_ENTITIES.get(text[start:i])
        if char is None:
            return None
    if i < n and text[i] == ";":
        return char, i + 1, True
    return char, i, False


@dataclass
class _OpenTag:
    name: str
    attrs: dict[str, str]
    offset: int
    begin: int
    out_index: int


def parse_html(text: str, strict: bool = True) -> tuple[str, list[dict]]:
    """Parse Telegram HTML into (visible text, MessageEntity dicts), raising HtmlParseError."""

    def at(pos: int) -> str:
        return f"at byte offset {len(text[:pos].encode())}"

    out: list[str] = []
    entities: list[dict] = []
    stack: list[_OpenTag] = []
    u16 = 0
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch == "&":
            decoded = _decode_entity(text, i)
            if decoded is not None and (decoded[2] or not strict):
                out.append(decoded[0])
                u16 += utf16_len(decoded[0])
                i = decoded[1]
                continue
            if strict:
                raise HtmlParseError(
                    f"Unsupported HTML entity {at(i)} (stand-in strict mode: escape '&' as "
                    "&amp;; Telegram would show it verbatim)"
                )
        if ch != "<":
            out.append(ch)
            u16 += 2 if ord(ch) > 0xFFFF else 1
            i += 1
            continue
        begin = i
        i += 1
        if i < n and text[i] == "/":
            i = _close_tag(text, i + 1, begin, stack, entities, out, u16, at)
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] != ">":
            j += 1
        if j >= n:
            raise HtmlParseError(f"Unclosed start tag {at(begin)}")
        name = text[i:j].lower()
        if name not in HTML_TAGS:
            raise HtmlParseError(f'Unsupported start tag "{name}" {at(begin)}')
        attrs, i = _read_attributes(text, j, name, begin, at)
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" {at(begin)}')
        if name == "a" and strict and not attrs.get("href", "").strip():
            raise HtmlParseError(
                f'Tag "a" must have a non-empty attribute "href" {at(begin)} (stand-in strict '
                "mode; Telegram would link the text itself)"
            )
        stack.append(_OpenTag(name, attrs, u16, begin, len(out)))
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    return strip_text("".join(out), entities)


def _read_attributes(
    text: str, i: int, name: str, begin: int, at: Callable[[int], str]
) -> tuple[dict[str, str], int]:
    """Read a start tag's attributes from text[i] to its '>'; return them and the index after."""
    n = len(text)
    attrs: dict[str, str] = {}
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise HtmlParseError(f'Unclosed start tag "{name}" {at(begin)}')
        if text[i] == ">":
            return attrs, i + 1
        start = i
        while i < n and not text[i].isspace() and text[i] not in "=>/\"'":
            i += 1
        attr = text[start:i].lower()
        if not attr:
            raise HtmlParseError(f'Empty attribute name in the tag "{name}" {at(begin)}')
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise HtmlParseError(f'Unclosed start tag "{name}" {at(begin)}')
        if text[i] != "=":
            attrs[attr] = ""  # a bare attribute, such as blockquote's `expandable`
            continue
        i += 1
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise HtmlParseError(f'Unclosed start tag "{name}" {at(begin)}')
        if text[i] in "\"'":
            quote = text[i]
            i += 1
            value: list[str] = []
            while i < n and text[i] != quote:
                decoded = _decode_entity(text, i) if text[i] == "&" else None
                if decoded is not None:
                    value.append(decoded[0])
                    i = decoded[1]
                else:
                    value.append(text[i])
                    i += 1
            if i >= n:
                raise HtmlParseError(f"Unclosed start tag {at(begin)}")
            i += 1
            attrs[attr] = "".join(value)
        else:
            start = i
            while i < n and text[i].isascii() and (text[i].isalnum() or text[i] in ".-"):
                i += 1
            if i >= n:
                raise HtmlParseError(f'Unclosed start tag "{name}" {at(begin)}')
            if not text[i].isspace() and text[i] != ">":
                raise HtmlParseError(f"Unexpected end of name token {at(i)}")
            attrs[attr] = text[start:i].lower()


def _close_tag(
    text: str,
    i: int,
    begin: int,
    stack: list[_OpenTag],
    entities: list[dict],
    out: list[str],
    u16: int,
    at: Callable[[int], str],
) -> int:
    """Handle the end tag starting at text[begin]; append its entity; return the index after."""
    n = len(text)
    if not stack:
        raise HtmlParseError(f"Unexpected end tag {at(begin)}")
    j = i
    while j < n and not text[j].isspace() and text[j] != ">":
        j += 1
    end_name = text[i:j].lower()
    while j < n and text[j].isspace():
        j += 1
    if j >= n or text[j] != ">":
        raise HtmlParseError(f"Unclosed end tag {at(begin)}")
    top = stack[-1]
    if end_name and end_name != top.name:
        raise HtmlParseError(
            f'Unmatched end tag {at(begin)}, expected "</{top.name}>", found "</{end_name}>"'
        )
    stack.pop()
    length = u16 - top.offset
    if length > 0:
        entity = _entity_for(top, length, "".join(out[top.out_index:]), entities)
        if entity is not None:
            entities.append(entity)
    return j + 1


def _entity_for(tag: _OpenTag, length: int, inner: str, entities: list[dict]) -> dict | None:
    """Build the MessageEntity a closed tag stands for, or None where Telegram makes none."""
    entity: dict[str, Any] = {"type": "", "offset": tag.offset, "length": length}
    name = tag.name
    if name == "code":
        entity["type"] = "code"
        language = tag.attrs.get("class", "")
        if language.startswith("language-") and len(language) > len("language-"):
            entity["language"] = language.removeprefix("language-")
    elif name in _SIMPLE_ENTITY:
        entity["type"] = _SIMPLE_ENTITY[name]
    elif name == "pre":
        entity["type"] = "pre"
        last = entities[-1] if entities else None
        # <pre><code class="language-x"> is one pre entity with a language, as in tdlib.
        if last and last["type"] == "code" and (last["offset"], last["length"]) == (
            tag.offset, length
        ):
            entities.pop()
            if "language" in last:
                entity["language"] = last["language"]
    elif name == "blockquote":
        entity["type"] = "expandable_blockquote" if "expandable" in tag.attrs else "blockquote"
    elif name == "a":
        url = tag.attrs.get("href", "").strip() or inner.strip()
        user = re.fullmatch(r"tg://user\?id=(\d+)", url)
        if user:
            entity["type"] = "text_mention"
            entity["user"] = {"id": int(user.group(1)), "is_bot": False,
                              "first_name": inner.strip() or "User"}
        else:
            link = check_link(url)
            if link is None:
                return None
            entity.update(type="text_link", url=link)
    elif name == "tg-emoji":
        emoji_id = tag.attrs.get("emoji-id", "")
        if not emoji_id.isdigit():
            raise HtmlParseError("Invalid custom emoji identifier specified")
        entity.update(type="custom_emoji", custom_emoji_id=emoji_id)
    elif name == "tg-time":
        unix, time_format = tag.attrs.get("unix", ""), tag.attrs.get("format", "")
        if not unix.isdigit():
            raise HtmlParseError("Invalid Unix time specified")
        if not _TIME_FORMAT.fullmatch(time_format):
            raise HtmlParseError("Invalid date time format specified")
        entity.update(type="date_time", unix_time=int(unix))
        if time_format:
            entity["date_time_format"] = time_format
    return entity


def strip_text(text: str, entities: list[dict]) -> tuple[str, list[dict]]:
    """Strip surrounding whitespace as Telegram does, clipping and shifting the entities."""
    stripped = text.strip()
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    end = lead + utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(entity["offset"], lead)
        stop = min(entity["offset"] + entity["length"], end)
        if stop > start:
            kept.append({**entity, "offset": start - lead, "length": stop - start})
    kept.sort(key=lambda e: (e["offset"], -e["length"]))
    return stripped, kept
