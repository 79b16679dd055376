"""Metrics: rejection reasons sorted into kinds, Bot API answers classified, counters counted."""

from __future__ import annotations

import json

import pytest

from bot import metrics
from bot.metrics import REGISTRY, SendError, SendKind
from bot.rejection_kinds import RejectionKind, kind_of
from bot.telegram_watch import error_kind, is_send, retry_after
from storage.readers import read_bytes
from storage.records import RejectedFile


def reason(data: bytes, name: str = "file") -> str:
    """The reason the real readers give for rejecting these bytes."""
    with pytest.raises(RejectedFile) as error:
        read_bytes(data, name)
    return str(error.value)


@pytest.mark.parametrize(("data", "kind"), [
    (b"", RejectionKind.EMPTY),
    (b"\x89PNG\r\n\x1a\n" + bytes(64), RejectionKind.BINARY),
    (b"text with a \x00 in it", RejectionKind.BINARY),
    (b"caf\xe9 \xff\xfe\xfd not utf-8 \x81\x82", RejectionKind.UNDECODABLE),
    (b'{"title": "half', RejectionKind.INVALID_JSON),
    (b"[" * 10_000 + b"]" * 10_000, RejectionKind.TOO_DEEP),
    (b"<catalog><a></catalog>", RejectionKind.INVALID_XML),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><rss>&a;</rss>',
     RejectionKind.UNSAFE_XML),
    (b'{"some": "thing else"}', RejectionKind.UNKNOWN_FORMAT),
    (b"<?xml version='1.0'?><catalog><book/></catalog>", RejectionKind.UNKNOWN_FORMAT),
    (b"[]", RejectionKind.NO_CONTENT),
    (b"---\ntitle: [unclosed\n---\nBody text here.\n", RejectionKind.INVALID_FRONT_MATTER),
])
def test_reasons_the_readers_give_fall_into_their_kind(data, kind):
    assert kind_of(reason(data)) is kind


@pytest.mark.parametrize(("data", "name"), [(b"id,name\n1,apple\n", "prices.csv"),
                                            (b"hello\n", "weird.xyz")])
def test_files_refused_by_their_name_are_of_an_unknown_format(data, name):
    assert kind_of(reason(data, name)) is RejectionKind.UNKNOWN_FORMAT


def test_reasons_from_the_ingest_itself_and_unknown_ones():
    from storage.readers import too_big

    assert kind_of(too_big(200_000_000, 10_000_000)) is RejectionKind.TOO_BIG
    assert kind_of("internal error: KeyError: 'x'") is RejectionKind.INTERNAL_ERROR
    assert kind_of("a reason nobody wrote yet") is RejectionKind.OTHER


@pytest.mark.parametrize(("code", "payload", "kind"), [
    (200, b'{"ok": true}', None),
    (429, b'{"ok": false, "parameters": {"retry_after": 3}}', SendError.FLOOD),
    (403, b'{"ok": false, "description": "Forbidden: bot was blocked"}', SendError.FORBIDDEN),
    (400, b'{"ok": false, "description": "Bad Request: chat not found"}', SendError.BAD_REQUEST),
    (400, b'{"description": "Bad Request: message is not modified: ..."}', None),
    (502, b"Bad Gateway", SendError.SERVER),
])
def test_bot_api_answers_are_classified(code, payload, kind):
    assert error_kind(code, payload) == kind


def test_retry_after_and_which_methods_send():
    assert retry_after(json.dumps({"parameters": {"retry_after": 7}}).encode()) == 7
    assert retry_after(b"not json") == 0
    assert is_send("sendMessage") and is_send("editMessageText")
    assert not is_send("getUpdates") and not is_send("getWebhookInfo")


def value(name: str, **labels: str) -> float:
    """The current value of one sample in our registry (0 when absent)."""
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_counters_count_what_they_are_told():
    before = {
        "new": value("newsbot_articles_total", outcome="new"),
        "json": value("newsbot_files_rejected_total", reason="invalid_json"),
        "scans": value("newsbot_scan_duration_seconds_count"),
        "edit": value("newsbot_messages_sent_total", kind="edit"),
        "network": value("newsbot_send_errors_total", kind="network"),
        "wait": value("newsbot_flood_wait_seconds_total"),
        "empty": value("newsbot_digests_total", outcome="empty"),
    }
    metrics.scanned(new=3, updated=1, unchanged=5, rejected=["invalid JSON at line 1: x"],
                    watched=9, seconds=0.2, finished_at=1_764_576_000)
    metrics.sent(SendKind.EDIT)
    metrics.send_error(SendError.NETWORK)
    metrics.flood_wait(2.5)
    metrics.digest_finished("empty")
    assert value("newsbot_articles_total", outcome="new") == before["new"] + 3
    assert value("newsbot_files_rejected_total", reason="invalid_json") == before["json"] + 1
    assert value("newsbot_scan_duration_seconds_count") == before["scans"] + 1
    assert value("newsbot_files_watched") == 9
    assert value("newsbot_last_scan_timestamp_seconds") == 1_764_576_000
    assert value("newsbot_messages_sent_total", kind="edit") == before["edit"] + 1
    assert value("newsbot_send_errors_total", kind="network") == before["network"] + 1
    assert value("newsbot_flood_wait_seconds_total") == before["wait"] + 2.5
    assert value("newsbot_digests_total", outcome="empty") == before["empty"] + 1
    body, content_type = metrics.render()
    assert content_type.startswith("text/plain") and b"newsbot_send_errors_total" in body


def test_database_size_is_read_at_scrape_time(tmp_path):
    db = tmp_path / "newsbot.db"
    db.write_bytes(b"x" * 4096)
    (tmp_path / "newsbot.db-wal").write_bytes(b"y" * 1000)
    metrics.watch_database(db)
    assert value("newsbot_database_bytes") == 5096
    db.write_bytes(b"x" * 8192)
    assert value("newsbot_database_bytes") == 9192
