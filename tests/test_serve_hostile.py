"""`serve` against hostile clients and crashing builds: raw requests on loopback, connections
left half-open, and builds that raise what no GeneratorError covers."""

from __future__ import annotations

import errno
import http.client
import socket
import sqlite3
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

import generator.commands.serve
from generator.commands.build import BuildOptions, BuildReport

from .test_serve import BASE, SEED_PAGE, Server, make_site, running, save, until

pytestmark = pytest.mark.slow  # builds and commands run for real: the fast loop leaves them out

# Run in a server's process (`Server(setup=...)`): these change it for a test.
SHORT_TIMEOUTS = "from tests.test_serve_hostile import shorten_timeouts; shorten_timeouts()"
CRASHING = "from tests.test_serve_hostile import crash_when_asked; crash_when_asked()"
CRASH_ORDER = "crash-the-next-build"  # in the site folder, beside what is watched: names the exception
CRASHES = {
    "RecursionError": RecursionError("maximum recursion depth exceeded"),
    "OverflowError": OverflowError("date value out of range"),
    "OSError": OSError(errno.ENOSPC, "No space left on device"),
    "OperationalError": sqlite3.OperationalError("database or disk is full"),
}
TIMEOUT = 2.0


def shorten_timeouts() -> None:
    generator.commands.serve.REQUEST_TIMEOUT = TIMEOUT


def crash_when_asked() -> None:
    """A build raises the exception that `CRASH_ORDER` names, while that file is there."""
    real = generator.commands.serve.build

    def build(options: BuildOptions, **kwargs: Any) -> BuildReport:
        order = Path(CRASH_ORDER)
        if order.exists():
            raise CRASHES[order.read_text()]
        return real(options, **kwargs)

    generator.commands.serve.build = build


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the requests, with what a hostile output folder can hold planted after its build."""
    with running(make_site(tmp_path_factory.mktemp("site"))) as started:
        output = started.site / "output"
        (output / "escape").symlink_to(started.site)
        (output / "loop-a").symlink_to(output / "loop-b")
        (output / "loop-b").symlink_to(output / "loop-a")
        (output / "empty").mkdir()
        (output / "trap").mkdir()
        (output / "trap" / "index.html").symlink_to(started.site / "site.yaml")
        yield started


def raw(server: Server, method: str, path: str) -> tuple[http.client.HTTPResponse, bytes]:
    """A request as sent: http.client does not tidy the path as urllib and browsers do."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("path", ["", SEED_PAGE, "static/style.css", "feed.xml", "no/such/page/", "articles"])
def test_head_answers_as_get_without_the_body(server: Server, path: str) -> None:
    """Over one kept-alive connection: a HEAD that sent a body would leave the GET after it misread."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        answers = []
        for method in ("HEAD", "GET"):
            connection.request(method, BASE + path)
            response = connection.getresponse()
            headers = (response.status, response.getheader("Content-Type"), response.getheader("Content-Length"))
            answers.append((headers, response.read()))
    finally:
        connection.close()
    (head, nothing), (get, body) = answers
    assert head == get and nothing == b"" and get[2] == str(len(body))


LONG_NAME = "a" * 5000  # longer than NAME_MAX (255): ENAMETOOLONG
LONG_PATH = "/".join(["b" * 250] * 30)  # each name allowed, the whole longer than PATH_MAX (4096)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"{BASE}%00", 400),
        (f"{BASE}index.html%00.css", 400),
        ("/%00", 400),
        (f"{BASE}%01", 400),
        (f"{BASE}%0a", 400),
        (f"{BASE}%1b[2J", 400),
        (f"{BASE}%7f", 400),
        (f"{BASE}%c2%85", 400),  # NEL, a C1 control character
        (f"{BASE}%ff", 400),  # not UTF-8
        (f"{BASE}%c0%af", 400),  # an overlong /
        (f"{BASE}%ed%a0%80", 400),  # a lone surrogate
        (f"{BASE}%zz", 400),
        (f"{BASE}100%", 400),
        (f"{BASE}%e2%82", 400),  # a character cut short
        (f"{BASE}{LONG_NAME}", 404),
        (f"{BASE}{LONG_NAME}/index.html", 404),
        (f"/{LONG_NAME}", 404),
        (f"{BASE}{LONG_PATH}", 404),
        (f"{BASE}index.html/x", 404),  # ENOTDIR
        (f"{BASE}static/style.css/", 404),
        (f"{BASE}404.html/x", 404),
        (f"{BASE}escape/site.yaml", 404),  # a symlink out of the output
        (f"{BASE}escape/", 404),
        (f"{BASE}loop-a", 404),  # ELOOP
        (f"{BASE}loop-a/x", 404),
        (f"{BASE}empty/", 404),  # a folder with no index.html
        (f"{BASE}trap/", 404),  # one whose index.html is a symlink out of the output
        (f"{BASE}static/../../site.yaml", 404),
        (f"{BASE}a%2fb", 404),
        (f"{BASE}..%2f..%2f..%2f..%2fetc%2fpasswd", 404),
    ],
)
def test_a_hostile_path_is_a_bad_request_or_not_found(server: Server, path: str, status: int) -> None:
    before = len(server.text())
    response, body = raw(server, "GET", path)
    assert response.status == status
    assert b"root:x:0:0" not in body and b"base_url:" not in body
    assert "Traceback" not in server.text()[before:]
    assert raw(server, "GET", BASE)[0].status == 200


def test_a_file_it_may_not_read_is_not_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In this process: the tests run as root, who may read any file whatever its mode."""
    site = make_site(tmp_path)
    options = BuildOptions(content=site / "content", output=site / "output", config=site / "site.yaml", workers=1)
    preview = generator.commands.serve.Preview(options)
    try:
        preview.rebuild()
        assert preview.respond(f"{BASE}static/style.css").status == 200

        def refuse(path: Path) -> bytes:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))

        monkeypatch.setattr(Path, "read_bytes", refuse)
        assert preview.respond(f"{BASE}static/style.css").status == 404
    finally:
        preview.cache.close()


