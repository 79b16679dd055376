"""Body text cleaning: article HTML or raw text in, plain paragraphs separated by blank lines out.

Pure functions. Page furniture (Prezly "Related news" bookmarks, embeds, photo credits, tracking
pixels, scripts) is dropped here so every reader and the summarizer see only the story itself.
"""

from __future__ import annotations

import html
import re
import warnings

from bs4 import (
    BeautifulSoup,
    CData,
    MarkupResemblesLocatorWarning,
    NavigableString,
    Tag,
    XMLParsedAsHTMLWarning,
)
from lxml import etree

# Private-use characters as block/line markers: they cannot occur in real article text, so they
# survive get_text() and whitespace collapsing and tell us where the block boundaries were.
_BLOCK = "\ue000"
_LINE = "\ue001"

_DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "frame", "object", "embed", "img",
    "picture", "source", "svg", "video", "audio", "canvas", "map", "figure", "figcaption",
    "form", "input", "button", "select", "textarea", "nav", "aside", "footer", "link", "meta",
    "head", "title",
)
_BLOCK_TAGS = (
    "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6",
    "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "tr", "caption", "hr",
    "address", "center", "body", "html",
    # NITF block elements, so NewsML-G2 bodies can reuse this function unchanged.
    "hl1", "hl2", "block", "body.content", "body.head", "abstract",
)
# Class names that mark embedded furniture rather than story text (Prezly bookmarks and embeds,
# share bars, "related" boxes, ads).
_FURNITURE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:bookmark|embed|related|share|social|newsletter|advert|ads?|promo|sponsor)"
    r"(?:$|[\s_-])",
    re.IGNORECASE,
)
# A block that only says "Related news" and the like starts the tail of links after a story;
# everything from there on is furniture.
_RELATED_HEADING = re.compile(
    r"^(?:related|more)\s+(?:news|articles?|stories|posts|content|links|reading)\s*:?$"
    r"|^(?:read|see)\s+(?:also|more)\s*:?$",
    re.IGNORECASE,
)
# Photo credits: "PHOTO © Name / AFP", "#FlandersNewsService | PHOTO © …", "Photo: …",
# "Photo (cc) : …", "© Reuters". Only short lines, so a sentence that mentions a photo survives.
_CREDIT_LINE = re.compile(
    r"^(?:#\w+\s*\|?\s*)*"
    r"(?:(?:photos?|foto|fotos|bild|image|picture|cr[ée]dits?(?:\s+photo)?|copyright)"
    r"\s*(?:\(cc\))?\s*[:©|]|©|\(c\)\s)",
    re.IGNORECASE,
)
_HASHTAGS_ONLY = re.compile(r"^(?:#\w+[\s|,]*)+$")
_CREDIT_MAX_CHARS = 160

_BIDI_AND_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)
# lxml's tree builder silently stops parsing at 256 levels of nesting (BeautifulSoup, fed by
# events, does not): a tree that deep may be cut short, so BeautifulSoup reads it instead.
_LXML_MAX_DEPTH = 256
_LXML_TOO_DEEP = etree.XPath("boolean(/*" + "/*" * (_LXML_MAX_DEPTH - 1) + ")")

# Runs of spaces other than a lone " " (which would be replaced by itself, at every word).
_SPACES = re.compile(r"[^\S\n]{2,}|[^\S\n ]")
_BLANK_LINES = re.compile(r"\n\s*\n")


def html_to_text(html: str) -> str:
    """Turn article body HTML into plain paragraphs separated by one blank line."""
    if not html or not html.strip():
        return ""
    marked = _marked_text_lxml(html)
    if marked is None:
        marked = _marked_text(parse_html(html))
    # All whitespace becomes one space (the markers say where lines and blocks were): what
    # normalize_text and then collapsing every run of whitespace gave, in one pass.
    marked = _BIDI_AND_CONTROL.sub("", marked.replace("\x0c", " "))
    text = " ".join(marked.split()).replace(_LINE, "\n")
    blocks = []
    for block in text.split(_BLOCK):
        if "\n" in block:  # most blocks are one line: no need to split them
            lines = [line.strip() for line in block.split("\n")]
            block = "\n".join(line for line in lines if line)
        else:
            block = block.strip()
        if _RELATED_HEADING.match(block):
            break
        if block:
            blocks.append(block)
    return drop_credit_lines("\n\n".join(blocks))


