"""Webhook settings: the URL Telegram can reach, the secret it sends back, and where we listen."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

import pytest

from bot.settings import SettingsError, load_settings
from bot.webhook import listen_problem, recent_delivery_error, webhook_options
from tests.helpers import free_port

URL = "https://bot.example.org/newsbot/telegram"


def test_polling_unless_a_webhook_url_is_set():
    settings = load_settings({})
    assert settings.webhook_url is None and settings.webhook_secret is None


def test_a_random_secret_is_made_per_start_and_never_printed():
    first = load_settings({"NEWSBOT_WEBHOOK_URL": URL})
    second = load_settings({"NEWSBOT_WEBHOOK_URL": URL})
    # Compared into booleans first, so a failure never prints a secret.
    differ = first.webhook_secret != second.webhook_secret
    long_enough = len(first.webhook_secret) >= 32
    hidden = first.webhook_secret not in repr(first)
    options = webhook_options(first)
    passed_on = options.secret_token == first.webhook_secret
    hidden_in_options = first.webhook_secret not in repr(options)
    assert differ and long_enough and hidden and passed_on and hidden_in_options


def test_webhook_options_listen_on_the_public_path():
    settings = load_settings({"NEWSBOT_WEBHOOK_URL": URL, "NEWSBOT_WEBHOOK_PORT": "8443",
                              "NEWSBOT_WEBHOOK_SECRET": "s3cret_-X"})
    options = webhook_options(settings)
    assert (options.listen, options.port, options.url_path) == ("127.0.0.1", 8443,
                                                                "/newsbot/telegram")
    assert options.webhook_url == URL and options.secret_token == "s3cret_-X"


@pytest.mark.parametrize(("env", "message"), [
    ({"NEWSBOT_WEBHOOK_URL": "bot.example.org/hook"}, "must be a full URL"),
    ({"NEWSBOT_WEBHOOK_URL": "ftp://bot.example.org/hook"}, "must be a full URL"),
    ({"NEWSBOT_WEBHOOK_URL": "https://[::1/hook"}, "must be a full URL"),  # was a ValueError
    ({"NEWSBOT_WEBHOOK_URL": "http://bot.example.org/hook"}, "must start with https://"),
    ({"NEWSBOT_WEBHOOK_URL": URL, "NEWSBOT_WEBHOOK_PORT": "http"}, "TCP port"),
    ({"NEWSBOT_WEBHOOK_URL": URL, "NEWSBOT_HTTP_PORT": "8080"}, "need a port each"),
])
def test_bad_webhook_settings_are_one_clear_line(env, message):
    with pytest.raises(SettingsError, match=message) as error:
        load_settings(env)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("url", ["http://[::1", "notaurl", "ftp://x", "https://", "127.0.0.1:8081"])
def test_a_bot_api_url_that_is_no_http_url_stops_the_start_with_one_line(url):
    # It used to start and retry for ever (or, for "http://[::1", end in a traceback).
    with pytest.raises(SettingsError, match="TELEGRAM_API_URL must be a URL") as error:
        load_settings({"TELEGRAM_API_URL": url})
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8081", "https://tg.example.org/botapi/"])
def test_a_self_hosted_bot_api_url_is_taken(url):
    assert load_settings({"TELEGRAM_API_URL": url}).api_url == url.rstrip("/")


def test_plain_http_is_allowed_with_a_self_hosted_bot_api_server():
    settings = load_settings({"NEWSBOT_WEBHOOK_URL": "http://10.0.0.5:8080/hook",
                              "TELEGRAM_API_URL": "http://127.0.0.1:8081"})
    assert settings.webhook_url == "http://10.0.0.5:8080/hook"


def test_a_bad_secret_is_refused_without_showing_it():
    bad = "has spaces and ünïcode"
    with pytest.raises(SettingsError) as error:
        load_settings({"NEWSBOT_WEBHOOK_URL": URL, "NEWSBOT_WEBHOOK_SECRET": bad})
    assert "NEWSBOT_WEBHOOK_SECRET" in str(error.value) and bad not in str(error.value)
    with pytest.raises(SettingsError):
        load_settings({"NEWSBOT_WEBHOOK_URL": URL, "NEWSBOT_WEBHOOK_SECRET": "x" * 257})


def test_a_busy_port_is_named_before_the_bot_starts():
    port = free_port()
    assert listen_problem("127.0.0.1", port) is None
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        assert "in use" in listen_problem("127.0.0.1", port)


def test_only_a_recent_delivery_error_with_updates_waiting_counts():
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    recent, old = now - timedelta(seconds=30), now - timedelta(seconds=900)
    assert recent_delivery_error(recent, "Connection refused", 2, now, 300) == (
        "Connection refused (2 update(s) waiting)")
    assert recent_delivery_error(old, "Connection refused", 2, now, 300) is None
    assert recent_delivery_error(recent, "Connection refused", 0, now, 300) is None
    assert recent_delivery_error(None, None, 5, now, 300) is None


def test_the_log_filter_hides_the_secret_as_well_as_the_token():
    from bot.logs import RedactToken

    redact = RedactToken("123456789:AAE-test-token-that-must-never-be-logged", "webhook_Secret-1")
    line = ("Calling setWebhook with {'url': 'https://x.org/h', 'secret_token': "
            "'webhook_Secret-1'} via /bot123456789:AAE-test-token-that-must-never-be-logged/")
    assert redact.redact(line) == ("Calling setWebhook with {'url': 'https://x.org/h', "
                                   "'secret_token': '<secret>'} via /bot<token>/")
