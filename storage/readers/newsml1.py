"""IPTC NewsML 1.x (root <NewsML>), the older standard AFP, Belga, ANP, ANA, PA, EFE, Kyodo and
other agencies still deliver: one article per text story of every NewsItem.

A NewsItem holds a tree of NewsComponents. A story is the nearest component above a text
ContentItem that has a headline (NewsLines/HeadLine), else the item's outermost component: AFP
and ANA put the text in a component below the one with the headline, Belga sends a Dutch and a
French story side by side in one item, each with its own headline and its title, lead and body
as components of their own (roles Title, Lead, Body). Photo, graphic, video and audio
components, and captions, are no story text: a story made only of them is skipped with a note
in the log, as the NewsML-G2 reader skips a message's pictures. Works on the prefix-free tree
of `storage.readers.xml`; tag names are matched without regard to case (Belga writes
<Headline> as well as <HeadLine>).
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime

from storage.readers.cleaning import html_to_text, plain_paragraphs
from storage.readers.dates import parse_sender_date
from storage.readers.fields import (
    byline_name,
    first_text,
    make_article,
    unique_tags,
    web_url,
)
from storage.readers.newsml import nitf_parts, nitf_to_text
from storage.readers.xml import element_text
from storage.records import Article, PubStatus, RejectedFile

logger = logging.getLogger(__name__)

FORMAT = "newsml1"
# A bare NewsItem is what some exports hold; NewsML-G2's is `newsItem`, told apart by case.
ROOTS = frozenset({"NewsML", "NewsItem"})

# Component roles (and Belga's ComponentClass) that are media, not story text: their titles,
# captions and shot lists are no story of their own.
_MEDIA_ROLES = {
    "picture": "picture", "photo": "picture", "image": "picture", "thumbnail": "picture",
    "preview": "picture", "graphic": "graphic", "graphics": "graphic", "video": "video",
    "clip": "video", "audio": "audio", "sound": "audio", "animation": "video",
}  # fmt: skip
_MEDIA_TYPES = {"photo": "picture", "picture": "picture", "image": "picture",
                "graphic": "graphic", "video": "video", "audio": "audio", "sound": "audio"}
_CAPTION_ROLES = frozenset({"caption", "credit", "alternate", "alt"})
_TITLE_ROLES = frozenset({"title", "headline"})
# The standfirst printed under the headline (Belga's Lead) opens the body.
_LEAD_ROLES = frozenset({"lead", "abstract", "summary", "intro", "standfirst", "teaser"})
# Text typed plain (Belga) may carry inline HTML escaped as text (`&lt;b&gt;Van Geel&lt;/b&gt;`):
# the tags go, its lines stay paragraphs. Block markup makes the text HTML.
_BLOCK_MARKUP = re.compile(r"<(?:p|br|div|h[1-6]|ul|ol|li|table|blockquote)\b", re.IGNORECASE)
_INLINE_MARKUP = re.compile(r"</?(?:b|i|u|em|strong|span|a|sup|sub|font|q)\b[^>]*>",
                            re.IGNORECASE)
_NEWSML_URN = re.compile(r"urn:newsml:", re.IGNORECASE)
_DATE_DAY = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")
# PA lays NITF's inline tags out on lines of their own (`from\n<location>Scotland</location>\n,`):
# the line breaks become spaces before the comma or stop that followed the tag.
_SPACE_BEFORE_STOP = re.compile(r"[ \t]+([.,])(?=\s|$)")
# A byline of initials (EFE's `daa/mt/msr`) is the editors' sign-off, not an author's name.
_INITIALS = re.compile(r"[a-z]{1,4}(?:/[a-z]{1,4})+")
# A sub-headline that is a sentence is a standfirst; EFE's holds its topic slug in capitals
# (`INDIA SUCESOS`), which is no text to open a story with.
_MIN_STANDFIRST_WORDS = 4


@dataclass
class _Story:
    """The text parts found for one story component."""

    component: ET.Element
    titles: list[str] = field(default_factory=list)
    leads: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    nitf_title: str | None = None
    nitf_byline: str | None = None
    media: str | None = None  # picture, video…: what the story's only content was
    image: str | None = None  # a photo's http(s) address beside the text: the lead image
    above: tuple[ET.Element, ...] = ()  # the components around the story's, outermost first

    def text_count(self) -> int:
        """How many text parts the story has gathered so far."""
        return len(self.titles) + len(self.leads) + len(self.bodies)


def read_newsml1(root: ET.Element) -> list[Article]:
    """Read every text story of every NewsItem of a NewsML 1.x document (or a bare NewsItem)."""
    items = [root] if _is(root, "NewsItem") else _all(root, "NewsItem")
    if not items:
        raise RejectedFile("NewsML 1 document contains no NewsItem")
    articles: list[Article] = []
    skipped: list[str] = []
    for item in items:
        found, passed = _read_item(item)
        articles += found
        skipped += passed
    if skipped:
        logger.info("NewsML 1 document: skipped %s", ", ".join(skipped))
    if not articles:
        raise RejectedFile(f"NewsML 1 document has no text story (skipped: {', '.join(skipped)})")
    return articles


def _read_item(item: ET.Element) -> tuple[list[Article], list[str]]:
    """The articles of one NewsItem, and what was skipped in it (for the log and the reason)."""
    item_id = _item_id(item)
    label = item_id or "NewsItem"
    if _first(item, "NewsComponent") is None:
        # An incremental update (Update elements against an earlier revision) or a reference to
        # an item elsewhere holds no story to read.
        what = ("an update listing changes to an earlier revision" if _first(item, "Update")
                is not None else "a reference to another item" if _first(item, "NewsItemRef")
                is not None else "no NewsComponent")
        return [], [f"{label} ({what})"]
    management = _first(item, "NewsManagement", deep=False)
    pubstatus, embargoed = _status(management, label)
    stories = _stories(item)
    articles, skipped = [], []
    texts = [story for story in stories if story.media is None]
    for story in stories:
        if story.media is not None:
            skipped.append(f"{_duid(story.component) or label} ({story.media})")
            continue
        # Two stories in one item (Belga's Dutch and French) need ids of their own.
        story_id = item_id
        if item_id and len(texts) > 1:
            story_id = f"{item_id}#{_duid(story.component) or texts.index(story) + 1}"
        try:
            articles.append(_article(item, story, story_id, management, pubstatus, embargoed))
        except RejectedFile as error:
            skipped.append(f"{label} ({error})")
    if not stories:
        skipped.append(f"{label} (no text content)")
    return articles, skipped


def _article(item: ET.Element, story: _Story, story_id: str | None,
             management: ET.Element | None, pubstatus: PubStatus,
             embargoed: datetime | None) -> Article:
    """Build one story's Article from its parts and the item's metadata."""
    component = story.component
    lines = _first(component, "NewsLines", deep=False)
    title = (_line(lines, "HeadLine") or first_text(*story.titles) or story.nitf_title or "")
    body = "\n\n".join(part for part in (*story.leads, *story.bodies) if part)
    standfirst = _line(lines, "SubHeadLine")
    if (standfirst and len(standfirst.split()) >= _MIN_STANDFIRST_WORDS
            and not standfirst.isupper() and _loose(standfirst) not in _loose(body)
            and _loose(standfirst) != _loose(title)):
        body = f"{standfirst}\n\n{body}".strip()
    language = _language(item, story)
    return make_article(
        title=title,
        body=body,
        format=FORMAT,
        id=story_id,
        published=_date(management, "FirstCreated"),
        updated=_date(management, "ThisRevisionCreated"),
        language=language,
        author=_byline(story),
        tags=_keywords(component),
        urgency=_urgency(management),
        image_url=story.image,
        embargoed=embargoed,
        pubstatus=pubstatus,
    )


def _stories(item: ET.Element) -> list[_Story]:
    """The item's story components, in document order, each with its text parts."""
    stories: dict[int, _Story] = {}  # stories that hold content, by identity
    order: list[int] = []

    def visit(component: ET.Element, owner: _Story | None, kind: str | None, role: str,
              above: tuple[ET.Element, ...]) -> None:
        """Walk one component: the story it belongs to, and whether it is media or caption."""
        own_role = _role(component)
        if owner is None or _line(_first(component, "NewsLines", deep=False), "HeadLine"):
            owner = _Story(component, above=above)
            kind, role = None, ""  # a component with its own headline starts afresh
        kind = kind or _MEDIA_ROLES.get(own_role) or _MEDIA_ROLES.get(_component_class(
            component))
        if own_role in _CAPTION_ROLES or own_role in _TITLE_ROLES or own_role in _LEAD_ROLES:
            role = own_role
        # EquivalentsList="yes": the children are one content in several forms (NITF and plain
        # text, two sizes of a photo); the first that gives the story text is its text, once.
        equivalents = (component.get("EquivalentsList") or "").lower() in ("yes", "true")
        for child in component:
            before = owner.text_count()
            if _is(child, "NewsComponent"):
                visit(child, owner, kind, role, (*above, component))
            elif _is(child, "ContentItem"):
                if id(owner) not in stories:
                    stories[id(owner)] = owner
                    order.append(id(owner))
                _add_content(owner, child, kind, role)
            if equivalents and owner.text_count() > before:
                break

    for component in _children(item, "NewsComponent"):
        visit(component, None, None, "", ())
    found = [stories[key] for key in order]
    if not found:
        # A flash is a headline and nothing else: a story, as a headline-only G2 item is.
        headed = next((element for element in item.iter() if _is(element, "NewsComponent")
                       and _line(_first(element, "NewsLines", deep=False), "HeadLine")), None)
        return [_Story(headed)] if headed is not None else []
    for story in found:
        # Only media (or captions of it) under a headline: a picture or video sent with its
        # title, not a story. One with text beside a photo keeps the text.
        if story.media is not None and (story.bodies or story.leads):
            story.media = None
    return [story for story in found
            if story.media is not None or story.bodies or story.leads or story.titles
            or _line(_first(story.component, "NewsLines", deep=False), "HeadLine")]


