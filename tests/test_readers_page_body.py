"""A saved page's body holds the whole story as its reader sees it under the headline: the
standfirst beside the <h1> (left out by trafilatura's precision mode on 57 of the 500 benchmark
pages) and every word of a sentence, whatever empty tags its editor left in it."""

from __future__ import annotations

import pytest

from storage.readers import read_bytes

PARAGRAPH = ("<p>" + "The council approved the harbour plan on Monday after a long debate, "
             "officials said. " * 4 + "</p>")
STANDFIRST = "The city will dredge the old harbour and build two new quays by 2026."


def page(under_headline: str = "", story: str = PARAGRAPH * 3) -> bytes:
    """A news page: the headline and what stands under it in the header, the story in its box."""
    return ("<html><head><title>Harbour plan approved</title></head><body>"
            "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
            f"<header><h1 class='a-title'>Harbour plan approved</h1>{under_headline}"
            "<div class='m-metadata'><time>12.03.2022</time></div></header>"
            f"<div class='article-body'>{story}</div></body></html>").encode()


def body_of(data: bytes) -> list[str]:
    """The paragraphs of the one article a page holds."""
    (article,) = read_bytes(data, "page.html")
    return article.body.split("\n\n")


@pytest.mark.parametrize("markup", [
    f"<p class='a-lead'>{STANDFIRST}</p>",
    f"<div class='article__standfirst'><p>{STANDFIRST}</p></div>",
    f"<h2 class='article-deck'>{STANDFIRST}</h2>",
    f"<p class='chapo'>{STANDFIRST}</p>",
])
def test_the_standfirst_under_the_headline_opens_the_body(markup):
    paragraphs = body_of(page(markup))
    assert paragraphs[0] == STANDFIRST
    assert paragraphs.count(STANDFIRST) == 1


def test_a_standfirst_the_story_already_holds_is_not_repeated():
    story = f"<p>{STANDFIRST}</p>" + PARAGRAPH * 3
    paragraphs = body_of(page(f"<p class='lead'>{STANDFIRST}</p>", story))
    assert paragraphs.count(STANDFIRST) == 1


@pytest.mark.parametrize("markup", [
    # A teaser of another page, ending in its link.
    "<div class='teaser'><p>Other story: the mayor's new budget is out today.</p>"
    "<a href='/budget'>mehr</a></div>",
    # A picture's caption and credit.
    "<div class='intro-image'>The harbour at dawn, seen from the old lighthouse tower.</div>",
    "<div class='intro'>The harbour at dawn, seen from the lighthouse. © City of Example</div>",
    # Too short to be a standfirst.
    "<p class='lead'>Updated twice.</p>",
])
def test_captions_and_teasers_beside_the_headline_stay_out(markup):
    assert body_of(page(markup))[0].startswith("The council approved the harbour plan")


def test_text_after_an_empty_bold_tag_stays_in_its_sentence():
    # gala.fr: trafilatura's precision mode dropped an empty <strong>'s tail with it.
    sentence = ("<p><strong>Called </strong><strong><em>\"the guru\"</em></strong><strong></strong>"
                "by a party leader in a portrait in <em>Le Parisien</em>, he keeps his ties.</p>")
    paragraphs = body_of(page(story=PARAGRAPH + sentence + PARAGRAPH))
    assert ('Called "the guru"by a party leader in a portrait in Le Parisien, he keeps his ties.'
            in paragraphs)


SENTENCE = ("The council approved the harbour plan on Monday after a long debate, officials "
            "said. ")


def test_a_story_laid_out_in_a_table_is_its_text_not_rows_of_bars():
    # An old page: the story sits in the one wide cell of a layout table, beside spacer cells.
    cells = "".join(f"<tr><td></td><td>{SENTENCE * 3}</td><td>&nbsp;</td></tr>"
                    for _ in range(4))
    spacer = "<tr><td>&nbsp;</td><td></td><td> </td></tr>"
    paragraphs = body_of(page(story=f"<table>{spacer}{cells}</table>"))
    assert paragraphs and all(p.startswith("The council approved") for p in paragraphs)
    assert not any("|" in p for p in paragraphs)


def test_a_data_table_keeps_its_rows():
    rows = "".join(f"<tr><td>Quay {n}</td><td>{n * 120} m</td></tr>" for n in range(1, 4))
    paragraphs = body_of(page(story=PARAGRAPH * 3 + f"<table>{rows}</table>"))
    assert "| Quay 2 | 240 m |" in paragraphs
