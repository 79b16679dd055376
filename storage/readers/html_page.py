"""Saved HTML news pages: main text via trafilatura (offline), metadata from the page's markup.

Metadata precedence: JSON-LD NewsArticle/Article, then OpenGraph/`article:` meta, then plain
meta tags and `<html lang>`, then what trafilatura found. The page is never fetched or
followed: trafilatura only sees the string we give it.
"""

from __future__ import annotations

import copy
import json
import re
from urllib.parse import urlsplit

import trafilatura
from bs4 import BeautifulSoup
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from storage.readers.cleaning import (
    drop_credit_lines,
    html_to_text,
    is_credit_line,
    normalize_text,
    parse_html,
)
from storage.readers.dates import parse_date
from storage.readers.fields import clean_title, first_text, make_article, unique_tags, web_url
from storage.readers.page_kind import page_kind_refusal
from storage.records import Article, RejectedFile

_ARTICLE_TYPES = re.compile(r"(?:News|Reportage|Analysis|Opinion|Report|Blog)?(?:Article|Posting)$")
_MAX_TITLE_CHARS = 300
_SHORT_TEXT_CHARS = 1000
_FURNITURE_NAMES = re.compile(r"(?:^|[\s_-])(?:logo|brand|menu|navigation|navbar|nav|site-?title|"
                              r"site-?name|sitename|masthead|sidebar|footer)(?:$|[\s_-])", re.I)
_FURNITURE_DEPTH = 3  # a logo's <h1> sits in its link or box, a headline deeper in the story
_INVISIBLE = frozenset({"script", "style", "noscript", "template"})
_MAX_SNIPPET_LINKS = 20
_MAX_SNIPPET_CHARS = 3000
# trafilatura's `[text](target)` with include_links (a target may hold one pair of brackets).
# trafilatura's links: [text](target), a target with spaces in <…> (`javascript:void(0); `).
_LINK = re.compile(r"\[([^\[\]]*)\]\((?:<[^<>\n]*>|(?:[^()\s]|\([^()\s]*\))*)\)")
# A guessed byline part is a name: two to five words, no address, no digits.
_NAME = re.compile(r"^[^\W\d_][^\d@/:;]*$")
_NAME_WORDS = (2, 5)
_TEASER_CHARS = 200  # a "Read more: <headline>" line, not a paragraph that cites a source
_TEASER_LINK_SHARE = 0.7
# One line break between two words of a run of text. A break next to a tag is left alone (it
# may stand beside a block, such as an ad's "Anzeige" label boxed inside a paragraph), and so
# is a blank line: text written as paragraphs without <p> tags.
_SOURCE_LINE_BREAK = re.compile(r"(?<=\S)[ \t\r]*\n[ \t\r]*(?=\S)")
_PREFORMATTED = ("pre", "textarea", "script", "style")
# A standfirst under the headline, by the names sites give it; trafilatura's precision mode
# leaves it out when it sits in the header beside the <h1> rather than in the story's box.
_STANDFIRST_NAMES = re.compile(
    r"(?:^|[\s_-])(?:lead|standfirst|intro|introduction|deck|dek|teaser|teasertext|summary|"
    r"excerpt|subtitle|sub-?headline|subline|chapo|chapeau|abstract|strapline|description)"
    r"(?:$|[\s_-])", re.I)
# ... but not a picture's caption, a box of other stories or a series' label.
_NOT_STANDFIRST_NAMES = re.compile(r"image|img|photo|caption|credit|sidebar|related|podcast|"
                                   r"video|special|meta", re.I)
_STANDFIRST_TAGS = ("p", "div", "h2", "h3", "section", "header")
# A box that ends in "more…" is a teaser of another page, not this story's standfirst.
_READ_MORE = frozenset({"mehr", "more", "readmore", "weiterlesen", "suite", "lirelasuite",
                        "meer", "leesmeer", "lesen"})
_STANDFIRST_CHARS = (40, 1200)
_STANDFIRST_WORDS = 6
_STANDFIRST_REACH = 60  # elements after the headline: the standfirst is the next thing in it
# Formatting that only styles its text: empty and without attributes, it is editor debris
# (an icon or an anchor has attributes, and trafilatura reads those apart).
_FORMATTING = ("b", "em", "font", "i", "s", "small", "span", "strong", "sub", "sup", "u")


