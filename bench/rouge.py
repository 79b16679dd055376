"""ROUGE benchmark: our default summarizer against Lead-k and sumy's methods, in one run.

    .venv/bin/python bench/rouge.py [FILES...] [--limit N] [--methods a,b] [--no-write]

Each FILE is JSONL with `article`, `reference` (sentences separated by newlines), `source`,
`reference_sentences` and an optional `title` and `language`. k, the number of sentences asked
of every method, is 3 for cnndm, 1 for xsum and the reference's sentence count otherwise.
Scores are ROUGE-1/2/Lsum F1 x 100 (rouge-score, Porter stemmer); times are milliseconds per
article for the whole `summarize()` call (splitting included). The table goes to
bench/results/rouge.md; everything from its "## Attempts" heading on is kept as written.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rouge_score import rouge_scorer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import eval_files  # noqa: E402 - the repo root must be on the path first
from summarizer import summarize  # noqa: E402

METHODS = ("default", "lead", "lexrank", "textrank", "lsa", "luhn", "sumbasic")
SUMY_METHODS = ("lexrank", "textrank", "lsa", "luhn", "sumbasic")
RESULTS = ROOT / "bench" / "results" / "rouge.md"
KEEP_FROM = "## Attempts"
_FIXED_K = {"cnndm": 3, "xsum": 1}


def sentences_asked(row: dict) -> int:
    """Return k for a row: fixed per data set, else the reference's sentence count."""
    source = str(row.get("source", "")).lower()
    if source in _FIXED_K:
        return _FIXED_K[source]
    return max(1, int(row.get("reference_sentences") or 1))


@dataclass
class Score:
    """Mean ROUGE F1 x 100 and timing percentiles for one method on one file."""

    rouge1: float
    rouge2: float
    rougelsum: float
    median_ms: float
    p95_ms: float


def _percentile(values: list[float], q: float) -> float:
    """Return the q-quantile (0..1) by linear interpolation."""
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def run_method(method: str, rows: list[dict], scorer: rouge_scorer.RougeScorer) -> Score:
    """Summarize every row with one method; return its mean scores and times."""
    for row in rows[:3]:  # warm caches (models, stemmers) outside the timed loop
        summarize(row["article"], row.get("language") or "en", sentences_asked(row),
                  row.get("title"), method)  # fmt: skip
    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeLsum": 0.0}
    times: list[float] = []
    for row in rows:
        start = time.perf_counter()
        summary = summarize(
            row["article"],
            language=row.get("language") or "en",
            sentences=sentences_asked(row),
            title=row.get("title"),
            algorithm=method,
        )
        times.append((time.perf_counter() - start) * 1000.0)
        scores = scorer.score(row["reference"], "\n".join(summary))
        for key in totals:
            totals[key] += scores[key].fmeasure
    n = max(1, len(rows))
    return Score(
        100 * totals["rouge1"] / n,
        100 * totals["rouge2"] / n,
        100 * totals["rougeLsum"] / n,
        statistics.median(times) if times else 0.0,
        _percentile(times, 0.95) if times else 0.0,
    )


def _label(method: str, k_text: str) -> str:
    """Return the table label of a method."""
    if method == "default":
        return "**newsbot default**"
    if method == "lead":
        return f"Lead-{k_text}"
    return f"sumy {method}"


def render_section(name: str, rows: list[dict], results: dict[str, Score]) -> str:
    """Return the Markdown section for one file."""
    ks = sorted({sentences_asked(r) for r in rows})
    k_text = str(ks[0]) if len(ks) == 1 else "k"
    k_note = f"k = {ks[0]}" if len(ks) == 1 else "k = reference sentence count"
    lines = [
        f"### {name} ({len(rows)} articles, {k_note})",
        "",
        "| method | ROUGE-1 | ROUGE-2 | ROUGE-Lsum | median ms | p95 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for method, s in results.items():
        lines.append(
            f"| {_label(method, k_text)} | {s.rouge1:.2f} | {s.rouge2:.2f} | {s.rougelsum:.2f} "
            f"| {s.median_ms:.2f} | {s.p95_ms:.2f} |"
        )
    lines.append("")
    if "default" in results:
        ours = results["default"]
        if "lead" in results:
            lines.append(
                f"- default − Lead-{k_text}: ROUGE-1 {ours.rouge1 - results['lead'].rouge1:+.2f}"
            )
        sumy = [m for m in SUMY_METHODS if m in results]
        if sumy:
            best = max(sumy, key=lambda m: results[m].rouge1)
            lines.append(
                f"- default − best sumy ({best}): ROUGE-1 {ours.rouge1 - results[best].rouge1:+.2f}"
            )
        if "lexrank" in results and results["lexrank"].median_ms > 0:
            ratio = ours.median_ms / results["lexrank"].median_ms
            lines.append(f"- median time, default / sumy lexrank: {ratio:.2f}")
        lines.append("")
    return "\n".join(lines)


def machine() -> str:
    """Describe the machine and the moment of the run."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    cpu = platform.processor() or platform.machine()
    return (
        f"{when}; {platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
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
        "Written by `bench/rouge.py`; F1 x 100 (rouge-score, `use_stemmer=True`, Lsum over",
        "newline-joined sentences); times are per `summarize()` call, splitting included.",
        f"Run: {machine()}.",
        "",
    ]
    body = "\n".join(header + sections)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body.rstrip() + "\n\n" + kept if kept else body, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print (and by default write) the Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="score only the first N articles")
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated methods")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--quick", action="store_true", help="3 articles per set (smoke test)")
    args = parser.parse_args(argv)
    if args.quick:
        args.limit = args.limit or 3
    files = args.files or eval_files()
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    sections = []
    for file in files:
        with file.open(encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle if line.strip()]
        if args.limit:
            rows = rows[: args.limit]
        results = {m: run_method(m, rows, scorer) for m in methods}
        section = render_section(file.stem, rows, results)
        print(section, flush=True)
        sections.append(section)
    if not args.no_write:
        write_results(sections)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
