"""Full-text search: the Pagefind bundle `generator.output.search` makes, and `static/search.js` using it in Chromium."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import generator.output.produce
import generator.site.pages
from generator.commands.build import BuildOptions, build
from generator.errors import GeneratorError
from generator.output import search
from generator.output.search import SearchEntry, search_index
from generator.reading.dates import uk_time

from . import corpus, synthetic
from .browsing import served
from .conftest import ROOT
from .searchable import searchable

FORCES = ("Kent Police", "Essex Police", "Metropolitan Police", "Avon and Somerset Police")
UNIQUE = "quillowrangle"  # a made-up word, in one synthetic release only
HOSTILE = 'Synthetic release 5 <b>bold</b> & "quoted"'
DATED = 30  # releases 0 to 29 are dated; the site's search holds two more, undated

# The search page as the site's template gives it (its icon inline: no favicon.ico 404), under `/repo/`.
SEARCH_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Search (synthetic test site)</title><link rel="icon" href="data:,"></head>
<body>
<h1>Search</h1>
<form class="search-form" role="search" action="" data-search data-root="../">
  <label for="search-q">Search the releases</label>
  <input id="search-q" type="search" name="q" autocomplete="off">
  <label for="search-force">Force</label><select id="search-force" name="force"><option value="">All forces</option></select>
  <label for="search-year">Year</label><select id="search-year" name="year"><option value="">All years</option></select>
  <fieldset><legend>Date published</legend>
    <label for="search-from">From</label><input id="search-from" type="date" name="from">
    <label for="search-to">To</label><input id="search-to" type="date" name="to">
  </fieldset>
  <label for="search-sort">Sort by</label><select id="search-sort" name="sort">
    <option value="">Best match</option><option value="newest">Newest first</option><option value="oldest">Oldest first</option>
  </select>
  <button type="submit">Search</button>
</form>
<p id="search-status" role="status" aria-live="polite"></p>
<ol id="search-results" class="search-results"></ol>
<noscript><p>Search needs JavaScript. Browse by <a href="../forces/">force</a> or <a href="../archive/">year</a> instead.</p></noscript>
<script src="../static/search.js" defer></script>
</body>
</html>
"""


def entry(number: int) -> SearchEntry:
    """Synthetic release `number`: four forces and five years in turn, dated `1 + number` March;
    release 17 alone has UNIQUE. Past DATED, releases have neither date nor force."""
    year = 2019 + number % 5
    words = f" It mentions {UNIQUE} once." if number == 17 else ""
    paragraph = f"<p>SYNTHETIC TEST CONTENT, not a real press release. Officers made arrests.{words}</p>"
    dated = number < DATED
    return SearchEntry(
        url=f"articles/synthetic-release-{number}/",
        title=HOSTILE if number == 5 else f"Synthetic release {number}",
        force=FORCES[number % len(FORCES)] if dated else None,
        year=year if dated else None,
        date_text=f"{1 + number} March {year}" if dated else "",
        date=f"{year}-03-{1 + number:02d}" if dated else None,
        moment=f"{year}-03-{1 + number:02d}" if dated else None,
        body_html=paragraph + "<p>A second synthetic paragraph about county lines.</p>",
    )


def test_the_bundle_holds_the_loader_and_an_index_of_every_entry() -> None:
    files = search_index([entry(n) for n in range(5)], "en-GB")
    assert {"pagefind.js", "pagefind-entry.json", "pagefind-worker.js", "wasm.en-gb.pagefind"} <= files.keys()
    assert any(path.startswith("index/") and path.endswith(".pf_index") for path in files)
    assert len([path for path in files if path.startswith("fragment/")]) == 5
    assert all(not path.startswith("/") and ".." not in path.split("/") for path in files)
    languages = json.loads(files["pagefind-entry.json"])["languages"]
    assert languages["en-gb"]["page_count"] == 5


def test_no_entries_make_no_bundle() -> None:
    assert search_index([], "en-GB") == {}  # Pagefind refuses to index nothing


def test_a_missing_binary_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    for wheel in ("pagefind_bin", "pagefind_bin_extended"):
        monkeypatch.setitem(sys.modules, wheel, None)  # as if not installed: importing it fails
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(GeneratorError, match=r"^search indexing failed: the pagefind binary was not found"):
        search_index([entry(1)], "en-GB")


