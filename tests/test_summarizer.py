"""summarize(): languages, algorithms, and odd text that must never make it fail."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer import ALGORITHMS, split_sentences, summarize

NEWS = {
    "en": (
        "Antwerp port strike halts container traffic",
        "Dock workers in Antwerp walked out on Monday, halting container traffic at Europe's "
        "second-largest port. The strike was called by the two largest unions after talks on "
        "pensions broke down late on Sunday. Shipping companies said dozens of vessels were "
        "waiting at anchor in the Scheldt estuary.\n\n"
        "Port officials estimated the cost of the stoppage at several million euros a day. "
        "The unions said the strike would last at least 48 hours. "
        "The government called both sides to new talks on Wednesday. "
        "Truck drivers queued for kilometres outside the terminals.",
    ),
    "nl": (
        "Staking legt containerverkeer in Antwerpse haven plat",
        "De havenarbeiders in Antwerpen hebben maandag het werk neergelegd, waardoor het "
        "containerverkeer in de op één na grootste haven van Europa stilligt. De staking werd "
        "uitgeroepen door de twee grootste vakbonden nadat het overleg over de pensioenen "
        "zondagavond was mislukt. Rederijen zeggen dat tientallen schepen voor anker liggen in "
        "de Westerschelde.\n\n"
        "Volgens het havenbedrijf kost de staking enkele miljoenen euro per dag. "
        "Dhr. Peeters van de vakbond zei dat de actie o.a. tegen de pensioenhervorming gericht is. "
        "De regering roept beide partijen woensdag op tot nieuw overleg. "
        "Vrachtwagens stonden kilometers aan te schuiven aan de terminals.",
    ),
    "fr": (
        "Une grève paralyse le trafic de conteneurs au port d'Anvers",
        "Les dockers d'Anvers ont cessé le travail lundi, paralysant le trafic de conteneurs dans "
        "le deuxième port d'Europe. La grève a été lancée par les deux principaux syndicats après "
        "l'échec des négociations sur les pensions dimanche soir. Les armateurs affirment que des "
        "dizaines de navires attendent au mouillage dans l'estuaire de l'Escaut.\n\n"
        "Selon l'autorité portuaire, l'arrêt de travail coûte plusieurs millions d'euros par jour. "
        "Les syndicats ont indiqué que la grève durerait au moins 48 heures. "
        "Le gouvernement a convoqué les deux parties à de nouvelles discussions mercredi. "
        "Les camions faisaient la file sur des kilomètres devant les terminaux.",
    ),
    "de": (
        "Streik legt Containerverkehr im Hafen Antwerpen lahm",
        "Die Hafenarbeiter in Antwerpen haben am Montag die Arbeit niedergelegt und damit den "
        "Containerverkehr im zweitgrößten Hafen Europas lahmgelegt. Der Streik wurde von den "
        "beiden größten Gewerkschaften ausgerufen, nachdem die Verhandlungen über die Renten am "
        "Sonntagabend gescheitert waren. Reedereien berichten, dass Dutzende Schiffe in der "
        "Scheldemündung vor Anker liegen.\n\n"
        "Nach Angaben der Hafenbehörde kostet der Stillstand mehrere Millionen Euro pro Tag. "
        "Die Gewerkschaften erklärten, der Streik werde mindestens 48 Stunden dauern. "
        "Die Regierung hat beide Seiten für Mittwoch zu neuen Gesprächen eingeladen. "
        "Lastwagen stauten sich kilometerweit vor den Terminals.",
    ),
}


def _is_in_order(summary: list[str], sentences: list[str]) -> bool:
    """Tell whether every summary sentence is a sentence of the text, in text order."""
    positions = [sentences.index(s) for s in summary]
    return positions == sorted(positions) and len(set(positions)) == len(positions)


@pytest.mark.parametrize("language", ["en", "nl", "fr", "de"])
def test_summarizes_news_in_each_supported_language(language):
    title, body = NEWS[language]
    summary = summarize(body, language=language, sentences=3, title=title)
    assert len(summary) == 3
    assert _is_in_order(summary, split_sentences(body, language))
    # The first sentence states the news; the lead-weighted method keeps it.
    assert summary[0] == split_sentences(body, language)[0]


def test_dutch_summary_keeps_abbreviations_inside_their_sentence():
    title, body = NEWS["nl"]
    sentences = split_sentences(body, "nl")
    assert any(s.startswith("Dhr. Peeters van de vakbond") for s in sentences)
    assert all(s not in {"Dhr.", "o.a."} for s in summarize(body, "nl", sentences=8))


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_each_algorithm_is_selectable_and_returns_sentences_in_order(algorithm):
    title, body = NEWS["en"]
    summary = summarize(body, "en", sentences=2, title=title, algorithm=algorithm)
    assert len(summary) == 2
    assert _is_in_order(summary, split_sentences(body, "en"))


def test_algorithm_names_are_case_insensitive():
    assert summarize(NEWS["en"][1], algorithm="LexRank", sentences=1)


def test_unknown_algorithm_is_a_clear_value_error():
    with pytest.raises(ValueError, match="unknown summarization algorithm 'bert'.*lexrank"):
        summarize(NEWS["en"][1], algorithm="bert")


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t\n"])
def test_empty_text_gives_an_empty_summary(text):
    assert summarize(text) == []


@pytest.mark.parametrize("count", [0, -1])
def test_asking_for_no_sentences_gives_none(count):
    assert summarize(NEWS["en"][1], sentences=count) == []


def test_one_sentence_is_its_own_summary():
    assert summarize("The port reopened on Friday.") == ["The port reopened on Friday."]


def test_text_shorter_than_asked_comes_back_whole():
    text = "The port reopened on Friday. Ships queued to enter."
    assert summarize(text, sentences=5) == [
        "The port reopened on Friday.",
        "Ships queued to enter.",
    ]


def test_headings_are_not_summary_sentences():
    text = (
        "Port news\n\nThe port reopened on Friday. Ships queued to enter.\n\nMore later\n\n"
        "All done."
    )
    summary = summarize(text, sentences=2)
    assert "Port news" not in summary and all("Port news" not in s for s in summary)


def test_byline_and_timestamp_furniture_is_skipped():
    text = (
        "By . Daily Mail Reporter . PUBLISHED: 12:01 EST, 3 May 2013 . "
        "A lorry carrying live chickens overturned on the M25 on Friday, closing two lanes. "
        "Police said nobody was injured in the crash near junction 10. "
        "Most of the birds were recovered by the RSPCA within hours."
    )
    summary = summarize(text, sentences=2)
    assert len(summary) == 2
    assert not any("Reporter" in s or "PUBLISHED" in s for s in summary)


def test_long_text_is_summarized_without_blowing_up():
    body = " ".join(
        f"Sentence number {i} reports on topic {i % 17} in the city council meeting."
        for i in range(2000)
    )
    for algorithm in ("default", "lead", "kl"):
        summary = summarize(body, sentences=3, algorithm=algorithm)
        assert len(summary) == 3


@pytest.mark.parametrize("separator", ["\n\n", " "])
def test_a_report_megabytes_long_is_summarized_from_its_opening(separator):
    # Only the first 400 sentences compete, so the text past them need not be split at all.
    opening = separator.join(
        f"Finding {i} of the audit concerns contract {i % 23} of the water board."
        for i in range(450))
    annex = separator.join(f"Table row {i} lists cost item {i} in euro." for i in range(60_000))
    assert len(annex) > 2_000_000
    for count in (3, 400):  # 400: every sentence that competes is still there
        summary = summarize(f"{opening}{separator}{annex}", "en", count)
        assert summary == summarize(opening, "en", count)
        assert len(summary) == count


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("el", "Ο πρωθυπουργός μίλησε σήμερα στη Βουλή. Η κυβέρνηση θα αποφασίσει αύριο. "
               "Η αντιπολίτευση ζήτησε εκλογές. Οι αγορές αντέδρασαν θετικά."),
        ("zh", "今天市政府宣布新的交通计划。地铁将延长运营时间。"
               "市民对此表示欢迎。专家认为效果有待观察。"),
        ("ar", "قال الوزير إن الحكومة ستعمل على خفض الضرائب. وأضاف أن الميزانية جاهزة. "
               "وانتقدت المعارضة الخطة. ومن المتوقع التصويت الأسبوع المقبل."),
        (None, "Ο πρωθυπουργός μίλησε σήμερα. Η κυβέρνηση θα αποφασίσει αύριο. Τέλος."),
        ("xx", "Just some words. More words follow here. And a final line."),
    ],
)  # fmt: skip
@pytest.mark.parametrize("algorithm", ["default", "lexrank", "lsa", "sumbasic"])
def test_unsupported_scripts_degrade_gracefully(language, text, algorithm):
    summary = summarize(text, language=language, sentences=2, algorithm=algorithm)
    assert len(summary) == 2
    assert _is_in_order(summary, split_sentences(text, language))


def test_text_without_punctuation_still_gets_a_summary():
    text = " ".join(f"the council talked about item {i} and then moved on" for i in range(40))
    summary = summarize(text, sentences=2)
    assert 1 <= len(summary) <= 2
    assert all(s in text for s in summary)


def test_bullet_list_is_summarized_item_by_item():
    text = (
        "The council approved the budget on Tuesday.\n\n"
        "Main measures:\n"
        "- free buses for pupils\n"
        "- a new swimming pool in the north of the city\n"
        "- lower parking fees in the centre\n"
        "- two extra police officers for the night shift"
    )
    summary = summarize(text, sentences=3)
    assert len(summary) == 3
    assert not any(s.startswith("- ") for s in summary)


def test_quotes_spanning_sentences_are_handled():
    text = (
        '"We will not give in. We will strike until the pension plan is withdrawn," union leader '
        'Marc Peeters said on Monday. "The workers are angry." The employers said they regretted '
        "the strike. Talks resume on Wednesday."
    )
    summary = summarize(text, sentences=2)
    assert len(summary) == 2
    assert _is_in_order(summary, split_sentences(text, "en"))


def test_missing_language_is_detected():
    title, body = NEWS["nl"]
    assert summarize(body, language=None, sentences=2) == summarize(body, "nl", sentences=2)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400),
    count=st.integers(min_value=0, max_value=5),
    algorithm=st.sampled_from(["default", "lead", "textrank", "luhn"]),
)
def test_never_more_than_asked_and_never_raises(text, count, algorithm):
    summary = summarize(text, sentences=count, algorithm=algorithm)
    assert len(summary) <= max(count, 0)
    assert _is_in_order(summary, split_sentences(text, "en"))
