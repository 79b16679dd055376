"""Saved HTML news pages: main text via trafilatura (offline), metadata from the page's markup.

Metadata precedence: JSON-LD NewsArticle/Article, then OpenGraph/`article:` meta, then plain
meta tags and `<html lang>`, then what trafilatura found. The page is never fetched or
followed: trafilatura only sees the string we give it.
"""

from __future__ import annotations

import json
import re

import trafilatura
from bs4 import BeautifulSoup

from storage.readers.cleaning import drop_credit_lines, html_to_text, normalize_text, parse_html
from storage.readers.dates import parse_date
from storage.readers.fields import clean_title, first_text, make_article, unique_tags, web_url
from storage.records import Article

_ARTICLE_TYPES = re.compile(r"(?:News|Reportage|Analysis|Opinion|Report|Blog)?(?:Article|Posting)$")
_MAX_TITLE_CHARS = 300


def read_html(text: str) -> list[Article]:
    """Read a saved news page into one Article."""
    soup = parse_html(text)
    meta = _meta_tags(soup)
    ld = _json_ld_article(soup)
    extracted = trafilatura.bare_extraction(
        text,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,  # news pages: better to lose a caption than keep the menu
    )
    found = extracted.as_dict() if hasattr(extracted, "as_dict") else (extracted or {})
    body = _paragraphs(found.get("text") or "")
    if not body:
        # trafilatura gives up on short snippets; read them as plain body HTML.
        body = html_to_text(text)
    html_tag = soup.find("html")
    return [
        make_article(
            title=_title(soup, ld, meta, found),
            body=body,
            format="html",
            id=None,
            url=_url(soup, ld, meta, found),
            published=parse_date(ld.get("datePublished"))
            or parse_date(meta.get("article:published_time"))
            or parse_date(meta.get("date"))
            or parse_date(found.get("date")),
            updated=parse_date(ld.get("dateModified"))
            or parse_date(meta.get("article:modified_time"))
            or parse_date(meta.get("og:updated_time")),
            language=first_text(
                ld.get("inLanguage"),
                html_tag.get("lang") if html_tag else None,
                html_tag.get("xml:lang") if html_tag else None,
                meta.get("content-language"),
                meta.get("og:locale"),
            ),
            author=first_text(
                _ld_names(ld.get("author")),
                meta.get("article:author"),
                meta.get("author"),
                found.get("author"),
            ),
            tags=_tags(ld, meta),
            image_url=meta.get("og:image") or meta.get("og:image:url")
            or meta.get("twitter:image") or _ld_image(ld.get("image")),
        )
    ]


def _paragraphs(text: str) -> str:
    """Make trafilatura's one-line-per-paragraph text blank-line separated."""
    text = normalize_text(text)
    return drop_credit_lines(re.sub(r"\n+", "\n\n", text))


def _meta_tags(soup: BeautifulSoup) -> dict[str, str]:
    """Collect `<meta>` values by property/name (first one wins), lowercased keys."""
    values: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = tag.get("property") or tag.get("name") or tag.get("http-equiv")
        content = tag.get("content")
        if isinstance(key, str) and isinstance(content, str) and content.strip():
            values.setdefault(key.strip().lower(), content.strip())
    return values


def _json_ld_article(soup: BeautifulSoup) -> dict:
    """Return the first JSON-LD object whose @type is an article type, or {}."""
    for script in soup.find_all("script", type=re.compile("ld\\+json", re.I)):
        try:
            data = json.loads(script.string or "")
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                kinds = node.get("@type")
                kinds = kinds if isinstance(kinds, list) else [kinds]
                if any(isinstance(k, str) and _ARTICLE_TYPES.search(k) for k in kinds):
                    return node
                if isinstance(node.get("@graph"), list):
                    stack.extend(node["@graph"])
    return {}


def _ld_names(value: object) -> str | None:
    """Return author name(s) from a JSON-LD author value (string, Person, or list)."""
    values = value if isinstance(value, list) else [value]
    names = [first_text(v.get("name")) if isinstance(v, dict) else first_text(v) for v in values]
    return ", ".join(name for name in names if name) or None


def _title(soup: BeautifulSoup, ld: dict, meta: dict, found: dict) -> str:
    """Pick the title; a page's `<h1>` wins when the meta title only adds a site suffix."""
    title_tag = soup.find("title")
    candidate = clean_title(
        first_text(
            ld.get("headline"),
            meta.get("og:title"),
            meta.get("twitter:title"),
            found.get("title"),
            title_tag.get_text() if title_tag else None,
        )
        or ""
    )
    h1 = soup.find("h1")
    heading = clean_title(h1.get_text(" ")) if h1 else ""
    if heading and len(heading) <= _MAX_TITLE_CHARS and (
        not candidate or _loose(candidate).startswith(_loose(heading))
    ):
        return heading
    return candidate


def _loose(text: str) -> str:
    """Compare titles ignoring case, punctuation variants and spacing."""
    return re.sub(r"\W+", "", text.lower())


def _url(soup: BeautifulSoup, ld: dict, meta: dict, found: dict) -> str | None:
    """Pick the canonical web address."""
    canonical = soup.find("link", rel="canonical")
    return (
        web_url(ld.get("url"))
        or web_url(meta.get("og:url"))
        or web_url(canonical.get("href") if canonical else None)
        or web_url(found.get("url"))
    )


def _tags(ld: dict, meta: dict) -> list[str]:
    """Collect keywords from JSON-LD, `article:tag` and `news_keywords`/`keywords` meta."""
    raw = ld.get("keywords")
    values: list[object] = raw if isinstance(raw, list) else []
    if isinstance(raw, str):
        values = raw.split(",")
    for key in ("article:tag", "news_keywords", "keywords"):
        if not values and meta.get(key):
            values = meta[key].split(",")
    return unique_tags(values)


def _ld_image(value: object) -> str | None:
    """schema.org `image`: a URL, an ImageObject, or a list of either."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl")
    return web_url(value)
