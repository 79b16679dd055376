"""Format detection by content; the file name's extension only breaks ties.

`sniff` looks at decoded text and says which family it is (json, xml, html, markdown, text);
`json_kind` then tells the JSON vocabulary from the parsed document, and `root_name` the XML
one from its root element.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from storage.readers.jsonfeed import is_jsonfeed
from storage.readers.ninjs import is_ninjs
from storage.readers.prezly import is_prezly
from storage.readers.text import looks_like_markdown

TEXT_EXTENSIONS = frozenset({".txt", ".text", ".md", ".markdown", ".mdown"})
MARKDOWN_EXTENSIONS = frozenset({".md", ".markdown", ".mdown"})
HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml"})
FEED_ROOTS = frozenset({"rss", "rdf", "feed", "channel"})
_HTML_TAGS = frozenset(
    {"html", "head", "body", "meta", "title", "p", "div", "article", "section", "h1", "h2",
     "h3", "main", "span", "a", "br", "ul", "table", "link", "script", "style"}
)  # fmt: skip
# Skip the XML declaration, comments, processing instructions and a DOCTYPE (with an internal
# subset) to find the first element's name.
_PROLOG = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)", re.S | re.I)
_FIRST_TAG = re.compile(r"\s*<([A-Za-z_][\w.:-]*)")
_JSON_ARRAY_START = re.compile(r"\[\s*(?:[\[{\"\]\d-]|true|false|null)")


def extension(name: str) -> str:
    """Return the lowercased extension of a file name ('' when none)."""
    return PurePath(name).suffix.lower() if name else ""


def sniff(text: str, name: str = "") -> str:
    """Return the family of a decoded document: json, xml, html, markdown or text."""
    ext = extension(name)
    start = text.lstrip()
    if start.startswith("{") or _JSON_ARRAY_START.match(start) or ext == ".json":
        # A note that happens to start with a brace stays a note when saved as .txt/.md.
        return "json?" if ext in TEXT_EXTENSIONS else "json"
    if start.startswith("<"):
        root = root_name(start)
        if root is None:
            return "html" if ext in HTML_EXTENSIONS else "xml"
        if root.lower() in FEED_ROOTS:
            return "xml"  # an RSS file with a stray XHTML doctype is still a feed
        if root.lower() in _HTML_TAGS or ext in HTML_EXTENSIONS or _is_html_doctype(start):
            return "html"
        return "xml"
    if looks_like_markdown(start) or ext in MARKDOWN_EXTENSIONS:
        return "markdown"
    return "text"


def root_name(text: str) -> str | None:
    """Return the local name of the first element, skipping the prolog; None if there is none."""
    position = 0
    while match := _PROLOG.match(text, position):
        if match.end() == position:
            break
        position = match.end()
    match = _FIRST_TAG.match(text, position)
    if not match:
        return None
    return match.group(1).rsplit(":", 1)[-1]


def json_kind(data: object) -> str | None:
    """Return prezly, ninjs or jsonfeed for a parsed JSON object; None for other shapes."""
    if not isinstance(data, dict):
        return None
    if is_jsonfeed(data):
        return "jsonfeed"
    if is_ninjs(data):
        return "ninjs"
    if is_prezly(data):
        return "prezly"
    return None


def _is_html_doctype(text: str) -> bool:
    """Tell whether the document declares an HTML/XHTML doctype."""
    return bool(re.match(r"\s*(?:<\?xml[^>]*\?>\s*)?<!DOCTYPE\s+html", text, re.I))
