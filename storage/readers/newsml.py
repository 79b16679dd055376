"""IPTC NewsML-G2 news items (also inside a newsMessage) with XHTML or NITF inline bodies.

Works on the prefix-free tree from `storage.readers.xml`, so tags are local names. Bare
`contentSet`/`inlineXML`/`nitf` fragments are read too: they are what some exports contain.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET

from storage.readers.cleaning import html_to_text, plain_paragraphs, story_text
from storage.readers.dates import parse_sender_date
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
# AP's slug: `BC-` (both cycles), a category code, `--`, the story's keyword.
_AP_SLUG = re.compile(r"^BC-[A-Za-z]{1,5}--(\S.*)$")
_INDENTED_LINE = re.compile(r"\n[ \t]+\S")
_FLUSH_LINE = re.compile(r"\n\S")
# Reuters' version markers before a headline; genre labels (EXCLUSIVE-, ANALYSIS-) stay.
_VERSION_MARKER = re.compile(r"^(?:UPDATE \d{1,2}|WRAPUP \d{1,2}|REFILE|RPT|REPEAT|CORRECTED"
                             r"|CORRECTED \d{1,2}|RECASTS?|\d{1,2}(?:ST|ND|RD|TH) LEAD)-\s*")
# A dateline run straight into the story (`(AP)</span>Argentine`): AP style puts a dash there.
_DATELINE_END = re.compile(r"[\s\-\u2013\u2014:,]$")


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
    docdata = next(item.iter("docdata"), None) if item.tag == "nitf" else None
    if docdata is not None:
        # A bare NITF document says its language, status and embargo in its head only.
        language = language or item.get("baselang")
    return make_article(
        title=_without_version(_meta_text(content_meta, "headline") or nitf_title or ""),
        body=body,
        format="newsml",
        id=first_text(item.get("guid")) or _nitf_id(docdata),
        published=_meta_date(item_meta, "firstCreated")
        or _meta_date(content_meta, "contentCreated")
        or _meta_date(item_meta, "versionCreated")
        or _nitf_issued(item),
        updated=_meta_date(item_meta, "versionCreated")
        or _meta_date(content_meta, "contentModified"),
        language=language,
        # The byline: the creator, else contentMeta's own `by` (STT names its reporters there).
        author=_creator(content_meta) or byline_name(_meta_text(content_meta, "by"))
        or nitf_byline,
        tags=_subjects(content_meta, language),
        urgency=_meta_text(content_meta, "urgency"),
        image_url=_picture(item) or picture,
        embargoed=_meta_date(item_meta, "embargoed") or _nitf_release(docdata),
        pubstatus=_pubstatus(item_meta) or _nitf_status(docdata),
    )


def _without_version(headline: str) -> str:
    """The headline without the wire's version marker (Reuters' `UPDATE 2-`, `REFILE-`,
    `CORRECTED-`): which version this is is the item's `version`, not part of the story's
    name, and a reader's list would show every update as another story."""
    return _VERSION_MARKER.sub("", headline, count=1) or headline


def _nitf_id(docdata: ET.Element | None) -> str | None:
    """A bare NITF story's id: its `du-key` (the key NITF keeps for every update of a story),
    else its `doc-id`, scoped by the source that registered it (`nitf:NTB:…`)."""
    if docdata is None:
        return None
    doc_id = child(docdata, "doc-id")
    source = (doc_id.get("regsrc") or "").strip() if doc_id is not None else ""
    update_key = child(docdata, "du-key")
    key = first_text(update_key.get("key") if update_key is not None else None,
                     doc_id.get("id-string") if doc_id is not None else None)
    return f"nitf:{source}:{key}" if key else None


def _nitf_release(docdata: ET.Element | None) -> object:
    """A bare NITF story's embargo: the time it may be released (`date.release`), else None."""
    release = child(docdata, "date.release") if docdata is not None else None
    return parse_sender_date(release.get("norm")) if release is not None else None


def _nitf_status(docdata: ET.Element | None) -> str | None:
    """A bare NITF story's `management-status` (usable, embargoed, withheld, canceled)."""
    if docdata is None:
        return None
    status = (docdata.get("management-status") or "").strip().lower()
    if status == "embargoed":
        # Held until date.release (`_nitf_release`), and the story is usable then; with no
        # release time (PA writes it in a comment) it is withheld: shown late, never early.
        return None if _nitf_release(docdata) is not None else "withheld"
    return status or None


def _pubstatus(meta: ET.Element | None) -> str | None:
    """The item's <pubStatus qcode="stat:..."/> (a qcode attribute, not text)."""
    status = child(meta, "pubStatus") if meta is not None else None
    return status.get("qcode") if status is not None else None


