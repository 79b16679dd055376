"""`newsbot check`'s client side: where it asks, and how answers become exit statuses."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from bot.health_check import check, check_once, health_url
from bot.settings import Settings
from tests.helpers import free_port


@pytest.fixture
def healthz():
    """A /healthz on 127.0.0.1 that answers what `answers` holds next (status, line)."""
    answers: list[tuple[int, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, line = answers.pop(0) if len(answers) > 1 else answers[0]
            body = (line + "\n").encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/healthz", answers
    server.shutdown()
    server.server_close()


def test_health_url_asks_over_loopback():
    assert health_url(Settings()) is None
    assert health_url(Settings(http_port=9464)) == "http://127.0.0.1:9464/healthz"
    assert health_url(Settings(http_port=9464, http_listen="0.0.0.0")) == (
        "http://127.0.0.1:9464/healthz")
    assert health_url(Settings(http_port=9464, http_listen="::1")) == "http://[::1]:9464/healthz"


def test_200_is_healthy_and_503_carries_the_reason(healthz):
    url, answers = healthz
    answers.append((200, "ok: database answers"))
    assert check_once(url).status == 0 and check_once(url).line == "ok: database answers"
    answers[:] = [(503, "unhealthy: last scan 900 s ago (limit 600 s)")]
    result = check_once(url)
    assert (result.status, result.line) == (1, "unhealthy: last scan 900 s ago (limit 600 s)")


def test_no_answer_is_unhealthy_in_one_line():
    url = f"http://127.0.0.1:{free_port()}/healthz"
    result = check_once(url)
    assert result.status == 1 and url in result.line and "\n" not in result.line


def test_wait_asks_again_until_healthy_or_out_of_time(healthz):
    url, answers = healthz
    answers[:] = [(503, "unhealthy: starting"), (503, "unhealthy: starting"), (200, "ok: fine")]
    naps: list[float] = []
    clock = iter(range(100)).__next__
    assert check(url, wait=30, sleep=naps.append, clock=clock).line == "ok: fine"
    assert len(naps) == 2
    answers[:] = [(503, "unhealthy: stuck")]
    result = check(url, wait=3, sleep=naps.append, clock=iter(range(100)).__next__)
    assert (result.status, result.line) == (1, "unhealthy: stuck")
