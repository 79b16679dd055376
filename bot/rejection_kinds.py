"""A rejected file's one-line reason, sorted into a few kinds an operator can count and graph.

The reasons themselves name lines, bytes and sizes, so they cannot be metric labels (every new
reason would be a new time series); the kinds can.
"""

from __future__ import annotations

from enum import StrEnum


class RejectionKind(StrEnum):
    """Why a file could not become an article, in broad strokes."""

    TOO_BIG = "too_big"
    EMPTY = "empty"
    BINARY = "binary"
    UNDECODABLE = "undecodable"
    INVALID_JSON = "invalid_json"
    INVALID_XML = "invalid_xml"
    UNSAFE_XML = "unsafe_xml"
    INVALID_FRONT_MATTER = "invalid_front_matter"
    TOO_DEEP = "too_deep"
    UNKNOWN_FORMAT = "unknown_format"
    NO_CONTENT = "no_content"
    UNREADABLE = "unreadable"
    LINK = "link"  # a symbolic link not followed: out of the folder, dangling, a loop
    INTERNAL_ERROR = "internal_error"
    OTHER = "other"


# First match wins: "nested too deeply" comes before the JSON/XML kinds whose words it shares.
_RULES: tuple[tuple[RejectionKind, tuple[str, ...]], ...] = (
    (RejectionKind.INTERNAL_ERROR, ("internal error", "reader failed")),
    (RejectionKind.LINK, ("symbolic link",)),
    (RejectionKind.TOO_BIG, ("mb limit",)),
    (RejectionKind.EMPTY, ("file is empty",)),
    (RejectionKind.BINARY, ("binary file",)),
    (RejectionKind.UNDECODABLE, ("cannot decode",)),
    (RejectionKind.TOO_DEEP, ("nested too deeply",)),
    (RejectionKind.UNSAFE_XML, ("refused for safety", "forbidden construct")),
    (RejectionKind.INVALID_JSON, ("invalid json",)),
    (RejectionKind.INVALID_XML, ("invalid xml",)),
    (RejectionKind.INVALID_FRONT_MATTER, ("front matter",)),
    (RejectionKind.UNKNOWN_FORMAT, ("unknown json shape", "unknown xml format",
                                    "not a readable rss/atom feed", "unknown format",
                                    "file type")),
    (RejectionKind.NO_CONTENT, ("no title and no", "has no items", "no articles",
                                "contains no newsitem")),
    (RejectionKind.UNREADABLE, ("cannot read file", "cannot read folder",
                                "not a regular file")),
)


def kind_of(reason: str) -> RejectionKind:
    """The kind of a rejection reason as the readers word it; OTHER for anything new."""
    text = reason.lower()
    for kind, needles in _RULES:
        if any(needle in text for needle in needles):
            return kind
    return RejectionKind.OTHER
