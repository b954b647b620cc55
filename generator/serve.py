"""The live-reload preview: `python -m generator serve`.

Built on the livereload package: its `Server` serves a small WSGI app and injects
the reload script into every HTML response (so nothing of it reaches a published
build), and its `watch` rebuilds when content, templates, static files or the
settings change. Rebuilds are the incremental build, run in this warm process.
"""

from __future__ import annotations

import errno
import html
import mimetypes
import signal
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .build import BuildOptions, build, open_cache
from .config import DEFAULT_CONFIG, load_config
from .errors import BuildError, DiagnosticError, GeneratorError

StartResponse = Callable[[str, list[tuple[str, str]]], Any]

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


class Preview:
    """The WSGI app: the output folder under the site's base path, with the last build's errors shown."""

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self.base_path = "/"
        self.errors: list[str] = []
        self.cache = open_cache(options, warm=True)  # kept open: a rebuild reuses what the last one decoded

    def rebuild(self) -> None:
        try:
            self.base_path = load_config(self.options.config, self.options.base_url).base_path
            report = build(self.options, warm=self.cache)
        except BuildError as failure:
            self.errors = [str(d) for d in failure.diagnostics if d.severity == "error"]
        except DiagnosticError as failure:
            self.errors = [str(failure.diagnostic)]
        except GeneratorError as failure:
            self.errors = [f"error: {failure}"]
        else:
            self.errors = []
            print(report.summary(self.options.output), file=sys.stderr, flush=True)
            return
        for error in self.errors:
            print(error, file=sys.stderr)
        print("build failed; still serving the last good site", file=sys.stderr, flush=True)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or "/"
        if not path.startswith(self.base_path):
            if path == "/":
                return _respond(start_response, "302 Found", b"", [("Location", self.base_path)])
            return self._not_found(start_response, path)
        relative = path[len(self.base_path) :]
        output = self.options.output.resolve()
        target = (output / relative).resolve()
        if not target.is_relative_to(output):
            return self._not_found(start_response, path)
        if target.is_dir():
            if not path.endswith("/"):
                return _respond(start_response, "301 Moved Permanently", b"", [("Location", path + "/")])
            target = target / "index.html"
        if not target.is_file():
            if self.errors and not (output / "index.html").is_file():
                return self._error_page(start_response)
            return self._not_found(start_response, path)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        data = target.read_bytes()
        if kind == "text/html" and self.errors:
            data = data.replace(b"</body>", _overlay(self.errors) + b"</body>", 1)
        return _respond(start_response, "200 OK", data, [("Content-Type", _with_charset(kind))])

    def _not_found(self, start_response: StartResponse, path: str) -> Iterable[bytes]:
        own = self.options.output / "404.html"
        if own.is_file():
            return _respond(
                start_response, "404 Not Found", own.read_bytes(), [("Content-Type", "text/html; charset=utf-8")]
            )
        body = f'<p>Nothing is published at {html.escape(path)}.</p>\n<p><a href="{html.escape(self.base_path)}">Home</a></p>'
        page = _PAGE.format(title="Not found", body=body).encode()
        return _respond(start_response, "404 Not Found", page, [("Content-Type", "text/html; charset=utf-8")])

    def _error_page(self, start_response: StartResponse) -> Iterable[bytes]:
        body = "<p>The site could not be built. Fix the file and save; this page reloads by itself.</p>\n"
        body += f"<pre>{html.escape(chr(10).join(self.errors))}</pre>"
        page = _PAGE.format(title="Build failed", body=body).encode()
        return _respond(
            start_response, "500 Internal Server Error", page, [("Content-Type", "text/html; charset=utf-8")]
        )


def serve(options: BuildOptions, host: str, port: int) -> int:
    """Build, serve and rebuild on every change until Ctrl-C."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler

    preview = Preview(options)
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops it as Ctrl-C does: the cache is saved
    try:
        preview.rebuild()
        # livereload drops changes that arrive within DEFAULT_RELOAD_TIME (3 s) of the last reload;
        # a preview must show every save, so that window is closed.
        LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
        server = Server(app=preview)
        for path in _watched(options):
            server.watch(str(path), preview.rebuild)
        # The watcher's first look records every file's time; a save before it (a fast editor, a
        # busy machine) was taken for a change to whichever file it saw last, and the browser
        # reloaded the whole page even for a stylesheet. So the first look is taken now.
        server.watcher.examine()
        print(f"Serving http://{host}:{port}{preview.base_path} (Ctrl-C to stop)", file=sys.stderr, flush=True)
        server.serve(port=port, host=host, debug=False, restart_delay=0)
    except KeyboardInterrupt:
        pass  # Ctrl-C before the server loop started; within it, livereload handles it
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        print(f"error: port {port} on {host} is already in use; choose another with --port", file=sys.stderr)
        return 1
    finally:
        preview.cache.close()
    return 0


def _interrupt(number: int, frame: object) -> None:
    raise KeyboardInterrupt


def _watched(options: BuildOptions) -> list[Path]:
    config = load_config(options.config, options.base_url)
    paths = [options.content, *config.template_dirs, config.static_dir]
    settings = options.config or DEFAULT_CONFIG
    return [path for path in (*paths, settings) if path.exists()]


def _overlay(errors: list[str]) -> bytes:
    return _OVERLAY.format(errors=html.escape("\n".join(errors))).encode()


def _with_charset(kind: str) -> str:
    return (
        f"{kind}; charset=utf-8"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json")
        else kind
    )


def _respond(start_response: StartResponse, status: str, body: bytes, headers: list[tuple[str, str]]) -> list[bytes]:
    """No Content-Length: livereload adds it after it has injected its script into HTML."""
    start_response(status, [*headers, ("Cache-Control", "no-store")])
    return [body]