def _marked_text(soup: BeautifulSoup) -> str:
    """Collect the document's text with block and line-break markers, skipping furniture.

    An explicit stack instead of recursion or tree edits: deeply nested hostile HTML stays
    linear in time and cannot exhaust the Python stack.
    """
    parts: list[str] = []
    stack: list[tuple[bool, object]] = [(False, soup)]
    while stack:
        is_marker, item = stack.pop()
        if is_marker:
            parts.append(item)
        elif isinstance(item, Tag):
            if _is_furniture(item):
                continue
            if item.name == "br":
                parts.append(_LINE)
                continue
            closing = _BLOCK if item.name in _BLOCK_TAGS else ""
            if item.name in ("td", "th"):
                closing = " "
            if closing:
                parts.append(closing)
                stack.append((True, closing))
            stack.extend((False, child) for child in reversed(item.contents))
        elif type(item) is NavigableString or isinstance(item, CData):
            parts.append(str(item))
    return "".join(parts)


def _marked_text_lxml(html: str) -> str | None:
    """`_marked_text` straight from lxml's tree, without BeautifulSoup; None when lxml fails.

    BeautifulSoup("lxml") builds its tree from the very same libxml2 parse, so the elements,
    texts and tails are the same; only what BeautifulSoup adds is repeated here: a leading byte
    order mark is dropped, class is a list of names, and text inside <rt>/<rp> is not plain
    text. Anything unusual (no root, a parser error) returns None: then BeautifulSoup decides.
    BeautifulSoup stays the fallback and the reference (tests/test_cleaning*.py).
    """
    if html[:1] == "\ufeff":
        html = html[1:]
    try:
        parser = etree.HTMLParser(recover=True)
        parser.feed(html)
        root = parser.close()
    except Exception:  # noqa: BLE001 - any trouble: let BeautifulSoup handle it
        return None
    if root is None:
        return None
    if html.count("<") >= _LXML_MAX_DEPTH - 2 and _LXML_TOO_DEEP(root):
        return None
    parts: list[str] = []
    append = parts.append
    # Items: a str to emit, or (element, inside <rt>/<rp>). Explicit stack: see _marked_text.
    # Markup after </html> makes more top-level elements, which BeautifulSoup keeps too.
    tops = [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]
    stack: list[object] = [(top, False) for top in reversed(tops) if isinstance(top.tag, str)]
    pop = stack.pop
    push = stack.append
    while stack:
        item = pop()
        if type(item) is str:
            append(item)
            continue
        element, ruby = item
        name = element.tag
        if name in _DROP_TAGS or _has_furniture_attrs(element):
            continue
        if name == "br":
            append(_LINE)
            continue
        closing = _BLOCK if name in _BLOCK_TAGS else (" " if name in ("td", "th") else "")
        if closing:
            append(closing)
            push(closing)
        ruby = ruby or name in ("rt", "rp")
        children = list(element)
        for child in reversed(children):
            tail = child.tail
            if tail and not ruby:
                push(tail)
            if isinstance(child.tag, str):
                push((child, ruby))
        text = element.text
        if text and not ruby:
            append(text)
    return "".join(parts)


def _has_furniture_attrs(element: etree._Element) -> bool:
    """`_is_furniture`'s attribute test on an lxml element: hidden, or a furniture class/id."""
    attrs = element.attrib
    if not attrs:
        return False
    if "hidden" in attrs:
        return True
    names = (attrs.get("class") or "").split()
    names.append(attrs.get("id") or "")
    return any(_FURNITURE_CLASS.search(name) for name in names)


def parse_html(html: str) -> BeautifulSoup:
    """Parse HTML leniently; XHTML and NITF bodies are parsed as HTML on purpose, quietly."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(html, "lxml")


def normalize_text(text: str) -> str:
    """Normalize plain text: newlines, spaces, control and bidi characters; keep paragraphs."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\x0c", "\n\n")
    text = text.replace("\t", " ")
    text = _BIDI_AND_CONTROL.sub("", text)
    text = _SPACES.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return _BLANK_LINES.sub("\n\n", text).strip()