def read_html(text: str) -> list[Article]:
    """Read a saved news page into one Article; refuse a page that is not an article."""
    soup = parse_html(text)
    meta = _meta_tags(soup)
    ld = _json_ld_article(soup)
    found = _extract(text, soup)
    body = _paragraphs(found.get("text") or "")
    if not body:
        body = _fallback_body(soup)
    title = _title(soup, ld, meta, found)
    if body and (standfirst := _standfirst(soup, title, body)):
        body = _after_headline(body, title, standfirst)
    refusal = page_kind_refusal(soup, meta, bool(ld), body)
    if refusal:
        raise RejectedFile(refusal)
    if not body:
        raise RejectedFile("no article text found on the page (only menus, links or scripts)")
    html_tag = soup.find("html")
    return [
        make_article(
            title=title,
            body=body,
            format="html",
            id=None,
            url=_url(soup, ld, meta, found),
            published=parse_date(ld.get("datePublished"))
            or parse_date(meta.get("article:published_time"))
            or parse_date(meta.get("date"))
            or _guessed_date(found.get("date")),
            updated=parse_date(ld.get("dateModified"))
            or parse_date(meta.get("article:modified_time"))
            or parse_date(meta.get("og:updated_time")),
            # The most specific declaration first: templates often keep `<html lang="en">`
            # whatever the text's language (the ingest also checks it against the text).
            language=first_text(
                ld.get("inLanguage"),
                meta.get("content-language"),
                html_tag.get("lang") if html_tag else None,
                html_tag.get("xml:lang") if html_tag else None,
                meta.get("og:locale"),
            ),
            author=first_text(
                _named(_ld_names(ld.get("author"))),
                # OpenGraph's article:author is often a profile address, not a name.
                _named(meta.get("article:author")),
                _named(meta.get("author")),
                _guessed_names(found.get("author")),
            ),
            tags=_tags(ld, meta),
            image_url=meta.get("og:image") or meta.get("og:image:url")
            or meta.get("twitter:image") or _ld_image(ld.get("image")),
        )
    ]


def _extract(text: str, soup: BeautifulSoup) -> dict:
    """trafilatura's main text, favouring precision; its defaults where that loses the story.

    Precision mode drops menus and comments better, but on some pages it keeps a date line of
    a long article (bench/results/extraction.md); when its text is short, or a small share of
    the page's text, the default extraction is run too and taken if it finds four times more.
    Links are asked for only to tell teaser lines to other stories (dropped) from the text.
    """
    page = rendered_tree(text)
    found = _as_dict(trafilatura.bare_extraction(
        copy.deepcopy(page) if page is not None else text, with_metadata=True,
        include_comments=False, include_tables=True, favor_precision=True, include_links=True,
    ))
    found["text"] = _drop_link_teasers(found.get("text") or "")
    precise = text_chars(found["text"])
    # The page's markup is longer than its text: a body over a quarter of it needs no count.
    if precise < _SHORT_TEXT_CHARS or (precise < len(text) / 4
                                       and precise < visible_text_length(soup) / 4):
        default = _drop_link_teasers(trafilatura.extract(page if page is not None else text,
                                                         include_links=True) or "")
        if precise < text_chars(default) / 4:
            found["text"] = default
    found["text"] = _layout_rows_as_text(found["text"])
    return found


_CELL_BAR = re.compile(r"(?<!\\)\|")  # a cell boundary of trafilatura's rows; "\|" is text
_HAS_WORD = re.compile(r"\w")


def _layout_rows_as_text(text: str) -> str:
    """trafilatura's table rows (`| a | b |`) kept where they hold data, and read as the text
    they hold where the table only lays out the page: a row of empty cells goes, a row with
    one cell of words is that text.

    Old pages set the whole story in a layout table; stored as rows it opened with
    "| | | |" and every paragraph sat between bars (archive.org, kath.net, xinhuanet pages).
    A cell with no letter or digit (a spacer, a decorative quotation mark) is empty.
    """
    if "|" not in text:
        return text
    lines = []
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped.startswith("|"):
            lines.append(line)
            continue
        cells = [cell.strip() for cell in _CELL_BAR.split(stripped.strip("|"))]
        worded = [cell for cell in cells if _HAS_WORD.search(cell)]
        if not worded:
            continue
        lines.append(worded[0].replace("\\|", "|") if len(worded) == 1 else line)
    return "\n".join(lines)


