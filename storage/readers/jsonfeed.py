"""JSON Feed 1.0 / 1.1: every item becomes an Article."""

from __future__ import annotations

from storage.readers.cleaning import html_to_text, plain_paragraphs
from storage.readers.dates import parse_date
from storage.readers.fields import first_text, make_article, unique_tags, web_url
from storage.records import Article, RejectedFile


def is_jsonfeed(data: dict) -> bool:
    """Tell whether a JSON object is a JSON Feed."""
    version = data.get("version")
    if isinstance(version, str) and "jsonfeed.org/version" in version:
        return True
    return isinstance(data.get("items"), list) and bool(
        {"feed_url", "home_page_url"} & data.keys()
    )


def read_jsonfeed(data: dict) -> list[Article]:
    """Read every item of a JSON Feed; refuse a feed with no usable items."""
    items = [item for item in data.get("items") or [] if isinstance(item, dict)]
    if not items:
        raise RejectedFile("JSON Feed has no items")
    language = first_text(data.get("language"))
    feed_author = _author(data)
    feed_url = web_url(data.get("feed_url"))
    source = "feed:" + feed_url if feed_url else None
    articles = []
    for item in items:
        body = _body(item)
        title = first_text(item.get("title")) or ""
        if not title and not body:
            continue
        articles.append(
            make_article(
                title=title,
                body=body,
                format="jsonfeed",
                id=first_text(item.get("id")),
                source=source,
                url=web_url(item.get("url")) or web_url(item.get("external_url")),
                published=parse_date(item.get("date_published")),
                updated=parse_date(item.get("date_modified")),
                language=first_text(item.get("language"), language),
                author=_author(item) or feed_author,
                tags=unique_tags(item["tags"]) if isinstance(item.get("tags"), list) else [],
                image_url=web_url(item.get("image")) or web_url(item.get("banner_image")),
            )
        )
    if not articles:
        raise RejectedFile("JSON Feed items have no title and no content")
    return articles


def _body(item: dict) -> str:
    """Return the item's content: HTML, else plain text, else its summary."""
    if isinstance(item.get("content_html"), str) and item["content_html"].strip():
        return html_to_text(item["content_html"])
    for key in ("content_text", "summary"):
        if isinstance(item.get(key), str) and item[key].strip():
            return plain_paragraphs(item[key])
    return ""


def _author(holder: dict) -> str | None:
    """Return author names from 1.0 `author` or 1.1 `authors[]`."""
    authors = holder.get("authors")
    if not isinstance(authors, list):
        authors = [holder.get("author")]
    names = [first_text(a.get("name")) if isinstance(a, dict) else None for a in authors]
    return ", ".join(name for name in names if name) or None