def test_the_binary_is_found_where_the_pagefind_package_finds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pagefind import service

    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    assert search.pagefind_binary() == service.get_executable()
    other = tmp_path / "pagefind"
    other.write_bytes(b"#!/bin/sh\n")
    version = search.index_version()
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(other))
    assert search.pagefind_binary() == service.get_executable() == other
    assert search.index_version() != version  # another binary: the indexes are made again
    # The wheel's binary is told by the wheel's version, not the time it was installed at.
    assert re.fullmatch(r"pagefind_bin(_extended)?-\d+\.\d+\.\d+\.dist-info", version)


def fake_pagefind(folder: Path, script: str, monkeypatch: pytest.MonkeyPatch) -> None:
    binary = folder / "pagefind"
    binary.write_text(f"#!/bin/sh\n{script}\n")
    binary.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(binary))


def test_a_failing_pagefind_is_reported_in_one_line_with_what_it_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_pagefind(tmp_path, 'echo "Error: synthetic failure" >&2\necho "of two lines" >&2\nexit 3', monkeypatch)
    with pytest.raises(GeneratorError) as failure:
        search_index([entry(1)], "en-GB")
    assert str(failure.value) == (
        "search indexing failed: Pagefind exited with status 3: Error: synthetic failure of two lines"
    )


def test_a_pagefind_that_never_finishes_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_pagefind(tmp_path, "exec sleep 60", monkeypatch)
    monkeypatch.setattr(search, "_TIMEOUT_SECONDS", 1.0)
    monkeypatch.setattr(search, "_TIMEOUT_PER_ENTRY", 0.0)
    with pytest.raises(GeneratorError, match="search indexing failed: Pagefind did not finish within 1s"):
        search_index([entry(1)], "en-GB")


@pytest.mark.parametrize("url", ["/articles/x/", "../x/", "articles//x/", "articles/x/?q=1", "articles/x"])
def test_urls_outside_the_site_are_refused(url: str) -> None:
    with pytest.raises(
        GeneratorError,
        match=r"^search indexing failed: '.*' is (not a site-relative page URL|neither a folder nor an \.html page)$",
    ):
        search_index([SearchEntry(url, "Synthetic release", None, None, "", None, None, "<p>Synthetic.</p>")], "en-GB")


def test_two_entries_at_one_url_are_refused() -> None:
    with pytest.raises(GeneratorError, match="two releases have the URL 'articles/synthetic-release-1/'"):
        search_index([entry(1), entry(1)], "en-GB")


def test_a_release_is_indexed_with_its_day_in_the_uk_or_its_month_and_an_undated_one_without(
    write_content: Callable[[dict[str, str]], Path], build_site: Callable[..., tuple[Path, Any]]
) -> None:
    """The date filter, which the search page orders and ranges by: the day as the site shows it."""
    content = write_content(
        {
            "late.md": synthetic.authored("Synthetic late release", date="2021-06-30T23:30:00Z"),  # BST: 1 July
            "month.md": synthetic.authored("Synthetic month release", date="2021-03"),
            "undated.md": synthetic.authored("Synthetic undated release", date=None),
        }
    )
    output, _ = build_site(content)
    filters = {url: json.loads(document)["filters"] for url, document in searchable(output).items()}
    assert filters["/articles/late/"]["date"] == ["2021-07-01"]
    assert filters["/articles/month/"]["date"] == ["2021-03"]
    assert "date" not in filters["/articles/undated/"] and "year" not in filters["/articles/undated/"]


