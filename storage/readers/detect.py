"""Format detection by content; the file name's extension only breaks ties.

`sniff` looks at decoded text and says which family it is (json, xml, html, markdown, text);
`json_kind` then tells the JSON vocabulary from the parsed document, and `root_name` the XML
one from its root element. `name_refusal` and `plain_text_refusal` say why a file is no
article when its name does: data, code, logs and settings (`prices.csv`, `deploy.sh`), and
plain text under a name that is not a text file's (`weird.xyz`).
"""

from __future__ import annotations

import re
from pathlib import PurePath

from storage.readers.jsonfeed import is_jsonfeed
from storage.readers.ninjs import is_ninjs
from storage.readers.prezly import is_prezly
from storage.readers.text import looks_like_markdown

TEXT_EXTENSIONS = frozenset({".txt", ".text", ".md", ".markdown", ".mdown"})
# Plain text is read as a story only from a text file's name, or a name with no extension (a
# page saved from an address like /news/harbour-plan): any plain text is a "story" to the text
# reader (a script's first line its headline), so data, code and logs must not be published.
PLAIN_TEXT_EXTENSIONS = TEXT_EXTENSIONS | {""}
# Never an article whatever they hold, so refused by name before reading (a `.js` of JSON is
# code, a `.yaml` is settings). Not `.svg` (XML, refused by content with its real reason) nor
# `.php`/`.asp`/`.dat`: pages and items are saved under such names and read by content.
NOT_ARTICLE_TYPES = {
    ".csv": "CSV data", ".tsv": "TSV data", ".sql": "SQL",
    ".sh": "shell script", ".bash": "shell script", ".zsh": "shell script",
    ".ps1": "PowerShell script", ".bat": "batch file", ".cmd": "batch file",
    ".py": "Python source", ".js": "JavaScript", ".mjs": "JavaScript", ".ts": "TypeScript",
    ".rb": "Ruby source", ".pl": "Perl source", ".go": "Go source", ".rs": "Rust source",
    ".java": "Java source", ".c": "C source", ".h": "C header", ".cpp": "C++ source",
    ".css": "stylesheet", ".scss": "stylesheet",
    ".log": "log file", ".ini": "settings file", ".cfg": "settings file",
    ".conf": "settings file", ".toml": "TOML settings", ".env": "settings file",
    ".properties": "settings file", ".yaml": "YAML data", ".yml": "YAML data",
}  # fmt: skip
ACCEPTED = ("accepted: news files (RSS/Atom, JSON Feed, ninjs, NewsML-G2, NewsML 1, NITF, "
            "Ritzau XML, Prezly JSON, HTML pages, ANPA and dpa wire copy) and plain text or "
            "Markdown named .txt, .text, .md, .markdown or .mdown, or with no extension")
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
# What follows a name's last dot is an extension only when it looks like one: not the rest of a
# headline (`Mr. Smith resigns`) nor a date or version (`report-2026.03`).
_EXTENSION = re.compile(r"\.(?=[0-9]*[a-z])[a-z0-9]{1,10}")


def extension(name: str) -> str:
    """Return the lowercased extension of a file name ('' when none)."""
    suffix = PurePath(name).suffix.lower() if name else ""
    return suffix if _EXTENSION.fullmatch(suffix) else ""


def name_refusal(name: str) -> str | None:
    """Why a file is refused by its name alone (a type that is never an article), or None."""
    ext = extension(name)
    if ext not in NOT_ARTICLE_TYPES:
        return None
    return f"file type {ext} ({NOT_ARTICLE_TYPES[ext]}) is not a news article; {ACCEPTED}"


def plain_text_refusal(name: str) -> str | None:
    """Why a file of plain text (sniffed as text or markdown) is refused by its name, or None."""
    ext = extension(name)
    if ext in PLAIN_TEXT_EXTENSIONS:
        return None
    return f"file type {ext} holds plain text, not a news format; {ACCEPTED}"


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
