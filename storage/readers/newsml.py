"""IPTC NewsML-G2 news items (also inside a newsMessage) with XHTML or NITF inline bodies.

Works on the prefix-free tree from `storage.readers.xml`, so tags are local names. Bare
`contentSet`/`inlineXML`/`nitf` fragments are read too: they are what some exports contain.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET

from storage.readers.cleaning import html_to_text, plain_paragraphs
from storage.readers.dates import parse_date
from storage.readers.fields import byline_name, first_text, make_article, unique_tags
from storage.readers.xml import child, element_text, parse_xml
from storage.records import Article, RejectedFile

logger = logging.getLogger(__name__)

_NOT_TEXT_CLASSES = frozenset({"picture", "graphic", "video", "audio", "animation", "composite"})
# G2 items that are not news stories: read only to say so.
_NOT_STORY_ITEMS = {
    "packageItem": "a package: it lists other items and holds no text of its own",
    "conceptItem": "a concept (a subject, person or place), not a news story",
    "knowledgeItem": "a set of concepts, not a news story",
    "planningItem": "a planning item (coverage to come), not a news story",
    "catalogItem": "a catalog of codes, not a news story",
}
ROOTS = frozenset({"newsItem", "newsMessage", "contentSet", "inlineXML", "nitf",
                   *_NOT_STORY_ITEMS})
_LANG = "xml:lang"


def read_newsml(root: ET.Element) -> list[Article]:
    """Read every text newsItem under the root (or the root fragment itself).

    A newsMessage often carries a story with its photos: the picture, graphic, video and audio
    items are skipped (noted in the log), not a reason to refuse the story beside them.
    """
    if root.tag in _NOT_STORY_ITEMS:
        raise RejectedFile(f"NewsML-G2 {root.tag} is {_NOT_STORY_ITEMS[root.tag]}")
    if root.tag != "newsMessage":
        kind = _item_class(root) if root.tag == "newsItem" else ""
        if kind in _NOT_TEXT_CLASSES:
            # A photo's caption is no story: sent alone, the item is refused, not stored.
            raise RejectedFile(f"NewsML-G2 {kind} item, not a text story: only text items "
                               "are read (a message may carry both)")
        return [_read_item(root)]
    items = [element for element in root.iter("newsItem")]
    if not items:
        raise RejectedFile("NewsML-G2 message contains no newsItem")
    # A message carries its pictures as items of their own: the first is the lead image.
    picture = next((href for href in map(_picture, items) if href), None)
    articles, skipped = [], []
    for item in items:
        kind = _item_class(item)
        if kind in _NOT_TEXT_CLASSES:
            skipped.append(f"{item.get('guid') or 'item'} ({kind})")
            continue
        try:
            articles.append(_read_item(item, picture))
        except RejectedFile as error:
            skipped.append(f"{item.get('guid') or 'item'} ({error})")
    if skipped:
        logger.info("NewsML-G2 message: skipped %s", ", ".join(skipped))
    if not articles:
        raise RejectedFile(f"NewsML-G2 message has no text item (skipped: {', '.join(skipped)})")
    return articles


def _item_class(item: ET.Element) -> str:
    """The item's class (picture, text…) from itemMeta/itemClass, without the ninat: prefix."""
    meta = child(item, "itemMeta")
    kind = child(meta, "itemClass") if meta is not None else None
    qcode = (kind.get("qcode") or kind.get("uri") or "") if kind is not None else ""
    return qcode.rsplit(":", 1)[-1].rsplit("/", 1)[-1].lower()


def nitf_to_text(markup: str) -> str:
    """An NITF document (as ninjs bodies carry it) as clean text with paragraph boundaries."""
    root = parse_xml(markup)
    nitf = root if root.tag == "nitf" else next(root.iter("nitf"), root)
    body, _, _ = nitf_parts(nitf)
    return body


def _read_item(item: ET.Element, picture: str | None = None) -> Article:
    """Read one newsItem (or fragment) into an Article (with the message's lead picture)."""
    item_meta = child(item, "itemMeta")
    content_meta = child(item, "contentMeta")
    body, nitf_title, nitf_byline = _body(item)
    language = item.get(_LANG)
    if content_meta is not None and language is None:
        tag = child(content_meta, "language")
        language = tag.get("tag") if tag is not None else None
    return make_article(
        title=_meta_text(content_meta, "headline") or nitf_title or "",
        body=body,
        format="newsml",
        id=first_text(item.get("guid")),
        published=_meta_date(item_meta, "firstCreated")
        or _meta_date(content_meta, "contentCreated")
        or _meta_date(item_meta, "versionCreated")
        or _nitf_issued(item),
        updated=_meta_date(item_meta, "versionCreated")
        or _meta_date(content_meta, "contentModified"),
        language=language,
        author=_creator(content_meta) or nitf_byline,
        tags=_subjects(content_meta, language),
        urgency=_meta_text(content_meta, "urgency"),
        image_url=_picture(item) or picture,
        embargoed=_meta_date(item_meta, "embargoed") or _nitf_release(item)[1],
        pubstatus=_pubstatus(item_meta) or _nitf_release(item)[0],
    )


def _pubstatus(meta: ET.Element | None) -> str | None:
    """The item's <pubStatus qcode="stat:..."/> (a qcode attribute, not text)."""
    status = child(meta, "pubStatus") if meta is not None else None
    return status.get("qcode") if status is not None else None


