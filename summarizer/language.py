"""Language codes: normalize what files and users write, and guess a language offline.

Everything here speaks ISO 639-1 (`en`, `nl`, ...). Tokenizers, stemmers and stop-word lists
want English language names (`dutch`); `language_name` bridges the two.
"""

from __future__ import annotations

import re
from collections import Counter

# ISO 639-1 code -> names people write for it (English name first: the tool-facing name).
_NAMES: dict[str, tuple[str, ...]] = {
    "ar": ("arabic", "العربية"),
    "bg": ("bulgarian", "български"),
    "ca": ("catalan", "català"),
    "cs": ("czech", "čeština", "cestina"),
    "da": ("danish", "dansk"),
    "de": ("german", "deutsch"),
    "el": ("greek", "ελληνικά"),
    "en": ("english",),
    "es": ("spanish", "español", "espanol", "castellano"),
    "et": ("estonian", "eesti"),
    "fa": ("persian", "farsi", "فارسی"),
    "fi": ("finnish", "suomi"),
    "fr": ("french", "français", "francais"),
    "he": ("hebrew", "עברית"),
    "hi": ("hindi", "हिन्दी"),
    "hu": ("hungarian", "magyar"),
    "id": ("indonesian", "bahasa indonesia"),
    "it": ("italian", "italiano"),
    "ja": ("japanese", "日本語"),
    "ko": ("korean", "한국어"),
    "lb": ("luxembourgish", "lëtzebuergesch"),
    "ms": ("malay", "malaysian", "bahasa melayu"),
    "nb": ("norwegian", "norsk", "bokmål", "bokmal"),
    "nl": ("dutch", "nederlands", "flemish", "vlaams"),
    "pl": ("polish", "polski"),
    "pt": ("portuguese", "português", "portugues"),
    "ro": ("romanian", "română", "romana"),
    "ru": ("russian", "русский"),
    "sk": ("slovak", "slovenčina", "slovencina"),
    "sl": ("slovene", "slovenian", "slovenščina"),
    "sv": ("swedish", "svenska"),
    "tr": ("turkish", "türkçe", "turkce"),
    "uk": ("ukrainian", "українська"),
    "vi": ("vietnamese", "tiếng việt"),
    "zh": ("chinese", "中文"),
}

# Codes that mean the same language as one above (ISO 639-2/B and /T, and old Norwegian).
_ALIASES: dict[str, str] = {
    "eng": "en", "nld": "nl", "dut": "nl", "fra": "fr", "fre": "fr", "deu": "de", "ger": "de",
    "spa": "es", "ita": "it", "por": "pt", "swe": "sv", "dan": "da", "fin": "fi", "pol": "pl",
    "rus": "ru", "ell": "el", "gre": "el", "tur": "tr", "ces": "cs", "cze": "cs", "zho": "zh",
    "chi": "zh", "jpn": "ja", "kor": "ko", "ara": "ar", "heb": "he", "ukr": "uk", "no": "nb",
    "nn": "nb", "nob": "nb", "nor": "nb", "ltz": "lb", "iw": "he", "in": "id",
}  # fmt: skip

_BY_NAME: dict[str, str] = {name: code for code, names in _NAMES.items() for name in names}

# The four languages the summarizer is built and tested for: punkt sentence model with
# abbreviation prefixes, a Snowball stemmer and a stop-word list each.
SUPPORTED_LANGUAGES: frozenset[str] = frozenset({"en", "nl", "fr", "de"})

_SEPARATORS = re.compile(r"[-_.@\s]+")


def normalize_language(code: str | None) -> str | None:
    """Return the ISO 639-1 code for a code, locale or language name, or None if unknown."""
    if not code or not isinstance(code, str):
        return None
    text = code.strip().casefold()
    if text in _BY_NAME:
        return _BY_NAME[text]
    # Locales and tags: `en_BE`, `nl-BE`, `fr-FR.UTF-8`, `de@euro`: the language comes first.
    primary = _SEPARATORS.split(text, maxsplit=1)[0]
    if primary in _NAMES:
        return primary
    if primary in _ALIASES:
        return _ALIASES[primary]
    return _BY_NAME.get(primary)


def language_name(code: str | None) -> str | None:
    """Return the English name tools use for an ISO 639-1 code (`nl` -> `dutch`), or None."""
    normalized = normalize_language(code)
    return _NAMES[normalized][0] if normalized else None


