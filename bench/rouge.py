"""ROUGE benchmark: our default summarizer against Lead-k and sumy's methods, in one run.

    .venv/bin/python bench/rouge.py [FILES...] [--limit N] [--methods a,b] [--quick] [--no-write]

Each FILE is JSONL with `article`, `reference` (sentences separated by newlines), `source`,
`reference_sentences` and an optional `title` and `language`. k, the number of sentences asked
of every method, is 3 for cnndm, 1 for xsum, both "the reference's count, capped at 3" and 3
for orangesum, and the reference's sentence count otherwise. Without FILES, German and Dutch
sets of editors' teasers built from the saved benchmark pages are scored too
(bench/teasers.py). Scores are ROUGE-1/2/Lsum F1 x 100 over Unicode word tokens (rouge-score's
own tokenizer drops every non-ASCII letter), stemmed as rouge-score stems English (Porter) and
with Snowball for the other languages. Differences to
Lead come with a paired bootstrap 95 % interval, on all articles and on the two fixed halves
(tuning / held-out) of each file. Times are milliseconds per `summarize()` call (splitting
included). The tables go to bench/results/rouge.md; from its "## Attempts" heading on, the file
is kept as written.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import sys
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from nltk.stem.porter import PorterStemmer
from nltk.stem.snowball import SnowballStemmer
from rouge_score import rouge_scorer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import eval_files  # noqa: E402 - the repo root must be on the path first
from bench.teasers import teaser_rows  # noqa: E402
from summarizer import summarize  # noqa: E402
from summarizer.language import language_name  # noqa: E402

METHODS = ("default", "lead", "lexrank", "textrank", "lsa", "luhn", "sumbasic")
SUMY_METHODS = ("lexrank", "textrank", "lsa", "luhn", "sumbasic")
RESULTS = ROOT / "bench" / "results" / "rouge.md"
KEEP_FROM = "## Attempts"
ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")
BOOTSTRAP_RESAMPLES = 2000
QUICK_LIMIT = 3

KRule = Callable[[dict], int]


def _reference_count(row: dict) -> int:
    return max(1, int(row.get("reference_sentences") or 1))


def _fixed(k: int) -> KRule:
    return lambda row: k


def _capped(cap: int) -> KRule:
    return lambda row: min(cap, _reference_count(row))


# Per source: the settings (label, k for a row) every method is run with.
_SETTINGS: dict[str, tuple[tuple[str, KRule], ...]] = {
    "cnndm": (("k = 3", _fixed(3)),),
    "xsum": (("k = 1", _fixed(1)),),
    "orangesum": (("k = reference sentence count, capped at 3", _capped(3)),
                  ("k = 3", _fixed(3))),
}
_DEFAULT_SETTINGS = (("k = reference sentence count", _reference_count),)


def settings_for(rows: list[dict]) -> tuple[tuple[str, KRule], ...]:
    """The k settings a file is scored with, from the source of its first row."""
    source = str(rows[0].get("source", "")).lower() if rows else ""
    return _SETTINGS.get(source, _DEFAULT_SETTINGS)


def sentences_asked(row: dict) -> int:
    """Return k for a row under its source's first setting."""
    return settings_for([row])[0][1](row)


def half_of(row: dict) -> str:
    """'tuning' or 'held-out': a fixed split of every file by a hash of the article id."""
    key = str(row.get("id") or row["article"][:200]).encode()
    return "tuning" if zlib.crc32(key) % 2 == 0 else "held-out"


# -- a ROUGE tokenizer for every language ----------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+")


class UnicodeTokenizer:
    """rouge-score's tokenizer, but for any script: lower-cased runs of letters and digits,
    words over 3 characters stemmed (Porter for English as rouge-score does, else Snowball)."""

    def __init__(self, language: str | None) -> None:
        name = language_name(language) or "english"
        if name == "english":
            self._stem = PorterStemmer().stem
        elif name in SnowballStemmer.languages:
            self._stem = SnowballStemmer(name).stem
        else:
            self._stem = str
        self._cache: dict[str, str] = {}

    def tokenize(self, text: str) -> list[str]:
        """Split text into stemmed lower-case word tokens."""
        out = []
        for token in _TOKEN.findall(text.lower()):
            if len(token) > 3:
                stem = self._cache.get(token)
                if stem is None:
                    stem = self._cache[token] = self._stem(token)
                token = stem
            out.append(token)
        return out


