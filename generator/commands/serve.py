"""The live-reload preview: `python -m generator serve`.

Built on the livereload package: its `Server` runs a tornado application whose handler here
serves the output folder, and its transform injects the reload script into every HTML response
(so nothing of it reaches a published build); its `watch` rebuilds when content, templates,
static files or the settings change. Rebuilds are the incremental build, run in this warm process.
"""

from __future__ import annotations

import errno
import html
import logging
import mimetypes
import os
import re
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote, unquote

from livereload import Server
from livereload.handlers import LiveReloadHandler
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.web import RequestHandler

from generator.commands.background import BackgroundIndexer
from generator.commands.build import BuildOptions, build, open_cache
from generator.commands.progress import progress_line
from generator.commands.watching import EventWatcher
from generator.errors import BuildError, DiagnosticError, GeneratorError
from generator.reading.config import DEFAULT_CONFIG, load_config
from generator.reading.read import Progress
from generator.reading.sources import Listing

# A browser sends a request's headers in one go, in milliseconds on this machine; a connection
# that has not finished them (or a body it announced) in this time is broken or hostile, and
# tornado's default (an hour) let a few such connections hold the process's file descriptors.
# The same timer closes an idle keep-alive connection (tornado waits for the next request's
# headers with it); a browser opens another as it needs one. The reload WebSocket is not
# affected: once upgraded it is no longer tornado's HTTP connection.
REQUEST_TIMEOUT = 20.0
# The preview answers only GET and HEAD, which carry no body; tornado's default would hold up to
# 100 MB of one in memory for every connection that announces one.
MAX_BODY_SIZE = 64 * 1024
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")  # a % that begins no escape
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # NUL among them; in no name the build writes
_HTML = "text/html; charset=utf-8"

_OVERLAY = (
    '<div id="generator-build-error" role="alert" style="position:fixed;left:0;right:0;bottom:0;'
    "max-height:50vh;overflow:auto;z-index:2147483647;margin:0;padding:1rem 1.25rem;background:#3b0a0a;"
    'color:#fff;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;border-top:4px solid #ff6b6b">'
    "<strong>The last build failed</strong>: this is the last good page. Fix the file and save; "
    'the page reloads by itself.<pre style="white-space:pre-wrap;margin:.5rem 0 0">{errors}</pre></div>'
)
_PAGE = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n</head>\n'
    "<body>\n<h1>{title}</h1>\n{body}\n</body>\n</html>\n"
)


class Response(NamedTuple):
    """A whole answer: the preview's files are read whole, so the handler sends each in one piece."""

    status: int
    body: bytes
    headers: dict[str, str]


