"""The health and metrics HTTP server: GET /healthz and GET /metrics on NEWSBOT_HTTP_PORT.

It runs on the bot's own event loop (tornado, which PTB's webhook mode uses too), so a bot whose
loop is stuck stops answering /healthz and a watchdog notices; a server thread beside the loop
would go on saying "ok".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path

from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from bot import metrics
from bot.health import Facts, Limits, Status, verdict

log = logging.getLogger(__name__)

DATABASE_TIMEOUT = 5.0  # seconds the database may take to answer before it counts as down

FactsSource = Callable[[], Awaitable[Facts]]


def listen_sockets(listen: str, port: int) -> list[socket.socket]:
    """Listening sockets for the server, bound now so a busy port fails before the bot starts."""
    return bind_sockets(port, address=listen)


class StatusServer:
    """Serves /healthz (200 or 503 with the reasons) and /metrics from the given sockets."""

    def __init__(self, sockets: list[socket.socket], facts: FactsSource, limits: Limits) -> None:
        self.sockets = sockets
        self.app = _App([("/healthz", _Health, {"facts": facts, "limits": limits}),
                         ("/metrics", _Metrics)])
        self.server: HTTPServer | None = None

    def start(self) -> None:
        """Start serving on the running event loop."""
        self.server = HTTPServer(self.app)
        self.server.add_sockets(self.sockets)

    async def stop(self) -> None:
        """Stop accepting and close open connections."""
        if self.server is not None:
            self.server.stop()
            await self.server.close_all_connections()
            self.server = None


async def database_error(path: Path) -> str | None:
    """Why the database does not answer a query now, or None when it does."""
    try:
        return await asyncio.wait_for(asyncio.to_thread(probe_database, path), DATABASE_TIMEOUT)
    except TimeoutError:
        return f"no answer within {DATABASE_TIMEOUT:.0f} s"


def probe_database(path: Path) -> str | None:
    """Read the schema through a read-only connection of its own; the error text if that fails."""
    uri = path.resolve().as_uri() + "?mode=ro"
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=2)) as conn:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as error:
        return str(error)
    return None


class _App(Application):
    def log_request(self, handler: RequestHandler) -> None:
        """Stay quiet: a scrape or a health check every few seconds is not news."""


class _Health(RequestHandler):
    def initialize(self, facts: FactsSource, limits: Limits) -> None:
        self.facts = facts
        self.limits = limits

    async def get(self) -> None:
        """Answer with the verdict's line: 200 when healthy, 503 otherwise."""
        result = verdict(await self.facts(), self.limits)
        self.set_status(200 if result.status is Status.OK else 503)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(result.line() + "\n")


class _Metrics(RequestHandler):
    def get(self) -> None:
        """Answer with every metric in Prometheus text format."""
        body, content_type = metrics.render()
        self.set_header("Content-Type", content_type)
        self.write(body)
