"""Markdown and plain text files, with optional YAML front matter for metadata.

Markdown is reduced to plain paragraphs with simple line-based rules (headings, emphasis,
links, lists, code fences): enough for news text, and no Markdown library to trust.
"""

from __future__ import annotations

import re

import yaml

from storage.readers.cleaning import drop_credit_lines, normalize_text, plain_paragraphs
from storage.readers.dates import parse_date
from storage.readers.fields import first_text, make_article, unique_tags, web_url
from storage.records import Article, RejectedFile

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
_MARKDOWN_HINTS = re.compile(
    r"^#{1,6}[ \t]+\S|\[[^\]\n]+\]\([^)\n]+\)|^```|\*\*\S|^[-*+][ \t]+\S|^>[ \t]?\S|__\S",
    re.MULTILINE,
)
_SETEXT = re.compile(r"^(.+)\n(?:=+|-+)[ \t]*$", re.MULTILINE)
_MAX_TITLE_LINE = 150


def looks_like_markdown(text: str) -> bool:
    """Tell whether text uses Markdown syntax (headings, links, fences, emphasis, lists)."""
    return bool(_MARKDOWN_HINTS.search(text))


def read_text(text: str, markdown: bool) -> list[Article]:
    """Read a Markdown or plain text document, with optional YAML front matter."""
    meta, raw = split_front_matter(text)
    title = first_text(meta.get("title"), meta.get("headline"))
    if markdown:
        text = normalize_text(raw)
        if title is None:
            title, text = _leading_title(text)
        body = markdown_to_text(text)
    else:
        # The raw lines, not the normalized ones: wire copy marks paragraphs by indentation.
        raw = raw.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
        if title is None:
            first, _, rest = raw.partition("\n")
            if len(first.strip()) <= _MAX_TITLE_LINE:
                title, raw = first.strip(), rest
        body = plain_paragraphs(raw)
    tags = meta.get("tags") or meta.get("keywords") or meta.get("categories") or []
    if isinstance(tags, str):
        tags = tags.split(",")
    author = meta.get("author")
    if isinstance(author, list):
        author = ", ".join(str(item) for item in author)
    if isinstance(author, dict):
        author = author.get("name")
    return [
        make_article(
            title=title or "",
            body=drop_credit_lines(body),
            format="markdown" if markdown else "text",
            id=first_text(meta.get("id"), meta.get("guid"), meta.get("uuid")),
            url=web_url(meta.get("url")) or web_url(meta.get("link")),
            published=parse_date(_date_value(meta, "date", "published", "published_at")),
            updated=parse_date(_date_value(meta, "updated", "modified", "lastmod")),
            language=first_text(meta.get("language"), meta.get("lang"), meta.get("locale")),
            author=first_text(author),
            tags=unique_tags(tags) if isinstance(tags, list) else [],
        )
    ]


def _leading_title(text: str) -> tuple[str | None, str]:
    """The title a Markdown document opens with, and the rest: a `#` heading, a `===`/`---`
    underlined one, or a first paragraph of one short line without a full stop ("**Title**"
    or a plain line, as a text file's first line is its title)."""
    match = _HEADING.search(text)
    # Only a heading that starts the document is its title, not a section heading.
    if match and not text[: match.start()].strip():
        return match.group(1).strip(), text[match.end() :]
    stripped = text.lstrip("\n")
    first, _, rest = stripped.partition("\n\n")
    setext = _SETEXT.fullmatch(first)
    if setext:
        return markdown_to_text(setext.group(1)).strip() or None, rest
    line = markdown_to_text(first).strip()
    if ("\n" not in first.strip() and rest.strip() and 0 < len(line) <= _MAX_TITLE_LINE
            and not line.endswith((".", ",", ";")) and not _LIST_OR_QUOTE.match(first)):
        return line, rest
    return None, text


_LIST_OR_QUOTE = re.compile(r"[ \t]*(?:[-*+>]|\d+[.)])[ \t]")


def split_front_matter(text: str) -> tuple[dict, str]:
    """Split a leading `---` YAML block from the text; bad YAML is an error, not body text."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        reason = " ".join(str(getattr(exc, "problem", None) or exc).split())
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise RejectedFile(f"invalid YAML front matter{where}: {reason}") from exc
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise RejectedFile("YAML front matter is not a mapping of fields (title: …, date: …)")
    return {str(key).lower(): value for key, value in meta.items()}, text[match.end() :]


def markdown_to_text(text: str) -> str:
    """Strip Markdown markup, keeping headings, list items and paragraphs as blocks."""
    text = re.sub(r"^```[^\n]*\n(.*?)^```[ \t]*$", r"\1", text, flags=re.MULTILINE | re.DOTALL)
    text = _SETEXT.sub(r"\n\1\n", text)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)  # images are furniture
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\[[^\]]*\]", r"\1", text)
    text = re.sub(r"^\[[^\]]+\]:\s*\S+.*$", "", text, flags=re.MULTILINE)  # link definitions
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    text = re.sub(r"^[ \t]*(?:[-*_][ \t]*){3,}$", "", text, flags=re.MULTILINE)  # rules
    # Headings, list items and quotes become blocks of their own.
    text = re.sub(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", r"\n\1\n", text, flags=re.MULTILINE)
    text = re.sub(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+(.+)$", r"\n\1\n", text, flags=re.MULTILINE)
    text = re.sub(r"^[ \t]*>[ \t]?", "", text, flags=re.MULTILINE)
    text = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])", r"\2", text)
    text = re.sub(r"`([^`\n]+)`", r"\1", text)
    return plain_paragraphs(text)


def _date_value(meta: dict, *keys: str) -> object:
    """Return the first present date-like front matter value (YAML may give date objects)."""
    for key in keys:
        value = meta.get(key)
        if value is None:
            continue
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return value
    return None
