"""Digest fan-out: 10,000 subscribed chats, one digest each, through the real sending path.

    .venv/bin/python bench/fanout.py            # 10,000 chats (~6 min at 30 msg/s)
    .venv/bin/python bench/fanout.py --quick    # 20 chats (smoke test)

A local Bot API stand-in (tests/botapi/) on 127.0.0.1 enforces Telegram's 30 messages/s with
429 + retry_after. The bot is the real application from `bot.telegram_app.build_application`
(PTB Bot over httpx, AIORateLimiter, NewsBot.send / deliver_digest / bot.delivery.deliver and
the ledger). All chats are due; the scheduler's minute tick (`NewsBot.digest_tick`, one job for
every chat, not one timer per chat) is called once, as the JobQueue would, and every digest
task it creates is awaited. Reported: achieved rate (goal >= 95 % of 30/s), chats missed and
duplicated (goal: none), 429s seen, time the tick held the event loop, CPU per message.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    append_results,
    load_eval_rows,
    paragraphs,
    peak_rss_mb,
    title_of,
)

TOKEN = "123456:BENCH-token"
FIRST_CHAT = 50_000_000
RATE = 30


def seed_database(db_path: Path, chats: int, articles: int = 4) -> None:
    """A few fresh articles and `chats` subscribed chats whose daily digest is due now."""
    from storage import articles as article_store
    from storage import chats as chat_store
    from storage.db import open_database, transaction
    from storage.records import Article

    conn = open_database(db_path).conn
    for index, row in enumerate(load_eval_rows()[:articles]):
        text = "\n\n".join(paragraphs(row["article"]))
        sentences = text.split(". ")[:2]
        article_store.store(conn, Article(title=title_of(row), body=text, format="prezly",
                                          id=f"fanout-{index}", language="en",
                                          url=f"https://news.example/fanout/{index}"),
                            [s.rstrip(".") + "." for s in sentences])
    subscribed = datetime.now(UTC) - timedelta(days=2)
    with transaction(conn):
        for offset in range(chats):
            chat_store.save_chat(conn, chat_store.Chat(
                chat_id=FIRST_CHAT + offset, title=f"Reader {offset}", timezone="UTC",
                digest_time="00:00", subscribed=True, subscribed_at=subscribed))
    conn.close()


async def fan_out(settings, timeout: float) -> dict:
    """Run one digest tick over the real application and wait for every digest task."""
    from bot.telegram_app import build_application

    app, newsbot = build_application(settings)
    await app.initialize()
    context = SimpleNamespace(application=app, bot=app.bot)
    await newsbot.ingest_job(context)  # the first scan at start (empty drop folder here)
    loop_cpu, process_cpu = time.thread_time(), time.process_time()
    started = time.monotonic()
    try:
        await newsbot.digest_tick(context)
        tick_seconds = time.monotonic() - started
        tasks = [task for task in asyncio.all_tasks()
                 if task.get_name().startswith("digest-")]
        if not tasks:
            raise RuntimeError("the digest tick found no chat due")
        done, pending = await asyncio.wait(tasks, timeout=timeout)
        for task in pending:
            task.cancel()
        finished = time.monotonic()
    finally:
        loop_cpu, process_cpu = time.thread_time() - loop_cpu, time.process_time() - process_cpu
        await app.shutdown()
    return {"tick_seconds": tick_seconds, "tasks": len(tasks), "pending": len(pending),
            "wall": finished - started, "loop_cpu": loop_cpu, "process_cpu": process_cpu}


def main(argv: list[str] | None = None) -> int:
    """Run the fan-out benchmark and append to bench/results/fanout.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="20 chats")
    parser.add_argument("--send-rate", type=float, metavar="RATE", default=None,
                        help="NEWSBOT_SEND_RATE for this run (default: the setting's default)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    if args.quick:
        args.chats = 20
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("bot.telegram_app").setLevel(logging.WARNING)
    sys.path.insert(0, str(ROOT / "tests"))
    from botapi import BotApiStandIn

    from bot.settings import Settings
    from storage.db import connect

    send_rate = args.send_rate or Settings().send_rate
    limiter = (f"AIORateLimiter paced evenly at NEWSBOT_SEND_RATE={send_rate:g}/s, max_retries=3,"
               " as built by bot/telegram_app.py")

    timeout = 60 + 3 * args.chats / RATE
    with tempfile.TemporaryDirectory() as tmp, BotApiStandIn(token=TOKEN) as api:
        db_path = Path(tmp) / "fanout.db"
        seed_database(db_path, args.chats)
        for offset in range(args.chats):
            api.add_chat(FIRST_CHAT + offset, "private", first_name=f"Reader {offset}")
        api.rate_limit(per_second=RATE)
        (Path(tmp) / "drop").mkdir()
        settings = Settings(token=TOKEN, api_url=api.url, db_path=db_path,
                            articles_dir=Path(tmp) / "drop", timezone="UTC", digest_time="00:00",
                            send_rate=send_rate)
        result = asyncio.run(fan_out(settings, timeout))
        sent = [record for record in api.sent if record["method"] == "sendMessage"]
        attempts = len(api.calls_to("sendMessage"))
        conn = connect(db_path)
        ledger = conn.execute("SELECT count(DISTINCT chat_id) FROM deliveries").fetchone()[0]
        finished_chats = conn.execute(
            "SELECT count(*) FROM chats WHERE last_digest_at IS NOT NULL").fetchone()[0]
        conn.close()
    per_chat = Counter(record["chat_id"] for record in sent)
    missed = sum(1 for offset in range(args.chats) if per_chat[FIRST_CHAT + offset] == 0)
    duplicates = sum(count - 1 for count in per_chat.values() if count > 1)
    times = sorted(record["time"] for record in sent)
    span = times[-1] - times[0] if len(times) > 1 else float("nan")
    rate = (len(times) - 1) / span if len(times) > 1 else float("nan")
    # Busiest and quietest whole seconds after the first one, as the stand-in counted them.
    seconds = Counter(int(t - times[0]) for t in times) if times else Counter()
    whole = [seconds[s] for s in range(1, int(span))] if times and span > 2 else []
    rate_goal = 0.95 * RATE
    lines = [
        f"{args.chats:,} subscribed private chats, one digest message each (4 articles); "
        f"stand-in limit {RATE} msg/s (429 + retry_after beyond it); rate limiter: {limiter}.",
        "",
        "| figure | value | goal |",
        "|---|---|---|",
        f"| messages delivered | {len(sent):,} | {args.chats:,} |",
        f"| chats missed / duplicate messages | {missed} / {duplicates} | 0 / 0 |",
        f"| chats in the ledger / with cursor moved | {ledger:,} / {finished_chats:,} | "
        f"{args.chats:,} |",
        f"| achieved rate, first to last message | **{rate:.2f} msg/s** "
        f"({100 * rate / RATE:.1f} % of {RATE}) | >= {rate_goal:.1f} |",
        "| messages per whole second: min / median / max | "
        + (f"{min(whole)} / {sorted(whole)[len(whole) // 2]} / {max(whole)}" if whole else "-")
        + " | |",
        f"| sendMessage calls refused with 429 | {attempts - len(sent):,} | |",
        f"| digest tick (build {args.chats:,} digests, schedule tasks), event loop held | "
        f"{result['tick_seconds']:.2f} s | |",
        f"| wall time, tick to last digest | {result['wall']:.1f} s | |",
        f"| CPU per message, event-loop thread (bot only) | "
        f"{1000 * result['loop_cpu'] / max(1, len(sent)):.2f} ms | |",
        f"| CPU per message, whole process (bot + stand-in server threads) | "
        f"{1000 * result['process_cpu'] / max(1, len(sent)):.2f} ms | |",
        f"| peak RSS of the process (bot + stand-in) | {peak_rss_mb():.0f} MB | |",
        "",
        "Goals: rate " + ("met" if rate >= rate_goal else "MISSED") + ", none missed "
        + ("met" if missed == 0 and result["pending"] == 0 else "MISSED") + ", no duplicates "
        + ("met" if duplicates == 0 else "MISSED") + ".",
    ]
    command = "bench/fanout.py" + (" --quick" if args.quick else "") + (
        f" --chats {args.chats}" if args.chats not in (10_000, 20) else "") + (
        f" --send-rate {args.send_rate:g}" if args.send_rate else "")
    append_results("fanout", "Digest fan-out", command, lines, write=not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