def _meta_text(meta: ET.Element | None, name: str) -> str | None:
    """Return the text of a metadata child element."""
    return first_text(element_text(child(meta, name))) if meta is not None else None


def _meta_date(meta: ET.Element | None, name: str):
    """Parse a metadata date element."""
    return parse_sender_date(_meta_text(meta, name))


def _creator(meta: ET.Element | None) -> str | None:
    """Return the creator's name (or literal) from contentMeta."""
    if meta is None:
        return None
    names = []
    for creator in meta.iter("creator"):
        name = first_text(element_text(child(creator, "name")), creator.get("literal"))
        # AP (also through dpa) writes the byline as the creator's name: `By ALAN SUDERMAN`.
        names.append(byline_name(name))
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
        tt_body = child(inline, "BODY")
        if tt_body is not None and tt_body.find("TEXT") is not None:
            return _tt_text(tt_body)
        html = next(inline.iter("html"), None)
        if html is None:
            html = next(inline.iter("body"), None)
        if html is not None:
            return _xhtml_text(html), None, None
        if len(inline):
            return _xhtml_text(inline), None, None
        return plain_paragraphs(inline.text or ""), None, None
    data = next(item.iter("inlineData"), None)
    if data is not None:
        return _inline_data(data), None, None
    return "", None, None


def _xhtml_text(html: ET.Element) -> str:
    """The story text of an inline XHTML body, without the metadata agencies print above it."""
    body = html if html.tag == "body" else next(html.iter("body"), html)
    for header in [element for element in body if element.tag == "header"]:
        # dpa (and AP through dpa) repeat the item's metadata in a <header>: the slugline's
        # subjects and keywords as a list, the publication time, the genre, the <h1>, the
        # byline. The item's own fields say all of it; as body text it opens every story.
        body.remove(header)
    for span in body.iter("span"):
        if "dateline" in (span.get("class") or "").split() and _runs_on(span):
            span.tail = " \u2014 " + (span.tail or "")
    if len(body.findall(".//p")) <= 1 and len(body) <= 1:
        # Reuters sends its wire copy as one <p> of plain text laid out as on the wire:
        # indented paragraph starts, hard-wrapped lines, `*` bullets. As HTML it is one
        # paragraph; as the plain text it is, its paragraphs come back. Wrapped lines at the
        # margin tell it from a <p> the file's own layout indents line by line, which is HTML.
        text = "".join(body.itertext())
        if len(_INDENTED_LINE.findall(text)) >= 2 and _FLUSH_LINE.search(text):
            return story_text(plain_paragraphs(text))
    return story_text(html_to_text(ET.tostring(html, encoding="unicode")))


# TT's own body markup (`application/ttnitf+xml`) as the HTML it means.
_TT_TAGS = {"RUBRIK": "h2", "MELLIS": "h3", "P": "p", "UL": "ul", "OL": "ol", "LI": "li",
            "INGRESS": "div", "BRODTEXT": "div", "TEXT": "section", "BODY": "body"}
# What TT prints around the story, not in it: the dateline (the item's `located`), the
# byline (its author) and the pictures with their captions and credits.
_TT_AROUND = frozenset({"DAT", "BYLINE", "BILD"})


def _tt_text(body: ET.Element) -> tuple[str, str | None, str | None]:
    """TT's ttnitf body: (text, None, byline). A quote (`CITAT`) is a paragraph that TT
    prints after a dash; fact boxes (a second `TEXT`) follow under their own heading."""
    byline = first_text(*(element_text(item) for item in body.iter("BYLINE")))
    for parent in list(body.iter()):
        for item in list(parent):
            if item.tag in _TT_AROUND:
                parent.remove(item)
            elif item.tag == "CITAT":
                item.tag, item.text = "p", "\u2013 " + (item.text or "").lstrip()
            else:
                item.tag = _TT_TAGS.get(item.tag, item.tag.lower())
    body.tag = "body"
    return story_text(html_to_text(ET.tostring(body, encoding="unicode"))), None, \
        byline_name(byline)


def _runs_on(dateline: ET.Element) -> bool:
    """Whether a dateline is run straight into the story's first word, with no separator."""
    text = "".join(dateline.itertext())
    return bool(text.strip()) and not _DATELINE_END.search(text) and \
        (dateline.tail or "")[:1].isalnum()




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
    body = story_text(body)
    if title and (slug := _AP_SLUG.match(title)):
        # AP's tables and agate come with the slug as hl1 (`BC-BBN--Top Ten`) and again in
        # the body: the keyword after the category is what a reader can use as a headline.
        first, _, rest = body.partition("\n\n")
        body = rest if first.strip() == title else body
        title = slug.group(1).strip()
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
    return parse_sender_date(issued.get("norm")) if issued is not None else None


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
