"""Language codes: normalization of what files and users write, and offline detection."""

import pytest

from summarizer import SUPPORTED_LANGUAGES, detect_language, normalize_language
from summarizer.language import language_name


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", "en"),
        ("EN", "en"),
        ("en_BE", "en"),
        ("en-GB", "en"),
        ("nl-BE", "nl"),
        ("nl_NL.UTF-8", "nl"),
        ("Dutch", "nl"),
        ("dutch", "nl"),
        ("Nederlands", "nl"),
        ("Vlaams", "nl"),
        ("nld", "nl"),
        ("fr-FR", "fr"),
        ("fr_BE", "fr"),
        ("French", "fr"),
        ("Français", "fr"),
        ("fre", "fr"),
        ("Deutsch", "de"),
        ("german", "de"),
        ("de", "de"),
        ("de-AT", "de"),
        ("ger", "de"),
        ("  es  ", "es"),
        ("el", "el"),
        ("no", "nb"),
    ],
)
def test_normalize_language_accepts_codes_locales_and_names(code, expected):
    assert normalize_language(code) == expected


@pytest.mark.parametrize("code", [None, "", "   ", "xx", "zz-top", "klingon", "123", "e", "-"])
def test_normalize_language_returns_none_for_garbage(code):
    assert normalize_language(code) is None


@pytest.mark.parametrize(
    ("code", "name"), [("en", "english"), ("nl-BE", "dutch"), ("Deutsch", "german"), ("xx", None)]
)
def test_language_name_is_the_tool_facing_name(code, name):
    assert language_name(code) == name


def test_supported_languages_cover_the_four_newsroom_languages():
    assert {"en", "nl", "fr", "de"} <= SUPPORTED_LANGUAGES


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The minister said on Monday that the government will not change the law this year.",
            "en",
        ),
        ("De minister zei maandag dat de regering de wet dit jaar niet zal veranderen.", "nl"),
        ("Le ministre a dit lundi que le gouvernement ne changera pas la loi cette année.", "fr"),
        ("Der Minister sagte am Montag, dass die Regierung das Gesetz nicht ändern wird.", "de"),
        ("El ministro dijo el lunes que el gobierno no cambiará la ley este año.", "es"),
        ("O ministro disse na segunda-feira que o governo não vai mudar a lei do trabalho.", "pt"),
        # Polish shares "na", "do", "o" with Portuguese: it was taken for Portuguese.
        ("Minister powiedział w poniedziałek, że rząd nie zmieni ustawy, która jest na "
         "razie dla przedsiębiorców korzystna, ale może się to zmienić.", "pl"),
        ("Ο υπουργός δήλωσε τη Δευτέρα ότι η κυβέρνηση δεν θα αλλάξει τον νόμο.", "el"),
        ("部长周一表示，政府今年不会修改这项法律。", "zh"),
    ],
)
def test_detect_language_recognises_news_sentences(text, expected):
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "12345 678", "Antwerpen", "OK"])
def test_detect_language_is_none_when_unsure(text):
    assert detect_language(text) is None