STALLS = {
    "part of a request line": b"GET /county-lines-ar",
    "part of the headers": f"GET {BASE} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Ag".encode(),
    "part of a body": f"POST {BASE} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nab".encode(),
    "nothing after a response": f"HEAD {BASE} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode(),
}


def read_to_the_end(connection: socket.socket) -> None:
    """Until the server closes the connection; a socket timeout (the server kept it) fails the test."""
    try:
        while connection.recv(65536):
            pass
    except ConnectionResetError:  # closed with bytes of ours unread
        pass


def test_half_open_and_idle_connections_are_closed_and_others_served(tmp_path: Path) -> None:
    with running(make_site(tmp_path), SHORT_TIMEOUTS) as server:
        held = [socket.create_connection(("127.0.0.1", server.port), timeout=10) for _ in range(48)]
        try:
            for number, connection in enumerate(held):
                connection.sendall(list(STALLS.values())[number % len(STALLS)])
            assert server.get(server.url(SEED_PAGE))[0] == 200  # another client, meanwhile
            started = time.monotonic()
            for connection in held:
                read_to_the_end(connection)
            assert time.monotonic() - started < TIMEOUT + 8
        finally:
            for connection in held:
                connection.close()
        assert server.get(server.url(SEED_PAGE))[0] == 200
        assert "Traceback" not in server.text()


def shows_the_panel(server: Server, text: str) -> bool:
    page = server.get(server.url())[1]
    return "generator-build-error" in page and text in page


def test_a_crashing_rebuild_shows_the_panel_over_the_last_good_site(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    with running(site, CRASHING) as server:
        release = site / "content" / "authored-0001.md"
        for name in CRASHES:
            (site / CRASH_ORDER).write_text(name)
            save(release, release.read_text() + f"\nSynthetic edit before a crash: {name}.\n")
            until(partial(shows_the_panel, server, f"{name}: {CRASHES[name]}"))  # the type and message, on one line
            assert server.get(server.url(SEED_PAGE))[0] == 200
        assert "Traceback (most recent call last)" in server.text()  # the terminal has the bug report
        (site / CRASH_ORDER).unlink()
        save(release, release.read_text() + "\nSynthetic edit after the crashes.\n")
        article = server.url("articles/synthetic-release-1-county-lines-operation-1/")
        until(lambda: "Synthetic edit after the crashes" in server.get(article)[1])
        assert not shows_the_panel(server, "")
        assert server.process.poll() is None


def test_a_crash_of_the_first_build_is_a_page_and_the_next_save_builds(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / CRASH_ORDER).write_text("RecursionError")
    with running(site, CRASHING, status=500) as server:
        page = server.get(server.url())[1]
        assert "Build failed" in page and "RecursionError: maximum recursion depth exceeded" in page
        (site / CRASH_ORDER).unlink()
        release = site / "content" / "authored-0001.md"
        save(release, release.read_text() + "\nSynthetic edit after a crash.\n")
        until(lambda: server.get(server.url())[0] == 200)


def test_a_child_the_preview_stops_ends_without_a_traceback(capfd: pytest.CaptureFixture[str]) -> None:
    """The preview takes SIGTERM as Ctrl-C; a child it forked (a search index, a parsing worker)
    and then stops with SIGTERM ends at once, not with a KeyboardInterrupt traceback."""
    import signal

    from generator.commands.forked import Forked

    def interrupt(number: int, frame: object) -> None:
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGTERM, interrupt)  # as serve sets it
    try:
        child: Forked[None] = Forked(lambda _progress: [time.sleep(30)])
        time.sleep(0.5)  # under way
        child.cancel()
    finally:
        signal.signal(signal.SIGTERM, before)
    assert "Traceback" not in capfd.readouterr().err