def rendered_tree(text: str) -> HtmlElement | None:
    """The page parsed as trafilatura parses it, with line breaks inside running text made spaces.

    A browser shows a newline between two words of a paragraph's source as a space, but
    trafilatura keeps it, and its lines are read here as paragraphs: pages whose source wraps
    its paragraphs (blogs, old CMSs) had their sentences cut into "paragraphs" of a few words.
    Preformatted text keeps its lines; `<br>` is a line break the author asked for and stays one.
    """
    try:
        tree = load_html(text)
    except Exception:  # noqa: BLE001 - trafilatura then reads the string as it always did
        return None
    if tree is None:
        return None
    kept = {inner for outer in tree.iter(*_PREFORMATTED) for inner in outer.iter()}
    for element in tree.iter():
        if element in kept:
            continue
        if element.text and "\n" in element.text:
            element.text = _SOURCE_LINE_BREAK.sub(" ", element.text)
        # A tail is text of the parent: inside <pre> when the parent is.
        if element.tail and "\n" in element.tail and element.getparent() not in kept:
            element.tail = _SOURCE_LINE_BREAK.sub(" ", element.tail)
    _unwrap_empty_inline(tree)
    return tree


def _unwrap_empty_inline(tree: HtmlElement) -> None:
    """Remove empty formatting elements and keep the text after them.

    trafilatura's precision mode deletes an empty `<strong></strong>` together with its tail:
    gala.fr lost "par un dirigeant de LREM dans un portrait du" from the middle of a sentence.
    """
    empty = [element for element in tree.iter(*_FORMATTING)
             if len(element) == 0 and not element.text and not element.attrib]
    for element in empty:
        parent = element.getparent()
        if parent is None:
            continue
        tail = element.tail or ""
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
        parent.remove(element)


def _drop_link_teasers(text: str) -> str:
    """Drop short lines that are mostly a link ("Read more: …", a related story); unlink the rest.

    trafilatura keeps such lines when they sit in the story's markup; they name another page.
    A table row is data, whatever it links to.
    """
    kept = []
    for line in text.split("\n"):
        plain = _LINK.sub(lambda match: match.group(1), line)
        linked = sum(text_chars(match.group(1)) for match in _LINK.finditer(line))
        size = text_chars(plain)
        if (linked and size <= _TEASER_CHARS and linked >= _TEASER_LINK_SHARE * size
                and not line.lstrip().startswith("|")):
            continue
        kept.append(plain)
    # A link whose text spans lines (a <br> inside it) is unlinked across them.
    return _LINK.sub(lambda match: match.group(1), "\n".join(kept))


def text_chars(text: str) -> int:
    """Length of a text with its whitespace collapsed: table padding is not text."""
    return len(" ".join(text.split()))


def _as_dict(extracted: object) -> dict:
    if hasattr(extracted, "as_dict"):
        return extracted.as_dict()
    return extracted if isinstance(extracted, dict) else {}


def visible_text_length(soup: BeautifulSoup) -> int:
    """Characters of text on the whole page, menus included: more than any story on it."""
    root = soup.find("body") or soup
    return sum(text_chars(piece) for piece in root.find_all(string=True)
               if piece.parent is not None and piece.parent.name not in _INVISIBLE)


def _standfirst(soup: BeautifulSoup, title: str, body: str) -> str:
    """The standfirst printed under the headline when the body does not hold it, else ""."""
    headline = next((h1 for h1 in soup.find_all("h1", limit=8)
                     if title and _loose(h1.get_text(" ")) == _loose(title)), None)
    if headline is None:
        return ""
    story = _loose(body)
    opening = _loose(body[:200])[:40]
    for element in headline.find_all_next(limit=_STANDFIRST_REACH):
        own = _loose("".join(element.find_all(string=True, recursive=False)))
        if opening and opening in own:
            return ""  # the story's own text has begun: what is under the headline is in it
        names = " ".join([*(element.get("class") or []), element.get("id") or ""])
        if (element.name not in _STANDFIRST_TAGS or not _STANDFIRST_NAMES.search(names)
                or _NOT_STANDFIRST_NAMES.search(names)
                or element.find_parent(["figure", "aside", "nav", "footer"]) is not None):
            continue
        text = " ".join(element.get_text(" ").split())
        links = [" ".join(a.get_text(" ").split()) for a in element.find_all("a")]
        linked = sum(map(len, links))
        if (_STANDFIRST_CHARS[0] <= len(text) <= _STANDFIRST_CHARS[1]
                and len(text.split()) >= _STANDFIRST_WORDS and linked < len(text) / 2
                and not is_credit_line(text) and "©" not in text
                and _loose(text)[:60] not in story
                and not any(_loose(link) in _READ_MORE for link in links)):
            return text
    return ""


