"""IPTC ninjs items: 1.x (flat `headline`/`headline_main`, `body_html`/`body_main`), 2.x
(`headlines[]`, `bodies[]`, `descriptions[]`), 3.x.

3.x uses camelCase keys (`contentType`, `versionCreated`); `_get` reads either spelling. Bodies
typed NITF (`text/vnd.IPTC.NITF`) are read as NITF, not stored as markup; an item with no body
falls back to its description.
"""

from __future__ import annotations

import re

from storage.readers.cleaning import html_to_text, plain_paragraphs
from storage.readers.dates import parse_date
from storage.readers.fields import (
    byline_name,
    first_text,
    listed_names,
    make_article,
    unique_tags,
    web_url,
)
from storage.readers.newsml import nitf_to_text
from storage.records import Article, RejectedFile

_MARKERS = frozenset(
    {
        "headline", "headlines", "bodies", "body_html", "body_xhtml", "body_text",
        "versioncreated", "versionCreated", "firstcreated", "firstCreated",
        "headline_main", "body_main", "descriptions",
    }
)  # fmt: skip
# Descriptions that say how to use an item, not what it says.
_NOT_TEXT_ROLES = frozenset({"usage", "caption", "alt", "alternative", "creditline", "credit"})
# ninjs `type`s of items that are media: their text is a caption or a credit, not a story.
_MEDIA_TYPES = frozenset({"picture", "graphic", "video", "audio"})


def is_ninjs(data: dict) -> bool:
    """Tell whether a JSON object looks like a ninjs item."""
    schema = data.get("$schema")
    if isinstance(schema, str) and "ninjs" in schema.lower():
        return True
    return bool(_MARKERS & data.keys())


def read_ninjs(data: dict) -> list[Article]:
    """Read one ninjs item of any version; a picture, graphic, video or audio item without a
    body of its own is refused (its description is a caption)."""
    kind = str(data.get("type") or "").strip().lower()
    if kind in _MEDIA_TYPES and not _own_body(data):
        raise RejectedFile(f"ninjs {kind} item, not a text story: only text items are read")
    if not _body(data) and (downloads := _text_renditions(data)):
        # AP's media API sends the item's metadata; its text is a file to fetch with a token.
        raise RejectedFile(f"ninjs item holds no story text, only links to download it "
                           f"({', '.join(downloads)} rendition); save the story file itself")
    return [
        make_article(
            title=_headline(data) or "",
            body=_body(data),
            format="ninjs",
            id=first_text(data.get("uri"), data.get("guid"), data.get("id")),
            url=web_url(data.get("url")) or _page_uri(data.get("uri")),
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


def _own_body(data: dict) -> str:
    """A media item's body when it says more than its headline or caption, else ''."""
    body = _text_of(data, "bodies", "body")
    # AAP's picture items repeat the headline as body_text: a caption, not a story.
    said = {_loose(_headline(data) or ""), _loose(_text_of(data, "descriptions", "description"))}
    return "" if _loose(body) in said else body


def _loose(text: str) -> str:
    return " ".join(text.split()).rstrip(".").casefold()


def _text_renditions(data: dict) -> list[str]:
    """Names of the item's renditions that are its text to download (AP: nitf, anpa)."""
    renditions = data.get("renditions")
    if isinstance(renditions, dict):
        renditions = [{"name": key, **value} for key, value in renditions.items()
                      if isinstance(value, dict)]
    if not isinstance(renditions, list):
        return []
    return [str(item.get("name") or item.get("format") or "text") for item in renditions
            if isinstance(item, dict) and str(item.get("type", "")).lower() == "text"]


def _page_uri(uri: object) -> str | None:
    """The item's `uri` as its link only when it reads as a web page: an identifier with a
    query string is an API address (AP's carry access tokens), never shown to readers."""
    link = web_url(uri)
    return link if link and "?" not in link else None


def _get(data: dict, key: str) -> object:
    """Read a ninjs field under its 1.x/2.x lowercase or 3.x camelCase name."""
    if key in data:
        return data[key]
    camel = re.sub(r"(created|type)$", lambda m: m.group(1).capitalize(), key)
    return data.get(camel)


def _headline(data: dict) -> str | None:
    """Return the main headline (1.x `headline`/`headline_main`, 2.x/3.x `headlines[]`)."""
    headlines = data.get("headlines")
    if isinstance(headlines, list):
        entries = [item for item in headlines if isinstance(item, dict)]
        entries.sort(key=lambda item: item.get("role") not in (None, "main"))
        for item in entries:
            text = first_text(item.get("value"))
            if text:
                return text
    return first_text(data.get("headline_main"), data.get("headline"), data.get("slugline"),
                      data.get("title"))


def _body(data: dict) -> str:
    """Return the body as clean text, preferring rich bodies; else the description."""
    return _text_of(data, "bodies", "body") or _text_of(data, "descriptions", "description")


def _text_of(data: dict, plural: str, singular: str) -> str:
    """Text of 2.x/3.x `bodies[]`/`descriptions[]` (main role, rich first) or 1.x flat keys."""
    entries = data.get(plural)
    if isinstance(entries, list):
        usable = [item for item in entries
                  if isinstance(item, dict) and isinstance(item.get("value"), str)
                  and item["value"].strip() and item.get("role") not in _NOT_TEXT_ROLES]
        # Rich text keeps paragraphs, so it wins over a plain rendering of the same story.
        usable.sort(key=lambda item: (_kind(item) == "text",
                                      item.get("role") not in (None, "main", "summary")))
        for item in usable:
            text = _render(item["value"], _kind(item))
            if text:
                return text
    for key, kind in ((f"{singular}_main", ""), (f"{singular}_nitf", "nitf"),
                      (f"{singular}_html", "html"), (f"{singular}_xhtml", "html"),
                      (f"{singular}_text", "text")):
        value = data.get(key)
        if isinstance(value, dict):  # {"contenttype": ..., "value": ...}
            kind, value = _kind(value), value.get("value")
        if isinstance(value, str) and value.strip():
            text = _render(value, kind)
            if text:
                return text
    return ""


def _kind(item: dict) -> str:
    """nitf, html or text from a ninjs contentType (either spelling)."""
    kind = str(item.get("contentType") or item.get("contenttype") or "").lower()
    return "nitf" if "nitf" in kind else "html" if "html" in kind else "text"


def _render(value: str, kind: str) -> str:
    """Clean text from a body or description value of the given kind ('' kind: by content)."""
    start = value.lstrip()[:200].lower()
    if kind == "nitf" or (not kind and "<nitf" in start):
        return nitf_to_text(value)
    if kind == "html" or (not kind and start.startswith("<")):
        return html_to_text(value)
    return plain_paragraphs(value)


def _byline(data: dict) -> str | None:
    """Return the byline without a leading "By"/"Von"."""
    return byline_name(first_text(data.get("byline"), data.get("by")))


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
