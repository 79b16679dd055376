"""Prezly stories: the story export (`body` HTML) and API shapes (`content` HTML or Slate JSON)."""

from __future__ import annotations

import json

from storage.readers.cleaning import html_to_text
from storage.readers.dates import parse_date
from storage.readers.fields import first_text, listed_names, make_article, unique_tags, web_url
from storage.readers.slate import slate_to_text
from storage.records import Article, RejectedFile

_MARKERS = frozenset({"culture", "format_version", "published_at", "slug", "newsroom"})


def is_prezly(data: dict) -> bool:
    """Tell whether a JSON object looks like a Prezly story."""
    if isinstance(data.get("story"), dict):
        return is_prezly(data["story"])
    if _MARKERS & data.keys():
        return True
    # ninjs has `uri`, JSON Feed items `id`: a titled object with a Prezly `uuid` is a story.
    return "uuid" in data and "title" in data


def read_prezly(data: dict) -> list[Article]:
    """Read one Prezly story (optionally wrapped as `{"story": {...}}`)."""
    story = data["story"] if isinstance(data.get("story"), dict) else data
    body = _body(story.get("content")) or _body(story.get("body"))
    title = first_text(story.get("title")) or ""
    # The subtitle and the intro stand under the headline on the newsroom's page: the story's
    # standfirst, printed above its content there, and so here.
    for lead in (first_text(story.get("intro")), first_text(story.get("subtitle"))):
        if lead and lead not in body and lead != title:
            body = f"{lead}\n\n{body}".strip()
    return [
        make_article(
            title=title,
            body=body,
            format="prezly",
            id=first_text(story.get("uuid"), story.get("url")),
            url=web_url(story.get("url")) or _newsroom_link(story)
            or web_url(story.get("short_url")),
            published=parse_date(story.get("published_at")),
            updated=parse_date(story.get("modified_at")) or parse_date(story.get("updated_at")),
            language=_language(story),
            author=_author(story.get("author")),
            tags=_tags(story),
            image_url=_image(story),
            embargoed=_embargo(story),
            pubstatus=_pubstatus(story),
        )
    ]


def _newsroom_link(story: dict) -> str | None:
    """The story's public page from the API's `links` object (newsroom_view, else short)."""
    links = story.get("links")
    if not isinstance(links, dict):
        return None
    return web_url(links.get("newsroom_view")) or web_url(links.get("short"))


# Prezly's story states (its SDK's Story.Visibility and Story.LifecycleStatus / Story.Status).
_EMBARGO_STATES = frozenset({"embargo", "scheduled"})
_HIDDEN_STATES = frozenset({"private", "confidential", "draft", "uninitialized", "new"})


def _states(story: dict) -> set[str]:
    return {str(story.get(key) or "").strip().lower()
            for key in ("visibility", "lifecycle_status", "status", "publication_status")}


def _embargo(story: dict):
    """When the story may be shown: its scheduled or publication time. Prezly sets
    published_at to the release time of an embargoed or scheduled story, so a story is never
    public before its published_at, whatever its state says."""
    if _states(story) & _EMBARGO_STATES:
        return parse_date(story.get("scheduled_at")) or parse_date(story.get("published_at"))
    return parse_date(story.get("published_at"))


def _pubstatus(story: dict) -> str:
    """withheld for a story that is private, confidential or not yet published (a story that
    "became private" in a new export is withdrawn); usable otherwise."""
    return "withheld" if _states(story) & _HIDDEN_STATES else "usable"


def _body(content: object) -> str:
    """Render Prezly content: a Slate document (as JSON text or object) or HTML."""
    if isinstance(content, dict):
        return slate_to_text(content)
    if not isinstance(content, str) or not content.strip():
        return ""
    if content.lstrip().startswith("{"):
        try:
            document = json.loads(content)
        except RecursionError as exc:
            raise RejectedFile("Prezly content JSON is nested too deeply") from exc
        except ValueError:
            document = None
        if isinstance(document, dict):
            return slate_to_text(document)
    return html_to_text(content)


def _language(story: dict) -> str | None:
    """Return the story's culture code (e.g. en_BE), else its language field, raw."""
    culture = story.get("culture")
    if isinstance(culture, dict):
        culture = first_text(
            culture.get("code"), culture.get("locale"), culture.get("language_code")
        )
    return first_text(culture, story.get("language"), story.get("locale"))


def _author(author: object) -> str | None:
    """Return an author's display name from a Prezly author object or string."""
    if isinstance(author, dict):
        full = " ".join(
            part for part in (first_text(author.get("first_name")),
                              first_text(author.get("last_name"))) if part
        )  # fmt: skip
        return first_text(author.get("display_name"), author.get("name"), full)
    return first_text(author)


def _tags(story: dict) -> list[str]:
    """Collect tag names and category names."""
    values = listed_names(story.get("tag_names")) + listed_names(story.get("tags"))
    categories = story.get("categories")
    if isinstance(categories, list):
        for item in categories:
            if isinstance(item, dict):
                values.append(first_text(item.get("display_name"), item.get("name")))
    return unique_tags(values)


# Prezly images are Uploadcare files: a URL, or {"uuid": ...} (also as a JSON string) served
# from Prezly's CDN.
_PREZLY_CDN = "https://cdn.uc.assets.prezly.com/{uuid}/"


def _image(story: dict) -> str | None:
    """The story's lead image URL: header image, else thumbnail, else its OG image."""
    for key in ("header_image", "thumbnail_image", "thumbnail_url", "og_image_url"):
        value = story.get(key)
        if isinstance(value, str) and value.strip().startswith("{"):
            try:
                value = json.loads(value)
            except ValueError:
                continue
        if isinstance(value, dict):
            url = web_url(value.get("cdnUrl")) or web_url(value.get("url"))
            uuid = first_text(value.get("uuid"))
            if url is None and uuid and uuid.replace("-", "").isalnum():
                url = _PREZLY_CDN.format(uuid=uuid)
            value = url
        if web_url(value):
            return web_url(value)
    return None
