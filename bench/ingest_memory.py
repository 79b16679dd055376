"""Ingest memory and big files: peak RSS over the 10,000-file corpus; 1 to 10 MB single files.

    .venv/bin/python bench/ingest_memory.py            # 10,000-file corpus, 1/2.5/5/10 MB files
    .venv/bin/python bench/ingest_memory.py --quick    # 50 files, 10 to 100 kB Prezly (smoke test)

Every measurement runs in a fresh child process (so peak RSS is that ingest's alone, imports
included) that opens a new database and calls `bot.ingest.ingest` on the folder or file.
The corpus is the one bench/ingest_throughput.py generates (bench/.cache/). Big files are made
of eval paragraphs repeated to size, in three kinds: a Prezly JSON story (HTML body), a plain
text article, and an RSS feed of many items. Goal: corpus peak RSS < 300 MB; time per MB
roughly flat from 1 to 10 MB (ratio ~1 = linear, no quadratic slow-down).
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    CACHE,
    append_results,
    load_eval_rows,
    median,
    paragraphs,
    peak_rss_mb,
    run_child,
    write_corpus,
)

SIZES_MB = (1.0, 2.5, 5.0, 10.0)
KINDS = ("prezly", "text", "rss")


def big_file(folder: Path, kind: str, size: int, rows: list[dict]) -> Path:
    """One article file of `kind` of at most `size` bytes, from eval paragraphs repeated."""
    pool = [p for row in rows for p in paragraphs(row["article"])]
    parts, total, index = [], 0, 0
    budget = size - 2000  # room for the wrapper
    while True:
        paragraph = pool[index % len(pool)]
        if kind == "rss":
            piece = (f"<item><title>Item {index}</title><guid>big-{index}</guid>"
                     f"<description>{html.escape(paragraph)}</description></item>")
        elif kind == "prezly":
            piece = f"<p>{html.escape(paragraph)}</p>"
        else:
            piece = paragraph + "\n\n"
        cost = len(piece.encode()) + (len(piece) // 8 if kind == "prezly" else 0)
        if total + cost > budget:
            break
        parts.append(piece)
        total += cost
        index += 1
    if kind == "prezly":
        data = json.dumps({"uuid": f"big-{size}", "title": f"A very long story of {size} bytes",
                           "published_at": "2025-01-01 10:00:00", "culture": "en_GB",
                           "body": "".join(parts)}).encode()
        path = folder / f"big-{size}.json"
    elif kind == "rss":
        data = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>"
                "<title>Big feed</title><link>https://feed.example/</link><description>big"
                "</description>" + "".join(parts) + "</channel></rss>").encode()
        path = folder / f"big-{size}.rss"
    else:
        data = (f"A very long story of {size} bytes\n\n" + "".join(parts)).encode()
        path = folder / f"big-{size}.txt"
    if len(data) > size:
        raise RuntimeError(f"{kind} file came out at {len(data)} bytes for {size}")
    path.write_bytes(data)
    return path


def child(target: str) -> None:
    """In a fresh process: ingest `target` into a new database; print seconds and RSS."""
    from bot.ingest import ingest
    from storage.db import open_database

    with tempfile.TemporaryDirectory() as tmp:
        conn = open_database(Path(tmp) / "memory.db").conn
        before = peak_rss_mb()
        start = time.perf_counter()
        report = ingest(conn, [Path(target)], settle_seconds=0)
        seconds = time.perf_counter() - start
        conn.close()
    print(json.dumps({"seconds": seconds, "rss_before_mb": before, "peak_mb": peak_rss_mb(),
                      "articles": report.new, "rejected": len(report.rejected)}))


def main(argv: list[str] | None = None) -> int:
    """Run the memory benchmark and append to bench/results/ingest_memory.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--corpus-runs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3, help="runs per big file")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child)
        return 0
    scale, kinds = 1.0, KINDS
    if args.quick:
        args.files, args.corpus_runs, args.repeats, scale, kinds = 50, 1, 1, 0.01, ("prezly",)
    rows = load_eval_rows()
    chunks = 2 if args.quick else 5
    corpus = CACHE / f"corpus-{args.files}-{chunks}"
    write_corpus(corpus, args.files, rows, chunks)
    script = str(Path(__file__).resolve())
    corpus_runs = [run_child([script, "--child", str(corpus)]) for _ in range(args.corpus_runs)]
    for run in corpus_runs:
        if run["rejected"]:
            raise RuntimeError(f"corpus files rejected: {run}")
    peak = median(r["peak_mb"] for r in corpus_runs)
    lines = [
        f"Corpus of {args.files:,} files ({corpus_runs[0]['articles']:,} articles), "
        f"{args.corpus_runs} run(s), each in a fresh process:",
        "",
        f"- peak RSS while ingesting: **{peak:.0f} MB** (runs: "
        + ", ".join(f"{r['peak_mb']:.0f}" for r in corpus_runs) + "; goal < 300 MB: "
        f"{'met' if peak < 300 else 'MISSED'})",
        f"- RSS before the first file (interpreter, imports, database open): "
        f"{median(r['rss_before_mb'] for r in corpus_runs):.0f} MB",
        f"- ingest time {median(r['seconds'] for r in corpus_runs):.0f} s",
        "",
        f"Single big files ({args.repeats} run(s) each, fresh process per run; time is the "
        "`ingest` call, median):",
        "",
        "| kind | size MB | articles | seconds | s per MB | per-MB ratio to the smallest | "
        "peak RSS MB |",
        "|---|---|---|---|---|---|---|",
    ]
    worst = 0.0
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        for kind in kinds:
            base_per_mb = None
            for size_mb in SIZES_MB:
                size = int(size_mb * scale * 1_000_000)
                path = big_file(Path(tmp), kind, size, rows)
                runs = [run_child([script, "--child", str(path)]) for _ in range(args.repeats)]
                if any(r["rejected"] or not r["articles"] for r in runs):
                    raise RuntimeError(f"{path.name} was not ingested: {runs[0]}")
                seconds = median(r["seconds"] for r in runs)
                per_mb = seconds / (size / 1e6)
                base_per_mb = base_per_mb or per_mb
                ratio = per_mb / base_per_mb
                worst = max(worst, ratio)
                lines.append(f"| {kind} | {size / 1e6:g} | {runs[0]['articles']} | "
                             f"{seconds:.2f} | {per_mb:.2f} | {ratio:.2f} | "
                             f"{median(r['peak_mb'] for r in runs):.0f} |")
                print(lines[-1], flush=True)
                path.unlink()
    lines += ["", f"Largest per-MB ratio: {worst:.2f} (1.0 = linear; 10x the size at quadratic "
              "cost would show ~10)."]
    command = "bench/ingest_memory.py" + (" --quick" if args.quick else "")
    append_results("ingest_memory", "Ingest memory and big files", command, lines,
                   write=not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