def _word_set(words: str) -> frozenset[str]:
    """Return the space-separated words as a set."""
    return frozenset(words.split())


# Very frequent function words that are rare in the other candidate languages; an
# overlap count over these is a good-enough guess for news text of a sentence or more.
_MARKERS: dict[str, frozenset[str]] = {
    "en": _word_set(
        "the of and to is was for that with on are be by this have from has were which "
        "it not but at they their said will would"
    ),
    "nl": _word_set(
        "het een van is dat op te zijn voor niet met ook aan bij wordt werd naar "
        "heeft hebben maar nog door dit deze zei"
    ),
    "fr": _word_set(
        "le la les des et est une du que pour dans qui sur pas par au avec sont été ce "
        "cette mais ont il elle aux"
    ),
    "de": _word_set(
        "der die das und ist nicht mit den dem ein eine sich auf für von zu im wird wurde "
        "auch sind hat haben bei nach"
    ),
    "es": _word_set(
        "el la los las del y es una que por para con se su al como más pero fue este esta"
    ),
    "it": _word_set(
        "il lo la gli le di che è una per con non sono del della nel alla anche come "
        "ma questo stato"
    ),
    "pt": _word_set(
        "o os as do da dos das que não uma para com em um se por mais foi como ao pelo pela"
    ),
    # Without these, Polish ("na", "do", "o", "a") was taken for Portuguese.
    "pl": _word_set(
        "się nie że jest są był była było oraz który która które dla przez jak ale także jego "
        "jej już może można też tylko"
    ),
}

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

# The accented Latin letters each marker language writes (beyond a-z). Czech, Slovak, Croatian,
# Finnish and Norwegian share short words with these languages ("o", "a", "se", "do", "en")
# and were taken for Portuguese or English; their letters (ř ů ľ č ä ø å) tell them apart.
_ALPHABETS: dict[str, frozenset[str]] = {
    "en": frozenset(),
    "nl": frozenset("áäàçéèëíïóöúü"),
    "fr": frozenset("àâäçéèêëîïôöùûüÿœæ"),
    "de": frozenset("äöüßé"),
    "es": frozenset("áéíñóúü"),
    "it": frozenset("àèéìíîòóùú"),
    "pt": frozenset("áâãàçéêíóôõúü"),
    "pl": frozenset("ąćęłńóśźż"),
}
# Accented Latin letters (Latin-1 Supplement to Latin Extended-B, Latin Extended Additional).
_ACCENTED = "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_ACCENTED_LATIN = re.compile(f"[{_ACCENTED}]")
# News names a foreign person or place now and then ("Dvořák", "Erdoğan": under 0.7 % of the
# letters of the 500 benchmark pages); a language of its own writes its letters far more often
# (1.5-4 % of Croatian, Czech, Finnish, Slovak). A short text may hold one such name: its
# share is taken of at least 300 letters.
_MAX_FOREIGN_LETTERS = 0.01
_MIN_LETTERS_FOR_SHARE = 300

# Scripts that settle the language on their own (ranges are the Unicode blocks).
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("el", re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
)

# Cyrillic is written by several languages; the letters only one of them uses tell them apart:
# Russian ы э ё, Ukrainian і ї є ґ; Bulgarian has neither but writes ъ as a vowel (2-3 % of its
# letters, a few in 10,000 of Russian). Serbian and Macedonian (ј љ њ ћ ђ џ ѓ ќ ѕ) and
# Belarusian (ў) are languages newsbot does not name: a text with their letters is unsure.
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_CYRILLIC_MARKS = {"ru": "ыэё", "uk": "іїєґ"}
# A character of any script above: without one, no script's share can settle the language.
_ANY_SCRIPT = re.compile(
    "[" + "".join(p.pattern[1:-1] for p in (*(p for _, p in _SCRIPTS), _CYRILLIC)) + "]")
_CYRILLIC_LANGUAGES = frozenset({*_CYRILLIC_MARKS, "bg"})
_OTHER_CYRILLIC = "јљњћђџѓќѕў"
_BULGARIAN_HARD_SIGN_MIN = 0.01

# Languages written in another script than Latin; every other language of _NAMES writes Latin.
_NON_LATIN_LANGUAGES = (frozenset(code for code, _ in _SCRIPTS) | _CYRILLIC_LANGUAGES
                        | {"ar", "fa", "hi"})