class Preview:
    """The output folder under the site's base path, with the last build's errors shown."""

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self.base_path = "/"
        self.errors: list[str] = []
        self.cache = open_cache(options, warm=True)  # kept open: a rebuild reuses what the last one decoded
        self.listing = Listing()  # the content files, kept up to date by the watcher
        self.search = BackgroundIndexer(lambda: self.schedule("search index updated"))
        # Builds run on a thread of their own, one at a time, so that pages are served while one
        # runs; the browser is told to reload when it is done.
        self.builds = ThreadPoolExecutor(max_workers=1, thread_name_prefix="build")
        self.reload: Callable[[str], None] = lambda path: None
        self._building = threading.Lock()  # guards `_queued`
        self._rebuilding = threading.Lock()  # one build at a time, whoever asks
        self._running = 0
        self._closed = False
        self._queued: dict[str, str | None] = {}  # builds waiting, by reason: the path to reload for

    def changed(self, path: str) -> None:
        """A watched file changed: build, then reload the browser (for a stylesheet, its styles)."""
        self.schedule("", path)

    def schedule(self, done: str = "", changed: str | None = None) -> None:
        """A build on the builds' thread, unless one for the same reason is already waiting there
        (it will see this change too)."""
        key = done or "change"
        with self._building:
            if self._closed:  # the indexer finished as the server stopped
                return
            waiting = key in self._queued
            if not waiting or (changed and not changed.endswith(".css")):  # a page's change reloads the page
                self._queued[key] = changed
            if waiting:
                return

        def run() -> None:
            with self._building:
                path = self._queued.pop(key)
                self._running += 1
            try:
                self.rebuild(done, later=True)
            finally:
                with self._building:
                    self._running -= 1
            if path is not None:
                self.reload(path)
            self.search.start()  # the edit's search index, now that the browser has its pages

        self.builds.submit(run)

    def idle(self) -> bool:
        """No build running or waiting, and no search index being made."""
        with self._building:
            building = bool(self._queued) or self._running > 0
        return not building and not self.search.busy

    def close(self) -> None:
        """After the last build: the cache saves what the builds kept in memory."""
        with self._building:
            self._closed = True
        self.search.close()
        self.builds.shutdown(wait=True, cancel_futures=True)
        self.cache.close()

    def rebuild(self, done: str = "", progress: Progress | None = None, later: bool = False) -> None:
        """Any failure, a crash too, is shown in the browser: the terminal may be out of sight.
        `done` says what a build that only writes what the background made has done. The search
        indexes the build asked for are started when it is done, or `later` by the caller (once
        the browser is told to reload)."""
        with self._rebuilding:
            self._rebuild(done, progress)
        if not later:
            self.search.start()

    def _rebuild(self, done: str, progress: Progress | None) -> None:
        try:
            config = load_config(self.options.config, self.options.base_url)
            self.base_path = config.base_path
            report = build(self.options, progress=progress, warm=self.cache, indexer=self.search, listing=self.listing)
        except BuildError as failure:
            self.errors = [str(d) for d in failure.diagnostics if d.severity == "error"]
        except DiagnosticError as failure:
            self.errors = [str(failure.diagnostic)]
        except GeneratorError as failure:
            self.errors = [f"error: {failure}"]
        except Exception as failure:  # a bug: its traceback is the report, the preview carries on
            traceback.print_exc()
            self.errors = [f"error: the build crashed (a bug; the traceback is in the terminal): {_describe(failure)}"]
        else:
            self.errors = []
            # a build for the background's sake that found a save (it reads the content as any
            # build does) says what it rendered
            summary = (
                f"{done} in {report.seconds:.2f}s"
                if done and not report.rendered
                else report.summary(self.options.output)
            )
            _log(summary)
            return
        for error in self.errors:
            print(error, file=sys.stderr)
        _log("build failed; still serving the last good site")

    def respond(self, path: str) -> Response:
        """The answer to a GET of `path` as the request has it (percent-encoded), from any client: a
        400 for a path no browser sends, a 404 for one that is not there, never an exception; the
        deliberate "build failed" page is the only 500."""
        decoded = _decoded(path)
        if decoded is None:
            return _page(
                400,
                "Bad request",
                "<p>No browser sends this path: it is not UTF-8, or not percent-encoded, or has a control character in it.</p>",
            )
        try:
            return self._respond(decoded)
        except OSError:  # a name longer than the file system allows, a path through a file, a file it may not read
            return self._not_found(decoded)

    def _respond(self, path: str) -> Response:
        base_path = unquote(self.base_path)
        if not path.startswith(base_path):
            if path == "/":
                return Response(302, b"", {"Location": self.base_path})
            return self._not_found(path)
        folder = path.endswith("/")
        output = Path(os.path.realpath(self.options.output))
        # index.html is named before the symlinks are followed, so that it is held to the output
        # folder too; realpath, not resolve, for a symlink loop is no exception to it.
        name = path[len(base_path) :] + ("index.html" if folder else "")
        target = Path(os.path.realpath(output / name))
        if not target.is_relative_to(output):
            return self._not_found(path)
        if target.is_dir() and not folder:
            return Response(301, b"", {"Location": quote(path + "/")})
        if not target.is_file():
            if self.errors and not (output / "index.html").is_file():
                return self._error_page()
            return self._not_found(path)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        data = target.read_bytes()
        if kind == "text/html" and self.errors:
            data = data.replace(b"</body>", _overlay(self.errors) + b"</body>", 1)
        return Response(200, data, {"Content-Type": _with_charset(kind)})

    def _not_found(self, path: str) -> Response:
        try:
            return Response(404, (self.options.output / "404.html").read_bytes(), {"Content-Type": _HTML})
        except OSError:  # the site has no 404 page of its own, or not one that can be read
            body = f'<p>Nothing is published at {html.escape(path)}.</p>\n<p><a href="{html.escape(self.base_path)}">Home</a></p>'
            return _page(404, "Not found", body)

    def _error_page(self) -> Response:
        body = "<p>The site could not be built. Fix the file and save; this page reloads by itself.</p>\n"
        body += f"<pre>{html.escape(chr(10).join(self.errors))}</pre>"
        return _page(500, "Build failed", body)


class _Handler(RequestHandler):
    """The preview's pages through tornado's own handler, which answers HEAD as GET without the
    body and other methods with a 405. (livereload's WSGI container sent HEAD a body, and tornado
    dropped the connection.)"""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def get(self) -> None:
        status, body, headers = self.preview.respond(self.request.path)
        self.set_status(status)
        for name, value in {**headers, "Cache-Control": "no-store"}.items():
            self.set_header(name, value)
        self.finish(body)

    head = get


