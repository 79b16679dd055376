"""Ingest throughput: the full pipeline against sumy LexRank alone, on the same texts, one core.

    .venv/bin/python bench/ingest_throughput.py            # 10,000 files, 3 runs x 5 chunks
    .venv/bin/python bench/ingest_throughput.py --quick    # 50 files (smoke test)

A corpus of article files (50 % Prezly JSON, 35 % ninjs 1.x/2.x, 10 % RSS with 3 items each,
5 % saved HTML pages) is generated from ../shared/eval/*.jsonl into bench/.cache/ once. Each run
ingests it chunk by chunk into a fresh database (read, detect, parse, clean, summarize, store,
FTS index: `bot.ingest.ingest`) and, alternating with each chunk, summarizes the same chunk's
eval texts with `summarizer.summarize(text, 'en', 3, algorithm='lexrank')`. The figure is the
median over chunks of (pipeline time per article) / (LexRank time per article); goal <= 0.5.
Then one chunk is ingested again under cProfile to show where the time goes.
"""

from __future__ import annotations

import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")  # one core: no BLAS worker threads

import argparse  # noqa: E402
import cProfile  # noqa: E402
import pstats  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    CACHE,
    FORMAT_MIX,
    Stopwatch,
    append_results,
    load_eval_rows,
    median,
    pin_one_core,
    profile_text,
    write_corpus,
)

# (label, file suffix, function name) of the phases reported from the profile (inclusive times).
PHASES = [
    ("walk the folder", "storage/scan.py", "walk"),
    ("open + read the listed files", "bot/ingest.py", "_read_listed"),
    ("read + detect + parse + clean (readers)", "storage/readers/__init__.py", "read_bytes"),
    ("  of which HTML→text cleaning", "storage/readers/cleaning.py", "html_to_text"),
    ("  of which feedparser", "feedparser/api.py", "parse"),
    ("  of which trafilatura", "trafilatura/core.py", "bare_extraction"),
    ("language + summarize (ingest.prepare)", "bot/ingest.py", "prepare"),
    ("  of which sentence split + tokenize", "summarizer/sentences.py", "split_blocks"),
    ("  of which scoring (NewsSummarizer)", "summarizer/news.py", "pick"),
    ("  of which words (to_words, also inside the two above)", "summarizer/words.py", "to_words"),
    ("  of which furniture rules (inside scoring)", "summarizer/furniture.py", "is_furniture"),
    ("find existing article", "storage/articles.py", "find_existing"),
    ("insert article + FTS index", "storage/articles.py", "upsert_article"),
    ("file state + ingest log", "storage/files.py", "record_file"),
    ("", "storage/files.py", "log_ingest"),
    ("commit", "storage/db.py", "__exit__"),
]


def lexrank_seconds(texts: list[str]) -> float:
    """Wall time to summarize every text with sumy LexRank (3 sentences, English)."""
    import summarizer

    with Stopwatch() as watch:
        for text in texts:
            summarizer.summarize(text, "en", 3, algorithm="lexrank")
    return watch.seconds


def ingest_seconds(db_path: Path, folder: Path) -> tuple[float, int, int]:
    """Wall time of `ingest` on one folder; returns (seconds, articles stored, files read)."""
    from bot.ingest import ingest
    from storage.db import open_database

    conn = open_database(db_path).conn
    try:
        with Stopwatch() as watch:
            report = ingest(conn, [folder], settle_seconds=0)
    finally:
        conn.close()
    if report.rejected:
        raise RuntimeError(f"corpus files rejected: {report.rejected[:3]}")
    return watch.seconds, report.new, report.files


