"""End to end in webhook mode: the real `newsbot run` receives updates as Telegram POSTs them.

The stand-in records setWebhook/deleteWebhook and, through tests/botapi/webhook.py, POSTs each
update to the bot's webhook with the secret header, as Telegram does behind a reverse proxy.
"""

from __future__ import annotations

from tests.bot_process import (
    TOKEN,
    WEBHOOK_URL,
    ask,
    digest_messages,
    drop_story,
    newsbot_cli,
    start_webhook_bot,
    subscribe,
    wait_until,
)
from tests.botapi.webhook import WebhookDelivery
from tests.helpers import free_port

USER, SUBSCRIBER, STRANGER = 1001, 1005, 1099


def test_webhook_mode_answers_commands_buttons_and_digests(api, start_bot, workdir):
    for number in range(3):
        drop_story(workdir / "articles", f"w{number}", f"Webhook story number {number}")
    api.add_chat(SUBSCRIBER)
    subscribe(workdir, SUBSCRIBER)
    port = free_port()
    with WebhookDelivery(api, f"http://127.0.0.1:{port}") as telegram:
        bot = start_webhook_bot(start_bot, port)
        # Ours, to fail fast on a refused URL, then PTB's bootstrap: the same both times.
        first, registered = api.wait_for_calls("setWebhook", count=2, timeout=30)
        assert first["url"] == registered["url"] == WEBHOOK_URL
        same_secret = first["secret_token"] == registered["secret_token"]
        assert same_secret, "the two setWebhook calls carry different secrets"
        secret = registered["secret_token"]
        long_enough = len(secret) >= 32
        assert long_enough, "the random secret is short"  # (never printed: it is a secret)
        assert "message" in registered["allowed_updates"]
        assert "callback_query" in registered["allowed_updates"]

        found = ask(api, USER, "/search harbour")
        assert "Harbour expansion approved" in found["plain"]
        first = ask(api, USER, "/latest 2")
        [[older]] = first["reply_markup"]["inline_keyboard"]
        api.inject_callback(USER, first["message_id"], older["callback_data"], user_id=USER)
        edit = api.wait_for(lambda m: m["method"] == "editMessageText", timeout=15)[0]
        assert edit["message_id"] == first["message_id"] and edit["plain"] != first["plain"]
        wait_until(lambda: digest_messages(api, SUBSCRIBER), timeout=20)

        # Every update came through the webhook, each POST carrying the secret.
        delivered = [d for d in telegram.deliveries if d.status == 200]
        with_secret = all(d.secret == secret for d in delivered)
        assert len(delivered) >= 3 and with_secret, "a delivery lacked the secret"
        assert api.calls_to("getUpdates") == []
        bot.stop()
    log = "".join(bot.logs)
    leaked = secret in log or TOKEN in log
    assert not leaked, "the webhook secret or the token is in the bot's log"
    assert "deleteWebhook" not in [name for name, _ in api.calls]  # updates wait at Telegram


def test_updates_without_the_secret_are_refused(api, start_bot):
    port = free_port()
    with WebhookDelivery(api, f"http://127.0.0.1:{port}") as telegram:
        bot = start_webhook_bot(start_bot, port, NEWSBOT_WEBHOOK_SECRET="operator-chosen_Secret-1")
        calls = api.wait_for_calls("setWebhook", count=2, timeout=30)
        configured = {call["secret_token"] for call in calls} == {"operator-chosen_Secret-1"}
        assert configured, "setWebhook did not carry NEWSBOT_WEBHOOK_SECRET"
        forged = {"update_id": 777, "message": {
            "message_id": 1, "date": 1764576000, "text": "/start",
            "chat": {"id": STRANGER, "type": "private", "first_name": "Mallory"},
            "from": {"id": STRANGER, "is_bot": False, "first_name": "Mallory"},
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}
        assert telegram.post(WEBHOOK_URL, forged, secret=None) == 403
        assert telegram.post(WEBHOOK_URL, forged, secret="operator-chosen_Secret-2") == 403
        assert telegram.post(WEBHOOK_URL, forged, secret="") == 403
        # Same chat, real Telegram delivery: only this one is answered.
        api.add_chat(STRANGER)
        reply = ask(api, STRANGER, "/start")
        assert "/latest" in reply["plain"]
        assert len(api.messages_to(STRANGER)) == 1
        bot.stop()
    leaked = "operator-chosen_Secret-1" in "".join(bot.logs)
    assert not leaked, "the webhook secret is in the bot's log"


def test_switching_back_to_polling_deletes_the_webhook(api, start_bot):
    port = free_port()
    with WebhookDelivery(api, f"http://127.0.0.1:{port}"):
        webhook_bot = start_webhook_bot(start_bot, port)
        api.wait_for_calls("setWebhook", timeout=30)
        assert ask(api, USER, "/start")["plain"]
        assert webhook_bot.stop() == 0  # SIGTERM ends webhook mode cleanly too
    polling_bot = start_bot()  # waits for getUpdates: it fails with 409 while a webhook is set
    assert api.wait_for_calls("deleteWebhook", timeout=30)
    names = [name for name, _ in api.calls]
    assert names.index("deleteWebhook") > names.index("setWebhook")
    assert "/latest" in ask(api, USER, "/start")["plain"]
    assert polling_bot.stop() == 0


def test_a_webhook_url_telegram_refuses_stops_the_start_with_its_reason(api, workdir):
    # http:// passes our settings check with a self-hosted Bot API server (the stand-in's URL
    # is not the cloud's), but this server, like the cloud, takes HTTPS only.
    run = newsbot_cli(workdir, "run", TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=api.url,
                      NEWSBOT_WEBHOOK_URL="http://bot.example.org/hook",
                      NEWSBOT_WEBHOOK_PORT=str(free_port()))
    out, err = run.communicate(timeout=60)
    assert run.returncode == 2, (out, err)
    problems = [line.lower() for line in err.splitlines() if line.startswith("newsbot:")]
    assert problems == ["newsbot: telegram refused newsbot_webhook_url http://bot.example.org/"
                        "hook: bad webhook: an https url must be provided for webhook"]
    assert "Traceback" not in err and TOKEN not in err
