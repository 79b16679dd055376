"""Telling a saved article page from pages that are not articles (home, index, product, login).

Only what the page says about itself counts: its JSON-LD and OpenGraph types and its own
address. Teaser counts and link density do not: real article pages carry long "related" lists
(trafilatura's benchmark has many), so they would refuse real stories. A page that declares
itself an article is always read.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

_PRODUCT_TYPES = frozenset({"Product", "ProductGroup", "IndividualProduct", "Offer"})
_INDEX_TYPES = frozenset({"CollectionPage", "SearchResultsPage"})
_LISTING_SEGMENTS = frozenset(
    {"tag", "tags", "category", "categories", "categorie", "kategorie", "archive", "archives",
     "archiv", "search", "suche", "recherche", "topics", "author"}
)  # fmt: skip
_LOGIN_SEGMENTS = frozenset({"login", "signin", "sign-in", "log-in", "anmelden", "connexion",
                             "inloggen", "account"})
_HOME_FILES = frozenset({"", "index.html", "index.htm", "index.php", "home", "default.aspx"})
_MIN_LIST_ITEMS = 5
_LINK_LIST_SHARE = 0.8
_PAGE_NUMBER = re.compile(r"^(?:page|seite|p)$", re.I)


def page_kind_refusal(soup: BeautifulSoup, meta: dict[str, str], declares_article: bool,
                      body: str = "") -> str | None:
    """Why this page is not an article ('product page …'), or None when it may be one."""
    og_type = (meta.get("og:type") or "").strip().lower()
    if declares_article or og_type.startswith("article"):
        return None
    text_chars = len(body)
    types = top_level_types(soup)
    if "product" in og_type or types & _PRODUCT_TYPES:
        return "product page, not an article (the page declares itself a product)"
    if types & _INDEX_TYPES:
        return "index page, not an article (the page declares itself a list of pages)"
    address = meta.get("og:url") or _canonical(soup)
    kind = _address_kind(address)
    if kind:
        return f"{kind} page, not an article ({address})"
    if text_chars < 600 and soup.find("input", type="password"):
        return "login page, not an article (a password form and no story text)"
    if _is_link_list(body, soup):
        return "index page, not an article (its text is a list of links)"
    return None


def _is_link_list(body: str, soup: BeautifulSoup) -> bool:
    """Tell a body whose paragraphs are nearly all link texts (a section index) from a story."""
    paragraphs = [" ".join(p.split()) for p in body.split("\n\n") if p.strip()]
    # Link texts are short: a body of long paragraphs is a story, with no need to list anchors.
    if len(paragraphs) < _MIN_LIST_ITEMS or sum(map(len, paragraphs)) > 150 * len(paragraphs):
        return False
    anchors = {" ".join(a.get_text(" ").split()) for a in soup.find_all("a")}
    linked = sum(paragraph in anchors for paragraph in paragraphs)
    return linked >= _LINK_LIST_SHARE * len(paragraphs)


def top_level_types(soup: BeautifulSoup) -> set[str]:
    """The @types of the page's JSON-LD main entities (top level or in @graph), not nested."""
    types: set[str] = set()
    for script in soup.find_all("script", type=re.compile("ld\\+json", re.I)):
        try:
            data = json.loads(script.string or "")
        except (ValueError, RecursionError):
            continue
        nodes = data if isinstance(data, list) else [data]
        for node in list(nodes):
            if isinstance(node, dict) and isinstance(node.get("@graph"), list):
                nodes.extend(node["@graph"])
        for node in nodes:
            if isinstance(node, dict):
                kinds = node.get("@type")
                types.update(k for k in (kinds if isinstance(kinds, list) else [kinds])
                             if isinstance(k, str))
    return types


def _canonical(soup: BeautifulSoup) -> str | None:
    link = soup.find("link", rel="canonical")
    href = link.get("href") if link else None
    return href if isinstance(href, str) else None


def _address_kind(address: str | None) -> str | None:
    """home, index or login from a page's own absolute address; None for anything else."""
    if not address or not address.lower().startswith(("http://", "https://")):
        return None
    parts = urlsplit(address.strip())
    segments = [segment.lower() for segment in parts.path.split("/") if segment]
    if not segments or (len(segments) == 1 and segments[0] in _HOME_FILES):
        return None if parts.query else "home"
    if segments[0] in _LISTING_SEGMENTS or (
            len(segments) >= 2 and _PAGE_NUMBER.match(segments[-2]) and segments[-1].isdigit()):
        return "index"
    if segments[-1] in _LOGIN_SEGMENTS:
        return "login"
    return None