def _after_headline(body: str, title: str, standfirst: str) -> str:
    """The body with its standfirst first, after a repeat of the headline where it has one
    (which make_article then drops, as it would have without the standfirst)."""
    first, _, rest = body.partition("\n\n")
    if rest and _loose(first) == _loose(title):
        return f"{first}\n\n{standfirst}\n\n{rest}"
    return f"{standfirst}\n\n{body}"


def _fallback_body(soup: BeautifulSoup) -> str:
    """A short snippet trafilatura gives up on: its `<article>`/`<main>`, or a small body."""
    for name in ("article", "main"):
        element = soup.find(name)
        if element is not None:
            return html_to_text(str(element))
    body = soup.find("body") or soup
    if len(body.find_all("a")) > _MAX_SNIPPET_LINKS:
        return ""  # a whole page of links and menus: its boilerplate is not a story
    text = html_to_text(str(body))
    return text if len(text) <= _MAX_SNIPPET_CHARS else ""


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


def _named(value: object) -> str | None:
    """A byline from the page's metadata, unless it is an address (a profile URL)."""
    text = first_text(value)
    if text is None or text.lower().startswith(("http://", "https://", "www.")):
        return None
    return text


def _guessed_names(value: object) -> str | None:
    """trafilatura's byline guess, kept only where its parts read as names: it also finds a
    login menu's 'Username', a degree ('Brenda Goodman; MA') or a tool's version line."""
    text = first_text(value)
    if text is None:
        return None
    names = [part.strip() for part in text.split(";")]
    names = [name for name in names if _NAME.match(name)
             and _NAME_WORDS[0] <= len(name.split()) <= _NAME_WORDS[1]]
    return ", ".join(names) or None


def _guessed_date(value: object):
    """trafilatura's date guess, unless it is 1 January at midnight: what it makes of a bare
    year, such as a footer's '©1998–2015', not a day the story was published."""
    found = parse_date(value)
    if found and (found.month, found.day, found.hour, found.minute) == (1, 1, 0, 0):
        return None
    return found


def _ld_names(value: object) -> str | None:
    """Return author name(s) from a JSON-LD author value (string, Person, or list)."""
    values = value if isinstance(value, list) else [value]
    names = [first_text(v.get("name")) if isinstance(v, dict) else first_text(v) for v in values]
    return ", ".join(name for name in names if name) or None


def _title(soup: BeautifulSoup, ld: dict, meta: dict, found: dict) -> str:
    """The article's headline: the page's `<h1>` where the meta title is the site's name."""
    title_tag = soup.find("title")
    page_title = clean_title(title_tag.get_text()) if title_tag else ""
    sites = _site_names(soup, ld, meta)
    named = [clean_title(first_text(value) or "") for value in
             (ld.get("headline"), meta.get("og:title"), meta.get("twitter:title"),
              found.get("title"))]
    # A title that is only the site's name names no story: the page's <title> then; either
    # loses the part naming the site ("Gift Guide | Journelles | Jetzt entdecken!").
    candidate = _without_site(next((title for title in named if title and _loose(title)
                                    not in sites), "") or page_title, sites)
    heading = _headline(soup, sites)
    if not heading:
        return candidate
    if not candidate or _loose(candidate).startswith(_loose(heading)):
        return heading
    if _is_site_name(candidate, sites, page_title, heading):
        return heading
    return candidate


# How page titles join a headline, the site's name and sections: "Story | Site", "Site » Story".
# The strongest one present is the title's own; dashes and colons are in headlines too
# ("Offshore-Windenergie – Sauberer Strom vom Meer | Stiftung …"), and a colon only counts
# right beside the site's name ("Story : Site").
_TITLE_SEPARATORS = tuple(re.compile(rf"\s+{mark}\s+") for mark in ("\\|", "[»›]", "·", "[–—-]"))
_COLON = re.compile(r"\s+:\s+")
_SEPARATOR_MARKS = " \t:|»›·–—-"


