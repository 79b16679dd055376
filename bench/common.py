"""Shared helpers for the performance benchmarks: eval texts, corpus files, timing, results.

Every benchmark is one script under bench/ that prints its figures and appends them (with the
date, commit and machine) to a markdown file in bench/results/. Corpora and databases are
generated into bench/.cache/ (gitignored), never committed.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import os
import platform
import pstats
import random
import resource
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("NEWSBOT_BENCH_CACHE") or ROOT / "bench" / ".cache")  # tests: tmp
RESULTS = ROOT / "bench" / "results"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def shared_dir() -> Path:
    """The shared data folder: $NEWSBOT_SHARED, else `shared` beside the repository, else
    beside the local repository this one was cloned from (so a clone in /tmp finds it too)."""
    env = os.environ.get("NEWSBOT_SHARED")
    if env:
        return Path(env)
    beside = ROOT.parent / "shared"
    if beside.is_dir():
        return beside
    try:
        origin = subprocess.run(["git", "-C", str(ROOT), "config", "--get", "remote.origin.url"],
                                capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        origin = ""
    if origin and Path(origin).is_dir():  # a clone of a local checkout, not of a URL
        candidate = Path(origin).resolve().parent / "shared"
        if candidate.is_dir():
            return candidate
    return beside


def missing_data(what: str) -> str:
    """The one-line message of a benchmark run without the shared data: where to get it."""
    return (f"no {what} under {shared_dir()}: benchmarks need the shared data set (articles/, "
            "eval/*.jsonl) in a folder named `shared` beside the repository, or set "
            "NEWSBOT_SHARED=/path/to/shared; tests/data holds a tiny copy for the --quick "
            "smoke tests (NEWSBOT_SHARED=tests/data)")


def corpus_arguments(description: str, argv: list[str] | None, *, quick: str, show: int,
                     show_help: str) -> argparse.Namespace:
    """The command line of the real-world corpus benchmarks: --quick, --no-write, --show N."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help=quick)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--show", type=int, default=show, help=show_help)
    return parser.parse_args(argv)


def realworld_folder(name: str, needs: str | None = None) -> Path:
    """../shared/realworld/<name> (holding the file `needs`, else any file), or SystemExit
    saying where to get it (no traceback)."""
    folder = shared_dir() / "realworld" / name
    if needs is not None:
        present = (folder / needs).is_file()
        what = f"realworld/{name}/{needs}"
    else:
        present = folder.is_dir() and any(path.is_file() for path in folder.rglob("*"))
        what = f"realworld/{name}"
    if not present:
        raise SystemExit(f"{Path(sys.argv[0]).name}: {missing_data(what)}")
    return folder


def eval_files() -> list[Path]:
    """The shared evaluation sets, or SystemExit saying where to get them (no traceback)."""
    files = sorted((shared_dir() / "eval").glob("*.jsonl"))
    if not files:
        raise SystemExit(f"{Path(sys.argv[0]).name}: {missing_data('eval texts')}")
    return files


def load_eval_rows() -> list[dict]:
    """Every row of ../shared/eval/*.jsonl (id, source, language, article, title/url if known)."""
    rows = []
    for path in eval_files():
        with path.open(encoding="utf-8") as handle:
            rows.extend(json.loads(line) for line in handle if line.strip())
    if not rows:
        raise SystemExit(f"{Path(sys.argv[0]).name}: {missing_data('eval rows')}")
    return rows


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs (blank-line separated, else line separated)."""
    parts = [p.strip() for p in text.split("\n\n") if p.strip()]
    if len(parts) <= 1:
        parts = [p.strip() for p in text.splitlines() if p.strip()]
    return parts or [text.strip()]


def title_of(row: dict) -> str:
    """The row's title, else its first words."""
    if row.get("title"):
        return str(row["title"])
    words = row["article"].split()[:10]
    return " ".join(words).rstrip(".,;:") or "Untitled"