def _add_content(story: _Story, content: ET.Element, kind: str | None, role: str) -> None:
    """File one ContentItem's text under the story's title, lead or body (or note it as media)."""
    media = kind or _media_type(content)
    if media is not None:
        if story.media is None:
            story.media = media
        if media == "picture" and _media_type(content) == "picture":
            story.image = story.image or web_url(content.get("Href"))
        return
    if role in _CAPTION_ROLES:
        return
    text, nitf_title, nitf_byline = _content_text(content)
    story.nitf_title = story.nitf_title or nitf_title
    story.nitf_byline = story.nitf_byline or nitf_byline
    if not text:
        return
    if text in story.bodies or text in story.leads:
        return  # the same text again (an equivalent form of it)
    if role in _TITLE_ROLES:
        story.titles.append(" ".join(text.split()))
    elif role in _LEAD_ROLES:
        story.leads.append(text)
    else:
        story.bodies.append(text)


def _content_text(content: ET.Element) -> tuple[str, str | None, str | None]:
    """(body text, NITF headline, NITF byline) of a text ContentItem's DataContent."""
    data = _first(content, "DataContent", deep=False)
    if data is None:
        return "", None, None
    nitf = next((element for element in data.iter() if _is(element, "nitf")), None)
    if nitf is not None:
        body, title, byline = nitf_parts(nitf)
        if byline and _INITIALS.fullmatch(byline):
            byline = None
        return _SPACE_BEFORE_STOP.sub(r"\1", body), title, byline
    content_body = next((element for element in data.iter() if _is(element, "body.content")),
                        None)
    if content_body is not None and not len(content_body):
        # NITF's body.content holding its HTML as text (CDATA), as ABC sends it.
        return _typed_text(content_body.text or "", html=True), None, None
    if len(data):
        # XHTML or NITF paragraphs (<p>) right inside DataContent (AFP).
        body = html_to_text(ET.tostring(data, encoding="unicode"))
        return _SPACE_BEFORE_STOP.sub(r"\1", body), None, None
    return _typed_text(data.text or "", html="html" in _typed(content)), None, None