def profile_chunk(folder: Path, work: Path) -> tuple[list[str], str]:
    """Ingest one chunk under cProfile; the phase table and the top functions by own time."""
    from bot.ingest import ingest
    from storage.db import open_database

    conn = open_database(work / "profile.db").conn
    profiler = cProfile.Profile()
    profiler.enable()
    report = ingest(conn, [folder], settle_seconds=0)
    profiler.disable()
    conn.close()
    stats = pstats.Stats(profiler)
    total = max(value[3] for key, value in stats.stats.items())  # the outermost call
    by_name: dict[tuple[str, str], float] = {}
    for (filename, _, function), (_, _, _, cumulative, _) in stats.stats.items():
        for _, suffix, name in PHASES:
            if filename.endswith(suffix) and function == name:
                by_name[(suffix, name)] = by_name.get((suffix, name), 0.0) + cumulative
    lines = [f"Profile of one chunk ({report.files} files, {report.new} articles; cProfile "
             "inflates Python-heavy parts, read the shares):", "",
             "| phase | share of ingest time |", "|---|---|"]
    for label, suffix, name in PHASES:
        seconds = by_name.get((suffix, name), 0.0)
        if label:
            lines.append(f"| {label} | {100 * seconds / total:.1f} % |")
        else:
            lines[-1] = lines[-1].replace(" % |", f" % (+{100 * seconds / total:.1f} % log) |")
    return lines, profile_text(profiler, "tottime", 15)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and append the figures to bench/results/ingest_throughput.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chunks", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="50 files, 2 runs x 2 chunks")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.files, args.runs, args.chunks = 50, 2, 2
    pinned = pin_one_core()
    rows = load_eval_rows()
    corpus = CACHE / f"corpus-{args.files}-{args.chunks}"
    with Stopwatch() as generate:
        texts = write_corpus(corpus, args.files, rows, args.chunks)
    folders = sorted(p for p in corpus.iterdir() if p.is_dir())
    lexrank_seconds(texts[0][:5])  # warm caches (stop words, stemmers, imports)
    import storage.readers  # noqa: F401 - loaded by the first ingest, which must not time it
    pairs: list[tuple[float, float, float]] = []  # (pipeline ms/article, lexrank ms, ratio)
    run_rates: list[float] = []
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        work = Path(tmp)
        for run in range(args.runs):
            db_path = work / f"run{run}.db"
            total_seconds = total_articles = 0.0
            for index, folder in enumerate(folders):
                chunk_texts = texts[index]
                if (run + index) % 2:  # alternate which goes first, so drift cancels out
                    lex = lexrank_seconds(chunk_texts)
                    seconds, articles, _ = ingest_seconds(db_path, folder)
                else:
                    seconds, articles, _ = ingest_seconds(db_path, folder)
                    lex = lexrank_seconds(chunk_texts)
                if articles != len(chunk_texts):
                    raise RuntimeError(f"{folder}: {articles} articles for {len(chunk_texts)}")
                pipeline_ms = 1000 * seconds / articles
                lexrank_ms = 1000 * lex / len(chunk_texts)
                pairs.append((pipeline_ms, lexrank_ms, pipeline_ms / lexrank_ms))
                total_seconds += seconds
                total_articles += articles
            run_rates.append(total_articles / total_seconds)
            print(f"run {run + 1}: {total_articles:.0f} articles, "
                  f"{total_articles / total_seconds:.0f} articles/s", flush=True)
        profile_lines, top = ([], "") if args.no_profile else profile_chunk(folders[0], work)
    ratio = median(p[2] for p in pairs)
    mix = ", ".join(f"{name} {int(share * 100)} %" for name, share in FORMAT_MIX)
    lines = [
        f"Corpus: {args.files} files ({mix}; RSS files hold 3 items), "
        f"{sum(map(len, texts))} articles; {pinned}; {args.runs} runs x {len(folders)} chunks "
        f"(corpus generation {generate.seconds:.1f} s, cached).",
        "",
        "| figure | median | min | max |",
        "|---|---|---|---|",
        f"| full pipeline, ms/article | {median(p[0] for p in pairs):.2f} | "
        f"{min(p[0] for p in pairs):.2f} | {max(p[0] for p in pairs):.2f} |",
        f"| LexRank alone, ms/article | {median(p[1] for p in pairs):.2f} | "
        f"{min(p[1] for p in pairs):.2f} | {max(p[1] for p in pairs):.2f} |",
        f"| ratio pipeline / LexRank (goal <= 0.5) | **{ratio:.2f}** | "
        f"{min(p[2] for p in pairs):.2f} | {max(p[2] for p in pairs):.2f} |",
        f"| full pipeline, articles/s per run | {median(run_rates):.0f} | "
        f"{min(run_rates):.0f} | {max(run_rates):.0f} |",
        "",
        f"Goal {'met' if ratio <= 0.5 else 'missed'}: pipeline time per article is "
        f"{ratio:.2f} x LexRank's.",
    ]
    if profile_lines:
        lines += ["", *profile_lines, "", "Top functions by own time:", "", "```", top, "```"]
    command = "bench/ingest_throughput.py" + (" --quick" if args.quick else "")
    append_results("ingest_throughput", "Ingest throughput", command, lines,
                   write=not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
