"""Furniture check: does a summary of the German, Dutch or French sample pages hold furniture?

    .venv/bin/python bench/furniture.py [--languages de,nl] [--sentences 5] [--quick] [--no-write]

Every file of ../shared/articles and ../shared/realworld/html-benchmark/pages is read as ingest
reads it (`storage.readers.read_file`), and given its language and summary exactly as ingest
stores them (`bot.ingest.prepare`: a template's `lang` overruled by the text, 5 sentences).
A chosen sentence is reported when
- it contains a snippet that the html-benchmark's expected.json lists as NOT main text for that
  page (navigation, footers, comments, related links: annotated by people, not by us), or
- it matches this script's own broad list of furniture cues (cookie and login notices,
  newsletters, credits, "read also" boxes, share and video widgets, time stamps, TV listings),
  written independently of the summarizer's rules and wider than them, so it can catch what
  they miss (each hit then needs a look: a cue can occur in news too).
The goal is zero. Figures go to bench/results/furniture.md (appended, newest last).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import append_results, missing_data, shared_dir  # noqa: E402
from bot.ingest import prepare  # noqa: E402
from storage.readers import read_file  # noqa: E402
from summarizer import normalize_language  # noqa: E402

QUICK_FILES = 40
# Shorter "not main text" snippets ("Wohnen", "Projekte") also occur in the article itself.
MIN_SNIPPET = 12
# Cues of page furniture, per language (lower case); deliberately broad.
CUES: dict[str, tuple[str, ...]] = {
    "de": ("cookie", "datenschutz", "passwort", "anmelden", "einloggen", "registrieren",
           "newsletter", "abonnieren", "abo ", "bild:", "foto:", "fotos:", "quelle:", "©",
           "mehr zum thema", "lesen sie auch", "lesen sie mehr", "weiterlesen", "mehr lesen",
           "kommentare", "kommentieren", "teilen", "jetzt kaufen", "werbung", "anzeige",
           "javascript", "browser", "zum artikel", "hier klicken", "klicken sie",
           "impressum", "alle rechte vorbehalten", "video abspielen", "uhr |", "tv-tipp",
           "sendetermin", "bild: dpa", "getty images", "imago"),
    "nl": ("cookie", "privacy", "wachtwoord", "inloggen", "aanmelden", "registreer",
           "nieuwsbrief", "abonneer", "abonnement", "foto:", "beeld:", "bron:", "©",
           "lees ook", "lees meer", "lees verder", "bekijk", "videospeler", "deel dit",
           "delen", "reacties", "reageer", "advertentie", "javascript", "browser",
           "klik hier", "alle rechten voorbehouden", "meer nieuws"),
    "fr": ("cookie", "confidentialité", "mot de passe", "connectez", "se connecter",
           "inscri", "newsletter", "abonne", "photo :", "crédit", "source :", "©",
           "lire aussi", "lire la suite", "voir aussi", "partager", "commentaires",
           "publicité", "javascript", "navigateur", "cliquez", "tous droits réservés",
           "publié le", "mis à jour le", "vidéo -"),
}
_STAMP = re.compile(r"^\W*\d{1,2}[./]\d{1,2}[./]\d{2,4}(?:\s*[,|-]?\s*\d{1,2}[:.]\d{2})?")
_SPACES = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text).strip().lower()


def expected_without() -> dict[str, list[str]]:
    """Page file name -> the snippets people marked as not main text (html-benchmark)."""
    path = shared_dir() / "realworld" / "html-benchmark" / "expected.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {entry["file"]: [_norm(s) for s in entry.get("without", [])
                            if len(s.strip()) >= MIN_SNIPPET]
            for entry in data.values() if "file" in entry}


def _cue_pattern(cue: str) -> re.Pattern[str]:
    """A cue as a whole word (or words) where it starts and ends with a letter."""
    start = r"\b" if cue[0].isalnum() else ""
    end = r"\b" if cue[-1].isalnum() else ""
    return re.compile(start + re.escape(cue) + end)


_CUE_PATTERNS = {code: [(cue, _cue_pattern(cue)) for cue in cues] for code, cues in CUES.items()}


def furniture_reasons(sentence: str, language: str, without: list[str]) -> list[str]:
    """Why a chosen sentence looks like furniture (empty: it does not)."""
    text = _norm(sentence)
    reasons = [f"marked not-main-text: {s!r}" for s in without if s in text]
    reasons += [f"cue {cue!r}" for cue, pattern in _CUE_PATTERNS.get(language, ())
                if pattern.search(text)]
    if _STAMP.match(text) and len(text.split()) <= 6:
        reasons.append("time stamp")
    return reasons


def sample_files(quick: bool) -> list[Path]:
    """The sample article files and the html-benchmark pages."""
    root = shared_dir()
    files = sorted(p for p in (root / "articles").rglob("*") if p.is_file() and p.suffix != ".md")
    files += sorted((root / "realworld" / "html-benchmark" / "pages").glob("*.html"))
    return files[:QUICK_FILES] if quick else files


def main(argv: list[str] | None = None) -> int:
    """Summarize the sample pages in the chosen languages and list furniture-looking picks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", default="de,nl", help="comma-separated ISO codes")
    parser.add_argument("--sentences", type=int, default=5, help="summary length (bot default 5)")
    parser.add_argument("--quick", action="store_true", help=f"first {QUICK_FILES} files only")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    languages = {normalize_language(c) for c in args.languages.split(",")} - {None}
    files = sample_files(args.quick)
    if not files:
        print(f"furniture.py: {missing_data('sample articles')}", file=sys.stderr)
        return 1
    without = expected_without()
    pages: Counter[str] = Counter()
    hits: list[str] = []
    for path in files:
        try:
            articles = read_file(path)
        except Exception:  # noqa: BLE001 - a rejected file is not this check's business
            continue
        for article in articles:
            article, summary = prepare(article, args.sentences)
            language = article.language
            if language not in languages:
                continue
            pages[language] += 1
            for sentence in summary:
                reasons = furniture_reasons(sentence, language, without.get(path.name, []))
                if reasons:
                    hits.append(f"- `{path.name}` ({language}): {sentence[:160]!r} — "
                                f"{'; '.join(reasons)}")
    counts = ", ".join(f"{code}: {pages[code]}" for code in sorted(languages))
    lines = [f"Articles summarized ({args.sentences} sentences each), by language: {counts}.",
             f"Furniture-looking sentences chosen: **{len(hits)}**.", "", *hits]
    append_results("furniture", "Furniture in summaries of the sample pages",
                   "bench/furniture.py " + " ".join(argv if argv is not None else sys.argv[1:]),
                   lines, write=not (args.no_write or args.quick))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