class _Server(Server):  # type: ignore[misc]  # livereload has no type hints
    """livereload's server with the preview as its handler and with limits on its connections."""

    def __init__(self, preview: Preview) -> None:
        super().__init__(watcher=EventWatcher(preview.listing))
        self.preview = preview

    def _setup_logging(self) -> None:
        """livereload's and tornado's lines read as the preview's own (`12:03:21  message`), and
        only what needs the user: the preview says itself what it serves and builds."""
        channel = logging.StreamHandler()
        channel.setFormatter(logging.Formatter("%(asctime)s  %(message)s", datefmt="%H:%M:%S"))
        for name in ("livereload", "tornado"):  # a handler on tornado's keeps it from adding its own
            logger = logging.getLogger(name)
            logger.setLevel(logging.WARNING)
            logger.handlers[:] = [channel]
            logger.propagate = False

    def get_web_handlers(self, script: bytes) -> list[tuple[str, type[RequestHandler], dict[str, Preview]]]:
        """Every path that is not livereload's own; its transform puts `script` into HTML pages."""
        return [(r".*", _Handler, {"preview": self.preview})]

    def application(self, *args: Any, **kwargs: Any) -> None:
        """livereload makes its tornado server with no way to pass it options; tornado takes the
        defaults for every server it makes from `configure`, so they are set while livereload makes it."""
        HTTPServer.configure(
            None, idle_connection_timeout=REQUEST_TIMEOUT, body_timeout=REQUEST_TIMEOUT, max_body_size=MAX_BODY_SIZE
        )
        try:
            super().application(*args, **kwargs)
        finally:
            HTTPServer.configure(None)


def serve(options: BuildOptions, host: str, port: int, quiet: bool = False) -> int:
    """Build, serve and rebuild on every change until Ctrl-C."""
    if not _free(host, port):  # said now, not after a first build that may take a minute
        print(f"error: port {port} on {host} is in use: try --port {_next_free(host, port)}", file=sys.stderr)
        return 1
    preview = Preview(options)
    server: _Server | None = None
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops it as Ctrl-C does: the cache is saved
    try:
        with progress_line(quiet) as progress:  # the first build is the long one
            preview.rebuild(progress=progress)
        # livereload drops changes that arrive within DEFAULT_RELOAD_TIME (3 s) of the last reload;
        # a preview must show every save, so that window is closed.
        LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
        server = _Server(preview)
        for path in _watched(options):
            server.watch(str(path), preview.changed)
        print(f"Serving http://{host}:{port}{preview.base_path} (Ctrl-C to stop)", file=sys.stderr, flush=True)
        loop = IOLoop.current()  # the one livereload's server runs
        preview.reload = lambda path: loop.add_callback(LiveReloadHandler.reload_waiters, path)
        server.serve(port=port, host=host, debug=False, restart_delay=0)
    except KeyboardInterrupt:
        pass  # Ctrl-C before the server loop started; within it, livereload handles it
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        print(f"error: port {port} on {host} is in use: try --port {_next_free(host, port)}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            server.watcher.stop()
        preview.close()
    return 0


def _free(host: str, port: int) -> bool:
    """Whether the server could listen on `port` now (it asks the system, as the server will)."""
    try:
        with socket.create_server((host, port)):
            return True
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            return False
        raise


def _next_free(host: str, port: int) -> int:
    """The first port after `port` the server could listen on, to suggest."""
    return next((other for other in range(port + 1, min(port + 100, 65536)) if _free(host, other)), port + 1)


def _log(line: str) -> None:
    """A line of the preview's log, with the time it happened."""
    print(f"{time.strftime('%H:%M:%S')}  {line}", file=sys.stderr, flush=True)


def _interrupt(number: int, frame: object) -> None:
    raise KeyboardInterrupt


def _watched(options: BuildOptions) -> list[Path]:
    config = load_config(options.config, options.base_url)
    paths = [options.content, *config.template_dirs, config.static_dir]
    settings = options.config or DEFAULT_CONFIG
    return [path.resolve() for path in (*paths, settings) if path.exists()]


def _decoded(path: str) -> str | None:
    """`path` percent-decoded; None for one no browser sends, which could not name a file the build wrote."""
    if not path.isascii() or _BAD_ESCAPE.search(path):
        return None
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:  # not UTF-8, or a lone surrogate
        return None
    return None if _CONTROL.search(decoded) else decoded


def _describe(failure: Exception) -> str:
    """The exception's type and message on one line, as the last line of its traceback names them."""
    kind = type(failure)
    name = kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    message = " ".join(str(failure).split())
    return f"{name}: {message}" if message else name


def _overlay(errors: list[str]) -> bytes:
    return _OVERLAY.format(errors=html.escape("\n".join(errors))).encode()


def _page(status: int, title: str, body: str) -> Response:
    return Response(status, _PAGE.format(title=title, body=body).encode(), {"Content-Type": _HTML})


def _with_charset(kind: str) -> str:
    return (
        f"{kind}; charset=utf-8"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json")
        else kind
    )
