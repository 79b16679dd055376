"""Drop-to-post latency: a file renamed into the drop folder until it reaches an instant target.

    .venv/bin/python bench/latency.py            # 200 files watched + 30 by the scan alone (~9 min)
    .venv/bin/python bench/latency.py --quick    # 5 files watched, no baseline (smoke test)

The real `newsbot run` runs as a subprocess against the Bot API stand-in (Telegram's limits on)
with one private chat subscribed in instant mode. Files (Prezly stories from the eval texts)
are written outside the folder and renamed in, as careful newsroom systems publish, at random
intervals (uniform 0.5-3.5 s, seeded); the stand-in stamps each post on arrival, in this
process's clock. Phase 1: the watcher on (inotify through watchdog). Phase 2 (baseline, same
run): the watcher off, the periodic scan alone at the default NEWSBOT_INGEST_INTERVAL (60 s).
Goal: p95 <= 5 s with the watcher.

NEWSBOT_BURST is raised for the run so every file is its own post: the burst rule (more than 5
posts a minute become one combined message) is a separate behaviour and would hide what the
watcher does. The interval keeps under the 1 message/s per private chat.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import append_results, load_eval_rows, paragraphs, title_of  # noqa: E402

READER = 4242


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the sorted values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def stories(rows: list[dict], count: int) -> list[tuple[str, str]]:
    """(title, Prezly JSON) for `count` stories with unique titles, from the eval rows."""
    out = []
    for number in range(count):
        row = rows[number % len(rows)]
        title = " ".join(f"{title_of(row)[:80]} [latency {number}]".split())
        body = "".join(f"<p>{p}</p>" for p in paragraphs(row["article"])[:6])
        out.append((title, json.dumps({"uuid": f"latency-{number}", "title": title,
                                       "body": body, "culture": "en",
                                       "published_at": datetime.now(UTC).isoformat()})))
    return out


def run_phase(api, workdir: Path, published_stories: list[tuple[str, str]], watch: bool,
              seed: int, low: float, high: float) -> list[float]:
    """Start the bot, publish `files` stories at random intervals, return their latencies."""
    from storage import chats as chat_store
    from storage.chats import Mode
    from storage.db import open_database
    from tests.bot_process import BotProcess

    db = open_database(workdir / "newsbot.db")
    chat_store.subscribe(db.conn, READER, datetime.now(UTC), mode=Mode.INSTANT)
    db.conn.close()
    bot = BotProcess(workdir, api.url, log_level="WARNING", NEWSBOT_INGEST_INTERVAL="60",
                     NEWSBOT_SCHEDULE_TICK="60", NEWSBOT_WATCH="on" if watch else "off",
                     NEWSBOT_BURST="100000", NEWSBOT_SETTLE_SECONDS="2").start()
    try:
        api.wait_for_calls("getUpdates", timeout=60)
        time.sleep(1.0)  # the first scan and the watcher are up
        folder, outside = workdir / "articles", workdir / "outside"
        outside.mkdir(exist_ok=True)
        rng = random.Random(seed)
        published: dict[str, float] = {}
        for title, data in published_stories:
            time.sleep(rng.uniform(low, high))
            path = outside / f"{len(published)}-{seed}.json"
            path.write_text(data, encoding="utf-8")
            published[title] = time.monotonic()
            os.rename(path, folder / path.name)
        deadline = time.monotonic() + (15 if watch else 75)
        while time.monotonic() < deadline:
            arrived = {m["plain"].splitlines()[0] for m in api.messages_to(READER)}
            if all(title in arrived for title in published):
                break
            time.sleep(0.2)
    finally:
        bot.stop()
    received: dict[str, float] = {}
    for record in api.messages_to(READER):
        received.setdefault(record["plain"].splitlines()[0], record["time"])
    return [received[t] - moment if t in received else float("inf")
            for t, moment in published.items()]


def summary(name: str, latencies: list[float]) -> str:
    """One table row: count, lost, p50 / p95 / p99 / max."""
    lost = sum(1 for value in latencies if value == float("inf"))
    figures = " / ".join(f"{percentile(latencies, q):.2f} s" for q in (0.5, 0.95, 0.99, 1.0))
    return f"| {name} | {len(latencies)} | {lost} | {figures} |"


def main(argv: list[str] | None = None) -> int:
    """Run both phases and append to bench/results/latency.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--baseline-files", type=int, default=30)
    parser.add_argument("--quick", action="store_true", help="5 files, no baseline")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    low, high = 0.5, 3.5
    if args.quick:
        args.files, args.baseline_files, low, high = 5, 0, 1.1, 1.5
    sys.path.insert(0, str(ROOT / "tests"))
    from tests.bot_process import TOKEN  # the token BotProcess gives `newsbot run`
    from tests.botapi import BotApiStandIn

    texts = load_eval_rows()  # first: without the shared data, say so before starting anything
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        phases = [("watcher (inotify) + scan every 60 s", args.files, True)]
        if args.baseline_files:
            phases.append(("baseline: scan every 60 s alone", args.baseline_files, False))
        results = {}
        for index, (name, files, watch) in enumerate(phases):
            workdir = Path(tmp) / f"phase-{index}"
            (workdir / "articles").mkdir(parents=True)
            with BotApiStandIn(token=TOKEN) as api:
                api.add_chat(READER)
                api.telegram_limits()
                results[name] = run_phase(api, workdir, stories(texts, files), watch,
                                          seed=11 + index, low=low, high=high)
                refused = len(api.refused_by_limits)
            rows.append(summary(name, results[name]))
    watched = results[phases[0][0]]
    p95 = percentile(watched, 0.95)
    lines = [
        f"Files renamed into the drop folder at random intervals ({low:g}-{high:g} s), one "
        "private chat in instant mode; the real `newsbot run` against the stand-in with "
        f"Telegram's limits (last phase: {refused} sends refused by them).",
        "",
        "| phase | files | lost | latency p50 / p95 / p99 / max |",
        "|---|---|---|---|",
        *rows,
        "",
    ]
    if args.baseline_files:
        baseline = results[phases[1][0]]
        share50 = 100 * percentile(watched, 0.5) / percentile(baseline, 0.5)
        share95 = 100 * p95 / percentile(baseline, 0.95)
        lines.append(f"Watcher p50 is {share50:.1f} % and p95 {share95:.1f} % of the scan-only "
                     "baseline's.")
    lines.append(f"Goal p95 <= 5 s: **{'met' if p95 <= 5 else 'MISSED'}** ({p95:.2f} s).")
    command = "bench/latency.py" + (" --quick" if args.quick else "")
    append_results("latency", "Drop-to-post latency", command, lines, write=not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
