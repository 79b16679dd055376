"""IPTC ninjs items: 1.x (flat `headline`, `body_html`), 2.x (`headlines[]`, `bodies[]`), 3.x.

3.x uses camelCase keys (`contentType`, `versionCreated`); `_get` reads either spelling.
"""

from __future__ import annotations

import re

from storage.readers.cleaning import html_to_text, normalize_text
from storage.readers.dates import parse_date
from storage.readers.fields import first_text, listed_names, make_article, unique_tags, web_url
from storage.records import Article

_MARKERS = frozenset(
    {
        "headline", "headlines", "bodies", "body_html", "body_xhtml", "body_text",
        "versioncreated", "versionCreated", "firstcreated", "firstCreated",
    }
)  # fmt: skip
_BYLINE_PREFIX = re.compile(r"^(?:by|von|par|door|di|por)\s+", re.IGNORECASE)


def is_ninjs(data: dict) -> bool:
    """Tell whether a JSON object looks like a ninjs item."""
    schema = data.get("$schema")
    if isinstance(schema, str) and "ninjs" in schema.lower():
        return True
    return bool(_MARKERS & data.keys())


def read_ninjs(data: dict) -> list[Article]:
    """Read one ninjs item of any version."""
    return [
        make_article(
            title=_headline(data) or "",
            body=_body(data),
            format="ninjs",
            id=first_text(data.get("uri"), data.get("guid"), data.get("id")),
            url=web_url(data.get("url")) or web_url(data.get("uri")),
            published=parse_date(_get(data, "firstcreated"))
            or parse_date(_get(data, "contentcreated"))
            or parse_date(_get(data, "versioncreated")),
            updated=parse_date(_get(data, "versioncreated")),
            language=first_text(data.get("language")),
            author=_byline(data),
            tags=_tags(data),
            urgency=data.get("urgency"),
            image_url=_image(data),
            embargoed=parse_date(data.get("embargoed")),
            pubstatus=data.get("pubstatus", data.get("pubStatus")),
        )
    ]


def _get(data: dict, key: str) -> object:
    """Read a ninjs field under its 1.x/2.x lowercase or 3.x camelCase name."""
    if key in data:
        return data[key]
    camel = re.sub(r"(created|type)$", lambda m: m.group(1).capitalize(), key)
    return data.get(camel)


def _headline(data: dict) -> str | None:
    """Return the main headline (1.x `headline`, 2.x/3.x `headlines[]`)."""
    headlines = data.get("headlines")
    if isinstance(headlines, list):
        entries = [item for item in headlines if isinstance(item, dict)]
        entries.sort(key=lambda item: item.get("role") not in (None, "main"))
        for item in entries:
            text = first_text(item.get("value"))
            if text:
                return text
    return first_text(data.get("headline"), data.get("slugline"), data.get("title"))


def _body(data: dict) -> str:
    """Return the body as clean text, preferring rich (HTML) bodies over plain text."""
    bodies = data.get("bodies")
    if isinstance(bodies, list):
        rich, plain = [], []
        for item in bodies:
            if not isinstance(item, dict) or not isinstance(item.get("value"), str):
                continue
            kind = str(item.get("contentType") or item.get("contenttype") or "").lower()
            kind += " " + str(item.get("role") or "").lower()
            (rich if "html" in kind else plain).append(item["value"])
        if rich:
            return html_to_text(rich[0])
        if plain:
            return normalize_text(plain[0])
    for key in ("body_html", "body_xhtml"):
        if isinstance(data.get(key), str) and data[key].strip():
            return html_to_text(data[key])
    if isinstance(data.get("body_text"), str):
        return normalize_text(data["body_text"])
    return ""


def _byline(data: dict) -> str | None:
    """Return the byline without a leading "By"/"Von"."""
    byline = first_text(data.get("byline"), data.get("by"))
    if byline is None:
        return None
    return _BYLINE_PREFIX.sub("", byline) or byline


def _tags(data: dict) -> list[str]:
    """Collect subject names (1.x `subject`, 2.x/3.x `subjects`) and keywords."""
    values = listed_names(data.get("subject")) + listed_names(data.get("subjects"))
    keywords = data.get("keywords")
    if isinstance(keywords, list):
        values += keywords
    return unique_tags(values)


def _image(data: dict) -> str | None:
    """The first associated picture's largest rendition (ninjs 1.x/2.x: a dict of
    associations and of renditions; 3.x: lists of them)."""
    associations = data.get("associations")
    if isinstance(associations, dict):
        associations = list(associations.values())
    for item in associations if isinstance(associations, list) else []:
        if not isinstance(item, dict) or str(item.get("type", "")).lower() not in (
                "picture", "image", "graphic"):
            continue
        renditions = item.get("renditions")
        if isinstance(renditions, dict):
            renditions = list(renditions.values())
        hrefs = [r for r in renditions if isinstance(r, dict) and web_url(r.get("href"))] \
            if isinstance(renditions, list) else []
        if hrefs:
            best = max(hrefs, key=lambda r: r.get("width") if isinstance(r.get("width"), int)
                       else 0)
            return web_url(best.get("href"))
        if web_url(item.get("uri")):
            return web_url(item.get("uri"))
    return None