# -- corpus files in the drop-folder formats ------------------------------------------------

FORMAT_MIX = (("prezly", 0.50), ("ninjs", 0.35), ("rss", 0.10), ("html", 0.05))
RSS_ITEMS = 3  # articles per RSS file


def _html_body(row: dict) -> str:
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs(row["article"]))


def _moment(index: int) -> datetime:
    return datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=7 * index)


def prezly_file(row: dict, index: int) -> bytes:
    """A Prezly story export (HTML body) for one eval row."""
    when = _moment(index).strftime("%Y-%m-%d %H:%M:%S")
    story = {
        "uuid": str(uuid.UUID(int=index + 1)),
        "title": title_of(row),
        "published_at": when,
        "modified_at": when,
        "url": f"https://news.example/{row['id']}/{index}",
        "culture": "en_GB",
        "slug": f"story-{index}",
        "body": _html_body(row),
        "tag_names": [row.get("source", "news"), row.get("category", "general")],
    }
    return json.dumps(story, ensure_ascii=False, indent=1).encode()


def ninjs_file(row: dict, index: int) -> bytes:
    """A ninjs 2.x item for even indexes, 1.x for odd ones."""
    when = _moment(index).isoformat()
    uri = f"urn:newsml:bench.example:{index}"
    if index % 2 == 0:
        item = {"uri": uri, "version": "1", "versioncreated": when, "firstcreated": when,
                "language": row.get("language", "en"),
                "headlines": [{"role": "main", "value": title_of(row)}],
                "bodies": [{"role": "html", "contenttype": "text/html",
                            "value": _html_body(row)}]}
    else:
        item = {"uri": uri, "versioncreated": when, "language": row.get("language", "en"),
                "headline": title_of(row), "body_html": _html_body(row)}
    return json.dumps(item, ensure_ascii=False).encode()


def rss_file(rows: list[dict], index: int) -> bytes:
    """An RSS 2.0 feed whose items carry full content:encoded bodies."""
    items = []
    for offset, row in enumerate(rows):
        when = _moment(index + offset).strftime("%a, %d %b %Y %H:%M:%S +0000")
        items.append(
            f"<item><title>{html.escape(title_of(row))}</title>"
            f"<link>https://feed.example/{index}/{offset}</link>"
            f"<guid isPermaLink=\"false\">bench-rss-{index}-{offset}</guid>"
            f"<pubDate>{when}</pubDate>"
            f"<content:encoded><![CDATA[{_html_body(row)}]]></content:encoded></item>")
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" "
            "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel>"
            "<title>Bench feed</title><link>https://feed.example/</link>"
            "<description>bench</description><language>en</language>"
            + "".join(items) + "</channel></rss>\n").encode()


def html_file(row: dict, index: int) -> bytes:
    """A saved news page with OpenGraph metadata, a menu and a footer around the article."""
    title = html.escape(title_of(row))
    when = _moment(index).isoformat()
    return (
        f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>"
        f"<meta property=\"og:title\" content=\"{title}\">"
        f"<meta property=\"og:url\" content=\"https://page.example/{index}\">"
        f"<meta property=\"article:published_time\" content=\"{when}\"></head><body>"
        "<nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>"
        f"<article><h1>{title}</h1>{_html_body(row)}</article>"
        "<footer>© Bench News. All rights reserved.</footer></body></html>"
    ).encode()


def corpus_plan(count: int, seed: int = 7) -> list[str]:
    """The format of each of `count` files, in the FORMAT_MIX proportions, shuffled."""
    plan: list[str] = []
    for name, share in FORMAT_MIX:
        plan += [name] * round(count * share)
    plan = (plan + ["prezly"] * count)[:count]
    random.Random(seed).shuffle(plan)
    return plan


