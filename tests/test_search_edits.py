"""Search after edits, in Chromium: what a reader typing into the search page of a built site
finds once the site was rebuilt incrementally (an edit held in the index of recent edits, a
deleted release, the shards made again), and in a page opened before a rebuild replaced the
index files it had loaded or would load."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import generator.output.indexes
import generator.site.pages
from generator.commands.build import BuildOptions, BuildReport, build
from generator.model import Precision
from generator.reading.dates import date_line

from . import corpus
from .browsing import served

NEW = "quenvadrillic"  # made-up words: the edit adds the first, and the second is in one release throughout
KEPT = "marrowgleaning"
FAILED = "Search failed: the index could not be read"


class Site:
    """20 synthetic releases among four search indexes (shards), built into `repo/` with one cache."""

    def __init__(self, www: Path) -> None:
        self.www = www
        self.output = www / "repo"
        self.content = www / "content"
        self.config = www / "site.yaml"
        self.config.write_text("title: Synthetic Search Edits\nper_page: 5\n", encoding="utf-8")
        self.releases = corpus.corpus(20)
        corpus.write(self.content, self.releases)
        self.target = self.releases[4]  # the release edited; release 13 is a draft
        self.write(self.target, self.text(self.target) + f"\nA synthetic sentence with {KEPT} in it.\n")
        self.report = self.build()
        assert sorted(p.name for p in (self.output / "pagefind").iterdir()) == ["0", "1", "2", "3", "recent.json"]

    def build(self) -> BuildReport:
        self.report = build(
            BuildOptions(
                content=self.content,
                output=self.output,
                config=self.config,
                cache=self.www / ".cache",
                base_url="https://example.org/repo/",
            )
        )
        return self.report

    def rebuild(self) -> BuildReport:
        """The site built again, in a later second than any file the browser fetched: the test server
        (`http.server`) answers a revalidation from modification times in whole seconds, so a
        `recent.json` rewritten within the second it was fetched would be "not modified"."""
        time.sleep(1 - time.time() % 1)
        return self.build()

    def text(self, release: corpus.Release) -> str:
        return (self.content / release.name).read_text(encoding="utf-8")

    def write(self, release: corpus.Release, text: str) -> None:
        path = self.content / release.name
        stat = path.stat()
        path.write_text(text, encoding="utf-8")
        # A later modification time, as an editor's save gives, even within one clock tick.
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))

    def replace_word(self, release: corpus.Release, old: str, new: str) -> None:
        text = self.text(release)
        assert text.count(old) == 1
        self.write(release, text.replace(old, new))

    def listing(self) -> dict[str, Any]:
        """recent.json without its version (a hash of the indexes, checked where it matters)."""
        listing: dict[str, Any] = json.loads((self.output / "pagefind" / "recent.json").read_text(encoding="utf-8"))
        assert re.fullmatch(r"[0-9a-f]{32}", listing.pop("version"))
        return listing

    def fragments(self) -> set[str]:
        """The Pagefind ids of every document of every index on disk."""
        return {path.stem for path in (self.output / "pagefind").glob("*/fragment/*.pf_fragment")}


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Site, str]]:
    monkeypatch.setattr(generator.site.pages, "SEARCH_SHARD_SIZE", 8)  # 19 published releases: four shards
    built = Site(tmp_path)
    with served(tmp_path) as base:
        yield built, base


def find(page: Any, word: str) -> tuple[str, list[str]]:
    """Type `word` into the open search page and submit it: the status line and the titles found."""
    page.evaluate("() => { document.getElementById('search-status').textContent = ''; }")
    page.fill("#search-q", word)
    page.press("#search-q", "Enter")
    page.wait_for_function(
        """([word, failed]) => {
            const text = document.getElementById('search-status').textContent;
            return text.endsWith(`for “${word}”`) || text === failed || text.startsWith('Search is not available');
        }""",
        arg=[word, FAILED],
    )
    titles = page.eval_on_selector_all("#search-results h2 a", "links => links.map(a => a.textContent)")
    return page.text_content("#search-status"), titles


def one(word: str) -> str:
    return f"1 release found for “{word}”"


def none(word: str) -> str:
    return f"No releases found for “{word}”"


def open_search(page: Any, base: str) -> None:
    page.goto(base + "search/")
    page.wait_for_function("() => document.querySelectorAll('#search-year option').length > 1")  # index loaded


def test_an_edit_in_the_index_of_recent_edits_is_found_once_and_its_old_words_no_more(
    site: tuple[Site, str], page: Any
) -> None:
    built, base = site
    target, old = built.target, built.target.unique_word
    open_search(page, base)
    assert find(page, old) == (one(old), [target.title])

    built.replace_word(target, old, NEW)
    built.rebuild()
    listing = built.listing()
    assert listing["recent"] is True and (built.output / "pagefind" / "recent" / "pagefind.js").is_file()
    [replaced] = listing["replaced"]  # the edited release's old document, still in its shard's files
    assert replaced in built.fragments()

    open_search(page, base)  # the reader loads the page again
    assert find(page, NEW) == (one(NEW), [target.title])
    assert find(page, old) == (none(old), [])
    assert find(page, KEPT) == (one(KEPT), [target.title])  # in the shard's old document and the new one
    status, titles = find(page, "synthetic")  # every release, each once
    assert status == f"{built.report.articles} releases found for “synthetic”"
    assert len(set(titles)) == built.report.articles


def test_an_edit_that_leaves_the_searchable_text_as_it_was_finds_the_release_once(
    site: tuple[Site, str], page: Any
) -> None:
    built, base = site
    built.write(built.target, built.text(built.target) + "\n")  # a new file, the same document
    built.rebuild()
    listing = built.listing()
    assert listing == {"recent": True, "replaced": []}  # its old document's id is the new one's
    [same] = {path.stem for path in (built.output / "pagefind" / "recent" / "fragment").glob("*.pf_fragment")}
    assert list((built.output / "pagefind").glob(f"[0-9]*/fragment/{same}.pf_fragment"))  # and in its shard

    open_search(page, base)
    assert find(page, KEPT) == (one(KEPT), [built.target.title])
    assert find(page, built.target.unique_word) == (one(built.target.unique_word), [built.target.title])


def test_an_edit_that_moves_a_release_to_another_date_lists_it_once_at_that_date(
    site: tuple[Site, str], page: Any
) -> None:
    """The edit is in the index of recent edits, its old date in its shard's document, which is left out."""
    built, base = site
    target = built.target
    earliest = datetime(2013, 1, 1, 9, tzinfo=UTC)  # before any other release
    built.replace_word(target, date_line(target.published, Precision.MINUTE), date_line(earliest, Precision.MINUTE))
    built.rebuild()
    assert built.listing()["recent"] is True and len(built.listing()["replaced"]) == 1

    for order in ("oldest", "newest"):
        page.goto(f"{base}search/?q=synthetic&sort={order}")
        page.wait_for_function(
            "n => document.querySelectorAll('#search-results > li').length === n", arg=built.report.articles
        )
        titles = page.eval_on_selector_all("#search-results h2 a", "links => links.map(a => a.textContent)")
        assert len(set(titles)) == len(titles) == built.report.articles
        assert titles.index(target.title) == (0 if order == "oldest" else len(titles) - 1)


