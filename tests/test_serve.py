"""`python -m generator serve` as a user runs it: a subprocess on a free port, edited while it runs."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from . import synthetic
from .browsing import chromium
from .conftest import ROOT, SEED

pytestmark = pytest.mark.slow  # builds and commands run for real: the fast loop leaves them out

BASE = "/county-lines-archive/"
SEED_PAGE = "articles/more-than-1000-charges-secured-for-county-lines-offending/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    def __init__(self, site: Path, port: int, setup: str = "") -> None:
        """`setup` is Python for the server's process to run before it starts: a test's change to it."""
        self.site, self.port = site, port
        self.log = site / "serve.log"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        launch = (
            ["-c", f"{setup}\nfrom generator.commands.cli import main\nraise SystemExit(main())"]
            if setup
            else ["-m", "generator"]
        )
        command = [sys.executable, *launch, "serve", "--port", str(port)]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(command, cwd=site, env=env, stdout=log, stderr=subprocess.STDOUT)

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}{BASE}{path}"

    def get(self, url: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def text(self) -> str:
        return self.log.read_text()

    def stop(self, how: signal.Signals = signal.SIGINT) -> int:
        if self.process.poll() is None:
            self.process.send_signal(how)
            try:
                return self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                raise
        return self.process.returncode


def until(check: Callable[[], object], seconds: float = 10.0) -> object:
    """Poll `check` until it returns something true, for a bounded time."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            result = check()
        except (OSError, urllib.error.URLError):
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {seconds}s waiting for {check}")
        time.sleep(0.2)


def make_site(folder: Path) -> Path:
    """The seed and eight synthetic releases, with the project's templates and static files."""
    (folder / "content").mkdir()
    shutil.copy(SEED, folder / "content" / SEED.name)
    for name, text in synthetic.corpus(8, ["Kent Police", "Essex Police"]).items():
        (folder / "content" / name).write_text(text)
    shutil.copytree(ROOT / "templates", folder / "templates")
    shutil.copytree(ROOT / "static", folder / "static")
    (folder / "site.yaml").write_text(f"base_url: https://example.org{BASE}\nper_page: 4\n")
    return folder


@contextmanager
def running(site: Path, setup: str = "", status: int = 200) -> Iterator[Server]:
    """A server on a free port, once its home page answers with `status`; stopped afterwards."""
    server = Server(site, free_port(), setup)
    try:
        until(lambda: server.get(server.url())[0] == status, 20)
        yield server
    finally:
        server.stop()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


@pytest.fixture
def server(site: Path) -> Iterator[Server]:
    with running(site) as started:
        yield started


def save(path: Path, text: str) -> None:
    """Save as an editor does, in one step, with a time the watcher cannot mistake for the last
    save's. (Writing in place and then moving the time on is two changes: a poll between them
    sees two saves, and two reloads in quick succession.) The new file is made outside the
    watched folders, or the watcher would see it too."""
    new = path.parent.parent / f".saving-{path.name}"
    new.write_text(text)
    before = path.stat().st_mtime_ns if path.exists() else 0
    later = max(before, new.stat().st_mtime_ns) + 2_000_000_000
    os.utime(new, ns=(later, later))
    os.replace(new, path)


def builds(server: Server) -> list[str]:
    """The log's lines of builds that rendered or wrote something."""
    return re.findall(r"^\d\d:\d\d:\d\d  (Built .*)$", server.text(), re.M)


def last_summary(server: Server) -> str:
    """The last build's line of the log, which starts with the time it was printed."""
    return re.findall(r"^\d\d:\d\d:\d\d  ((?:Built|Nothing to do).*)$", server.text(), re.M)[-1]


def test_preview_is_served_under_the_base_path_with_the_reload_script(server: Server, site: Path) -> None:
    root = f"http://127.0.0.1:{server.port}/"
    with urllib.request.urlopen(root, timeout=5) as response:
        assert response.url == server.url()
    status, page = server.get(server.url(SEED_PAGE))
    assert status == 200 and "livereload.js" in page
    assert f"Serving {server.url()}" in server.text()
    published = (site / "output" / SEED_PAGE / "index.html").read_text()
    assert "livereload" not in published
    status, missing = server.get(server.url("no/such/page/"))
    assert status == 404 and "livereload.js" in missing