def _typed_text(text: str, html: bool) -> str:
    """Text content as paragraphs: HTML when typed or marked up so, NITF when it is NITF,
    else plain text laid out as wire copy is (see cleaning.plain_paragraphs)."""
    start = text.lstrip()[:200].lower()
    if start.startswith("<") and "<nitf" in start:
        try:
            return nitf_to_text(text)
        except RejectedFile:
            pass  # not well-formed: read as the HTML it looks like
    if html or _BLOCK_MARKUP.search(text):
        return html_to_text(text)
    return plain_paragraphs(_INLINE_MARKUP.sub("", text))


def _typed(content: ET.Element) -> str:
    """The ContentItem's declared format and MIME type, lowercased (`html text/html`)."""
    return " ".join(_formal(_first(content, name, deep=False))
                    for name in ("Format", "MimeType")).lower()


def _media_type(content: ET.Element) -> str | None:
    """What kind of media a ContentItem is (picture, video…), None for text."""
    media = _formal(_first(content, "MediaType", deep=False)).lower()
    if media in _MEDIA_TYPES:
        return _MEDIA_TYPES[media]
    mime = _formal(_first(content, "MimeType", deep=False)).lower()
    for prefix, kind in (("image/", "picture"), ("video/", "video"), ("audio/", "audio")):
        if mime.startswith(prefix):
            return kind
    if (content.get("Href") is not None and media != "text"
            and _first(content, "DataContent", deep=False) is None):
        # Media sent by reference with no text of its own (Belga's Jpeg and Mpeg4 files).
        return "media file"
    return None