@lru_cache(maxsize=16)
def scorer_for(language: str | None) -> rouge_scorer.RougeScorer:
    """A ROUGE scorer with the Unicode tokenizer for one language."""
    return rouge_scorer.RougeScorer(list(ROUGE_TYPES), tokenizer=UnicodeTokenizer(language))


# -- running and scoring ---------------------------------------------------------------------


@dataclass
class Run:
    """Per-article ROUGE F1 x 100 and times for one method in one setting."""

    scores: dict[str, list[float]] = field(default_factory=lambda: {t: [] for t in ROUGE_TYPES})
    times_ms: list[float] = field(default_factory=list)

    def mean(self, kind: str, keep: list[bool] | None = None) -> float:
        """Mean score of one ROUGE type, over the articles `keep` marks (default all)."""
        values = [v for i, v in enumerate(self.scores[kind]) if keep is None or keep[i]]
        return statistics.fmean(values) if values else 0.0


def _percentile(values: list[float], q: float) -> float:
    """Return the q-quantile (0..1) by linear interpolation."""
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def _language(row: dict) -> str:
    return row.get("language") or "en"


def run_method(method: str, rows: list[dict], k_rule: KRule) -> Run:
    """Summarize every row with one method; return its per-article scores and times."""
    for row in rows[:3]:  # warm caches (models, stemmers) outside the timed loop
        summarize(row["article"], _language(row), k_rule(row), row.get("title"), method)
    run = Run()
    for row in rows:
        start = time.perf_counter()
        summary = summarize(row["article"], language=_language(row), sentences=k_rule(row),
                            title=row.get("title"), algorithm=method)
        run.times_ms.append((time.perf_counter() - start) * 1000.0)
        scores = scorer_for(_language(row)).score(row["reference"], "\n".join(summary))
        for kind in ROUGE_TYPES:
            run.scores[kind].append(100 * scores[kind].fmeasure)
    return run


@dataclass(frozen=True)
class Difference:
    """Mean paired difference of ROUGE-1 with its bootstrap interval and win/loss counts."""

    mean: float
    low: float
    high: float
    better: int
    worse: int
    articles: int

    def text(self) -> str:
        """The difference as table text."""
        return (f"{self.mean:+.2f} [{self.low:+.2f}, {self.high:+.2f}] "
                f"({self.better} better, {self.worse} worse of {self.articles})")


def paired_difference(ours: list[float], theirs: list[float], seed: int = 14) -> Difference:
    """Mean of ours − theirs and its 95 % percentile bootstrap interval over articles."""
    deltas = [a - b for a, b in zip(ours, theirs, strict=True)]
    if not deltas:
        return Difference(0.0, 0.0, 0.0, 0, 0, 0)
    rng = random.Random(seed)  # fixed: the same interval for the same scores, run after run
    n = len(deltas)
    means = sorted(statistics.fmean(rng.choices(deltas, k=n)) for _ in range(BOOTSTRAP_RESAMPLES))
    return Difference(statistics.fmean(deltas), _percentile(means, 0.025),
                      _percentile(means, 0.975), sum(d > 0 for d in deltas),
                      sum(d < 0 for d in deltas), n)


# -- rendering -------------------------------------------------------------------------------


def _label(method: str, k_text: str) -> str:
    """Return the table label of a method."""
    if method == "default":
        return "**newsbot default**"
    if method == "lead":
        return f"Lead-{k_text}"
    return f"sumy {method}"


