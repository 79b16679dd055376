"""End to end: /metrics and /healthz of the real `newsbot run`, and `newsbot check` against it.

A run with known work (two stories, two bad files, two commands, a digest, a blocked chat, a
reset, a 429 and a 502) is scraped, and each count must be what the run did.
"""

from __future__ import annotations

import socket

from tests.bot_process import (
    TOKEN,
    BotProcess,
    ask,
    digest_messages,
    newsbot_cli,
    start_webhook_bot,
    stored_chat,
    subscribe,
    wait_until,
)
from tests.botapi.webhook import WebhookDelivery
from tests.helpers import free_port, http_get, sample, scrape, write

USER, SUBSCRIBER, BLOCKED = 1001, 1005, 1006


def test_metrics_count_what_the_run_did(api, start_bot, workdir):
    write(workdir / "articles", "broken.json", '{"title": "half a file')
    write(workdir / "articles", "empty.txt", "")
    for chat_id in (SUBSCRIBER, BLOCKED):
        api.add_chat(chat_id)
        subscribe(workdir, chat_id)
    api.block_chat(BLOCKED)
    # One reset, one 429 and one 502 on the first sends; every one is retried until it is out.
    api.drop_next("sendMessage", 1)
    api.fail_next("sendMessage", 1, error_code=429, retry_after=1)
    api.fail_next("sendMessage", 1, error_code=502)
    port = free_port()
    start_bot(NEWSBOT_HTTP_PORT=str(port))
    ask(api, USER, "/start")
    ask(api, USER, "/search harbour")
    wait_until(lambda: digest_messages(api, SUBSCRIBER), timeout=20)
    wait_until(lambda: not stored_chat(workdir, BLOCKED).active)

    def settled():
        metrics = scrape(port)
        done = (sample(metrics, "newsbot_reply_seconds_count") >= 2
                and sample(metrics, "newsbot_digests_total", outcome="unreachable") >= 1
                and sample(metrics, "newsbot_digests_total", outcome="ok") >= 1)
        return metrics if done else None

    metrics = wait_until(settled, timeout=20)
    assert sample(metrics, "newsbot_articles_total", outcome="new") == 2
    assert sample(metrics, "newsbot_articles_total", outcome="updated") == 0
    assert sample(metrics, "newsbot_files_rejected_total", reason="invalid_json") == 1
    assert sample(metrics, "newsbot_files_rejected_total", reason="empty") == 1
    assert sample(metrics, "newsbot_files_watched") == 4
    assert sample(metrics, "newsbot_scan_duration_seconds_count") >= 1
    assert sample(metrics, "newsbot_messages_sent_total", kind="reply") == 2
    assert sample(metrics, "newsbot_messages_sent_total", kind="digest") == len(
        digest_messages(api, SUBSCRIBER))
    assert sample(metrics, "newsbot_send_errors_total", kind="429") == 1
    assert sample(metrics, "newsbot_send_errors_total", kind="403") == 1
    assert sample(metrics, "newsbot_send_errors_total", kind="5xx") == 1
    assert sample(metrics, "newsbot_send_errors_total", kind="network") == 1
    assert sample(metrics, "newsbot_send_errors_total", kind="400") == 0
    assert sample(metrics, "newsbot_flood_wait_seconds_total") == 1
    assert sample(metrics, "newsbot_digests_due_total") >= 2
    assert sample(metrics, "newsbot_digests_total", outcome="ok") == 1
    assert sample(metrics, "newsbot_digests_total", outcome="unreachable") == 1
    assert sample(metrics, "newsbot_reply_seconds_count") == 2
    assert sample(metrics, "newsbot_database_bytes") > 0
    status, body = http_get(f"http://127.0.0.1:{port}/metrics")
    assert status == 200 and TOKEN not in body and TOKEN.split(":")[1] not in body


