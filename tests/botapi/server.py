"""The HTTP layer and lifecycle of the stand-in: routing, the token check, bodies, replies."""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import hmac
import json
import logging
import re
import socket
import struct
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

from .errors import ApiError

logger = logging.getLogger(__name__)

# PTB form-encodes every value as a string (JSON for objects), so types are restored by name.
_INT_PARAMS = frozenset(
    {"message_id", "offset", "limit", "timeout", "user_id", "cache_time", "message_thread_id",
     "reply_to_message_id", "max_connections", "from_chat_id"}
)
_BOOL_PARAMS = frozenset(
    {"show_alert", "disable_notification", "protect_content", "drop_pending_updates",
     "allow_sending_without_reply", "disable_web_page_preview", "allow_paid_broadcast"}
)
_JSON_PARAMS = frozenset(
    {"reply_markup", "commands", "scope", "allowed_updates", "entities", "link_preview_options",
     "reply_parameters"}
)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that hung up (cancelled long polls); log anything else."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError, ValueError, OSError)):
            return
        logger.exception("Bot API stand-in: unexpected error in the HTTP layer")



class HttpMixin:
    """Serving BotApiStandIn over HTTP on 127.0.0.1 (state lives on the stand-in)."""

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> Self:
        """Start serving on a free port of 127.0.0.1 in a daemon thread."""
        if self._server is not None:
            return self
        api = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "BotApiStandIn/1.0"

            def do_POST(self) -> None:
                api._handle(self)

            do_GET = do_POST

            def log_message(self, format: str, *args: Any) -> None:
                """Stay silent: request lines carry the bot token."""

        self._stopping.clear()
        self._server = QuietServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
            name="botapi-standin", daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; waiting long polls and delayed replies end at once."""
        if self._server is None:
            return
        self._stopping.set()
        with self._cond:
            self._cond.notify_all()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    @property
    def url(self) -> str:
        """Root URL of the server, e.g. http://127.0.0.1:54321."""
        if self._server is None:
            raise RuntimeError("the stand-in is not running; use it as a context manager")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def base_url(self) -> str:
        """Value for PTB's `base_url` (Bot(..., base_url=...) or ApplicationBuilder.base_url)."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for PTB's `base_file_url` (file downloads are not served: they answer 404)."""
        return f"{self.url}/file/bot"

    # -- HTTP layer --------------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        """Serve one request: route, check the token, apply faults, run the method, reply."""
        request.close_connection = True
        path = urlsplit(request.path).path
        route = re.fullmatch(r"/bot([^/]+)/([A-Za-z0-9_]+)/?", path)
        if route is None:
            self._reply(request, ApiError(404, "Not Found").payload(), 404)
            return
        if not hmac.compare_digest(route.group(1).encode(), self._token.encode()):
            self._reply(request, ApiError(401, "Unauthorized").payload(), 401)
            return
        key = route.group(2).lower()
        if key not in self._methods:
            self._reply(request, ApiError(404, "Not Found").payload(), 404)
            return
        method = self._canonical[key]
        raw: dict[str, Any] = {}
        bad_request: ApiError | None = None
        try:
            raw = self._read_params(request)
            params = {name: self._coerce(name, value) for name, value in raw.items()}
        except ApiError as error:
            params, bad_request = raw, error
        with self._cond:
            # Logged even when the body is malformed, so tests can see what was tried.
            self._calls.append((method, params))
            self._cond.notify_all()
            drop = self._take(self._drops, key) if bad_request is None else None
        if bad_request is not None:
            self._reply(request, bad_request.payload(), bad_request.code)
            return
        if drop is False:
            self._reset(request)
            return
        try:
            with self._cond:
                fault = self._take(self._faults, key)
                if fault is not None:
                    raise ApiError(fault.code, fault.description, fault.parameters)
            result = self._methods[key](params)
            status, body = 200, {"ok": True, "result": result}
        except ApiError as error:
            status, body = error.code, error.payload()
        except Exception as error:  # a bug here must reach the test as a readable reply
            logger.exception("Bot API stand-in failed in %s", method)
            status = 500
            body = ApiError(500, f"Internal Server Error: stand-in bug: {error!r}").payload()
        seconds = self._take_delay(key)
        if seconds:
            self._stopping.wait(seconds)
        if drop:
            self._reset(request)
            return
        self._reply(request, body, status)

    def _reply(self, request: BaseHTTPRequestHandler, body: dict, status: int) -> None:
        """Write a JSON reply."""
        data = json.dumps(body, ensure_ascii=False).encode()
        with contextlib.suppress(OSError):
            request.send_response(status)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(data)))
            request.send_header("Connection", "close")
            request.end_headers()
            request.wfile.write(data)

    @staticmethod
    def _reset(request: BaseHTTPRequestHandler) -> None:
        """Drop the connection with a TCP reset, no reply."""
        request.close_connection = True
        with contextlib.suppress(OSError):
            request.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
            request.connection.close()

    @staticmethod
    def _read_params(request: BaseHTTPRequestHandler) -> dict[str, Any]:
        """Read the query string and body (JSON, form-encoded or multipart) into raw params."""
        params: dict[str, Any] = dict(parse_qsl(urlsplit(request.path).query))
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        content_type = request.headers.get_content_type()
        if body and content_type == "application/json":
            try:
                data = json.loads(body)
            except ValueError as error:
                raise ApiError(400, "Bad Request: can't parse JSON object") from error
            if not isinstance(data, dict):
                raise ApiError(400, "Bad Request: JSON object expected")
            params.update(data)
        elif body and content_type == "multipart/form-data":
            header = f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode()
            form = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + body)
            for part in form.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True) or b""
                if part.get_filename():
                    params[name] = {"filename": part.get_filename(), "size": len(payload)}
                else:
                    params[name] = payload.decode()
        elif body:
            params.update(parse_qsl(body.decode(), keep_blank_values=True))
        return params

    @staticmethod
    def _coerce(name: str, value: Any) -> Any:
        """Turn a form value back into the type the Bot API expects for that parameter."""
        if not isinstance(value, str):
            return value
        if name in _JSON_PARAMS:
            try:
                return json.loads(value)
            except ValueError as error:
                what = "reply keyboard markup" if name == "reply_markup" else name
                raise ApiError(400, f"Bad Request: can't parse {what} JSON object") from error
        if name in _INT_PARAMS:
            try:
                return int(value)
            except ValueError as error:
                raise ApiError(400, f"Bad Request: invalid {name} specified") from error
        if name in _BOOL_PARAMS:
            return value.lower() in ("true", "1")
        return value

