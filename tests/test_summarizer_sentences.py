"""Sentence splitting, the sumy-facing tokenizer and document building, each at its own level."""

import itertools
import re

import pytest

from summarizer import split_sentences
from summarizer.document import build_document
from summarizer.sentences import (
    _FAST_MULTI_CHAR_PUNCT,
    _PUNKT_MULTI_CHAR_PUNCT,
    _punkt_tokenizer,
    _unglue,
    split_blocks,
)
from summarizer.tokenizer import Tokenizer
from summarizer.words import _WORD, stemmer_for, stop_words_for, to_words


def test_dutch_abbreviations_dhr_and_oa_do_not_end_sentences():
    text = (
        "De minister, Dhr. Janssens, sprak o.a. over de begroting. "
        "Hij zei dat de regering o.a. meer wil investeren in het onderwijs. "
        "Dhr. Peeters was het daar niet mee eens."
    )
    assert split_sentences(text, "nl") == [
        "De minister, Dhr. Janssens, sprak o.a. over de begroting.",
        "Hij zei dat de regering o.a. meer wil investeren in het onderwijs.",
        "Dhr. Peeters was het daar niet mee eens.",
    ]


@pytest.mark.parametrize(
    ("language", "text", "count"),
    [
        ("en", "Mr. Smith went to Washington on Monday. He met the U.S. president.", 2),
        ("fr", "M. Dupont est arrivé à Paris. Il a rencontré le président, etc. hier.", 2),
        ("de", "Das ist z.B. ein Satz. Und Dr. Müller sagt noch einen.", 2),
    ],
)
def test_abbreviations_in_other_languages(language, text, count):
    assert len(split_sentences(text, language)) == count


def test_heading_is_never_glued_to_the_next_sentence():
    text = (
        "Brand in haven van Antwerpen\n\nDe brandweer was snel ter plaatse. Niemand raakte gewond."
    )
    blocks = split_blocks(text, "nl")
    assert blocks[0].heading
    assert blocks[0].sentences == ("Brand in haven van Antwerpen",)
    assert split_sentences(text, "nl")[1] == "De brandweer was snel ter plaatse."


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("Ils ont déménagé.CACHÉ SOUS UN MASQUE DE HULKDeux ans de cauchemar suivent.",
         "CACHÉ SOUS UN MASQUE DE HULK"),
        ('Ils ont réagi.►SUR LA FORME : "TROP LONG"A gauche, la critique est vive.',
         '►SUR LA FORME : "TROP LONG"'),
        ("Il a parlé.\"TRUMP N'EST PAS UN ABRUTI\"L'élection l'a surpris.",
         "\"TRUMP N'EST PAS UN ABRUTI\""),
    ],
)
def test_a_glued_subheading_in_capitals_is_a_heading_of_its_own(text, heading):
    blocks = split_blocks(text, "fr")
    assert [(b.heading, len(b.sentences)) for b in blocks] == [(False, 1), (True, 1), (False, 1)]
    assert blocks[1].sentences == (heading,)


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ('Elle avait gagné. - Poursuites "inacceptables" -Dans la capitale, la police arrête.',
         '- Poursuites "inacceptables" -'),
        ("Les cours ont cessé.- Quel plan de bataille? -Pékin a fermé ses écoles mercredi.",
         "- Quel plan de bataille?-"),
        ("Les autorités ont parlé.\n\n- Origine inconnue -\n\nLe virus circule toujours.",
         "- Origine inconnue -"),
        ("Le vote est ouvert.- QUI PEUT VOTER ? -► Il faut être inscrit sur les listes.",
         "- QUI PEUT VOTER ?-"),
    ],
)
def test_a_subheading_between_dashes_is_a_heading_of_its_own(text, heading):
    # French agency copy (AFP) sets its subheadings between dashes, glued to both neighbours
    blocks = split_blocks(text, "fr")
    assert [(b.heading, len(b.sentences)) for b in blocks] == [(False, 1), (True, 1), (False, 1)]
    assert blocks[1].sentences == (heading,)


