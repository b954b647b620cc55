"""What the browser tests share: a static site served on 127.0.0.1 as GitHub Pages serves it,
and Debian's Chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A missing page is answered with the site's own `repo/404.html`, where there is one."""
        own = Path(self.directory) / "repo" / "404.html"
        if code != 404 or not own.is_file():
            super().send_error(code, message, explain)
            return
        body = own.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a tab closed while a file was on its way: no failure of the site's


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """`folder` served over HTTP; the site is expected in its `repo/`, as under a project's sub-path."""
    server = _Server(("127.0.0.1", 0), functools.partial(_Handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/repo/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail("the browser tests need Debian's chromium at /usr/bin/chromium (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def watched_tab(browser: Any) -> Iterator[Any]:
    """A tab (its own context: nothing cached from another test) that fails the test on any
    console error or uncaught exception; the files it fetched are in `tab.fetched`."""
    tab = browser.new_page()
    errors: list[str] = []
    tab.fetched = []
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    tab.on("response", lambda response: tab.fetched.append((response.status, response.url)))
    yield tab
    tab.close()
    assert errors == []