def test_healthz_and_check_report_a_database_that_stopped_answering(api, workdir):
    # Not the start_bot fixture: scans fail (with their traceback) while the database is gone,
    # which that fixture counts as a bug.
    port = free_port()
    data = workdir / "data"
    data.mkdir()
    bot = BotProcess(workdir, api.url, NEWSBOT_HTTP_PORT=str(port),
                     NEWSBOT_DB=str(data / "newsbot.db")).start()
    try:
        wait_until(lambda: "bot.telegram_app: ingest:" in bot.log(), timeout=30)
        healthz = f"http://127.0.0.1:{port}/healthz"
        status, body = http_get(healthz)
        assert status == 200 and body.startswith("ok: database answers"), body
        assert "Telegram answered" in body
        check = newsbot_cli(workdir, "check", NEWSBOT_HTTP_PORT=str(port))
        out, err = check.communicate(timeout=30)
        assert check.returncode == 0 and out.startswith("ok:"), (out, err)

        data.rename(workdir / "unmounted")  # as far as a new reader can tell, the disk went away
        status, body = http_get(healthz)
        assert status == 503 and body.startswith("unhealthy: database does not answer"), body
        check = newsbot_cli(workdir, "check", NEWSBOT_HTTP_PORT=str(port))
        out, err = check.communicate(timeout=30)
        assert check.returncode == 1 and "database does not answer" in err, (out, err)
        assert "Traceback" not in err and len(err.splitlines()) == 1

        (workdir / "unmounted").rename(data)
        assert wait_until(lambda: http_get(healthz)[0] == 200)
    finally:
        bot.stop()
    assert TOKEN not in bot.log()


def test_check_without_a_running_bot_or_a_port_says_so_in_one_line(workdir):
    port = free_port()
    check = newsbot_cli(workdir, "check", NEWSBOT_HTTP_PORT=str(port))
    out, err = check.communicate(timeout=30)
    assert check.returncode == 1 and "no answer from" in err and len(err.splitlines()) == 1
    check = newsbot_cli(workdir, "check")
    out, err = check.communicate(timeout=30)
    assert check.returncode == 2 and "NEWSBOT_HTTP_PORT is not set" in err


def test_healthz_in_webhook_mode_reports_that_telegram_cannot_deliver(api, start_bot):
    http_port, webhook_port = free_port(), free_port()
    # The "proxy" forwards to a port nothing listens on: every delivery is refused.
    with WebhookDelivery(api, f"http://127.0.0.1:{free_port()}"):
        start_webhook_bot(start_bot, webhook_port, NEWSBOT_HTTP_PORT=str(http_port),
                          NEWSBOT_HEALTH_TELEGRAM_SECONDS="30")
        api.wait_for_calls("setWebhook", timeout=30)
        api.inject_message(USER, "/start")
        healthz = f"http://127.0.0.1:{http_port}/healthz"

        def reported():
            status, body = http_get(healthz)
            return (status, body) if "cannot deliver" in body else None

        status, body = wait_until(reported, timeout=30)
        assert status == 503, body
        assert "Connection refused (1 update(s) waiting)" in body
        assert api.calls_to("getWebhookInfo")


def test_a_busy_port_stops_the_start_with_one_line(api, workdir):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = str(taken.getsockname()[1])
        for env, says in (({"NEWSBOT_HTTP_PORT": busy}, "cannot serve health and metrics"),
                          ({"NEWSBOT_WEBHOOK_URL": "https://bot.example.org/hook",
                            "NEWSBOT_WEBHOOK_PORT": busy}, "cannot listen for the webhook")):
            run = newsbot_cli(workdir, "run", TELEGRAM_BOT_TOKEN=TOKEN,
                              TELEGRAM_API_URL=api.url, **env)
            out, err = run.communicate(timeout=60)
            problems = [line for line in err.splitlines() if "newsbot:" in line]
            assert run.returncode == 2, (out, err)
            assert problems == [f"newsbot: {says} on 127.0.0.1:{busy}: Address already in use"]
            assert "Traceback" not in err and TOKEN not in err


def test_healthz_answers_while_telegram_is_unreachable_at_start(api, start_bot):
    api.fail_next("getMe", 10_000, error_code=502)  # PTB retries getMe until it works
    port = free_port()
    start_bot(wait=False, NEWSBOT_HTTP_PORT=str(port))
    healthz = f"http://127.0.0.1:{port}/healthz"

    def health_saying(words: str):
        status, body = http_get(healthz)
        return (status, body) if words in body else None

    status, body = wait_until(lambda: health_saying("no answer from Telegram yet"), timeout=30)
    assert status == 200, body  # within the allowed silence after start
    assert api.calls_to("getUpdates") == []  # the bot really is still waiting for getMe
    api.clear_faults("getMe")
    api.wait_for_calls("getUpdates", timeout=60)
    status, body = wait_until(lambda: health_saying("Telegram answered"), timeout=30)
    assert status == 200, body