def test_a_dash_inside_a_sentence_is_no_subheading():
    text = "Les chefs des deux parties - qui n'ont rien dit - se sont serré la main. Ils partent."
    assert split_sentences(text, "fr") == [
        "Les chefs des deux parties - qui n'ont rien dit - se sont serré la main.", "Ils partent."]


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("-L'avion a terminé sa course sur une autoroute.",
         "L'avion a terminé sa course sur une autoroute."),
        ('-"Il n\'est pas vrai que l\'islam c\'est le terrorisme", a dit le pape.',
         '"Il n\'est pas vrai que l\'islam c\'est le terrorisme", a dit le pape.'),
        ("-5 degrés sont attendus.", "-5 degrés sont attendus."),
        ("-> Auch sie können das nicht.", "-> Auch sie können das nicht."),
    ],
)
def test_the_dash_a_subheading_leaves_on_a_sentence_goes(text, sentence):
    assert split_sentences(text, "fr") == [sentence]


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ('Il veut une consommation "favorable à leur budget". Des leviers fiscaux envisagés'
         "Autre dispositif évoqué, la TVA baisserait.", "Des leviers fiscaux envisagés"),
        ("Le bilan est lourd. Plainte pour tentative de meurtreLa famille a porté plainte jeudi.",
         "Plainte pour tentative de meurtre"),
    ],
)
def test_a_subheading_glued_by_its_last_word_is_a_heading(text, heading):
    # scraping left a space before the subheading and none after it
    blocks = split_blocks(text, "fr")
    assert [(b.heading, len(b.sentences)) for b in blocks] == [(False, 1), (True, 1), (False, 1)]
    assert blocks[1].sentences == (heading,)


def test_a_sentence_cut_off_before_a_glued_word_is_no_heading():
    text = "Il chante. En effet, sa carrière décollait grâce au drama créé parJoe Hisaishi, dit-il."
    assert not any(block.heading for block in split_blocks(text, "fr"))


def test_list_items_glued_into_a_paragraph_stand_alone_without_their_markers():
    text = ("L'automne s'installe vendredi.• Météo France a placé deux départements en vigilance "
            "orange. • La Corse est placée en vigilance orange.\n\n► Pour voter, il faut être "
            "inscrit.► Les votants signent une charte.")
    assert split_sentences(text, "fr") == [
        "L'automne s'installe vendredi.",
        "Météo France a placé deux départements en vigilance orange.",
        "La Corse est placée en vigilance orange.",
        "Pour voter, il faut être inscrit.",
        "Les votants signent une charte.",
    ]


def test_invisible_spaces_do_not_hide_a_glued_paragraph():
    text = "Il confirme une information du Figaro.\u200b\u200bLe chef de l'Etat ouvre le débat."
    assert split_sentences(text, "fr") == [
        "Il confirme une information du Figaro.", "Le chef de l'Etat ouvre le débat."]


def test_text_of_only_unpunctuated_lines_is_text_not_headings():
    blocks = split_blocks("first line here\n\nsecond line there", "en")
    assert [b.heading for b in blocks] == [False, False]


def test_bullet_list_items_become_sentences_without_markers():
    text = "The plan has three parts:\n- lower taxes\n- more trains\n* cheaper housing"
    assert split_sentences(text, "en") == [
        "The plan has three parts:",
        "lower taxes",
        "more trains",
        "cheaper housing",
    ]


def test_hard_wrapped_paragraph_is_joined():
    text = "The council voted on\nTuesday to close the\nlibrary. Residents protested."
    assert split_sentences(text, "en") == [
        "The council voted on Tuesday to close the library.",
        "Residents protested.",
    ]


def test_quote_spanning_sentences_keeps_the_attribution():
    text = '"We know where to look. We know how to look." she said. The agency agreed.'
    sentences = split_sentences(text, "en")
    assert sentences[-2].endswith('" she said.')
    assert sentences[-1] == "The agency agreed."


def test_scraped_sentences_without_a_space_are_separated():
    text = "He was vilified by the community.Dr Venter has not gained a reputation for modesty."
    assert split_sentences(text, "en") == [
        "He was vilified by the community.",
        "Dr Venter has not gained a reputation for modesty.",
    ]


def test_share_widget_text_is_dropped():
    text = "Share this withEmailFacebookTwitterCopy this linkThe regulator fined the bank."
    assert split_sentences(text, "en") == ["The regulator fined the bank."]


@pytest.mark.parametrize(
    ("language", "text", "count"),
    [
        ("el", "Ο πρωθυπουργός μίλησε σήμερα. Η κυβέρνηση θα αποφασίσει αύριο!", 2),
        ("zh", "今天天气很好。我们去公园吧！你来吗？", 3),
        ("ar", "قال الوزير إن الحكومة ستعمل. وأضاف أن الميزانية جاهزة؟ نعم.", 3),
        (None, "Dr. Smith arrived. Then the meeting began. It ended late.", 3),
        ("xx", "First point made. Second point made.", 2),
    ],
)
def test_other_scripts_and_unknown_languages_split_without_a_model(language, text, count):
    assert len(split_sentences(text, language)) == count


@pytest.mark.parametrize("text", ["", "   \n\n  ", "\n"])
def test_empty_text_has_no_sentences(text):
    assert split_sentences(text, "en") == []