def write_corpus(folder: Path, count: int, rows: list[dict], chunks: int = 1) -> list[list[str]]:
    """Write `count` article files into `folder` (split in `chunks` subfolders).

    Returns, per chunk, the plain texts of the articles it holds (for the LexRank baseline).
    Existing complete corpora (marked by a `.done` file) are reused.
    """
    marker = folder / ".done"
    texts_file = folder / ".texts.json"
    if marker.exists() and texts_file.exists():
        return json.loads(texts_file.read_text())
    folder.mkdir(parents=True, exist_ok=True)
    texts: list[list[str]] = [[] for _ in range(chunks)]
    per_chunk = -(-count // chunks)
    cursor = 0
    for index, kind in enumerate(corpus_plan(count)):
        chunk = index // per_chunk
        sub = folder / f"part{chunk:02d}"
        sub.mkdir(exist_ok=True)
        if kind == "rss":
            picked = [rows[(cursor + k) % len(rows)] for k in range(RSS_ITEMS)]
            cursor += RSS_ITEMS
            data, name = rss_file(picked, index), f"{index:06d}.rss"
        else:
            picked = [rows[cursor % len(rows)]]
            cursor += 1
            maker = {"prezly": prezly_file, "ninjs": ninjs_file, "html": html_file}[kind]
            suffix = {"prezly": "json", "ninjs": "json", "html": "html"}[kind]
            data, name = maker(picked[0], index), f"{index:06d}.{suffix}"
        (sub / name).write_bytes(data)
        texts[chunk].extend(row["article"] for row in picked)
    _age_tree(folder)
    texts_file.write_text(json.dumps(texts))
    marker.write_text("ok\n")
    return texts


def _age_tree(folder: Path, seconds: float = 600) -> None:
    """Make every file look written a while ago, so ingest's settle time never holds one."""
    past = time.time() - seconds
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, (past, past))


# -- measuring -------------------------------------------------------------------------------


def pin_one_core() -> str:
    """Run this process on one CPU (the first allowed one); return a note on what was done."""
    try:
        allowed = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {allowed[0]})
        return f"pinned to CPU {allowed[0]}"
    except (AttributeError, OSError):
        return "not pinned (no sched_setaffinity)"


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(args: list[str], timeout: float = 900) -> dict:
    """Run a benchmark child process (`python <args>`) that prints one JSON line last."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"child {args} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def percentile(values: Iterable[float], share: float) -> float:
    """The `share` percentile (0..1) by nearest rank."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[rank]


def median(values: Iterable[float]) -> float:
    """The median of some values."""
    return statistics.median(list(values))


class Stopwatch:
    """`with Stopwatch() as sw: ...` then sw.seconds (wall) and sw.cpu (process CPU)."""

    def __enter__(self) -> Stopwatch:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *_: object) -> None:
        self.seconds = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu


# -- results ---------------------------------------------------------------------------------


def machine_line() -> str:
    """Where the figures come from: CPU count, Python, SQLite, commit."""
    import sqlite3

    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, cwd=ROOT, check=False).stdout.strip()
    except OSError:
        commit = "?"
    return (f"{platform.machine()} {os.cpu_count()} CPU(s), Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}, commit {commit or '?'}")


def append_results(name: str, title: str, command: str, lines: list[str],
                   write: bool = True) -> None:
    """Print the figures, and append them as a dated section to bench/results/<name>.md."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = [f"## {stamp} — {title}", "", f"`{command}`", "", f"Machine: {machine_line()}", "",
               *lines, ""]
    print("\n".join(section))
    if not write:
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.md"
    if not path.exists():
        path.write_text(f"# {title}\n\nAppended by `bench/{name}.py`; newest last.\n\n")
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(section) + "\n")


def remove_database(path: Path) -> None:
    """Delete a SQLite file with its WAL and shared-memory files."""
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)


def profile_text(profiler, sort: str, limit: int) -> str:
    """The top of a cProfile run as text, without pstats' header lines."""
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(limit)
    return "\n".join(line for line in out.getvalue().splitlines()
                     if line.strip() and not line.startswith(("   Ordered", "   List")))