def test_a_build_that_fails_while_its_edit_is_indexed_waits_for_pagefind_and_keeps_the_site(
    write_content: Callable[[dict[str, str]], Path],
    build_site: Callable[..., tuple[Path, Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An edit's index is made on a thread while the pages render: a build that fails meanwhile
    lets Pagefind end and clean up, and leaves the site as it was."""
    content = write_content({"edited.md": synthetic.authored("Synthetic edited release")})
    output, _ = build_site(content)
    before = {path: path.read_bytes() for path in output.rglob("*") if path.is_file()}
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(search, "_scratch", lambda: str(scratch))
    indexing = []
    make_index = search.search_index

    def slow_index(entries: Any, language: str) -> dict[str, bytes]:
        indexing.append("started")
        time.sleep(0.5)  # still indexing when the pages fail
        made = make_index(entries, language)
        indexing.append("ended")
        return made

    def failing(*args: object) -> None:
        raise GeneratorError("synthetic failure while rendering")

    monkeypatch.setattr(search, "search_index", slow_index)
    monkeypatch.setattr(generator.output.produce, "produce", failing)
    (content / "edited.md").write_text(synthetic.authored("Synthetic edited release", body="Synthetic new words."))
    with pytest.raises(GeneratorError, match="synthetic failure while rendering"):
        build_site(content)
    assert indexing == ["started", "ended"]  # waited for, not left running
    assert list(scratch.iterdir()) == []
    assert {path: path.read_bytes() for path in output.rglob("*") if path.is_file()} == before


def test_the_renderers_fork_only_once_an_edits_index_is_made(
    write_content: Callable[[dict[str, str]], Path],
    build_site: Callable[..., tuple[Path, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An edit's index is made on a thread; forked workers would inherit it mid-work (a lock it
    holds, a pipe its Pagefind writes to), so the build waits for it before forking them."""
    content = write_content({f"r{n}.md": synthetic.authored(f"Synthetic release {n}") for n in range(3)})
    build_site(content)
    events = []
    make_index = search.search_index

    def slow_index(entries: Any, language: str) -> dict[str, bytes]:
        time.sleep(0.5)
        made = make_index(entries, language)
        events.append("indexed")
        return made

    render_in_workers = generator.output.produce._in_workers

    def in_workers(*args: Any) -> None:
        events.append("forked")
        render_in_workers(*args)

    monkeypatch.setattr(search, "search_index", slow_index)
    monkeypatch.setattr(generator.output.produce, "_in_workers", in_workers)
    monkeypatch.setattr(generator.output.produce, "POOL_THRESHOLD", 1)
    (content / "r1.md").write_text(synthetic.authored("Synthetic release 1 retitled"))
    build_site(content)
    assert events == ["indexed", "forked"]


# In the browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A hand-made site at `/repo/`: the search page, its script and the bundle of 32 releases, served."""
    www = tmp_path_factory.mktemp("www")
    root = www / "repo"
    (root / "search").mkdir(parents=True)
    (root / "search" / "index.html").write_text(SEARCH_PAGE, encoding="utf-8")
    (root / "static").mkdir()
    shutil.copy(ROOT / "static" / "search.js", root / "static" / "search.js")
    for name, data in search_index([entry(n) for n in range(DATED + 2)], "en-GB").items():
        (root / "pagefind" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "pagefind" / name).write_bytes(data)
    (root / "pagefind" / "recent.json").write_text(
        '{"version":"1","recent":false,"replaced":[]}'
    )  # as every build writes
    with served(www) as base:
        yield root, base


def results(page: Any) -> list[dict[str, Any]]:
    return list(
        page.eval_on_selector_all(
            "#search-results > li",
            """items => items.map(li => ({
                href: li.querySelector("h2 a").getAttribute("href"),
                resolved: li.querySelector("h2 a").href,
                title: li.querySelector("h2 a").textContent,
                meta: li.querySelector(".search-meta").textContent,
                marks: [...li.querySelectorAll(".search-excerpt mark")].map(m => m.textContent),
            }))""",
        )
    )


def status(page: Any, text: str) -> None:
    page.wait_for_function("text => document.getElementById('search-status').textContent === text", arg=text)


def test_typing_a_word_finds_the_one_release_that_has_it(site: tuple[Path, str], page: Any) -> None:
    _, base = site
    page.goto(base + "search/")
    page.wait_for_function("() => document.querySelectorAll('#search-year option').length > 1")
    forces = page.eval_on_selector_all("#search-force option", "options => options.map(o => o.value)")
    years = page.eval_on_selector_all("#search-year option", "options => options.map(o => o.value)")
    assert forces == ["", *sorted(FORCES)]
    assert years == ["", "2023", "2022", "2021", "2020", "2019"]

    page.locator("#search-q").press_sequentially(UNIQUE, delay=20)
    status(page, f"1 release found for “{UNIQUE}”")
    [first] = results(page)
    assert first["href"] == "../articles/synthetic-release-17/"
    assert first["resolved"] == base + "articles/synthetic-release-17/"
    assert first["title"] == "Synthetic release 17"
    assert first["meta"] == "Essex Police · 18 March 2021"
    assert first["marks"] == [UNIQUE]
    assert page.url == f"{base}search/?q={UNIQUE}"


def test_a_year_filter_shows_only_that_years_releases(site: tuple[Path, str], page: Any) -> None:
    _, base = site
    page.goto(base + "search/?q=synthetic")
    status(page, "32 releases found for “synthetic”")
    page.select_option("#search-year", "2021")
    status(page, "6 releases found for “synthetic”")
    shown = results(page)
    assert len(shown) == 6 and all(result["meta"].endswith(" 2021") for result in shown)
    assert page.url == f"{base}search/?q=synthetic&year=2021"


def test_a_link_from_elsewhere_runs_its_search_and_filters(site: tuple[Path, str], page: Any) -> None:
    _, base = site
    page.goto(base + "search/?q=arrests&force=Kent+Police")
    status(page, "8 releases found for “arrests”")
    assert page.input_value("#search-q") == "arrests"
    assert page.input_value("#search-force") == "Kent Police"
    assert {result["meta"].split(" · ")[0] for result in results(page)} == {"Kent Police"}
    page.goto(base + "search/?year=2020")  # a filter alone lists that year's releases
    status(page, "6 releases found, newest first")


def test_twenty_results_at_a_time(site: tuple[Path, str], page: Any) -> None:
    _, base = site
    page.goto(base + "search/")
    page.fill("#search-q", "synthetic")
    page.press("#search-q", "Enter")
    status(page, "32 releases found for “synthetic”")
    assert len(results(page)) == 20
    page.click("button.search-more")
    page.wait_for_function("() => document.querySelectorAll('#search-results > li').length === 32")
    assert page.is_hidden("button.search-more")
    assert page.evaluate("() => document.activeElement === document.querySelectorAll('#search-results h2 a')[20]")


def test_titles_are_shown_as_text(site: tuple[Path, str], page: Any) -> None:
    _, base = site
    page.goto(base + "search/?q=bold")
    status(page, "1 release found for “bold”")
    assert results(page)[0]["title"] == HOSTILE


def test_opened_from_disk_it_says_search_needs_a_web_server(site: tuple[Path, str], browser: Any) -> None:
    root, _ = site
    tab = browser.new_page()
    tab.goto((root / "search" / "index.html").as_uri() + "?q=synthetic")
    status(
        tab,
        "Search needs a web server: this page was opened from disk. Run python -m generator serve "
        "and open the address it prints, or use the published site.",
    )
    assert tab.is_disabled("form[data-search] button[type=submit]")
    tab.close()


def titles(page: Any) -> list[str]:
    return list(page.eval_on_selector_all("#search-results h2 a", "links => links.map(a => a.textContent)"))


def first_title(page: Any, title: str) -> None:
    """Wait for a list that begins with `title` (a new order of the same releases keeps the status line)."""
    page.wait_for_function("t => document.querySelector('#search-results h2 a')?.textContent === t", arg=title)


def every_result(page: Any, count: int) -> list[str]:
    """The titles of all `count` results, "Show more" pressed until they are all shown."""
    while (shown := len(titles(page))) < count:
        page.click("button.search-more")
        page.wait_for_function("n => document.querySelectorAll('#search-results > li').length > n", arg=shown)
    return titles(page)


def dated(low: str = "", high: str = "9") -> list[str]:
    """The titles of the hand-made site's releases dated from `low` to `high`, oldest first."""
    entries = sorted((entry(n) for n in range(DATED)), key=lambda e: e.date or "")
    return [e.title for e in entries if low <= (e.date or "") <= high]


UNDATED = {entry(DATED).title, entry(DATED + 1).title}


def test_newest_and_oldest_first_list_the_releases_by_date_and_the_undated_last(
    site: tuple[Path, str], page: Any
) -> None:
    _, base = site
    page.goto(base + "search/?q=synthetic&sort=newest")
    status(page, "32 releases found for “synthetic”")
    assert page.input_value("#search-sort") == "newest"
    assert len(titles(page)) == 20  # a page at a time, as in relevance order
    found = every_result(page, 32)
    assert found[:DATED] == dated()[::-1] and set(found[DATED:]) == UNDATED

    page.select_option("#search-sort", "oldest")
    first_title(page, dated()[0])
    found = every_result(page, 32)
    assert found[:DATED] == dated() and set(found[DATED:]) == UNDATED
    assert page.url == f"{base}search/?q=synthetic&sort=oldest"


def test_a_date_range_leaves_out_the_releases_outside_it_and_the_undated(site: tuple[Path, str], page: Any) -> None:
    _, base = site
    page.goto(base + "search/?q=synthetic&from=2020-03-10&to=2022-03-20")
    expected = dated("2020-03-10", "2022-03-20")
    status(page, f"{len(expected)} releases found for “synthetic”")
    assert 0 < len(expected) < 20 and sorted(titles(page)) == sorted(expected)
    page.goto(base + "search/?from=2023-03-25")  # one end, and no words: the releases dated since
    status(page, "2 releases found, newest first")
    assert sorted(titles(page)) == sorted(dated("2023-03-25"))
    page.goto(base + "search/?q=synthetic&to=2018-12-31")  # a range no release is dated in
    status(page, "No releases found for “synthetic”")


def test_a_filter_without_words_lists_the_newest_first(site: tuple[Path, str], page: Any) -> None:
    """Without words there is no relevance: "Best match" lists a filter's releases by date."""
    _, base = site
    page.goto(base + "search/?from=2019-06-01")
    expected = dated("2019-06-01")[::-1]
    status(page, f"{len(expected)} releases found, newest first")
    assert page.input_value("#search-sort") == "" and every_result(page, len(expected)) == expected


def test_an_address_with_a_search_in_it_gives_back_the_form_and_the_results(site: tuple[Path, str], page: Any) -> None:
    _, base = site
    page.goto(base + "search/?q=arrests&sort=oldest&from=2020-01-01&to=2021-12-31&force=Kent+Police")
    status(page, "2 releases found for “arrests”")
    form = {name: page.input_value(f"#search-{name}") for name in ("q", "sort", "from", "to", "force", "year")}
    assert form == {
        "q": "arrests",
        "sort": "oldest",
        "from": "2020-01-01",
        "to": "2021-12-31",
        "force": "Kent Police",
        "year": "",
    }
    assert titles(page) == ["Synthetic release 16", "Synthetic release 12"]  # 17 March 2020, 13 March 2021


def test_what_the_address_holds_that_the_form_cannot_take_is_left_out(site: tuple[Path, str], page: Any) -> None:
    _, base = site
    page.goto(base + "search/?q=synthetic&sort=sideways&from=2021-02-30&to=soon&force=Nowhere+Police&year=1066")
    status(page, "32 releases found for “synthetic”")
    form = [page.input_value(f"#search-{name}") for name in ("sort", "from", "to", "force", "year")]
    assert form == ["", "", "", "", ""]
    assert page.url == f"{base}search/?q=synthetic"


def tab_to(page: Any, name: str) -> None:
    """Press Tab until the form's field `name` has the focus (a date field takes one Tab a part)."""
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.name") == name:
            return
    pytest.fail(f"Tab never reached the field {name!r}")


def test_the_controls_are_reached_by_keyboard_and_put_the_search_in_the_address(
    site: tuple[Path, str], page: Any
) -> None:
    _, base = site
    page.goto(base + "search/")
    page.focus("#search-q")
    page.keyboard.type("synthetic")
    status(page, "32 releases found for “synthetic”")
    tab_to(page, "from")
    page.fill("#search-from", "2020-03-10")  # typed in the order the browser's locale shows a date's parts
    status(page, f"{len(dated('2020-03-10'))} releases found for “synthetic”")
    tab_to(page, "to")
    page.fill("#search-to", "2022-03-20")
    status(page, f"{len(dated('2020-03-10', '2022-03-20'))} releases found for “synthetic”")
    tab_to(page, "sort")
    page.keyboard.press("ArrowDown")  # Newest first
    first_title(page, dated("2020-03-10", "2022-03-20")[-1])
    assert page.url == f"{base}search/?q=synthetic&sort=newest&from=2020-03-10&to=2022-03-20"
    page.select_option("#search-force", "Essex Police")
    status(page, "3 releases found for “synthetic”")
    assert page.url == f"{base}search/?q=synthetic&sort=newest&from=2020-03-10&to=2022-03-20&force=Essex+Police"


# A whole built site: the search box on a release page, the search page, several merged indexes


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[list[corpus.Release], str]]:
    """The generator's own build of 60 synthetic releases, split among four search indexes, at `/repo/`;
    three of them on one day, at 20:00, 08:00 and 12:00 (in file order), so the order within a day shows."""
    www = tmp_path_factory.mktemp("built")
    releases = corpus.corpus(60)
    day = datetime(2018, 5, 5, tzinfo=UTC)
    for number, hour in ((10, 20), (11, 8), (12, 12)):
        releases[number] = dataclasses.replace(releases[number], published=day.replace(hour=hour), draft=False)
    content = corpus.write(www / "content", releases)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(generator.site.pages, "SEARCH_SHARD_SIZE", 16)
        build(BuildOptions(content=content, output=www / "repo", base_url="https://example.org/repo/"))
    assert sorted(p.name for p in (www / "repo" / "pagefind").iterdir()) == ["0", "1", "2", "3", "recent.json"]
    with served(www) as base:
        yield releases, base


def test_the_search_box_on_any_page_finds_a_release_in_any_index(
    built: tuple[list[corpus.Release], str], page: Any
) -> None:
    releases, base = built
    published = [r for r in releases if not r.draft]
    for release in (published[3], published[-1]):
        page.goto(base)
        page.click("ol.releases a >> nth=0")
        page.fill("#site-search-q", release.unique_word)
        page.press("#site-search-q", "Enter")
        status(page, f"1 release found for “{release.unique_word}”")
        [first] = results(page)
        assert first["title"] == release.title
        assert first["meta"].startswith(f"{release.force} · ")
        assert first["marks"] == [release.unique_word]
        page.click("#search-results h2 a")
        assert page.locator("h1").inner_text() == release.title
    page.goto(base + "search/?q=synthetic")
    status(page, f"{len(published)} releases found for “synthetic”")  # every index is searched


def test_from_disk_the_search_box_leads_to_the_search_page(tmp_path: Path, browser: Any) -> None:
    """A site opened as files: the header's search box goes to the search page (not a folder
    listing), which says search needs a web server."""
    content = corpus.write(tmp_path / "content", corpus.corpus(3))
    build(BuildOptions(content=content, output=tmp_path / "site", base_url="https://example.org/"))
    tab = browser.new_page()
    tab.goto((tmp_path / "site" / "index.html").as_uri())
    tab.fill("#site-search-q", "synthetic")
    tab.press("#site-search-q", "Enter")
    tab.wait_for_load_state()
    assert tab.url.startswith((tmp_path / "site" / "search" / "index.html").as_uri() + "?q=synthetic")
    status(
        tab,
        "Search needs a web server: this page was opened from disk. Run python -m generator serve "
        "and open the address it prints, or use the published site.",
    )
    tab.close()


def test_date_order_and_range_hold_across_every_index(built: tuple[list[corpus.Release], str], page: Any) -> None:
    """Pagefind's own sort would interleave the four merged indexes' lists: the page's order does not."""
    releases, base = built
    day = {r.title: uk_time(r.published).date().isoformat() for r in releases if not r.draft}
    moment = {r.title: r.published for r in releases if not r.draft}
    page.goto(base + "search/?q=synthetic&sort=newest")
    status(page, f"{len(day)} releases found for “synthetic”")
    found = every_result(page, len(day))
    assert sorted(found) == sorted(day) and [moment[t] for t in found] == sorted(moment.values(), reverse=True)
    page.select_option("#search-sort", "oldest")
    page.wait_for_url("**sort=oldest")
    first_title(page, min(moment, key=lambda title: moment[title]))
    assert [moment[t] for t in every_result(page, len(day))] == sorted(moment.values())  # within a day too

    page.goto(base + "search/?q=synthetic&sort=oldest&from=2016-01-01&to=2019-06-30")
    inside = sorted(t for t, d in day.items() if "2016-01-01" <= d <= "2019-06-30")
    status(page, f"{len(inside)} releases found for “synthetic”")
    found = every_result(page, len(inside))
    assert sorted(found) == inside and [day[t] for t in found] == sorted(day[t] for t in inside)
    assert 0 < len(inside) < len(day)