# Plain-text layout (plain_paragraphs): a list item keeps its line; a paragraph's last line
# ends in a stop or falls well short of the text's line width.
_BULLET_LINE = re.compile(r"^\s*(?:[-*+\u2022\u25aa\u25cf]|\d{1,3}[.)])\s+\S")
_ENDS_PARAGRAPH = re.compile(r"[.!?:;\u2026\"'\u201d\u201c\u2019\u00bb)\]]\s*$")
_SHORT_LINE_SHARE = 0.6
# Wrapped text runs lines up to a fixed width (wire copy 69, mail 72-80 characters).
_MAX_WRAP_WIDTH = 100
_WRAPPED_LINE_SHARE = 0.75
# Markup that text typed plain still carries (an agency's CDATA wrapped in <p>…</p>).
_PLAIN_MARKUP = re.compile(r"</?(?:p|br|div)\b[^>]*>", re.IGNORECASE)
_BREAK_TAG = re.compile(r"<br\b[^>]*>", re.IGNORECASE)


def plain_paragraphs(text: str) -> str:
    """Plain text as blank-line separated paragraphs, however its source laid them out.

    Blank lines separate paragraphs and the lines between them are one paragraph (a list item
    keeps its own line). Without blank lines, wire copy starts each paragraph on an indented
    line and hard-wraps the rest; text wrapped at a fixed width ends a paragraph on a line that
    ends in a stop or falls well short of the width (a headline, a paragraph's last line); any
    other text has a paragraph per line.
    """
    if _PLAIN_MARKUP.search(text):
        text = _markup_as_lines(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ").strip()
    if not text:
        return ""
    if _BLANK_LINES.search(text):
        blocks = []
        for block in _BLANK_LINES.split(text):
            lines = [line for line in block.split("\n") if line.strip()]
            # Reuters' copy has a blank line here and there, yet starts each paragraph on an
            # indented line between them: such a block is several paragraphs.
            starts = _indented_starts(lines, first_counts=True)
            if starts:
                blocks += _paragraphs(lines, starts)
            else:
                blocks.append(_joined(lines))
    else:
        blocks = _unwrapped([line for line in text.split("\n") if line.strip()])
    return normalize_text("\n\n".join(block for block in blocks if block.strip()))


def _joined(lines: list[str]) -> str:
    """The lines of one paragraph as one line; a list item keeps a line of its own."""
    out: list[list[str]] = []  # joined once at the end: appending to a string is quadratic
    for line in lines:
        if out and not _BULLET_LINE.match(line):
            out[-1].append(line.strip())
        else:
            out.append([line.strip()])
    return "\n".join(" ".join(part for part in parts if part) for parts in out)


def _indented_starts(lines: list[str], first_counts: bool = False) -> set[int]:
    """Where wire copy's paragraphs start: indented lines, each followed by lines at the
    margin (at least two of each); an empty set when the lines are not laid out so.

    A text's first line is often a headline, whatever its indent; a block's first line
    (`first_counts`) is a paragraph start like the others when it is indented."""
    indents = [len(line) - len(line.lstrip()) for line in lines]
    base = min(indents[1:], default=0)
    indented = [i for i in range(1, len(lines)) if indents[i] > base]
    counted = len(indented) + (1 if first_counts and lines and indents[0] > base else 0)
    if counted >= 2 and len(lines) - 1 - len(indented) >= 2:
        return {0, *indented}
    return set()


def _paragraphs(lines: list[str], starts: set[int]) -> list[str]:
    """The lines as paragraphs, a new one at each start."""
    paragraphs: list[list[str]] = []
    for i, line in enumerate(lines):
        if i in starts or not paragraphs:
            paragraphs.append([])
        paragraphs[-1].append(line)
    return [_joined(paragraph) for paragraph in paragraphs]


def _unwrapped(lines: list[str]) -> list[str]:
    """Paragraphs of text that has no blank lines: by indentation, else by line ends."""
    # Wire copy: indented paragraph starts, each followed by lines at the margin.
    if starts := _indented_starts(lines):
        pass
    elif _hard_wrapped(lines):
        width = max(len(line.strip()) for line in lines)
        starts = {0} | {i + 1 for i, line in enumerate(lines[:-1])
                        if _ENDS_PARAGRAPH.search(line)
                        or len(line.strip()) < _SHORT_LINE_SHARE * width
                        or _BULLET_LINE.match(lines[i + 1])}
    else:  # a paragraph per line
        starts = set(range(len(lines)))
    return _paragraphs(lines, starts)


def _hard_wrapped(lines: list[str]) -> bool:
    """Whether lines were wrapped at a fixed width: most run near it and end mid-sentence."""
    widths = [len(line.strip()) for line in lines]
    width = max(widths)
    if len(lines) < 3 or width > _MAX_WRAP_WIDTH:
        return False
    wrapped = sum(1 for line, size in zip(lines[:-1], widths, strict=False)
                  if size >= _WRAPPED_LINE_SHARE * width and not _ENDS_PARAGRAPH.search(line))
    return wrapped >= (len(lines) - 1) / 2


def _markup_as_lines(text: str) -> str:
    """Text typed plain that holds <p> and <br> markup, as the plain text the markup meant."""
    # Marked by pattern, not by editing a parsed tree: inserting beside every tag was
    # quadratic in the number of tags. The parse then only drops other tags and decodes.
    text = _BREAK_TAG.sub("\n", text)
    text = _PLAIN_MARKUP.sub("\n\n", text)
    return parse_html(text).get_text()


def story_text(text: str) -> str:
    """Body text without what escaping left in it: entities escaped twice (STT's
    `o&amp;#39;clock`, Ritzau's `&amp;amp;apos;`) decoded, and embed code passed on as escaped
    text in a <p> (NTB's partners' `<div class="…-embed"></div><script …>`) dropped."""
    for _ in range(2):  # twice-escaped text needs two passes after the parser's own one
        if not _LEFT_ENTITY.search(text):
            break
        text = html.unescape(text)
    return drop_markup_paragraphs(text)


# Entities escaped twice are still entities in the text once parsed.
_LEFT_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|quot|amp|apos|lt|gt|nbsp);")
# A paragraph that is nothing but markup: an embed's <div>/<script>/<iframe> code.
_MARKUP_PARAGRAPH = re.compile(r"<[a-zA-Z][^>]*>(?:.*<[^>]+>)?", re.DOTALL)
_LABEL_MAX_CHARS = 40


