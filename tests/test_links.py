"""`python -m generator check --links [--external]`: the built site's links, and the links out of it.

The links out lead to a server on 127.0.0.1 (tests/webserver.py) answering as each test needs;
no test reaches the internet. The releases name a force the registry gives no website, so no
force page links out either.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path

from lxml import html

from generator.commands.fetching import Fetcher, Politeness, user_agent
from generator.commands.link_cache import LinkCache
from generator.commands.link_check import LinkOptions, check_links
from generator.commands.web_links import check_urls

from . import synthetic
from .conftest import SEED
from .test_cli import run
from .webserver import Route, Server, serving

SUMMARY = re.compile(r"(\d+) links checked in (\d+) pages: (\d+) broken")
NO_WEBSITE = "South Yorkshire Police"  # the registry gives it no website: its page links nowhere out


def routes() -> dict[str, Route]:
    return {
        "/ok": Route(),
        "/moved": Route(301, location="/ok"),
        "/found": Route(302, location="/ok"),
        "/missing": Route(404),
        "/gone": Route(410),
        "/slow": Route(delay=2.0),
        "/reset": Route(reset=True),
        "/no-head": Route(head_status=405),
    }


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def release_linking(server: Server, paths: list[str], extra: Sequence[str] = ()) -> str:
    """A release whose source is the server's /ok and whose body links to each path."""
    links = [f"- [{path}]({server.url(path)})" for path in paths] + [f"- [{url}]({url})" for url in extra]
    body = "Synthetic release, for tests.\n\n" + "\n".join(links) + "\n"
    return synthetic.authored(
        title="Synthetic release with links",
        force=NO_WEBSITE,
        extra_yaml=f"source: {server.url('/ok')}\nslug: synthetic-release-with-links",
        body=body,
    )


def line_of(page: Path, href: str) -> int:
    """The line of the first element linking to `href`, as the page is written."""
    tree = html.parse(str(page))
    return int(tree.xpath("//*[@href=$href or @src=$href]", href=href)[0].sourceline)


def make_site(tmp_path: Path, text: str) -> Path:
    (tmp_path / "content").mkdir(exist_ok=True)
    (tmp_path / "content" / "release.md").write_text(text, encoding="utf-8")
    return tmp_path / "output" / "articles" / "synthetic-release-with-links" / "index.html"


# The site's own links


