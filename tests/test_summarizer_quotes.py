"""A sentence inside a quotation that an earlier sentence opened is direct speech too."""

import pytest

from summarizer import summarize
from summarizer.quotes import inside_quotation


@pytest.mark.parametrize(
    ("language", "sentences", "inside"),
    [
        ("de", ["„Wir müssen handeln.", "Die Lage ist ernst“, sagte sie.", "Der Rat tagt."],
         [False, True, False]),
        ("de", ["»Wir müssen handeln.", "Die Lage ist ernst«, sagte sie.", "Der Rat tagt."],
         [False, True, False]),
        ("fr", ["« Nous devons agir.", "La situation est grave », dit-elle.", "Le conseil siège."],
         [False, True, False]),
        ("nl", ["„We moeten handelen.", "De toestand is ernstig”, zei ze.", "De raad vergadert."],
         [False, True, False]),
        ("en", ['"We must act.', "It is serious.", 'Lives are at risk," she said.', "Then?"],
         [False, True, True, False]),
        ("en", ["“We must act.", "It is serious,” she said.", "Then she left."],
         [False, True, False]),
        # a quotation closed in its own sentence opens nothing for the next one
        ("en", ['"We must act," she said.', "The council meets tomorrow."], [False, False]),
        ("de", ["„Wir handeln“, sagte sie.", "Der Rat tagt morgen."], [False, False]),
        # apostrophes and single quotes are no quotation marks
        ("fr", ["Ce n'est pas l'heure.", "L'État paie la facture."], [False, False]),
        ("en", ["It is 'serious.", "The council meets."], [False, False]),
    ],
)
def test_a_sentence_inside_an_open_quotation_is_marked(language, sentences, inside):
    assert inside_quotation(sentences, language) == inside


def test_a_quotation_ends_with_its_paragraph():
    # each paragraph is read on its own: an unclosed quote does not run into the next one
    assert inside_quotation(['"We must act.'], "en") == [False]


def test_the_middle_of_a_quotation_is_not_summarized_as_a_statement():
    text = (
        "Der Streik im Hafen von Hamburg geht in die zweite Woche.\n\n"
        "„Wir bleiben hart. Der Streik im Hafen geht weiter, bis die Rente sicher ist“, sagte "
        "der Gewerkschafter.\n\n"
        "Der Streik im Hafen trifft auch die Reedereien, sagte ein Sprecher."
    )
    assert summarize(text, "de", 2, title="Streik im Hafen") == [
        "Der Streik im Hafen von Hamburg geht in die zweite Woche.",
        "Der Streik im Hafen trifft auch die Reedereien, sagte ein Sprecher.",
    ]
