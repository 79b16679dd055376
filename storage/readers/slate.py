"""Render a Prezly Slate document (the JSON `content` of Prezly API stories) to plain paragraphs.

Blocks (paragraphs, headings, list items, quotes) become paragraphs; inline nodes (text, links,
mentions) are joined inside their block; media and embeds are furniture and are skipped.
"""

from __future__ import annotations

from storage.readers.cleaning import drop_credit_lines, html_to_text, normalize_text

_INLINE = frozenset({"link", "mention", "placeholder", "variable", "inline-contact"})
_SKIP = frozenset(
    {
        "image", "gallery", "embed", "bookmark", "story-bookmark", "video", "attachment",
        "contact", "divider", "button-block", "web-bookmark", "story-embed", "coverage",
        "newsroom-contact", "table-of-contents", "html-embed", "image-block", "gallery-block",
        "video-block",
    }
)  # fmt: skip


def slate_to_text(document: dict) -> str:
    """Turn a Slate document (`{"children": [...]}`) into blank-line separated paragraphs."""
    blocks: list[str] = []
    # Iterative walk: a hostile document cannot exhaust the Python stack.
    stack: list[object] = [document]
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        kind = node.get("type")
        if kind in _SKIP:
            continue
        if kind == "html" and isinstance(node.get("content"), str):
            blocks.append(html_to_text(node["content"]))
            continue
        children = node.get("children")
        if not isinstance(children, list):
            if isinstance(node.get("text"), str):
                blocks.append(node["text"])
            continue
        if all(_is_inline(item) for item in children):
            blocks.append(_inline_text(children))
        else:
            stack.extend(reversed(children))
    paragraphs = (" ".join(normalize_text(block).split()) for block in blocks)
    return drop_credit_lines("\n\n".join(p for p in paragraphs if p))


def _is_inline(node: object) -> bool:
    """Tell whether a Slate node is text or an inline element."""
    return isinstance(node, dict) and ("text" in node or node.get("type") in _INLINE)


def _inline_text(nodes: list) -> str:
    """Join the text of inline Slate nodes, depth first, without recursion."""
    parts: list[str] = []
    stack: list[object] = list(reversed(nodes))
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        if isinstance(node.get("text"), str):
            parts.append(node["text"])
        children = node.get("children")
        if isinstance(children, list):
            stack.extend(reversed(children))
    return "".join(parts)