def test_a_built_site_has_no_broken_links_at_a_root_or_under_a_path(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(SEED, content / SEED.name)
    for name, text in synthetic.corpus(24, ["Kent Police", "Essex Police", "Metropolitan Police"]).items():
        (content / name).write_text(text, encoding="utf-8")
    (content / "pages").mkdir()
    (content / "pages" / "about.md").write_text("---\ntitle: About\n---\n\n[Home](../)\n", encoding="utf-8")
    for base in ("https://archive.example/", "https://synthetic.example/archive/"):
        result = run("check", "--links", "--base-url", base, "--output", "out", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        found = SUMMARY.search(result.stderr.splitlines()[-1])
        assert found, result.stderr
        links, pages, broken = map(int, found.groups())
        assert broken == 0 and pages > 40 and links > 20 * pages
        assert ": error:" not in result.stderr


def test_broken_links_and_anchors_are_named_with_their_file_and_line(
    tmp_path: Path, seed_content: Path, build_site: Callable[..., tuple[Path, object]]
) -> None:
    output, _ = build_site(seed_content, base_url="https://example.org/sub/")
    copy = tmp_path / "copy"
    shutil.copytree(output, copy)
    page = copy / "broken" / "index.html"
    page.parent.mkdir()
    page.write_text(
        "<!doctype html>\n<title>Synthetic</title>\n<h2 id='here'>Here</h2>\n"
        '<a href="../forces/">fine</a> <a href="#here">fine</a> <a href="#top">fine</a> <a href="#">fine</a>\n'
        '<a href="mailto:press@example.org">fine</a> <a href="https://example.org/other-site/">out</a>\n'
        '<a href="../nowhere/">bad</a>\n'
        '<a href="../forces/#no-such-anchor">bad anchor</a>\n'
        '<img src="../../outside.png" alt="">\n'
        '<a href="#missing">bad here</a>\n'
        '<a href="/elsewhere/">bad root</a>\n',
        encoding="utf-8",
    )
    report = check_links(copy, "https://example.org/sub/", tmp_path / ".cache", LinkOptions(), None)
    assert [str(diagnostic).split("broken/index.html:", 1)[1] for diagnostic in report.diagnostics] == [
        "6: error: broken link '../nowhere/' (no such file: nowhere/index.html)",
        "7: error: broken link '../forces/#no-such-anchor' (no id 'no-such-anchor' in forces/index.html)",
        "8: error: broken link '../../outside.png' (leads out of the site)",
        "9: error: broken link '#missing' (no id 'missing' in broken/index.html)",
        "10: error: broken link '/elsewhere/' (outside the site, which is under /sub/)",
    ]
    assert report.summary[-1].endswith(": 5 broken")


# Links out of the site


def test_each_failing_link_out_is_listed_with_file_link_and_status(tmp_path: Path) -> None:
    refused = f"http://127.0.0.1:{closed_port()}/synthetic"
    with serving(routes()) as server:
        page = make_site(tmp_path, release_linking(server, sorted(routes()), [refused]))
        result = run("check", "--links", "--external", "--timeout", "0.5", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    shown = page.relative_to(tmp_path)

    def line(url: str, severity: str, detail: str) -> str:
        return f"{shown}:{line_of(page, url)}: {severity}: {'broken link' if severity == 'error' else 'link'} {url!r}{detail}"

    lines = result.stderr.splitlines()
    assert line(server.url("/missing"), "error", " (404 Not Found)") in lines
    assert line(server.url("/gone"), "error", " (410 Gone)") in lines
    assert line(server.url("/slow"), "error", " (timed out after 0.5 s)") in lines
    assert line(server.url("/reset"), "error", " (connection reset)") in lines
    assert line(refused, "error", " (connection refused)") in lines
    assert line(server.url("/moved"), "warning", f": moved to {server.url('/ok')}") in lines
    errors = [entry for entry in lines if ": error: " in entry]
    assert len(errors) == 5 and not any("/no-head" in entry or "/found" in entry for entry in errors)
    assert lines[-1] == "10 external links checked (9 URLs, 0 from the cache): 5 broken, 1 warning"
    assert server.paths("HEAD").count("/no-head") == 1 and server.paths("GET").count("/no-head") == 1  # then GET
    assert "/slow" not in server.paths("GET")  # a timeout is not asked again
    assert {hit.user_agent for hit in server.log} == {user_agent()}
    assert "web.archive.org" not in result.stderr  # the Internet Archive links beside the originals are ours


def test_answers_are_cached_failures_asked_again_and_old_answers_renewed(tmp_path: Path) -> None:
    wanted = ["/ok", "/found", "/no-head", "/missing", "/forbidden"]
    with serving(routes() | {"/forbidden": Route(403)}) as server:
        make_site(tmp_path, release_linking(server, wanted))
        first = run("check", "--links", "--external", "--max-age", "1d", cwd=tmp_path)
        assert first.returncode == 1 and first.stderr.endswith(": 1 broken, 1 warning\n"), first.stderr
        asked = len(server.log)
        second = run("check", "--links", "--external", "--max-age", "1d", cwd=tmp_path)
        assert (
            second.stderr.splitlines()[-1] == "6 external links checked (5 URLs, 3 from the cache): 1 broken, 1 warning"
        )
        # HEAD, then GET: only the failure, and the refusal, which says nothing of the page
        assert sorted(server.paths()[asked:]) == ["/forbidden", "/forbidden", "/missing", "/missing"]
        cache_file = tmp_path / ".cache" / "links.json"
        cache = json.loads(cache_file.read_text())
        cache["links"][server.url("/ok")]["checked"] = "2001-01-01T00:00:00Z"
        cache_file.write_text(json.dumps(cache))
        asked = len(server.log)
        third = run("check", "--links", "--external", "--max-age", "1d", cwd=tmp_path)
        assert "(5 URLs, 2 from the cache)" in third.stderr
        assert sorted(set(server.paths()[asked:])) == ["/forbidden", "/missing", "/ok"]
        cache_file.write_text("{not json")
        asked = len(server.log)
        fourth = run("check", "--links", "--external", cwd=tmp_path)
        assert ".cache/links.json: warning: the link cache cannot be read" in fourth.stderr
        assert "(5 URLs, 0 from the cache)" in fourth.stderr and fourth.returncode == 1
    assert json.loads(cache_file.read_text())["format"] == 1  # written whole again
    assert not list(cache_file.parent.glob(".links-*"))


def test_no_more_than_two_requests_at_once_at_one_host(tmp_path: Path) -> None:
    busy = {f"/busy/{number}": Route(delay=0.2) for number in range(10)}
    with serving(busy) as server, Fetcher(Politeness(timeout=5)) as fetcher:
        cache = LinkCache(tmp_path / "links.json", timedelta(days=1))
        found, from_cache = check_urls([server.url(path) for path in busy], fetcher, cache)
    assert {verdict.severity for verdict in found.values()} == {"ok"} and from_cache == 0
    assert server.most_at_once <= 2
    assert sorted(server.paths("HEAD")) == sorted(busy)


def test_a_server_that_asks_to_wait_is_asked_again_once(tmp_path: Path) -> None:
    slow_down = {
        "/busy": Route(429, headers=(("Retry-After", "0"),)),
        "/later": Route(503, headers=(("Retry-After", "3600"),)),
    }
    with serving(slow_down) as server, Fetcher(Politeness(timeout=5)) as fetcher:
        cache = LinkCache(tmp_path / "links.json", timedelta(days=1))
        found, _ = check_urls([server.url("/busy"), server.url("/later")], fetcher, cache)
    assert server.paths().count("/busy") == 2 and server.paths().count("/later") == 1
    assert found[server.url("/busy")].detail == "not checked: the server refused (429 Too Many Requests)"
    assert found[server.url("/later")].detail == "503 Service Unavailable, asking us to wait 3600 s"


def test_link_options_are_checked(tmp_path: Path) -> None:
    make_site(tmp_path, synthetic.authored(title="Synthetic release with links", force=NO_WEBSITE))
    assert "error: --max-age: 'soon' is not an age" in run("check", "--links", "--max-age", "soon", cwd=tmp_path).stderr
    for value in ("0", "inf", "nan", "1e12"):
        bad = run("check", "--links", "--external", "--timeout", value, cwd=tmp_path)
        assert bad.returncode == 2 and "error: --timeout: must be more than 0 and at most 3600 seconds" in bad.stderr
    for value in ("-1", "nan"):
        bad = run("check", "--links", "--delay", value, cwd=tmp_path)
        assert bad.returncode == 2 and "error: --delay: must be 0 to 3600 seconds" in bad.stderr
        assert "Traceback" not in bad.stderr
