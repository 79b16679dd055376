"""Rescan of a big drop folder: 100,000 known files plus 10 new ones, found and ingested.

    .venv/bin/python bench/rescan.py            # 99,990 known + 10 new, 5 repeats
    .venv/bin/python bench/rescan.py --quick    # 40 known + 10 new (smoke test)

The known files (tiny text articles in 100 subfolders) are written and ingested once into
bench/.cache/rescan-<N>/ and reused. Each run copies that database, then per repeat: times a
scan with nothing new (the baseline, in the same process), adds a folder of 10 real article
files (Prezly JSON from ../shared/eval, older than the settle time), and times the scan that
must find and ingest exactly those 10 without reading any other file. Goal: < 1 s.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    CACHE,
    Stopwatch,
    append_results,
    load_eval_rows,
    median,
    prezly_file,
    profile_text,
    remove_database,
)

PER_FOLDER = 1000


def prepare_known(base: Path, known: int) -> tuple[Path, Path, float]:
    """The drop folder of `known` tiny files and a database that has ingested them (cached)."""
    from bot.ingest import ingest
    from storage.db import open_database

    drop, db_path, marker = base / "drop", base / "known.db", base / ".done"
    if marker.exists():
        return drop, db_path, float(marker.read_text())
    shutil.rmtree(base, ignore_errors=True)
    past = time.time() - 3600
    for index in range(known):
        folder = drop / f"{index // PER_FOLDER:04d}"
        if index % PER_FOLDER == 0:
            folder.mkdir(parents=True)
        path = folder / f"note-{index:06d}.txt"
        path.write_text(f"Known note {index}\n\nThis is tiny article number {index} of the "
                        "drop folder.\n")
        os.utime(path, (past, past))
    conn = open_database(db_path).conn
    with Stopwatch() as watch:
        report = ingest(conn, [drop], settle_seconds=0)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    if report.new != known or report.rejected:
        raise RuntimeError(f"initial ingest: {report.summary_line()}")
    marker.write_text(f"{watch.seconds:.1f}")
    return drop, db_path, watch.seconds


def add_new_files(folder: Path, rows: list[dict], count: int, first_index: int) -> None:
    """Write `count` real Prezly article files, dated a minute ago (past the settle time)."""
    folder.mkdir(parents=True)
    past = time.time() - 60
    for offset in range(count):
        index = first_index + offset
        path = folder / f"story-{index}.json"
        path.write_bytes(prezly_file(rows[index % len(rows)], 900_000 + index))
        os.utime(path, (past, past))


def main(argv: list[str] | None = None) -> int:
    """Run the rescan benchmark and append to bench/results/rescan.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000, help="total files after adding")
    parser.add_argument("--new", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="50 files, 2 repeats")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    if args.quick:
        args.files, args.repeats = 50, 2
    from bot.ingest import ingest
    from storage.db import connect

    known = args.files - args.new
    base = CACHE / f"rescan-{known}"
    with Stopwatch() as setup:
        drop, known_db, first_ingest = prepare_known(base, known)
    work = CACHE / f"rescan-run-{os.getpid()}.db"
    shutil.copyfile(known_db, work)
    conn = connect(work)
    rows = load_eval_rows()
    idle, rescans, profile = [], [], ""
    try:
        for repeat in range(args.repeats):
            with Stopwatch() as nothing:
                report = ingest(conn, [drop])
            if report.files or report.new:
                raise RuntimeError(f"a scan with nothing new read files: {report.summary_line()}")
            idle.append(nothing.seconds)
            add_new_files(drop / f"new-{os.getpid()}-{repeat}", rows, args.new, repeat * args.new)
            # The last repeat is profiled rather than timed, unless it is the only one.
            profiler = cProfile.Profile() if 1 < args.repeats == repeat + 1 else None
            with Stopwatch() as watch:
                if profiler:
                    profiler.enable()
                report = ingest(conn, [drop])
                if profiler:
                    profiler.disable()
            if (report.new, report.files) != (args.new, args.new):
                raise RuntimeError(f"expected {args.new} new files, got {report.summary_line()} "
                                   f"({report.files} read)")
            if profiler is None:
                rescans.append(watch.seconds)
            else:
                profile = profile_text(profiler, "cumulative", 12)
            print(f"repeat {repeat + 1}: nothing new {nothing.seconds:.3f} s, "
                  f"{args.new} new {watch.seconds:.3f} s", flush=True)
    finally:
        conn.close()
        for folder in drop.glob(f"new-{os.getpid()}-*"):
            shutil.rmtree(folder)
        remove_database(work)
    scan_new = median(rescans)
    lines = [
        f"Drop folder: {known:,} known files (ingested once in {first_ingest:.0f} s, cached) + "
        f"{args.new} new per repeat; {args.repeats} repeats (the last one profiled, not timed); "
        f"set-up {setup.seconds:.0f} s.",
        "",
        "| scan | median s | min s | max s |",
        "|---|---|---|---|",
        f"| nothing new (baseline: walk + stat + known-file lookup) | {median(idle):.3f} | "
        f"{min(idle):.3f} | {max(idle):.3f} |",
        f"| {args.new} new files found, read and ingested | **{scan_new:.3f}** | "
        f"{min(rescans):.3f} | {max(rescans):.3f} |",
        "",
        f"Ratio new/baseline: {scan_new / median(idle):.2f}; only the {args.new} new files were "
        f"read (IngestReport.files == {args.new}). Goal < 1 s: "
        f"{'met' if scan_new < 1 else 'MISSED'}.",
        "",
        "Profile of the last rescan (cumulative):",
        "",
        "```",
        profile,
        "```",
    ]
    command = "bench/rescan.py" + (" --quick" if args.quick else "")
    append_results("rescan", "Rescan of a big drop folder", command, lines,
                   write=not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