def drop_markup_paragraphs(text: str) -> str:
    """Remove paragraphs that are only markup shown as text (embed code), keeping the others."""
    if "<" not in text:
        return text
    paragraphs: list[str] = []
    for paragraph in text.split("\n\n"):
        if _MARKUP_PARAGRAPH.fullmatch(paragraph.strip()) and not html_to_text(paragraph).strip():
            # Its label (`Embed (large):`) introduces nothing once the code is gone.
            if paragraphs and len(paragraphs[-1]) <= _LABEL_MAX_CHARS \
                    and paragraphs[-1].endswith(":"):
                paragraphs.pop()
            continue
        paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def drop_credit_lines(text: str) -> str:
    """Remove photo-credit and hashtag-only lines from paragraph text."""
    paragraphs = []
    for paragraph in text.split("\n\n"):
        lines = [line for line in paragraph.split("\n") if not is_credit_line(line)]
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def is_credit_line(line: str) -> bool:
    """Tell whether a short line is a photo credit or a bare hashtag line, not story text."""
    line = line.strip()
    if not line or len(line) > _CREDIT_MAX_CHARS:
        return False
    return bool(_CREDIT_LINE.match(line) or _HASHTAGS_ONLY.match(line))


def _is_furniture(tag: Tag) -> bool:
    """Tell whether an element is embedded furniture to drop before reading text."""
    if tag.name in _DROP_TAGS:
        return True
    attrs = tag.attrs or {}
    if "hidden" in attrs:
        return True
    classes = attrs.get("class") or []
    if isinstance(classes, str):
        classes = [classes]
    element_id = attrs.get("id") or ""
    return any(_FURNITURE_CLASS.search(name) for name in [*classes, str(element_id)])
