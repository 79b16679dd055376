"""RSS 0.9x/1.0/2.0 and Atom feeds through feedparser: every entry becomes an Article.

feedparser gets a byte stream, never a string: a string may be taken as a URL or a file name
and fetched. Entity tricks are refused before feedparser sees the bytes: the caller runs a feed
with a DTD through defusedxml first (`storage/readers/__init__.py:_read_xml`); one without a
DTD cannot declare an entity.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from urllib.parse import urljoin

import feedparser

from storage.readers.cleaning import html_to_text, plain_paragraphs
from storage.readers.dates import parse_date
from storage.readers.fields import first_text, make_article, unique_tags, web_url
from storage.records import Article, RejectedFile

# The declaration of the bytes we decoded: it must not make feedparser decode the UTF-8 we hand
# it a second time as windows-1252 ("CafÃ©").
_ENCODING_DECLARATION = re.compile(r"""(<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""")
# WordPress export item types that are never stories (a post, or a custom type, may be).
_WORDPRESS_NOT_STORIES = frozenset({
    "attachment", "page", "nav_menu_item", "revision", "custom_css", "customize_changeset",
    "oembed_cache", "wp_block", "wp_template", "wp_template_part", "wp_global_styles",
    "wp_navigation", "user_request",
})
_WORDPRESS_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_WORDPRESS_BREAK = re.compile(r"(?<!>)\n(?!\s*<)")
_MARKUP_LEFT = re.compile(r"</(?:p|div|li|ul|ol|span|a|em|strong|table|tr|td|blockquote)>|<br\s*/?>"
                          r"|<!--", re.IGNORECASE)


def read_feed(text: str) -> list[Article]:
    """Read every entry of an RSS or Atom feed; refuse anything feedparser cannot see as one."""
    head, rest = text[:500], text[500:]
    utf8 = (_ENCODING_DECLARATION.sub(r"\1\2utf-8\2", head, count=1) + rest).encode("utf-8")
    parsed = feedparser.parse(io.BytesIO(utf8), resolve_relative_uris=False)
    version = parsed.get("version") or ""
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo") and not version:
            reason = parsed.get("bozo_exception")
            raise RejectedFile(f"not a readable RSS/Atom feed: {reason}")
        raise RejectedFile("feed has no items")
    kind = "atom" if version.startswith("atom") else "rss"
    feed = parsed.get("feed") or {}
    language = first_text(feed.get("language"))
    feed_author = first_text(feed.get("author"))
    source = _feed_identity(feed)
    base = _feed_base(feed)
    articles, skipped = [], 0
    for entry in entries:
        if _wordpress_type(entry) in _WORDPRESS_NOT_STORIES:
            skipped += 1  # a WordPress export's media, pages and menus: not stories
            continue
        body = _body(entry)
        title = _title(entry)
        if not title and not body:
            continue
        status, embargoed = _wordpress_status(entry)
        articles.append(
            make_article(
                title=title,
                body=body,
                format=kind,
                # Only a guid/atom:id identifies an entry: links are often one section page.
                id=first_text(entry.get("id")),
                source=source,
                url=_link(entry, base),
                published=_date(entry, "published") or _date(entry, "updated"),
                updated=_date(entry, "updated"),
                language=first_text(_detail_language(entry), language),
                author=first_text(entry.get("author"), feed_author),
                tags=unique_tags(
                    tag.get("term") or tag.get("label") for tag in entry.get("tags") or []
                ),
                image_url=_image(entry),
                pubstatus=status,
                embargoed=embargoed,
            )
        )
    if not articles and skipped:
        raise RejectedFile(f"WordPress export holds no posts (skipped {skipped} attachments, "
                           "pages or menu items)")
    if not articles:
        raise RejectedFile("feed items have no title and no content")
    return articles


def _wordpress_type(entry: dict) -> str | None:
    """A WordPress export (WXR) item's `wp:post_type` (post, page, attachment…), else None."""
    return first_text(entry.get("wp_post_type"))


def _wordpress_status(entry: dict) -> tuple[str | None, datetime | None]:
    """(pubstatus, embargo) from a WordPress export item's `wp:status`: a draft, pending or
    private post is not public (withheld); a scheduled one (`future`) waits for its date."""
    status = (first_text(entry.get("wp_status")) or "").lower()
    if status in ("draft", "pending", "private", "trash", "auto-draft"):
        return "withheld", None
    if status == "future":
        # post_date_gmt is UTC without a zone, which parse_date takes as UTC.
        return None, parse_date(first_text(entry.get("wp_post_date_gmt")))
    return None, None


def _self_address(feed: dict) -> str | None:
    """The feed's own absolute address (its rel=self link), else None."""
    for link in feed.get("links") or []:
        if link.get("rel") == "self" and web_url(link.get("href")):
            return link["href"].strip()
    return None


def _feed_identity(feed: dict) -> str | None:
    """The feed's own address (rel=self) or atom:id, which scope its entries' ids; else None."""
    identity = _self_address(feed) or first_text(feed.get("id"))
    return "feed:" + identity if identity else None


def _title(entry: dict) -> str:
    """The entry's title as plain text: an HTML-typed title loses its markup."""
    title = first_text(entry.get("title")) or ""
    detail = entry.get("title_detail") or {}
    if "html" in (detail.get("type") or "") and "<" in title:
        return " ".join(html_to_text(title).split())
    return title


def _body(entry: dict) -> str:
    """The longest full content (content:encoded, atom:content), else the summary, whichever
    holds more text when the summary is the longer value."""
    contents = [item for item in entry.get("content") or [] if item.get("value")]
    summary = dict(entry.get("summary_detail") or {})
    # feedparser may leave another element's text (RBC's rbc_news:description) in
    # summary_detail while `summary` keeps the <description>: the longer is the summary.
    if len(entry.get("summary") or "") > len(summary.get("value") or ""):
        summary["value"] = entry["summary"]
    detail = max(contents, key=lambda item: len(item["value"]), default=None)
    if detail is None:
        return _text(summary)
    body = _text(detail, wordpress=_wordpress_type(entry) is not None)
    # A content that is a stub ("...") or a related story's photo caption, beside a summary
    # that holds the lead: the longer text is the story.
    if len(summary.get("value") or "") > len(detail["value"]):
        return max(body, _text(summary), key=len)
    return body


def _text(detail: dict, wordpress: bool = False) -> str:
    """A content or summary value as clean text, by its type."""
    value = detail.get("value") or ""
    if wordpress and "html" in (detail.get("type") or "text/html"):
        # A WordPress export holds a post as its author typed it: WordPress shows a blank line
        # as a new paragraph and a line break as a break, which HTML alone would make spaces.
        value = _WORDPRESS_BREAK.sub("<br>", _WORDPRESS_PARAGRAPH.sub("<p>", value))
    if "html" not in (detail.get("type") or "text/html"):
        return plain_paragraphs(value)
    text = html_to_text(value)
    # Markup escaped twice (Reddit's self-posts) is still markup after one pass.
    if len(_MARKUP_LEFT.findall(text)) >= 2:
        text = html_to_text(text)
    return text


def _link(entry: dict, base: str | None) -> str | None:
    """The entry's page (rel=alternate, never an enclosure's audio or a comments link); a
    relative one (GitHub's release feeds) resolved against xml:base or the feed's address."""
    hrefs = [entry.get("link")] + [item.get("href") for item in entry.get("links") or []
                                   if item.get("rel", "alternate") == "alternate"]
    for href in hrefs:
        link = web_url(href)
        if link:
            return link
    base = web_url((entry.get("title_detail") or {}).get("base")) or base  # xml:base first
    if base is None:
        return None
    for href in filter(None, hrefs):
        if isinstance(href, str) and not href.strip().startswith("//"):
            return web_url(urljoin(base, href.strip()))
    return None


def _feed_base(feed: dict) -> str | None:
    """The feed's own absolute address (rel=self), else its site's: what relative links mean."""
    return _self_address(feed) or web_url(feed.get("link"))


def _date(entry: dict, name: str):
    """Parse the raw date string, falling back to feedparser's own parse (UTC struct_time)."""
    # dict.get skips FeedParserDict's deprecated updated→published aliasing.
    return parse_date(dict.get(entry, name)) or parse_date(dict.get(entry, f"{name}_parsed"))


def _detail_language(entry: dict) -> str | None:
    """Return an xml:lang feedparser attached to the entry's title or content."""
    for detail in (entry.get("title_detail"), entry.get("summary_detail")):
        if detail and detail.get("language"):
            return detail["language"]
    return None


def _image(entry: dict) -> str | None:
    """An image enclosure, else media:content of an image, else media:thumbnail."""
    for enclosure in entry.get("enclosures") or []:
        if str(enclosure.get("type", "")).startswith("image/") and web_url(enclosure.get("href")):
            return web_url(enclosure.get("href"))
    for media in entry.get("media_content") or []:
        kind = str(media.get("medium") or media.get("type") or "")
        if (kind == "image" or kind.startswith("image/")) and web_url(media.get("url")):
            return web_url(media.get("url"))
    for thumbnail in entry.get("media_thumbnail") or []:
        if web_url(thumbnail.get("url")):
            return web_url(thumbnail.get("url"))
    return None