def render_section(name: str, setting: str, rows: list[dict], k_rule: KRule,
                   results: dict[str, Run]) -> str:
    """Return the Markdown section for one file in one k setting."""
    ks = sorted({k_rule(r) for r in rows})
    k_text = str(ks[0]) if len(ks) == 1 else "k"
    lines = [
        f"### {name} ({len(rows)} articles, {setting})",
        "",
        "| method | ROUGE-1 | ROUGE-2 | ROUGE-Lsum | median ms | p95 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for method, run in results.items():
        lines.append(
            f"| {_label(method, k_text)} | {run.mean('rouge1'):.2f} | {run.mean('rouge2'):.2f} "
            f"| {run.mean('rougeLsum'):.2f} | {statistics.median(run.times_ms):.2f} "
            f"| {_percentile(run.times_ms, 0.95):.2f} |"
        )
    lines.append("")
    if "default" not in results:
        return "\n".join(lines)
    ours = results["default"]
    if "lead" in results:
        lead = results["lead"]
        lines.append(f"- default − Lead-{k_text}, ROUGE-1 (95 % bootstrap interval): "
                     + paired_difference(ours.scores["rouge1"], lead.scores["rouge1"]).text())
        halves = [half_of(r) for r in rows]
        for half in ("tuning", "held-out"):
            keep = [h == half for h in halves]
            mine = [v for v, k in zip(ours.scores["rouge1"], keep, strict=True) if k]
            base = [v for v, k in zip(lead.scores["rouge1"], keep, strict=True) if k]
            lines.append(f"  - {half} half: default {statistics.fmean(mine or [0]):.2f}, "
                         f"Lead {statistics.fmean(base or [0]):.2f}, difference "
                         + paired_difference(mine, base).text())
    sumy = [m for m in SUMY_METHODS if m in results]
    if sumy:
        best = max(sumy, key=lambda m: results[m].mean("rouge1"))
        lines.append(f"- default − best sumy ({best}): ROUGE-1 "
                     f"{ours.mean('rouge1') - results[best].mean('rouge1'):+.2f}")
    if "lexrank" in results:
        ratio = statistics.median(ours.times_ms) / statistics.median(results["lexrank"].times_ms)
        lines.append(f"- median time, default / sumy lexrank: {ratio:.2f}")
    lines.append("")
    return "\n".join(lines)


def machine() -> str:
    """Describe the machine and the moment of the run."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    cpu = platform.processor() or platform.machine()
    load = f", load {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    return (
        f"{when}; {platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores"
        f"{load}, Python {platform.python_version()}"
    )


def write_results(sections: list[str], path: Path = RESULTS) -> None:
    """Write the tables, keeping any hand-written notes after the attempts heading."""
    kept = ""
    if path.exists():
        old = path.read_text(encoding="utf-8")
        if KEEP_FROM in old:
            kept = old[old.index(KEEP_FROM) :]
    header = [
        "# ROUGE: newsbot default vs Lead-k and sumy",
        "",
        "Written by `bench/rouge.py`; F1 x 100 over Unicode word tokens (lower-cased letters and",
        "digits of any script; words over 3 characters stemmed: Porter for English, as",
        "rouge-score does, Snowball otherwise), Lsum over newline-joined sentences. Intervals:",
        f"paired bootstrap over articles, {BOOTSTRAP_RESAMPLES} resamples, 95 %. Halves: a fixed",
        "split of each file by CRC-32 of the article id (even: tuning, odd: held-out). Times are",
        "per `summarize()` call, splitting included.",
        f"Run: {machine()}.",
        "",
    ]
    body = "\n".join(header + sections)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body.rstrip() + "\n\n" + kept if kept else body, encoding="utf-8")


def load_rows(file: Path) -> list[dict]:
    """Read one JSONL eval file; SystemExit with a one-line reason if it cannot be read."""
    try:
        with file.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SystemExit(f"rouge.py: cannot read {file}: {error}") from None


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print (and by default write) the Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="score only the first N articles")
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated methods")
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_LIMIT} articles per set (smoke test; nothing written)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    files = args.files or eval_files()  # without the shared data: where to get it, exit 1
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    limit = args.limit or (QUICK_LIMIT if args.quick else 0)
    sets = [(file.stem, load_rows(file)) for file in files]
    if not args.files:  # German and Dutch: editors' teasers of the saved pages (bench/teasers.py)
        sets += [(f"pages_{language}_teasers", rows) for language in ("de", "nl")
                 if (rows := teaser_rows(language))]
    sections = []
    for name, rows in sets:
        if limit:
            rows = rows[:limit]
        for setting, k_rule in settings_for(rows):
            results = {m: run_method(m, rows, k_rule) for m in methods}
            section = render_section(name, setting, rows, k_rule, results)
            print(section, flush=True)
            sections.append(section)
    if not args.no_write and not args.quick:
        write_results(sections)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
