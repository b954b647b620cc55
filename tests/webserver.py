"""A small web server on 127.0.0.1 for the tests that fetch: link checking and importing from the web.

Each path answers as its `Route` says (a status, a body, a redirect, a slow answer, a reset
connection, a refused HEAD), and the server keeps a log of every request (method, path,
User-Agent, when) and the most requests it held at once, so a test can see how it was asked.
No test reaches the internet.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Route:
    status: int = 200
    body: bytes = b"<!doctype html><title>Synthetic</title><p>Synthetic page."
    content_type: str = "text/html; charset=utf-8"
    location: str | None = None  # for a redirect
    delay: float = 0.0  # seconds before answering
    reset: bool = False  # close the connection with a TCP reset, answering nothing
    head_status: int | None = None  # the answer to HEAD, when it is not the same as GET's
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Hit:
    method: str
    path: str
    user_agent: str
    at: float  # time.monotonic() when the request arrived


@dataclass
class Server:
    routes: dict[str, Route]
    port: int = 0
    log: list[Hit] = field(default_factory=list)
    most_at_once: int = 0
    _in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def paths(self, method: str | None = None) -> list[str]:
        return [hit.path for hit in self.log if method is None or hit.method == method]

    def _enter(self, hit: Hit) -> None:
        with self._lock:
            self.log.append(hit)
            self._in_flight += 1
            self.most_at_once = max(self.most_at_once, self._in_flight)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._answer(send_body=True)

        def do_HEAD(self) -> None:
            self._answer(send_body=False)

        def _answer(self, send_body: bool) -> None:
            server._enter(Hit(self.command, self.path, self.headers.get("User-Agent", ""), time.monotonic()))
            try:
                route = server.routes.get(self.path, Route(404, b"not found"))
                time.sleep(route.delay)
                if route.reset:
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.close_connection = True
                    self.connection.close()
                    return
                status = route.head_status if not send_body and route.head_status else route.status
                self.send_response(status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                if route.location:
                    self.send_header("Location", route.location)
                for name, value in route.headers:
                    self.send_header(name, value)
                self.end_headers()
                if send_body:
                    self.wfile.write(route.body)
            finally:
                server._leave()

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the log is the test's to read."""

    return Handler


@contextmanager
def serving(routes: dict[str, Route]) -> Iterator[Server]:
    server = Server(routes)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    httpd.daemon_threads = True
    server.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