def test_enormous_unpunctuated_text_is_cut_into_readable_pieces():
    text = " ".join(["word"] * 500)
    sentences = split_sentences(text, "en")
    assert len(sentences) > 1
    assert all(len(s.split()) <= 80 for s in sentences)
    assert sum(len(s.split()) for s in sentences) == 500


def test_tokenizer_has_sumys_interface():
    tokenizer = Tokenizer("nl-BE")
    assert tokenizer.language == "nl"
    assert tokenizer.to_sentences("Dhr. Peeters kwam. Hij ging.") == (
        "Dhr. Peeters kwam.",
        "Hij ging.",
    )
    assert tokenizer.to_words("Hij zei: 'nee', toch?") == ("Hij", "zei", "nee", "toch")


def test_words_keep_inner_apostrophes_and_hyphens_and_split_ideographs():
    assert to_words("Louis-Dreyfus didn't go; 今天") == (
        "Louis-Dreyfus",
        "didn't",
        "go",
        "今",
        "天",
    )



@pytest.mark.parametrize("sentence", [
    "Zürich’s co-op — l’évaluation «test», 3,5 % ... (AP)",
    "snake_case __init__ x-_y _lead trail_",
    "word- -word 'quoted' don't rock'n'roll x’’y a''b",
    "Stra\u00dfe caf\u0065\u0301 \u00bd ²³ ٣٤ ١٢",
    "日本語のテキスト abc'日本 x’y 今天 Louis-Dreyfus",
    "tab\tnew\nline\x1cseparators\u00a0nbsp\u2009thin",
    "",
])
def test_words_are_the_full_patterns_words_on_any_script(sentence):
    # to_words skips the regex for plain tokens; it must find exactly what the pattern finds.
    assert to_words(sentence) == tuple(_WORD.findall(sentence))

def test_document_keeps_headings_out_of_the_sentences():
    document = build_document(
        "Title line\n\nOne sentence here. Two sentences here.", Tokenizer("en")
    )
    assert [str(h) for h in document.headings] == ["Title line"]
    assert [str(s) for s in document.sentences] == ["One sentence here.", "Two sentences here."]


@pytest.mark.parametrize("language", ["en", "nl", "fr", "de"])
def test_each_supported_language_has_stop_words_and_a_stemmer(language):
    assert len(stop_words_for(language)) > 50
    assert stemmer_for(language)("Regeringen") != ""


@pytest.mark.parametrize("language", ["el", "xx", None])
def test_missing_stemmers_degrade_to_lower_case(language):
    assert stemmer_for(language)("Κυβέρνηση") in {"κυβέρνηση", "κυβερνησ"}


def test_a_table_cell_bar_is_not_glued_to_the_sentence_before_it():
    # "…Bioenergie.|" would read as a breadcrumb ("| … |") and be dropped as furniture
    sentences = split_sentences("| Bayern fordert höhere Erlösobergrenzen für Bioenergie. |", "de")
    assert sentences[0] == "| Bayern fordert höhere Erlösobergrenzen für Bioenergie."


class _CountingText(str):
    """A text that counts how often a character of it is looked at."""

    reads = 0

    def __getitem__(self, key):
        _CountingText.reads += 1
        return str.__getitem__(self, key)


def test_unbroken_glued_words_are_each_read_a_bounded_number_of_times():
    # Text without spaces ("wordAbcwordAbc…", 14 KB) has a glue candidate at every capital;
    # judging one read the whole run of letters back to the text's start (quadratic).
    text = _CountingText("wordAbc" * 2000)
    _CountingText.reads = 0
    unglued = _unglue(text)
    # Only the first is glue: every later capital follows a word with a capital inside.
    assert unglued.split("\n\n") == ["word", text[4:]]
    assert _CountingText.reads < 20 * len(text)  # was 14 million reads (quadratic)


def test_the_faster_ellipsis_pattern_matches_what_punkts_own_does():
    # The same spans, alone and followed by what punkt's word regex puts after it.
    for suffix in ("", r"(?=\s)", r"\.", r"(?:\s\.)", "$"):
        own = re.compile(_PUNKT_MULTI_CHAR_PUNCT + suffix)
        fast = re.compile(_FAST_MULTI_CHAR_PUNCT + suffix)
        for size in range(1, 7):
            for chars in itertools.product(".- \na", repeat=size):
                text = "".join(chars)
                assert ([m.span() for m in own.finditer(text)]
                        == [m.span() for m in fast.finditer(text)]), (suffix, text)
    assert _punkt_tokenizer("english").rules.multi_char_punct_pattern == _FAST_MULTI_CHAR_PUNCT
