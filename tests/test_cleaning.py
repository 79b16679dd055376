"""storage.readers.cleaning: HTML bodies and plain text to clean blank-line separated paragraphs."""

from __future__ import annotations

import pytest

from storage.readers.cleaning import html_to_text, is_credit_line, normalize_text

PREZLY_TAIL = """<p>Story ends here.</p><p>&nbsp;</p>
<p><sup>#FlandersNewsService | PHOTO &copy; Fabrice COFFRINI / AFP</sup></p><hr />
<p><strong>Related news</strong></p>
<div id="bookmark-1" class="release-content-bookmark release-content-bookmark--horizontal">
  <a class="release-content-bookmark__title" href="https://x.test/other">Other story</a>
  <div class="release-content-bookmark__description">Other description...</div>
  <img class="release-content-bookmark__provider-icon" src="https://x.test/i.png" />
</div>"""


def test_prezly_related_news_and_credit_are_dropped():
    assert html_to_text(PREZLY_TAIL) == "Story ends here."


def test_heading_is_never_glued_to_next_sentence():
    text = html_to_text("<p>Intro.</p><h4 id='x'>Surge in demand</h4>Belgian firms grew.")
    assert text.split("\n\n") == ["Intro.", "Surge in demand", "Belgian firms grew."]


def test_list_items_are_blocks():
    html = "<p>Points:</p><ul><li>One <b>bold</b></li><li>Two</li></ul><ol><li>Three</li></ol>"
    assert html_to_text(html).split("\n\n") == ["Points:", "One bold", "Two", "Three"]


@pytest.mark.parametrize("empty", ["<p>&nbsp;</p>", "<p> </p>", "<p></p>", "<div>\xa0\n</div>"])
def test_nbsp_and_empty_paragraphs_are_dropped(empty):
    assert html_to_text(f"<p>A.</p>{empty}<p>B.</p>") == "A.\n\nB."


def test_tracking_pixel_scripts_styles_and_iframes_are_dropped():
    html = (
        "<p>Text.</p><img src='https://media.npr.org/tracking/pixel.png?story=1' />"
        "<script>var x = 1;</script><style>p { color: red }</style>"
        "<iframe src='https://embed.test/v'></iframe><noscript>enable js</noscript>"
        "<div class='prezly-slate-embed'>Embedded tweet</div>"
    )
    assert html_to_text(html) == "Text."


def test_inline_whitespace_is_collapsed_and_entities_decoded():
    html = "<p>Caf&eacute;\n   au\tlait &amp; <a href='#'>more</a>\n</p>"
    assert html_to_text(html) == "Café au lait & more"


def test_line_breaks_stay_inside_a_paragraph():
    assert html_to_text("<p>Line one<br>Line two</p><p>Next</p>") == "Line one\nLine two\n\nNext"


@pytest.mark.parametrize(
    "line",
    [
        "PHOTO © Fabrice COFFRINI / AFP",
        "#FlandersNewsService | PHOTO © Belga",
        "Photo: Jane Doe/Reuters",
        "Photo (cc) : svenwerk",
        "© Reuters 2024",
        "Foto: dpa",
        "#Belga #News",
    ],
)
def test_credit_lines_are_recognized(line):
    assert is_credit_line(line)
    assert html_to_text(f"<p>Keep me.</p><p>{line}</p>") == "Keep me."


@pytest.mark.parametrize(
    "line",
    [
        "Photographers gathered outside the court on Monday.",
        "The photo: a symbol of a generation, according to critics who " + "x " * 80,
        "Copyright law was reformed in 2019.",
    ],
)
def test_story_sentences_are_not_credit_lines(line):
    assert not is_credit_line(line)


def test_bidi_overrides_and_control_chars_are_stripped():
    text = "Evil\u202eelif.exe\u202c and \u2066iso\u2069 \x07bell\x00"
    assert normalize_text(text) == "Evilelif.exe and iso bell"


def test_normalize_text_keeps_paragraphs():
    text = "  First   line\r\nsame para\r\n\r\n\r\n\tSecond\u00a0para  \n\n\n"
    assert normalize_text(text) == "First line\nsame para\n\nSecond para"


@pytest.mark.parametrize("value", ["", "   ", "<p></p>", "<script>x()</script>"])
def test_empty_input_gives_empty_text(value):
    assert html_to_text(value) == ""


def test_deeply_nested_html_is_linear_and_safe():
    html = "<div>" * 20_000 + "<p>Deep text.</p>" + "</div>" * 20_000
    assert html_to_text(html) == "Deep text."