def test_a_deleted_release_is_found_no_more(site: tuple[Site, str], page: Any) -> None:
    built, base = site
    victim = built.releases[7]
    open_search(page, base)
    assert find(page, victim.unique_word) == (one(victim.unique_word), [victim.title])

    (built.content / victim.name).unlink()
    built.rebuild()
    listing = built.listing()
    [replaced] = listing["replaced"]
    assert listing["recent"] is False and replaced in built.fragments()  # its shard was not made again

    open_search(page, base)
    assert find(page, victim.unique_word) == (none(victim.unique_word), [])
    status, titles = find(page, "synthetic")
    assert status == f"{built.report.articles} releases found for “synthetic”"
    assert victim.title not in titles


def test_past_the_limit_of_recent_edits_the_shards_are_made_again(
    site: tuple[Site, str], page: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    built, base = site
    target, old = built.target, built.target.unique_word
    built.replace_word(target, old, NEW)
    built.rebuild()
    assert built.listing()["recent"] is True

    monkeypatch.setattr(generator.output.indexes, "RECENT_LIMIT", 0)
    other = built.releases[9]
    built.replace_word(other, other.unique_word, "brindlequoff")
    built.rebuild()
    assert built.listing() == {"recent": False, "replaced": []}
    assert not (built.output / "pagefind" / "recent").exists()

    open_search(page, base)
    assert find(page, NEW) == (one(NEW), [target.title])
    assert find(page, old) == (none(old), [])
    assert find(page, KEPT) == (one(KEPT), [target.title])
    assert find(page, "brindlequoff") == (one("brindlequoff"), [other.title])
    assert find(page, other.unique_word) == (none(other.unique_word), [])
    status, titles = find(page, "synthetic")
    assert status == f"{built.report.articles} releases found for “synthetic”"
    assert len(set(titles)) == built.report.articles


def rebuild_remaking_the_shards(built: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """The target's old word replaced by NEW, its shard made again (no index of recent edits): the
    shard's index chunk, its filters and the target's old document get new names, the old go."""
    monkeypatch.setattr(generator.output.indexes, "RECENT_LIMIT", 0)
    built.replace_word(built.target, built.target.unique_word, NEW)
    built.rebuild()
    assert built.listing() == {"recent": False, "replaced": []}


def gone(built: Site, page: Any) -> list[str]:
    """The site's index files the page fetched that the rebuild removed."""
    files = (url.split("/repo/", 1)[1].split("?")[0] for status, url in page.fetched if status == 200)
    return sorted(name for name in files if name.startswith("pagefind/") and not (built.output / name).is_file())


def test_a_page_opened_before_the_rebuild_loads_the_new_index_when_an_old_result_is_gone(
    site: tuple[Site, str], page: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    built, base = site
    target, old = built.target, built.target.unique_word
    bystander = built.releases[2]
    open_search(page, base)
    assert find(page, bystander.unique_word) == (one(bystander.unique_word), [bystander.title])  # chunks loaded
    before = built.fragments()

    rebuild_remaking_the_shards(built, monkeypatch)
    assert any(name.endswith(".pf_index") for name in gone(built, page)), gone(built, page)
    assert before - built.fragments()  # the target's old document, which the old index finds, is gone

    # The same page, not loaded again: the old index finds the target's old document, whose file is
    # gone; search.js loads the new index and searches again.
    assert find(page, KEPT) == (one(KEPT), [target.title])
    assert find(page, NEW) == (one(NEW), [target.title])
    assert find(page, old) == (none(old), [])
    assert any("pagefind.js?" in url for _, url in page.fetched)  # the index was loaded afresh


@pytest.mark.parametrize("searched", [False, True], ids=["index-chunks-not-loaded", "index-chunks-loaded"])
def test_a_page_opened_before_the_rebuild_finds_the_new_words(
    site: tuple[Site, str], browser: Any, monkeypatch: pytest.MonkeyPatch, searched: bool
) -> None:
    built, base = site
    target, old = built.target, built.target.unique_word
    tab = browser.new_page()
    uncaught: list[str] = []
    tab.on("pageerror", lambda error: uncaught.append(str(error)))
    tab.fetched = []
    tab.on("response", lambda response: tab.fetched.append((response.status, response.url)))
    try:
        open_search(tab, base)
        if searched and find(tab, "synthetic")[0] != f"{built.report.articles} releases found for “synthetic”":
            pytest.fail("the first search found the wrong releases")
        rebuild_remaking_the_shards(built, monkeypatch)
        if not gone(built, tab):  # the page's index (its meta file, filters, chunks) named files since removed
            pytest.fail("the rebuild removed no file the page had loaded")
        assert find(tab, NEW) == (one(NEW), [target.title])
        assert find(tab, old) == (none(old), [])
        assert uncaught == []
    finally:
        tab.close()