def _item_id(item: ET.Element) -> str | None:
    """The item's identity across revisions: `urn:newsml:provider:day:item`, without revision.

    From the PublicIdentifier (`urn:newsml:afp.com:20240710:240710125902.qpsp2jzk:1`), else the
    NewsIdentifier's ProviderId, DateId and NewsItemId. Only the DateId's day is kept: by the
    standard it is the same in every revision, but Belga writes the revision's time there.
    """
    identifier = _first(_first(item, "Identification", deep=False), "NewsIdentifier", deep=False)
    if identifier is None:
        return None
    public = first_text(element_text(_first(identifier, "PublicIdentifier", deep=False))) or ""
    parts = public.split(":")
    if _NEWSML_URN.match(public) and len(parts) >= 6:
        provider, date_id, news_item = parts[2], parts[3], ":".join(parts[4:-1])
    else:
        provider, date_id, news_item = (
            first_text(element_text(_first(identifier, name, deep=False))) or ""
            for name in ("ProviderId", "DateId", "NewsItemId"))
    # Belga's placeholder items say 0 (or nothing): no id, rather than one shared by all.
    if not provider or not news_item or not news_item.strip("0"):
        return None
    day = "".join(match.groups()) if (match := _DATE_DAY.match(date_id)) else date_id
    return ":".join(part for part in ("urn:newsml", provider, day, news_item) if part)


def _status(management: ET.Element | None, label: str) -> tuple[PubStatus, datetime | None]:
    """The item's publishing status and embargo from NewsManagement/Status and StatusWillChange.

    Canceled (and `kill`) withdraws the story, withheld holds it back; Embargoed holds it until
    StatusWillChange's time, and, with no time given, is withheld: an embargo broken is worse
    than a story shown late (the agency's next revision, Usable, releases it).
    """
    status = _formal(_first(management, "Status", deep=False)).lower()
    if status in ("canceled", "cancelled", "kill", "killed", "deleted"):
        return PubStatus.CANCELED, None
    if status == "withheld":
        return PubStatus.WITHHELD, None
    if status == "embargoed":
        change = _first(management, "StatusWillChange", deep=False)
        until = _date(change, "DateAndTime") if change is not None else None
        if until is not None:
            return PubStatus.USABLE, until
        logger.info("NewsML 1 item %s is embargoed without a release time: withheld", label)
        return PubStatus.WITHHELD, None
    return PubStatus.USABLE, None