def test_editing_a_release_rebuilds_it_and_its_lists_only(server: Server, site: Path) -> None:
    release = site / "content" / "authored-0001.md"
    built = len(builds(server))
    save(release, release.read_text().replace("A synthetic paragraph", "An edited synthetic paragraph"))
    article = server.url("articles/synthetic-release-1-county-lines-operation-1/")
    until(lambda: "An edited synthetic paragraph" in server.get(article)[1])
    # the build that found the save: the watcher's, or one for the background search index that
    # ran first (its line is written just after the page; the watcher's then finds nothing to do)
    until(lambda: len(builds(server)) > built)
    summary = builds(server)[built]
    pages = int(re.search(r"(\d+) pages", summary)[1])
    rendered = int(re.search(r"(\d+) rendered", summary)[1])
    # its own page and the two feeds that carry its text: the lists, figures and open data show
    # none of its body
    assert 1 <= rendered <= 3 < pages


def test_the_first_save_after_start_is_built(server: Server, site: Path) -> None:
    """The first change the server hears of is a save like any other (livereload's own start-up
    "change" once held it back until a second save)."""
    until(lambda: "search index updated" in server.text())  # the start is over
    release = next(path for path in (site / "content").iterdir() if path.suffix == ".md")
    text = release.read_text()
    title = re.search(r'^title: "?([^"\n]+)"?$', text, re.M)
    assert title
    release.write_text(text.replace(title[1], "Synthetic first save"))  # in place: one write, one event
    assert until(lambda: "Synthetic first save" in server.get(server.url())[1])


def test_releases_added_moved_and_removed_in_folders_while_serving_are_each_shown(server: Server, site: Path) -> None:
    """The preview finds the content files by the paths its watcher sees change: a file saved,
    a folder moved in with its file, a file moved within the content, a folder moved out of it,
    a file deleted."""
    until(lambda: "search index updated" in server.text())  # the start is over
    home = server.url()

    def shown(title: str) -> bool:
        return title in server.get(home)[1]

    content, newest = site / "content", "2026-11-30T09:00:00Z"
    save(content / "second.md", synthetic.authored(title="Synthetic second release", date=newest))
    until(lambda: shown("Synthetic second release"))  # the first build after the start looks at every file
    outside = site / "november"
    outside.mkdir()
    (outside / "new.md").write_text(synthetic.authored(title="Synthetic release in a new folder", date=newest))
    (content / "2026").mkdir()
    folder = content / "2026" / "november"
    outside.rename(folder)  # a folder moved in with its file: the folder's change alone is seen
    until(lambda: shown("Synthetic release in a new folder"))
    (folder / "new.md").rename(content / "moved.md")
    (content / "moved.md").rename(folder / "back.md")
    save(content / "second.md", synthetic.authored(title="Synthetic second release, edited", date=newest))
    until(lambda: shown("Synthetic second release, edited"))
    assert shown("Synthetic release in a new folder")
    shutil.move(content / "2026", site / "away")  # out of the content folder, with its file
    until(lambda: not shown("Synthetic release in a new folder"))
    (content / "second.md").unlink()
    until(lambda: not shown("Synthetic second release"))


def test_log_lines_read_as_the_previews_own(server: Server, site: Path) -> None:
    """Every line after the first build starts with the time, never tornado's `[I 261201 …]`."""
    server.get(server.url())
    save(site / "content" / "extra.md", synthetic.authored(title="Synthetic log line"))
    until(lambda: "Synthetic log line" in server.get(server.url())[1])
    lines = [line for line in server.text().splitlines() if line.strip()]
    assert not [line for line in lines if re.match(r"\[[DIWE] \d{6} ", line)]
    assert all(re.match(r"\d\d:\d\d:\d\d  \S", line) for line in lines if not line.startswith("Serving "))


def test_a_stylesheet_change_renders_no_page(server: Server, site: Path) -> None:
    """Whichever build takes the change (its own, or the one that writes a search index made in
    the background, when the save falls during it), no page is rendered again."""
    until(lambda: "search index updated" in server.text())  # the first build's follow-up is done
    seen = len(server.text())
    css = site / "static" / "style.css"
    save(css, css.read_text() + "\n/* synthetic change */\n")
    until(lambda: "synthetic change" in server.get(server.url("static/style.css"))[1])
    assert until(lambda: re.search(r" 0 rendered|Nothing to do", server.text()[seen:]))
    assert not re.search(r" [1-9]\d* rendered", server.text()[seen:])


