"""A saved page's byline, date and links as a reader should see them, not as the page's
furniture suggests (found on mozilla/readability's real test pages: profile URLs as authors,
a login menu's 'Username', a footer's copyright year as the publication date)."""

from __future__ import annotations

from tests.helpers import one_article

PARAGRAPH = ("<p>" + "The council approved the harbour plan on Monday after a long debate, "
             "officials said. " * 6 + "</p>")


def page(head: str = "", body: str = "", footer: str = "") -> bytes:
    """A saved article page around two paragraphs of story."""
    return (f"<html><head><title>Harbour plan approved</title>{head}</head><body>{body}"
            f"<article><h1>Harbour plan approved</h1>{PARAGRAPH}{PARAGRAPH}</article>"
            f"{footer}</body></html>").encode()


def only(data: bytes):
    """The one article a page holds."""
    return one_article(data, "page.html")


def test_a_profile_address_is_not_the_author():
    head = '<meta property="article:author" content="https://www.facebook.com/jane.doe">'
    assert only(page(head)).author is None


def test_a_named_author_beside_a_profile_address_is_kept():
    head = ('<meta property="article:author" content="https://medium.com/@janedoe">'
            '<meta name="author" content="Jane Doe">')
    assert only(page(head)).author == "Jane Doe"


def test_a_login_menus_username_is_not_the_author():
    body = '<div class="login"><a class="author" href="/login">Username</a></div>'
    assert only(page(body=body)).author is None


def test_a_footers_copyright_year_is_not_the_publication_date():
    footer = "<footer><p>© 1998–2015 Example News. All rights reserved.</p></footer>"
    assert only(page(footer=footer)).published is None


def test_links_with_spaces_in_their_target_leave_only_their_text():
    links = ('<p>Read the <a href="javascript:void(0); ">full plan</a> and the '
             '<a href="https://example.org/a b">annex</a>.</p>')
    story = page().replace(b"</p><p>", f"</p>{links}<p>".encode(), 1)
    body = only(story).body
    assert "Read the full plan and the annex." in body.split("\n\n")
    assert "](" not in body

