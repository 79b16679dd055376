"""False sentence breaks after a full stop in news text: abbreviations, ordinals, dates.

punkt's bundled models learned their abbreviations from corpora that lack many of the ones news
uses ("Pr. Raoult", "Mevr. Janssens", "GmbH & Co. KG", "Az. 2 BvR", "art. 49.3", "14 okt."), and
it takes a German ordinal ("seinen 14. Titel", "ins 19. Jahrhundert") for the end of a sentence.
Rather than retrain punkt, the splitter asks `joins(before, after, language)` about each break
it made after a full stop, and puts the two pieces back together when the break is false.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Abbreviations (lower case, without their full stop) after which a news sentence goes on, per
# language: titles before a name, and the short forms that are never the last word of a sentence.
_ALWAYS: dict[str, frozenset[str]] = {
    "en": _words("mr mrs ms dr prof gov sen rep gen lt col sgt capt cmdr adm rev hon supt insp "
                 "det cpl maj brig approx est mt ft"),
    "nl": _words("dhr mevr mw mr dr prof ir ing drs ds ca bijv resp incl excl vnl plm zgn "
                 "afd sr jr st mgr"),
    "fr": _words("m mm mme mmes mlle mlles pr dr me mgr st ste av bd cf env ca"),
    "de": _words("hr fr dr prof dipl ing bzw ca vgl ggf evtl inkl zzgl exkl geb gest jh jhd "
                 "mio mrd sog ehem stv bspw insb st gebr univ"),
}
_ANY_ALWAYS = frozenset().union(*_ALWAYS.values())


def is_title_abbreviation(word: str) -> bool:
    """Tell whether a word (without its full stop) is an abbreviation that never ends a
    sentence in any of the four languages: "Mr", "Dr", "St" ("St.Gallen", "Mr.Smith")."""
    return word.lower() in _ANY_ALWAYS


# Abbreviations that go on before a number only: "art. 49.3", "Az. 2 BvR 1/20", "Nr. 5".
_BEFORE_NUMBER: dict[str, frozenset[str]] = {
    "en": _words("no nos vol fig p pp art sec ch"),
    "nl": _words("nr art blz p pp fig hfst"),
    "fr": _words("art p pp no vol fig chap al"),
    # German weekdays before a date: "am Mi. 5. Februar" ("So." is also the word "so")
    "de": _words("nr az abs art bd kap s tel ziff mo di mi do fr sa"),
}
# Month abbreviations: in a date they go on before a year, a day or a lower-case word.
_MONTHS: dict[str, frozenset[str]] = {
    "en": _words("jan feb mar apr jun jul aug sep sept oct nov dec"),
    "nl": _words("jan feb mrt apr jun jul aug sep sept okt nov dec"),
    "fr": _words("janv févr fév avr juil sept oct nov déc"),
    "de": _words("jan feb febr mär apr jun jul aug sep sept okt nov dez"),
}
# Company suffixes after "Co.": "GmbH & Co. KG" is one name.
_AFTER_CO = ("KG", "OHG", "Ltd", "LLC", "Inc", "AG", "oHG")
# German ordinals ("am 3. Oktober", "seinen 14. Titel", "ins 19. Jahrhundert"): a number with a
# full stop is an ordinal when an article, a preposition or a possessive comes before it ...
_ORDINAL_BEFORE = _words(
    "am im zum vom beim ins ans aufs zur der die das den dem des ein eine einen einem einer "
    "sein seine seinen seinem seiner seines ihr ihre ihren ihrem ihrer ihres unser unsere "
    "unseren unserem unserer dieses diesen diesem dieser jeden jedem jeder"
)
# ... or when a month or one of the nouns ordinals count comes after it.
_ORDINAL_AFTER = _words(
    "Januar Jänner Februar März April Mai Juni Juli August September Oktober November Dezember "
    "Jan Feb Mär Apr Jun Jul Aug Sep Sept Okt Nov Dez Jahrhundert Jahrhunderts Jahrtausend "
    "Jahrestag Geburtstag Todestag Platz Platzes Rang Mal Runde Spieltag Spieltags Minute "
    "Etappe Etage Stock Klasse Liga Stelle Lebensjahr Lebensjahres Jahrgang Auflage Ausgabe "
    "Sitzung Woche Kalenderwoche Tag Bundesliga Amtszeit Legislaturperiode Folge Staffel "
    "Weltkrieg Weltkriegs Weltkrieges Parteitag Mannschaft Saison Titel Sieg Tor Treffer"
)
# A range of ordinals counts as one: "am 9./10. Februar", "vom 1.-3. Mai".
_ORDINAL = re.compile(r"(?:^|\s)(?:(\S+)\s+)?\d{1,3}\.(?:[/–-]\d{1,3}\.)?$")


def _last_token(text: str) -> str:
    """The last whitespace-separated token of a text, without its full stop and brackets."""
    token = text.rsplit(None, 1)[-1].rstrip(".")
    # French and Italian elision: "l'art." is "art."
    token = token.rpartition("'")[2].rpartition("’")[2]
    return token.lstrip("([\"„“«")


def _first_word(text: str) -> str:
    """The first word of a text, without the punctuation that may follow it."""
    return text.split(None, 1)[0].rstrip(".,;:!?)\"'»“”")


def joins(before: str, after: str, code: str | None) -> bool:
    """Tell whether a break after `before` (ending in a full stop) before `after` is false;
    `code` is an ISO 639-1 code as `normalize_language` returns it."""
    if not before.endswith(".") or not after or before.endswith(".."):
        return False
    first = after[0]
    if first.islower():
        return True  # no sentence of these languages starts in lower case ("14 okt. in Gent")
    token = _last_token(before)
    lower = token.lower()
    if lower in _ALWAYS.get(code, ()):
        return True
    starts_with_number = first.isdigit()
    if starts_with_number and lower in _BEFORE_NUMBER.get(code, ()):
        return True
    if lower in _MONTHS.get(code, ()) and starts_with_number:
        return True
    if lower == "co" and _first_word(after) in _AFTER_CO:
        return True
    if code == "de" and starts_with_number and lower.endswith("str"):
        return True  # a street: "Hauptstr. 5"
    if code == "de" and len(before) > 1 and before[-2].isdigit():
        return _german_ordinal(before, after)
    return False


def _german_ordinal(before: str, after: str) -> bool:
    """Tell whether `before` ends in a German ordinal that `after` goes on from."""
    match = _ORDINAL.search(before[-40:])
    if not match:
        return False
    word = match.group(1)
    if word and word.lower() in _ORDINAL_BEFORE:
        return True
    return _first_word(after) in _ORDINAL_AFTER or after[0].isdigit()
