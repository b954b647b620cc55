"""`import URL …` and `import --feed URL`: pages and feeds fetched from a server on 127.0.0.1.

The pages are the synthetic fixtures of tests/data/import/, served as they are; no test reaches
the internet.
"""

from __future__ import annotations

import hashlib
import itertools
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from generator.commands import web_import
from generator.commands.cli import main
from generator.commands.fetching import user_agent

from .test_cli import run
from .test_import import PAGES, page_html
from .webserver import Route, Server, serving

FIXTURES = sorted(path.name for path in PAGES.glob("*.html"))
RSS_ITEMS, ATOM_ITEMS = FIXTURES[:3], FIXTURES[3:]


def front_matter(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text(encoding="utf-8").split("```yaml\n", 1)[1].split("```", 1)[0])
    assert isinstance(data, dict)
    return data


def rss(server: Server, names: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Synthetic {name}</title><link>{server.url('/news/' + name)}</link></item>" for name in names
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Synthetic</title>{items}</channel></rss>'.encode()


def atom(server: Server, names: list[str]) -> bytes:
    entries = "".join(
        f'<entry><title>Synthetic {name}</title><id>urn:synthetic:{name}</id><link href="/news/{name}"/></entry>'
        for name in names
    )
    return (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Synthetic</title>'
        f"<id>urn:synthetic</id>{entries}</feed>"
    ).encode()


def press_room() -> dict[str, Route]:
    """Every fixture page at /news/<name>, and the answers a press room should not give."""
    routes = {f"/news/{name}": Route(body=(PAGES / name).read_bytes(), content_type="text/html") for name in FIXTURES}
    plain = page_html("<p>A synthetic release that names no address of its own.</p>", title="Synthetic plain page")
    routes |= {
        "/plain": Route(body=plain.encode()),
        "/plain-moved": Route(301, location="/plain"),
        "/missing": Route(404),
        "/report.pdf": Route(body=b"%PDF-1.4 synthetic", content_type="application/pdf"),
        "/to-file": Route(302, location="file:///etc/passwd"),
        "/huge": Route(body=b"<html><p>" + b"x" * 5000),
    }
    return routes


def test_rss_and_atom_items_are_imported_recording_when_and_what_was_fetched(tmp_path: Path) -> None:
    with serving(press_room()) as server:
        server.routes["/feed.rss"] = Route(body=rss(server, RSS_ITEMS), content_type="application/rss+xml")
        server.routes["/feed.atom"] = Route(body=atom(server, ATOM_ITEMS), content_type="application/atom+xml")
        feeds = ["--feed", server.url("/feed.rss"), "--feed", server.url("/feed.atom")]
        before = datetime.now(UTC).replace(microsecond=0)
        first = run("import", *feeds, "--delay", "0.2", "--content", "content", cwd=tmp_path)
        after = datetime.now(UTC)
        assert first.returncode == 0, first.stderr
        written = sorted((tmp_path / "content").glob("*.txt"))
        assert len(written) == len(FIXTURES) and first.stdout.count(": written content/") == len(FIXTURES)
        served = {hashlib.sha256((PAGES / name).read_bytes()).hexdigest() for name in FIXTURES}
        fronts = [front_matter(path) for path in written]
        assert {front["sha256"] for front in fronts} == served
        for front in fronts:
            archived = datetime.strptime(str(front["archived"]), "%Y-%m-%dT%H:%M:%S%z")
            assert archived.utcoffset() is not None and archived.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
            assert before <= archived <= after
        assert {str(front["source"]) for front in fronts} == {server.url("/news/" + name) for name in FIXTURES}
        starts = [hit.at for hit in server.log]
        assert all(later - earlier >= 0.18 for earlier, later in itertools.pairwise(starts))  # 0.2 s apart
        assert {hit.user_agent for hit in server.log} == {user_agent()}
        assert server.paths() == ["/feed.rss", *(f"/news/{name}" for name in RSS_ITEMS), "/feed.atom"] + [
            f"/news/{name}" for name in ATOM_ITEMS
        ]
        asked = len(server.log)
        second = run("import", *feeds, "--delay", "0.2", "--content", "content", cwd=tmp_path)
        assert second.returncode == 0 and second.stdout.count(": skipped: already imported as") == len(FIXTURES)
        assert server.paths()[asked:] == ["/feed.rss", "/feed.atom"]  # the feeds, and no page


def test_each_page_that_cannot_be_imported_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(web_import, "MAX_BYTES", 4096)
    with serving(press_room()) as server:
        paths = ["/missing", "/report.pdf", "/to-file", "/huge", "/news/mynewsdesk.html"]
        urls = [server.url(path) for path in paths]
        assert main(["import", *urls, "--content", str(tmp_path), "--delay", "0"]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"{urls[0]}: failed: status 404 Not Found",
        f"{urls[1]}: failed: not an HTML page (Content-Type: application/pdf)",
        f"{urls[2]}: failed: redirected to 'file:///etc/passwd': only http and https redirects are followed",
        f"{urls[3]}: failed: over 4096 bytes: too large for a press release page",
    ]
    assert out.startswith(f"{urls[4]}: written ") and len(list(tmp_path.glob("*.txt"))) == 1
    assert server.paths().count("/etc/passwd") == 0


def test_a_page_naming_no_address_has_the_one_it_was_fetched_from(tmp_path: Path) -> None:
    with serving(press_room()) as server:
        assert main(["import", server.url("/plain-moved"), "--content", str(tmp_path), "-q", "--delay", "0"]) == 0
        (written,) = tmp_path.glob("*.txt")
        front = front_matter(written)
        assert front["url"] == server.url("/plain") and front["source"] == server.url("/plain-moved")
        asked = len(server.log)
        for again in ("/plain-moved", "/plain"):
            assert main(["import", server.url(again), "--content", str(tmp_path), "-q"]) == 0
        assert len(server.log) == asked  # both known: neither fetched


def test_links_that_differ_only_by_tracking_are_one_release(tmp_path: Path) -> None:
    """A press room's feed tags its links (`?utm_source=rss`); the release is recorded without the
    tags, and the same page reached by another tagged link, or by none, is not imported again."""
    with serving(press_room()) as server:
        tracked = "/plain?utm_source=rss&utm_medium=feed"
        server.routes[tracked] = server.routes["/plain"]
        assert main(["import", server.url(tracked), "--content", str(tmp_path), "-q", "--delay", "0"]) == 0
        (written,) = tmp_path.glob("*.txt")
        front = front_matter(written)
        assert front["url"] == server.url("/plain") and "source" not in front
        asked = len(server.log)
        for again in ("/plain", "/plain?fbclid=synthetic", "/plain?UTM_campaign=x&utm_source=twitter"):
            assert main(["import", server.url(again), "--content", str(tmp_path), "-q"]) == 0
        assert len(server.log) == asked and len(list(tmp_path.glob("*.txt"))) == 1


def test_a_saved_page_records_its_hash_but_no_fetch(tmp_path: Path) -> None:
    assert main(["import", str(PAGES / "bst.html"), "--content", str(tmp_path), "-q"]) == 0
    (written,) = tmp_path.glob("*.txt")
    front = front_matter(written)
    assert front["sha256"] == hashlib.sha256((PAGES / "bst.html").read_bytes()).hexdigest()
    assert "archived" not in front and "source" not in front


def test_web_options_are_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "--content", str(tmp_path)]) == 2
    assert main(["import", "--feed", "feed.xml"]) == 2
    assert main(["import", "--feed", "https://example.invalid/feed", "--limit", "0"]) == 2
    assert main(["import", "https://example.invalid/a", "--timeout", "1e12"]) == 2
    assert main(["import", "https://example.invalid/a", "--delay", "nan"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "import: give a saved page, a folder, a page's URL, or --feed URL",
        "import: --feed: 'feed.xml' is not an http(s) URL",
        "import: --limit: must be 1 or more",
        "import: --timeout: must be more than 0 and at most 3600 seconds",
        "import: --delay: must be 0 to 3600 seconds",
    ]


def test_a_feed_that_is_no_feed_fails_and_limit_takes_the_first_items(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serving(press_room()) as server:
        server.routes["/feed.rss"] = Route(body=rss(server, RSS_ITEMS), content_type="application/rss+xml")
        feeds = ["--feed", server.url("/news/bst.html"), "--feed", server.url("/feed.rss"), "--limit", "1"]
        assert main(["import", *feeds, "--content", str(tmp_path), "--delay", "0"]) == 1
        assert server.paths() == ["/news/bst.html", "/feed.rss", f"/news/{RSS_ITEMS[0]}"]
    err = capsys.readouterr().err
    assert err.startswith(f"{server.url('/news/bst.html')}: failed: not an RSS or Atom feed")