_LATIN = "A-Za-z" + _ACCENTED
# Runs, not single letters: fewer matches to build (script_fits runs on every article).
_LATIN_RUN = re.compile(f"[{_LATIN}]+")
_OTHER_LETTER_RUN = re.compile(f"[^\\W\\d_{_LATIN}]+")
# A text is in Latin script when most of its letters are Latin, in another when few are; news
# quotes a foreign name or phrase, so between the two it is not told. On the 798 articles of
# ../shared (pages, feeds, samples) every share was below 0.3 or above 0.7.
_LATIN_SCRIPT_MIN, _OTHER_SCRIPT_MAX = 0.7, 0.3
_MIN_SCRIPT_LETTERS = 20

_MIN_MARKERS = 2  # fewer hits than this is noise, not evidence
# What `detect_language` can tell apart: a declared language outside these it cannot judge.
DETECTABLE_LANGUAGES = (frozenset(_MARKERS) | {code for code, _ in _SCRIPTS}
                        | _CYRILLIC_LANGUAGES)


def detect_language(text: str) -> str | None:
    """Guess the ISO 639-1 language of `text` from function words or script; None if unsure."""
    if not text or not text.strip():
        return None
    sample = text[:5000]  # the opening is plenty and keeps this cheap on long files
    # Letters are counted only when a check needs them: a script's share (none without one of
    # its characters) or foreign letters (none in most news). Counting them and scanning for
    # six scripts was a third of this function's time on Latin text.
    letters = -1
    if _ANY_SCRIPT.search(sample):
        letters = sum(map(str.isalpha, sample))  # map, not a generator: 5x faster per character
        for code, pattern in _SCRIPTS:
            # Japanese text also holds Han characters, so kana are checked before Han.
            if letters and len(pattern.findall(sample)) >= 0.3 * letters:
                return code
        cyrillic = _CYRILLIC.findall(sample)
        if letters and len(cyrillic) >= 0.3 * letters:
            return _cyrillic_language(Counter(map(str.lower, cyrillic)))
    words = Counter(map(str.casefold, _WORD.findall(sample)))
    scores = sorted(
        ((sum(words[w] for w in markers), code) for code, markers in _MARKERS.items()),
        reverse=True,
    )
    (best, code), (second, _) = scores[0], scores[1]
    # Ask for a clear winner: closely related languages share many short words.
    if best < _MIN_MARKERS or best < 1.5 * second:
        return None
    foreign = _foreign_letters(sample, code)
    if foreign:  # none cannot be too many
        if letters < 0:
            letters = sum(map(str.isalpha, sample))
        if foreign > _MAX_FOREIGN_LETTERS * max(letters, _MIN_LETTERS_FOR_SHARE):
            return None  # another language that shares the winner's short words
    return code


def _cyrillic_language(letters: Counter[str]) -> str | None:
    """Russian, Ukrainian or Bulgarian from the Cyrillic letters of a text; None if unsure."""
    if any(letters[letter] for letter in _OTHER_CYRILLIC):
        return None
    russian, ukrainian = (sum(letters[letter] for letter in _CYRILLIC_MARKS[code])
                          for code in ("ru", "uk"))
    # A quoted name of the other language is allowed: "Київ" in a Russian report.
    if russian and ukrainian * 3 <= russian:
        return "ru"
    if ukrainian and russian * 3 <= ukrainian:
        return "uk"
    if not (russian or ukrainian) and letters["ъ"] >= _BULGARIAN_HARD_SIGN_MIN * letters.total():
        return "bg"
    return None


def script_fits(text: str, code: str) -> bool:
    """Tell whether `text` is written in the script of language `code` (True when unsure)."""
    sample = text[:600]  # a story's opening shows its script
    other = sum(map(len, _OTHER_LETTER_RUN.findall(sample)))
    if not other and code not in _NON_LATIN_LANGUAGES:
        return True  # the common case, told by one scan that finds nothing
    latin = sum(map(len, _LATIN_RUN.findall(sample)))
    letters = latin + other
    if letters < _MIN_SCRIPT_LETTERS:
        return True
    latin /= letters
    if code in _NON_LATIN_LANGUAGES:
        return latin < _LATIN_SCRIPT_MIN
    return latin > _OTHER_SCRIPT_MAX


def _foreign_letters(sample: str, code: str) -> int:
    """How many accented Latin letters of the sample the language's own alphabet lacks."""
    alphabet = _ALPHABETS[code]
    return sum(1 for letter in _ACCENTED_LATIN.findall(sample.casefold()) if letter not in alphabet)