def _language(item: ET.Element, story: _Story) -> str | None:
    """The story's language: DescriptiveMetadata/Language of its component or the nearest one
    around it, else the nearest xml:lang."""
    nearest_first = (story.component, *reversed(story.above), item)
    for element in nearest_first:
        metadata = _first(element, "DescriptiveMetadata", deep=False)
        language = _first(metadata, "Language", deep=False) if metadata is not None else None
        if language is not None and _formal(language):
            return _formal(language)
    return first_text(*(element.get("xml:lang") for element in nearest_first))


def _byline(story: _Story) -> str | None:
    """The ByLine of the story's NewsLines, or of the nearest component around it with one."""
    for element in (story.component, *reversed(story.above)):
        if byline := _line(_first(element, "NewsLines", deep=False), "ByLine"):
            return byline_name(byline)
    return story.nitf_byline


def _keywords(component: ET.Element) -> list[str]:
    """The story's KeywordLines and Keyword properties."""
    lines = _first(component, "NewsLines", deep=False)
    values: list[object] = [element_text(line) for line in _children(lines, "KeywordLine")]
    metadata = _first(component, "DescriptiveMetadata", deep=False)
    if metadata is not None:
        values += [prop.get("Value") for prop in _children(metadata, "Property")
                   if (prop.get("FormalName") or "").lower() == "keyword"]
    return unique_tags(values)


def _urgency(management: ET.Element | None) -> str | None:
    """NewsManagement/Urgency, a FormalName (or, at TASS, text)."""
    urgency = _first(management, "Urgency", deep=False)
    return (_formal(urgency) or element_text(urgency)) if urgency is not None else None


def _date(parent: ET.Element | None, name: str) -> datetime | None:
    """A date child (`20261203T101500Z`, `20150101T120000+0100`) parsed to UTC; Belga writes
    none with a zone (`20150612T160200`): its local time."""
    if parent is None:
        return None
    return parse_sender_date(element_text(_first(parent, name, deep=False)))


def _line(lines: ET.Element | None, name: str) -> str | None:
    """The text of a NewsLines child (HeadLine, SubHeadLine, ByLine), None when empty."""
    if lines is None:
        return None
    return first_text(element_text(_first(lines, name, deep=False)))


def _loose(text: str) -> str:
    return " ".join(text.split()).casefold()


def _role(component: ET.Element) -> str:
    return _formal(_first(component, "Role", deep=False)).lower()


def _component_class(component: ET.Element) -> str:
    """Belga's DescriptiveMetadata/Property ComponentClass (Text, Image, Video, Audio)."""
    metadata = _first(component, "DescriptiveMetadata", deep=False)
    for prop in _children(metadata, "Property") if metadata is not None else []:
        if (prop.get("FormalName") or "").lower() == "componentclass":
            return (prop.get("Value") or "").lower()
    return ""


def _duid(component: ET.Element) -> str | None:
    duid = first_text(component.get("Duid"))
    return duid if duid and duid.strip("0") else None


def _formal(element: ET.Element | None) -> str:
    return (element.get("FormalName") or "").strip() if element is not None else ""


def _is(element: ET.Element, name: str) -> bool:
    return isinstance(element.tag, str) and element.tag.lower() == name.lower()


def _children(element: ET.Element | None, name: str) -> list[ET.Element]:
    return [child for child in element if _is(child, name)] if element is not None else []


def _all(element: ET.Element, name: str) -> list[ET.Element]:
    return [found for found in element.iter() if _is(found, name)]


def _first(element: ET.Element | None, name: str, deep: bool = True) -> ET.Element | None:
    """The first child (or, deep, descendant) with this tag name, whatever its case."""
    if element is None:
        return None
    found = element.iter() if deep else iter(element)
    return next((item for item in found if item is not element and _is(item, name)), None)