def _without_site(title: str, sites: set[str]) -> str:
    """A page title without the part that names the site ("Story : Site | tagline" -> "Story").

    The headline is what comes before the site's name, or, when the name comes first, the last
    part after it (breadcrumb titles: "Site » Section » Story"); a title that names no site is
    kept whole.
    """
    separator = next((mark for mark in _TITLE_SEPARATORS if mark.search(title)), _COLON)
    marks = list(separator.finditer(title))
    starts = [0, *(mark.end() for mark in marks)]
    ends = [*(mark.start() for mark in marks), len(title)]
    for start, end in zip(starts, ends, strict=True):
        segment = title[start:end]
        pieces = _COLON.split(segment)
        if _loose(segment) in sites:
            cut = (start, end)
        elif len(pieces) > 1 and _loose(pieces[-1]) in sites:
            cut = (start + segment.rfind(pieces[-1]), end)
        elif len(pieces) > 1 and _loose(pieces[0]) in sites:
            cut = (start, start + len(pieces[0]))
        else:
            continue
        before = title[: cut[0]].rstrip(_SEPARATOR_MARKS)
        if before:
            return before
        after = title[cut[1]:].strip(_SEPARATOR_MARKS)
        return separator.split(after)[-1] if after else title
    return title


# A web.archive.org capture's link keeps the archived address after the capture's prefix.
_ARCHIVED = re.compile(r"^(?:https?://web\.archive\.org)?/web/[^/]+/(?=https?:)")


def _home_link_names(soup: BeautifulSoup) -> set[str]:
    """Loose texts of `<h1>`s that are nothing but a link to the site's home page: its name."""
    names = set()
    for h1 in soup.find_all("h1", limit=8):
        link = h1.find("a", href=True)
        if (link is not None and _is_home_link(str(link["href"]))
                and _loose(link.get_text(" ")) == _loose(h1.get_text(" "))):
            names.add(_loose(h1.get_text(" ")))
    return names - {""}


def _is_home_link(href: str) -> bool:
    """Tell a link to a site's front page ("/", "https://site.example/") from one to a page."""
    parts = urlsplit(_ARCHIVED.sub("", href.strip()))
    if parts.query or parts.fragment:
        return False
    return parts.path in ("/", "/index.html", "/index.php") or bool(parts.netloc
                                                                     and not parts.path)


def _headline(soup: BeautifulSoup, sites: set[str]) -> str:
    """The page's `<h1>` headline: not the logo, a menu or the site's name; in the story first."""
    found = []
    for h1 in soup.find_all("h1", limit=8):
        heading = clean_title(h1.get_text(" "))
        if (not heading or len(heading) > _MAX_TITLE_CHARS or _loose(heading) in sites
                or _in_furniture(h1)):
            continue
        in_story = h1.find_parent(["article", "main"]) is not None
        found.append((not in_story, len(found), heading))
    return min(found)[2] if found else ""


def _in_furniture(tag) -> bool:
    """Tell an `<h1>` in navigation, a sidebar, the footer or a logo from a headline."""
    if tag.find_parent(["nav", "aside", "footer"]) is not None:
        return True
    for element in (tag, *list(tag.parents)[:_FURNITURE_DEPTH]):
        if element.name in ("body", "html", "[document]"):
            break
        names = " ".join([*(element.get("class") or []), element.get("id") or ""])
        if names and _FURNITURE_NAMES.search(names):
            return True
    return False


def _site_names(soup: BeautifulSoup, ld: dict, meta: dict) -> set[str]:
    """Loose forms of the names the page gives its site (og:site_name, publisher, app name, an
    `<h1>` that links to the home page)."""
    publisher = ld.get("publisher")
    names = [meta.get("og:site_name"), meta.get("application-name"),
             meta.get("apple-mobile-web-app-title"),
             publisher.get("name") if isinstance(publisher, dict) else None]
    return ({_loose(name) for name in names if isinstance(name, str) and _loose(name)}
            | _home_link_names(soup))


def _is_site_name(candidate: str, sites: set[str], page_title: str, heading: str) -> bool:
    """Tell a meta title that names the site or a section ("Pressemitteilungen") from a headline."""
    loose = _loose(candidate)
    if loose in sites or any(loose in site for site in sites):
        return True
    # A one-word "title" (a section, a slug) beside a multi-word <h1> headline.
    return len(candidate.split()) == 1 and len(heading.split()) >= 3


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
