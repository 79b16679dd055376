"""Digest fan-out: 10,000 subscribed chats, one digest each, while users send commands.

    .venv/bin/python bench/fanout.py            # 10,000 chats (~6 min at 30 msg/s)
    .venv/bin/python bench/fanout.py --quick    # 20 chats (smoke test)

A local Bot API stand-in (tests/botapi/) on 127.0.0.1 enforces Telegram's limits with 429 +
retry_after: 30 messages/s overall, 1/s per private chat, 20/min per group or channel. The bot
is the real application from `bot.telegram_app.build_application` (PTB Bot over httpx, the
bot.send pacer and retry policy, bot.delivery and the ledger). All chats are due; the minute
tick (`NewsBot.digest_tick`, one job for every chat, not one timer per chat) is called once, as
the JobQueue would, and every digest task it creates is awaited. Meanwhile, every
--command-every seconds a user sends /search or /latest (a real Update through PTB's handlers
and the same sender); the time from the update to the stand-in receiving the answer is its
latency. Reported: achieved rate (goal >= 95 % of 30/s), chats missed and duplicated (goal:
none), 429s seen, command latency p50/p95/p99 (goal p99 <= 1 s), tick time, CPU per message.
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
FIRST_USER = 90_000_000
USERS = 50  # commands come round-robin from these users (each under the per-user throttle)
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


def command_update(number: int) -> dict:
    """The Update of a user typing a command (alternately /search and /latest)."""
    user = FIRST_USER + number % USERS
    text = "/search government" if number % 2 == 0 else "/latest 3"
    return {"update_id": 1_000_000 + number, "message": {
        "message_id": 1_000 + number, "date": int(time.time()), "text": text,
        "chat": {"id": user, "type": "private", "first_name": f"User {number % USERS}"},
        "from": {"id": user, "is_bot": False, "first_name": f"User {number % USERS}"},
        "entities": [{"type": "bot_command", "offset": 0, "length": text.index(" ")}]}}


async def fan_out(settings, timeout: float, command_every: float) -> dict:
    """Run one digest tick over the real application, send commands while the digests go out,
    and wait for every digest task."""
    from telegram import Update

    from bot.telegram_app import build_application

    app, newsbot = build_application(settings)
    await app.initialize()
    context = SimpleNamespace(application=app, bot=app.bot)
    await newsbot.ingest_job(context)  # the first scan at start (empty drop folder here)
    loop_cpu, process_cpu = time.thread_time(), time.process_time()
    started = time.monotonic()
    asked: list[tuple[int, float]] = []  # (user chat id, when the update was handed to PTB)
    stop = asyncio.Event()

    async def users() -> None:
        number = 0
        while not stop.is_set():
            await asyncio.sleep(command_every)
            update = Update.de_json(command_update(number), app.bot)
            asked.append((update.effective_chat.id, time.monotonic()))
            app.create_task(app.process_update(update), name=f"command-{number}")
            number += 1

    commands = asyncio.create_task(users())
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
        stop.set()
        await commands
        await asyncio.sleep(2)  # the last commands' answers
    finally:
        loop_cpu, process_cpu = time.thread_time() - loop_cpu, time.process_time() - process_cpu
        await app.shutdown()
    return {"tick_seconds": tick_seconds, "tasks": len(tasks), "pending": len(pending),
            "wall": finished - started, "loop_cpu": loop_cpu, "process_cpu": process_cpu,
            "asked": asked, "fan_out_end": finished}


def command_latencies(asked: list[tuple[int, float]], sent: list[dict],
                      until: float) -> list[float]:
    """Seconds from each command asked during the fan-out to its answer (inf: unanswered)."""
    answers: dict[int, list[float]] = {}
    for record in sent:
        if record["chat_id"] >= FIRST_USER:
            answers.setdefault(record["chat_id"], []).append(record["time"])
    latencies = []
    for chat_id, moment in asked:
        replies = answers.get(chat_id, [])
        answer = next((t for t in replies if t >= moment), None)
        if answer is not None:
            replies.remove(answer)
        if moment <= until:
            latencies.append(answer - moment if answer is not None else float("inf"))
    return latencies


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the sorted values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def main(argv: list[str] | None = None) -> int:
    """Run the fan-out benchmark and append to bench/results/fanout.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="20 chats")
    parser.add_argument("--send-rate", type=float, metavar="RATE", default=None,
                        help="NEWSBOT_SEND_RATE for this run (default: the setting's default)")
    parser.add_argument("--command-every", type=float, default=0.5, metavar="S",
                        help="seconds between users' commands during the fan-out")
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
    limiter = (f"bot/send.py Pacer at NEWSBOT_SEND_RATE={send_rate:g}/s overall, answers first, "
               "1.25 s per private chat, 3.25 s per group")

    timeout = 60 + 3 * args.chats / RATE
    with tempfile.TemporaryDirectory() as tmp, BotApiStandIn(token=TOKEN) as api:
        db_path = Path(tmp) / "fanout.db"
        seed_database(db_path, args.chats)
        for offset in range(args.chats):
            api.add_chat(FIRST_CHAT + offset, "private", first_name=f"Reader {offset}")
        for offset in range(USERS):
            api.add_chat(FIRST_USER + offset, "private", first_name=f"User {offset}")
        api.telegram_limits()
        (Path(tmp) / "drop").mkdir()
        settings = Settings(token=TOKEN, api_url=api.url, db_path=db_path,
                            articles_dir=Path(tmp) / "drop", timezone="UTC", digest_time="00:00",
                            send_rate=send_rate)
        result = asyncio.run(fan_out(settings, timeout, args.command_every))
        everything = [record for record in api.sent if record["method"] == "sendMessage"]
        refused = api.refused_by_limits
        sent = [record for record in everything if record["chat_id"] < FIRST_USER]
        attempts = len(api.calls_to("sendMessage"))
        conn = connect(db_path)
        ledger = conn.execute("SELECT count(DISTINCT chat_id) FROM deliveries").fetchone()[0]
        finished_chats = conn.execute(
            "SELECT count(*) FROM chats WHERE last_digest_at IS NOT NULL").fetchone()[0]
        conn.close()
    per_chat = Counter(record["chat_id"] for record in sent)
    missed = sum(1 for offset in range(args.chats) if per_chat[FIRST_CHAT + offset] == 0)
    duplicates = sum(count - 1 for count in per_chat.values() if count > 1)
    latencies = command_latencies(result["asked"], everything, result["fan_out_end"])
    answered = [value for value in latencies if value != float("inf")]
    times = sorted(record["time"] for record in everything if record["time"] <= max(
        r["time"] for r in sent))
    span = times[-1] - times[0] if len(times) > 1 else float("nan")
    rate = (len(times) - 1) / span if len(times) > 1 else float("nan")
    # Busiest and quietest whole seconds after the first one, as the stand-in counted them.
    seconds = Counter(int(t - times[0]) for t in times) if times else Counter()
    whole = [seconds[s] for s in range(1, int(span))] if times and span > 2 else []
    rate_goal = 0.95 * RATE
    lines = [
        f"{args.chats:,} subscribed private chats, one digest message each (4 articles); "
        f"stand-in limits {RATE} msg/s overall, 1/s per private chat, 20/min per group "
        f"(429 + retry_after beyond them); pacing: {limiter}. A user command every "
        f"{args.command_every:g} s during the fan-out ({USERS} users, /search and /latest).",
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
        f"| sendMessage calls refused with 429 (by limit) | {attempts - len(everything):,} "
        f"({len(refused)} by the limits) | |",
        f"| commands during the fan-out / answered | {len(latencies)} / {len(answered)} | all |",
        "| command latency p50 / p95 / p99 / max | "
        + (" / ".join(f"{percentile(latencies, q):.2f} s" for q in (0.5, 0.95, 0.99, 1.0))
           if latencies else "-") + " | p99 <= 1 s |",
        f"| digest tick (build {args.chats:,} digests, schedule tasks), event loop held | "
        f"{result['tick_seconds']:.2f} s | |",
        f"| wall time, tick to last digest | {result['wall']:.1f} s | |",
        f"| CPU per message, event-loop thread (bot only) | "
        f"{1000 * result['loop_cpu'] / max(1, len(sent)):.2f} ms | |",
        f"| CPU per message, whole process (bot + stand-in server threads) | "
        f"{1000 * result['process_cpu'] / max(1, len(sent)):.2f} ms | |",
        f"| peak RSS of the process (bot + stand-in) | {peak_rss_mb():.0f} MB | |",
        "",
        "Goals: rate " + ("met" if rate >= rate_goal else "MISSED") + ", commands p99 "
        + ("met" if latencies and percentile(latencies, 0.99) <= 1.0 else "MISSED")
        + ", none missed "
        + ("met" if missed == 0 and result["pending"] == 0 else "MISSED") + ", no duplicates "
        + ("met" if duplicates == 0 else "MISSED") + ".",
    ]
    command = "bench/fanout.py" + (" --quick" if args.quick else "") + (
        f" --chats {args.chats}" if args.chats not in (10_000, 20) else "") + (
        f" --command-every {args.command_every:g}" if args.command_every != 0.5 else "") + (
        f" --send-rate {args.send_rate:g}" if args.send_rate else "")
    append_results("fanout", "Digest fan-out", command, lines, write=not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