def _meta_text(meta: ET.Element | None, name: str) -> str | None:
    """Return the text of a metadata child element."""
    return first_text(element_text(child(meta, name))) if meta is not None else None


def _meta_date(meta: ET.Element | None, name: str):
    """Parse a metadata date element."""
    return parse_date(_meta_text(meta, name))


def _creator(meta: ET.Element | None) -> str | None:
    """Return the creator's name (or literal) from contentMeta."""
    if meta is None:
        return None
    names = []
    for creator in meta.iter("creator"):
        names.append(first_text(element_text(child(creator, "name")), creator.get("literal")))
    return ", ".join(name for name in names if name) or None


def _subjects(meta: ET.Element | None, language: str | None) -> list[str]:
    """Return subject names (in the item's language when several) and keywords."""
    if meta is None:
        return []
    values = []
    for subject in meta.findall("subject"):
        names = subject.findall("name")
        preferred = [name for name in names if name.get(_LANG) == language] or names[:1]
        values += [element_text(name) for name in preferred]
    values += [element_text(keyword) for keyword in meta.findall("keyword")]
    return unique_tags(values)


def _body(item: ET.Element) -> tuple[str, str | None, str | None]:
    """Return (body text, NITF headline, NITF byline) from inline XML or inline data."""
    inline = item if item.tag in ("inlineXML", "nitf") else next(item.iter("inlineXML"), None)
    if inline is not None:
        nitf = inline if inline.tag == "nitf" else next(inline.iter("nitf"), None)
        if nitf is not None:
            return nitf_parts(nitf)
        html = next(inline.iter("html"), None)
        if html is None:
            html = next(inline.iter("body"), None)
        if html is not None:
            return html_to_text(ET.tostring(html, encoding="unicode")), None, None
        if len(inline):
            return html_to_text(ET.tostring(inline, encoding="unicode")), None, None
        return plain_paragraphs(inline.text or ""), None, None
    data = next(item.iter("inlineData"), None)
    if data is not None:
        return _inline_data(data), None, None
    return "", None, None


def _inline_data(data: ET.Element) -> str:
    """The text of an inlineData body: HTML when typed so, else plain text laid out as wire
    copy is (ANSA sends `text/plain` wrapped in <p>, hard-wrapped, paragraphs indented)."""
    text = "".join(data.itertext())
    if "html" in (data.get("contenttype") or "").lower():
        return html_to_text(text)
    return plain_paragraphs(text)


def nitf_parts(nitf: ET.Element) -> tuple[str, str | None, str | None]:
    """Read an NITF document (also inside NewsML 1): body.content paragraphs, hedline, byline."""
    head = next(nitf.iter("body.head"), None)
    title = byline = None
    abstract = ""
    if head is not None:
        title = first_text(element_text(next(head.iter("hl1"), None)))
        byline = _nitf_byline(next(head.iter("byline"), None))
        summary = next(head.iter("abstract"), None)
        if summary is not None:
            abstract = html_to_text(ET.tostring(summary, encoding="unicode"))
    if title is None:
        title = first_text(element_text(next(nitf.iter("title"), None)))
    content = next(nitf.iter("body.content"), None)
    body = html_to_text(ET.tostring(content, encoding="unicode")) if content is not None else ""
    # The abstract repeats the story's opening; it is only the body when there is nothing else.
    return body or abstract, title, byline


def _nitf_byline(byline: ET.Element | None) -> str | None:
    """The name(s) of an NITF byline: its <person> elements, else its own text without the
    job title (`By BERNARD CONDON<byttl>AP Business Writer</byttl>`) and without "By"."""
    if byline is None:
        return None
    names = [element_text(person) for person in byline.iter("person")]
    if not any(names):
        own = [byline.text or ""] + [element.tail or "" for element in byline]
        names = [" ".join(" ".join(own).split()) or element_text(byline)]
    return byline_name(", ".join(name for name in names if name))


def _nitf_issued(item: ET.Element) -> object:
    """A bare NITF document's issue date (<docdata><date.issue norm="…"/>), else None."""
    nitf = item if item.tag == "nitf" else None
    issued = next(nitf.iter("date.issue"), None) if nitf is not None else None
    return parse_date(issued.get("norm")) if issued is not None else None


def _nitf_release(item: ET.Element) -> tuple[str | None, object]:
    """A bare NITF document's status and embargo: <docdata management-status="embargoed"> holds
    it until <date.release norm="…"/> (PA sends embargoed copy so); with no release time it is
    withheld, never shown early. (None, None) for anything but a bare NITF."""
    docdata = next(item.iter("docdata"), None) if item.tag == "nitf" else None
    if docdata is None:
        return None, None
    status = (docdata.get("management-status") or "").strip().lower() or None
    if status != "embargoed":
        return status, None
    release = next(docdata.iter("date.release"), None)
    until = parse_date(release.get("norm")) if release is not None else None
    return ("usable", until) if until is not None else ("withheld", None)


def _picture(item: ET.Element) -> str | None:
    """The remoteContent href of a picture item (itemClass ninat:picture), else None."""
    meta = child(item, "itemMeta")
    item_class = child(meta, "itemClass") if meta is not None else None
    if item_class is None or "picture" not in (item_class.get("qcode") or ""):
        return None
    for remote in item.iter("remoteContent"):
        href = remote.get("href") or ""
        if href.lower().startswith(("http://", "https://")):
            return href
    return None
