"""Ritzau's news XML (`RBNews`, alone or in the `XMLNewsQueuedResponse` its feed answers with).

Each `RBNews` is one story: `NewsID`, `PublishDate`, `headline`, `subtitle`, `content` (HTML
escaped as text, its entities often escaped once more), `byLine`, `section` and `Annuleret`
(cancelled). A press release's headline names its issuer (`PR / Spire Global, Inc.`) and its
subtitle is what it says: the subtitle is then its headline.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from storage.readers.cleaning import html_to_text, story_text
from storage.readers.dates import parse_sender_date
from storage.readers.fields import first_text, make_article, unique_tags
from storage.readers.xml import child, element_text
from storage.records import Article, RejectedFile

ROOTS = frozenset({"RBNews", "XMLNewsQueuedResponse"})
_PRESS_RELEASE = re.compile(r"^PR\s*/\s*")


def read_ritzau(root: ET.Element) -> list[Article]:
    """Read every RBNews story under the root."""
    stories = [root] if root.tag == "RBNews" else list(root.iter("RBNews"))
    if not stories:
        raise RejectedFile("Ritzau response holds no news (no RBNews element)")
    return [_read_story(story) for story in stories]


def _read_story(story: ET.Element) -> Article:
    """One RBNews element as an Article."""
    def text(name: str) -> str | None:
        return first_text(element_text(child(story, name)))

    headline, subtitle = text("headline") or "", text("subtitle")
    if subtitle and _PRESS_RELEASE.match(headline):
        headline = subtitle
    content = child(story, "content")
    body = story_text(html_to_text("".join(content.itertext()) if content is not None else ""))
    if subtitle and subtitle != headline:
        body = f"{subtitle}\n\n{body}" if body else subtitle
    cancelled = (text("Annuleret") or "").lower() == "true"
    return make_article(
        title=headline,
        body=body,
        format="ritzau",
        id=text("NewsID"),
        # Ritzau writes no zone: Danish time, read in the newsroom's zone (dates.py).
        published=parse_sender_date(text("PublishDate")),
        author=text("byLine"),
        tags=unique_tags([text("section")]),
        pubstatus="canceled" if cancelled else None,
    )