def test_broken_files_show_the_error_and_the_server_recovers(server: Server, site: Path) -> None:
    bad = site / "content" / "broken.md"
    save(bad, "---\ntitle: [unclosed\n---\n")
    page = until(lambda: (body := server.get(server.url())[1]) and "generator-build-error" in body and body)
    assert "content/broken.md:3: error: front matter is not valid YAML" in str(page)
    assert "content/broken.md:3: error" in server.text()
    assert server.get(server.url(SEED_PAGE))[0] == 200  # every other page stays available
    bad.unlink()
    until(lambda: "generator-build-error" not in server.get(server.url())[1])

    template = site / "templates" / "home.html"
    good = template.read_text()
    save(template, good.replace("{% block content %}", "{% block content %}{% if %}"))
    page = until(lambda: (body := server.get(server.url())[1]) and "generator-build-error" in body and body)
    assert re.search(r"templates/home\.html:\d+: error:", str(page))
    save(template, good)
    until(lambda: "generator-build-error" not in server.get(server.url())[1])
    assert server.process.poll() is None


def test_ctrl_c_stops_cleanly(server: Server) -> None:
    assert server.stop() == 0
    assert "Traceback" not in server.text()


def test_kill_stops_cleanly_too(server: Server) -> None:
    """SIGTERM (`kill`, a process manager) as Ctrl-C: a clean exit that saves the cache."""
    until(lambda: server.get(server.url())[0] == 200)
    assert server.stop(signal.SIGTERM) == 0
    assert "Traceback" not in server.text()


def test_a_busy_port_is_a_clear_message(server: Server, site: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "generator", "serve", "--port", str(server.port)]
    result = subprocess.run(command, cwd=site, env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    suggested = re.search(rf"^error: port {server.port} on 127.0.0.1 is in use: try --port (\d+)$", result.stderr, re.M)
    assert suggested and int(suggested[1]) > server.port
    assert "Built" not in result.stderr  # said before the first build, not after it
    assert "Traceback" not in result.stderr


@pytest.mark.browser
def test_the_open_tab_reloads_by_itself(server: Server, site: Path) -> None:
    with chromium() as browser:
        page = browser.new_page()
        page.goto(server.url(SEED_PAGE))
        page.wait_for_function("() => window.LiveReload !== undefined", timeout=10_000)
        page.evaluate("() => { window.notReloaded = true; }")

        css = site / "static" / "style.css"
        save(css, css.read_text() + "\nbody { outline: 1px solid rgb(1, 2, 3); }\n")
        page.wait_for_function("() => getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)'", timeout=15_000)
        assert page.evaluate("() => window.notReloaded === true"), server.text()  # styles swapped in place

        release = site / "content" / SEED.name
        save(release, release.read_text().replace("Significant work remains", "Synthetic browser edit remains"))
        page.wait_for_selector("text=Synthetic browser edit remains", timeout=15_000)
        assert page.evaluate("() => window.notReloaded === undefined")  # the tab reloaded by itself
        save(release, release.read_text().replace("Synthetic browser edit", "Second synthetic edit"))
        page.wait_for_selector("text=Second synthetic edit remains", timeout=15_000)  # no 3 s blind spot


@pytest.mark.parametrize(
    "path",
    [
        f"{BASE}../site.yaml",
        f"{BASE}%2e%2e/site.yaml",
        f"{BASE}..%2fsite.yaml",
        f"{BASE}%2e%2e%2fcontent%2f{SEED.name}",
        f"{BASE}static/../../site.yaml",
        f"{BASE}..%5csite.yaml",
        "/../site.yaml",
        f"{BASE}%2fetc%2fpasswd",
        "//etc/passwd",
    ],
)
def test_nothing_outside_the_output_folder_is_served(server: Server, site: Path, path: str) -> None:
    """Raw requests (no client tidies the path first) for files beside and above the output."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read().decode(errors="replace")
    connection.close()
    assert response.status in (301, 302, 400, 403, 404)
    assert (site / "site.yaml").read_text() not in body
    assert SEED.read_text().splitlines()[1] not in body  # the release file's own front matter
    assert "root:x:0:0" not in body
