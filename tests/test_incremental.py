"""Incremental builds give exactly the bytes of a cold build, step after step.

The replay makes one sequence of edits to a small synthetic site and, after each, compares the
output of the incremental build with a cold build of the same inputs: every file byte for byte
outside `pagefind/`, and what search finds (`searchable`). It runs three ways: a new cache for
each build (the build command), one cache kept open across builds (the preview server), and
with no index of recent edits (each edit folded into its shard at once, the other search path).
Each step also checks that its edit had the effect meant, so a step that changed nothing fails.

A save made while a build renders is replayed through the build command and through the
preview itself (`serve`'s `Preview`, its search indexes made in the background): the next
build shows it, and the output ends as a cold build's.
"""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import io
import json
import marshal
import os
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest

import generator.cache
import generator.commands.background
import generator.output.indexes
import generator.output.opendata
import generator.output.produce
import generator.reading.content
import generator.reading.read
import generator.site.pages
from generator.cache import Cache
from generator.commands.build import BuildOptions, BuildReport, build, open_cache
from generator.commands.serve import Preview
from generator.errors import BuildError
from generator.output.writer import MARKER

from . import synthetic
from .conftest import ROOT, SEED
from .searchable import searchable

pytestmark = pytest.mark.slow  # builds and commands run for real: the fast loop leaves them out

FORCES = ["Kent Police", "Essex Police", "Met Police", "Durham Constabulary"]
HOME_PAGE = re.compile(r"(?:page/\d+/)?index\.html")
Files = dict[str, bytes]


def tree(folder: Path) -> Files:
    """Every file but the search indexes, which `searchable` compares by what they find (Pagefind
    writes an index's filters in a random order, and an incremental build may hold an edit in
    the index of recent edits rather than in its shard)."""
    files = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_file() and path.name != MARKER and not name.startswith("pagefind/"):
            files[name] = path.read_bytes()
    return files


def assert_same(built: Path, cold: Path, step: str) -> None:
    """The incremental output `built` is the cold build's, file for file and in what search finds."""
    ours, theirs = tree(built), tree(cold)
    differ = sorted(name for name in ours.keys() | theirs.keys() if ours.get(name) != theirs.get(name))
    assert not differ, f"after {step}, these files differ from a cold build's: {differ}"
    try:
        found = searchable(built)
    except AssertionError as error:
        raise AssertionError(f"after {step}, search: {error}") from None
    expected = searchable(cold)
    differ = sorted(url for url in found.keys() | expected.keys() if found.get(url) != expected.get(url))
    assert not differ, f"after {step}, search finds these differently from a cold build's: {differ}"


class Project:
    """A site folder built two ways: incrementally (one cache and output kept) and cold (fresh each time)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.content = root / "content"
        self.templates = root / "templates"
        self.config = root / "site.yaml"
        self.output = root / "output"
        self.content.mkdir()
        shutil.copytree(ROOT / "templates", self.templates)
        self.config.write_text("title: Synthetic Incremental Archive\nper_page: 4\n")
        self.colds = 0

    def write(self, name: str, text: str) -> None:
        path = self.content / name
        path.write_text(text, encoding="utf-8")
        bump(path)

    def append(self, name: str, sentence: str) -> None:
        """A paragraph at the end of the release, saved."""
        self.write(name, (self.content / name).read_text(encoding="utf-8") + f"\n{sentence}\n")

    def edit(self, name: str, old: str, new: str) -> None:
        """Replace `old`, which the file holds once, with `new`, and save."""
        text = (self.content / name).read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{name} does not hold {old!r} once"
        self.write(name, text.replace(old, new))

    def add_front_matter(self, name: str, line: str) -> None:
        """A line at the top of an authored release's front matter."""
        text = (self.content / name).read_text(encoding="utf-8")
        assert text.startswith("---\n")
        self.write(name, text.replace("---\n", f"---\n{line}\n", 1))

    def options(self) -> BuildOptions:
        """The incremental builds': one output folder and one cache, kept."""
        return self._options(self.output, self.root / ".cache")

    def incremental(self) -> BuildReport:
        return build(self.options())

    def cold(self) -> Path:
        """A cold build, as a new process makes it: with none of what the builds before it kept
        in memory (each release's open data, the links' parts of signatures)."""
        self.colds += 1
        output = self.root / f"cold-{self.colds}"
        kept = dict(generator.output.opendata._encoded), dict(generator.site.pages._links)
        generator.output.opendata._encoded.clear()
        generator.site.pages._links.clear()
        try:
            build(self._options(output, self.root / f".cold-cache-{self.colds}"))
        finally:
            generator.output.opendata._encoded.update(kept[0])
            generator.site.pages._links.update(kept[1])
        return output

    def same_as_cold(self, step: str) -> None:
        assert_same(self.output, self.cold(), step)

    def check(self) -> BuildReport:
        report = self.incremental()
        self.same_as_cold("an incremental build")
        return report

    def files(self) -> Files:
        return tree(self.output)

    def _options(self, output: Path, cache: Path) -> BuildOptions:
        return BuildOptions(content=self.content, output=output, config=self.config, cache=cache)


def assert_only_the_release_changed(before: Files, after: Files) -> None:
    """A body edit rewrites the release's page, the feeds that carry its text and the search
    index; the lists that show the release are unchanged."""
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    pages = sorted(changed)
    assert len(pages) == 3, pages
    assert pages[0].startswith("articles/") and pages[1] == "feed.xml"
    assert pages[2].startswith("forces/") and pages[2].endswith("/feed.xml")


def holding(files: Files, text: str, under: str = "") -> list[str]:
    """The files under `under` whose bytes hold `text`."""
    return [name for name, data in files.items() if name.startswith(under) and text.encode() in data]


def home_page(files: Files, title: str) -> str:
    """The one page of the home listing that lists the release titled `title`."""
    pages = [name for name in holding(files, title) if HOME_PAGE.fullmatch(name)]
    assert len(pages) == 1, pages
    return pages[0]


def figure(files: Files, slug: str, column: str) -> str:
    """A release's figure as the open data's CSV gives it."""
    rows = csv.DictReader(io.StringIO(files["data/releases.csv"].decode()))
    return next(row[column] for row in rows if row["slug"] == slug)


def has_recent_index(folder: Path) -> bool:
    listing = json.loads((folder / generator.output.indexes.LISTING).read_text(encoding="utf-8"))
    return bool(listing["recent"])


def bump(path: Path) -> None:
    """A new modification time, as an editor's save gives, even within one clock tick."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


@pytest.fixture
def project(tmp_path: Path) -> Project:
    site = Project(tmp_path)
    (site.content / SEED.name).write_bytes(SEED.read_bytes())
    for name, text in synthetic.corpus(18, FORCES).items():
        site.write(name, text)
    return site


class Builds:
    """The incremental builds of a replay, run one of three ways (`MODES`)."""

    def __init__(self, project: Project, mode: str) -> None:
        self.options = project.options()
        self.warm: Cache | None = open_cache(self.options, warm=True) if mode == "warm" else None

    def __call__(self) -> BuildReport:
        return build(self.options, warm=self.warm)

    def restart(self) -> None:
        """A new process, as a new generator needs: the open cache is closed and opened again."""
        if self.warm:
            self.warm.close()
            self.warm = open_cache(self.options, warm=True)

    def close(self) -> None:
        if self.warm:
            self.warm.close()
            self.warm = None


MODES = {
    "command": "a new cache for each build, as the build command has",
    "warm": "one cache kept open across builds, as the preview server keeps it",
    "folded": "no index of recent edits: every edit is folded into its shard",
}


@pytest.mark.parametrize("mode", MODES)
def test_every_incremental_build_of_a_replay_equals_a_cold_build(
    project: Project, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if mode == "folded":
        monkeypatch.setattr(generator.output.indexes, "RECENT_LIMIT", 0)
    builds = Builds(project, mode)
    try:
        replay(project, builds, mode, monkeypatch)
    finally:
        builds.close()
    after = build(project.options())  # another process: what the last build left (and saved) is current
    assert after.rendered == 0 and after.written == 0


def replay(project: Project, builds: Builds, mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each step makes an edit, builds, compares the output with a cold build's, and checks that
    the edit did what it was meant to (a step that silently changed nothing fails)."""

    def step(name: str) -> BuildReport:
        report = builds()
        project.same_as_cold(name)
        return report

    report = step("the first build")
    assert report.rendered == report.pages > 50

    report = step("a build with nothing changed")
    assert report.rendered == 0 and report.written == 0

    # A body edit: its page and the feeds that carry its text, nothing else.
    release, sentence = "authored-0001.md", "A synthetic sentence added in an edit."
    page = "articles/synthetic-release-1-county-lines-operation-1/index.html"
    original = (project.content / release).read_text(encoding="utf-8")
    before = project.files()
    project.write(release, f"{original}\n{sentence}\n")
    step("a body edit")
    after = project.files()
    assert_only_the_release_changed(before, after)
    assert page in holding(after, sentence)
    assert has_recent_index(project.output) == (mode != "folded")

    # A title edit: a new title, at the same address (it comes from the source URL).
    old_title, new_title = "Synthetic release 3: county lines operation 3", "Synthetic retitled release 3"
    project.edit("authored-0003.md", f'title: "{old_title}"', f'title: "{new_title}"')
    step("a title edit")
    after = project.files()
    assert not holding(after, old_title)
    assert holding(after, new_title, "archive/2018/") and home_page(after, new_title)
    assert new_title in after["articles/synthetic-release-3-county-lines-operation-3/index.html"].decode()
    assert not any(name.startswith("articles/synthetic-retitled") for name in after)

    # The body edit undone: the file's bytes, and fingerprint, are the first build's again.
    project.write(release, original)
    step("a body edit undone")
    assert not holding(project.files(), sentence)

    # A summary edit: shown in the lists, not in search (the release's search document, and so its
    # Pagefind id, is the one its shard holds: search must find it once).
    summary = "A synthetic summary written by hand."
    project.add_front_matter("authored-0005.md", f'summary: "{summary}"')
    step("a summary edit")
    after = project.files()
    assert holding(after, summary, "archive/2020/") and home_page(after, "Synthetic release 5:")

    # A copy of a release (the same source URL) that pins an address: the copy is left out and
    # the release kept takes its address, which then changes while the release itself does not.
    title = "Synthetic release 15: county lines operation 15"
    copy = (project.content / "authored-0015.md").read_text(encoding="utf-8")
    project.write("copy-0015.md", copy.replace("---\n", "---\nslug: synthetic-pinned-copy\n", 1))
    step("a copy pins an address")
    project.edit("copy-0015.md", "slug: synthetic-pinned-copy", "slug: synthetic-pinned-again")
    step("the copy's pinned address changed")
    after = project.files()
    lists = holding(after, title, "archive/")
    assert "articles/synthetic-pinned-again/index.html" in after and lists
    assert all(
        b"synthetic-pinned-again/" in after[name] and b"synthetic-pinned-copy/" not in after[name] for name in lists
    )

    # A date that moves a release to another year and another page of the home listing.
    title = "Synthetic release 7: county lines operation 7"
    before = project.files()
    project.edit("authored-0007.md", "date: 2022-08-08T07:15:00Z", "date: 2015-03-01T12:00:00Z")
    step("a date moved")
    after = project.files()
    assert home_page(before, title) != home_page(after, title)
    assert holding(before, title, "archive/2022/") and not holding(after, title, "archive/2022/")
    assert holding(after, title, "archive/2015/") and not holding(before, title, "archive/2015/")

    # A force change.
    title = "Synthetic release 9: county lines operation 9"
    assert holding(project.files(), title, "forces/essex-police/")
    project.edit("authored-0009.md", 'force: "Essex Police"', 'force: "Kent Police"')
    step("a force change")
    after = project.files()
    assert holding(after, title, "forces/kent-police/") and not holding(after, title, "forces/essex-police/")

    # A tag added: the site's first, so the tag pages appear.
    title = "Synthetic release 11: county lines operation 11"
    assert not any(name.startswith("tags/") and name != "tags/index.html" for name in project.files())
    project.add_front_matter("authored-0011.md", "tags: [synthetic tag]")
    step("a tag added")
    after = project.files()
    assert "tags/index.html" in after and holding(after, title, "tags/synthetic-tag/")

    # A new file, the newest release, with a figure.
    newcomer = synthetic.authored(
        title="Synthetic newcomer",
        date="2024-01-15T10:00:00Z",
        force="Met Police",
        body=f"{synthetic.MARKER}\n\nOfficers arrested 5 people.\n",
    )
    project.write("new.md", newcomer)
    step("a new file")
    after = project.files()
    assert "articles/new/index.html" in after and home_page(after, "Synthetic newcomer") == "index.html"
    assert figure(after, "new", "arrests") == "5"

    # A figure changed: the same size of file, only its time and bytes tell.
    before = project.files()
    project.edit("new.md", "Officers arrested 5 people.", "Officers arrested 7 people.")
    step("a figure changed")
    after = project.files()
    assert figure(after, "new", "arrests") == "7"
    assert before["figures/index.html"] != after["figures/index.html"]

    # A deleted file.
    title = "Synthetic release 4: county lines operation 4"
    assert holding(project.files(), title)
    (project.content / "scraped-0004.txt").unlink()
    step("a deleted file")
    after = project.files()
    assert not holding(after, title) and not any(name.startswith("articles/synthetic-release-4-") for name in after)

    # A template edit: every page rendered again.
    base = project.templates / "base.html"
    base.write_text(base.read_text().replace("Skip to content", "Skip to the releases"))
    report = step("a template edit")
    assert report.rendered == report.pages
    after = project.files()
    pages = [name for name in after if name.endswith(".html")]
    assert pages and holding(after, "Skip to the releases") == pages

    # A site.yaml edit: a new title, and fewer releases to a page.
    homes = sum(1 for name in after if HOME_PAGE.fullmatch(name))
    project.config.write_text("title: Synthetic Replayed Archive\nper_page: 3\n")
    report = step("a site.yaml edit")
    after = project.files()
    assert sum(1 for name in after if HOME_PAGE.fullmatch(name)) == -(-report.articles // 3) > homes
    assert b"Synthetic Replayed Archive" in after["index.html"]

    # A file touched, not changed: read again (its time changed), nothing written.
    bump(project.content / "scraped-0002.txt")
    report = step("a file touched")
    assert report.articles > 0 and report.rendered == 0 and report.written == 0

    # A generator upgrade (a new process): every page rendered again, to the same bytes.
    before = project.files()
    monkeypatch.setattr(generator.cache, "__version__", "999.0")
    builds.restart()
    report = step("a generator upgrade")
    assert report.rendered == report.pages and project.files() == before


def test_a_title_edit_that_changes_another_releases_related_list_rebuilds_its_page(tmp_path: Path) -> None:
    """A title edit leaves the pages and lists as they were (the same frame), so only pages that
    list or link the edited release are rendered again; but a word it drops can also take it
    out of another release's related list, whose page then links it no more and must change."""
    project = Project(tmp_path)
    forces = ["Kent Police", "Essex Police", "Met Police", "Durham Constabulary", "Surrey Police"]
    titles = ["Synthetic zebra crossing seizure", "Synthetic zebra crossing arrests", "Synthetic harbour patrol"]
    titles += ["Synthetic canal towpath", "Synthetic moorland search"]
    months = [1, 5, 2, 3, 4]  # r1 the newest: not r0's neighbour in date, which its page would link
    for number, (title, force, month) in enumerate(zip(titles, forces, months, strict=True)):
        project.write(f"r{number}.md", synthetic.authored(title=title, date=f"2021-0{month}-01T10:00:00Z", force=force))
    project.incremental()
    page = "articles/r0/index.html"
    assert b"Synthetic zebra crossing arrests" in project.files()[page]  # related by its rarer words
    project.edit("r1.md", "Synthetic zebra crossing arrests", "Synthetic lighthouse arrests")
    report = project.check()
    after = project.files()
    assert b"Synthetic lighthouse arrests" not in after[page] and b"Synthetic zebra crossing arrests" not in after[page]
    assert report.rendered < report.pages // 2  # the frame was kept: not every page signed and rendered


def test_a_figure_changed_in_a_release_listed_on_a_later_page_changes_its_forces_totals(tmp_path: Path) -> None:
    """A figure is part of the frame (the totals of a force's first page and of the figures page
    sum every release's): changing one in a release listed on a later page of its force changes
    the force's first page, which does not list it."""
    project = Project(tmp_path)  # four releases a page
    for number in range(6):
        body = f"{synthetic.MARKER}\n\nOfficers arrested {number + 2} people.\n"
        release = synthetic.authored(
            title=f"Synthetic release {number}", date=f"2021-0{number + 1}-01T10:00:00Z", body=body
        )
        project.write(f"r{number}.md", release)
    project.incremental()
    first = "forces/essex-police/index.html"
    assert b"Synthetic release 0" not in project.files()[first]  # the oldest: on the second page
    project.edit("r0.md", "arrested 2 people", "arrested 102 people")
    project.check()
    assert b"127" in project.files()[first]  # 102 + 3 + 4 + 5 + 6 + 7 arrests


class SaveWhileRendering:
    """A save made while a build renders: the next build's first call of `produce` (build.py
    imports it from its module when it runs) first adds the text given to `during_the_next_build`
    at the end of the release."""

    def __init__(self, project: Project, release: str, monkeypatch: pytest.MonkeyPatch) -> None:
        self.project, self.release = project, release
        self.pending: list[str] = []
        real = generator.output.produce.produce

        def produce(*args: Any, **kwargs: Any) -> None:
            while self.pending:
                self.project.append(self.release, self.pending.pop())
            real(*args, **kwargs)

        monkeypatch.setattr(generator.output.produce, "produce", produce)

    def during_the_next_build(self, text: str) -> None:
        self.pending.append(text)

    @property
    def saved(self) -> bool:
        return not self.pending


RELEASE = "authored-0013.md"
SAVED, SAVED_MEANWHILE = "A synthetic sentence saved first.", "Officers arrested 9 people."


def test_an_edit_saved_while_a_build_renders_is_built_by_the_next(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build command's way: the build reads the release as it was when the build began."""
    page = project.output / "articles" / "synthetic-release-13-county-lines-operation-13" / "index.html"
    save = SaveWhileRendering(project, RELEASE, monkeypatch)
    project.incremental()
    project.append(RELEASE, SAVED)
    save.during_the_next_build(SAVED_MEANWHILE)
    project.incremental()
    assert save.saved and SAVED in page.read_text() and SAVED_MEANWHILE not in page.read_text()
    report = project.incremental()
    assert SAVED_MEANWHILE in page.read_text() and report.rendered > 0
    project.same_as_cold("an edit saved while a build rendered")


async def until(done: Callable[[], object], what: str, seconds: float = 60.0) -> None:
    """Let the loop run (the background indexer's callbacks) until `done()`."""
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.01)


SEARCH_BUILD = "search index updated"  # what the preview's build after the background indexer's says


class Rebuild(NamedTuple):
    """One of the preview's builds: whose it was, its errors, and which saves its release page shows."""

    by: str  # "watcher", or SEARCH_BUILD
    errors: tuple[str, ...]
    shows_saved: bool
    shows_saved_meanwhile: bool


@pytest.mark.parametrize(
    ("during", "then"),
    [("watcher", "watcher"), ("watcher", "search"), ("search", "watcher")],
    ids=["during-watcher-then-watcher", "during-watcher-then-search", "during-search-then-watcher"],
)
def test_an_edit_saved_while_the_preview_rebuilds_is_built_next(
    project: Project, during: str, then: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview rebuilds for a save, and a second save comes while a build renders: the
    watcher's build for the first save, or the build the background indexer asks for once the
    first save's search index is made (`during`). The build after it (`then`: the watcher's for
    the second save, or the background indexer's) shows the second save, and once the
    background search has finished, the output is a cold build's."""
    page = project.output / "articles" / "synthetic-release-13-county-lines-operation-13" / "index.html"
    save = SaveWhileRendering(project, RELEASE, monkeypatch)
    preview = Preview(project.options())
    rebuilds: list[Rebuild] = []
    real_rebuild = preview.rebuild

    def rebuild(done: str = "", **options: Any) -> None:
        """Run on the loop by the background indexer too, where an exception would only be logged."""
        real_rebuild(done, **options)
        text = page.read_text(encoding="utf-8") if page.exists() else ""
        rebuilds.append(Rebuild(done or "watcher", tuple(preview.errors), SAVED in text, SAVED_MEANWHILE in text))

    monkeypatch.setattr(preview, "rebuild", rebuild)  # the background indexer's callback calls it too

    def idle() -> bool:
        return preview.idle()  # no index being made, and the build after the last one made has run

    async def build_by(who: str) -> Rebuild:
        """The next build: the watcher's (run now, as on a file event), or the background indexer's."""
        count = len(rebuilds)
        if who == "watcher":
            preview.rebuild()
        else:
            await until(lambda: len(rebuilds) > count, "the background indexer's build")
        assert rebuilds[count].by == (who if who == "watcher" else SEARCH_BUILD)
        assert not rebuilds[count].errors, rebuilds[count].errors
        return rebuilds[count]

    async def session() -> None:
        preview.rebuild()
        await until(idle, "the first search index")
        project.same_as_cold("the preview's first build and its search index")

        project.append(RELEASE, SAVED)
        if during == "watcher":
            save.during_the_next_build(SAVED_MEANWHILE)
        first = await build_by("watcher")  # the watcher heard the first save
        if during == "search":
            save.during_the_next_build(SAVED_MEANWHILE)
            first = await build_by("search")
        assert save.saved and first.shows_saved and not first.shows_saved_meanwhile
        second = await build_by(then)
        assert second.shows_saved_meanwhile
        await until(idle, "the background search")
        if then == "search":
            preview.rebuild()  # the watcher's for the second save, late
            await until(idle, "the background search")

    try:
        asyncio.run(asyncio.wait_for(session(), 120))
    finally:
        preview.close()
    assert not [one.errors for one in rebuilds if one.errors]
    assert sum(one.by == SEARCH_BUILD for one in rebuilds) >= 2
    project.same_as_cold("an edit saved while the preview rebuilt")
    after = build(project.options())  # what the preview saved on closing is current
    assert after.rendered == 0 and after.written == 0


def test_the_previews_edit_reloads_the_browser_before_its_search_index_is_started(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit's search index is made in a child forked once the edit's build is done and the
    browser told to reload: made during the build, it competed with it for the cores."""
    events: list[str] = []
    forked = generator.commands.background.Forked
    monkeypatch.setattr(generator.commands.background, "Forked", lambda work: events.append("index") or forked(work))
    preview = Preview(project.options())
    preview.reload = lambda path: events.append("reload")

    def settle() -> None:
        deadline = time.monotonic() + 60
        while not preview.idle():
            assert time.monotonic() < deadline, "the preview did not finish its builds and search"
            time.sleep(0.05)

    try:
        preview.rebuild()
        settle()
        events.clear()
        project.append(RELEASE, SAVED)
        preview.changed(str(project.content / RELEASE))
        settle()
    finally:
        preview.close()
    assert events[:2] == ["reload", "index"]


def test_failed_incremental_build_leaves_output_and_recovers(project: Project) -> None:
    project.check()
    before = tree(project.root / "output")
    project.write("broken.md", "---\ntitle: [unclosed\n---\n")
    project.write("scraped-0000.txt", synthetic.scraped(title="Synthetic changed while broken"))
    with pytest.raises(BuildError):
        project.incremental()
    assert tree(project.root / "output") == before
    (project.content / "broken.md").unlink()
    project.check()


def test_hand_made_changes_to_the_output_are_repaired(project: Project) -> None:
    project.check()
    (project.root / "output" / MARKER).unlink()
    (project.root / "output" / "stray.html").write_text("left by hand")
    page = project.root / "output" / "forces" / "index.html"
    page.write_text("damaged")
    (project.root / "output" / MARKER).write_text("a marker from an unknown build\n")
    project.check()


def test_worker_processes_and_one_process_give_the_same_bytes(project: Project, monkeypatch) -> None:
    monkeypatch.setattr(generator.reading.read, "POOL_THRESHOLD", 2)
    monkeypatch.setattr(generator.output.produce, "POOL_THRESHOLD", 2)
    (project.content / "empty-body.md").write_text(synthetic.authored(title="Synthetic empty body", body=""))
    trees = []
    for workers in (1, 2):
        options = BuildOptions(project.content, project.root / f"out-{workers}", project.config, workers=workers)
        options = dataclasses.replace(options, cache=project.root / f"cache-{workers}")
        build(options)
        base = project.templates / "base.html"  # a template edit: bodies now come from the cache
        base.write_text(base.read_text().replace("</footer>", "</footer>\n<!-- edited -->"))
        report = build(options)
        assert report.rendered == report.pages
        base.write_text((ROOT / "templates" / "base.html").read_text())
        trees.append(tree(options.output))
    assert trees[0] == trees[1] and len(trees[0]) > 20


def test_an_edit_writes_the_snapshots_delta_and_a_new_process_reads_both(project: Project, monkeypatch) -> None:
    """A one-file edit writes the changed entry only, not the snapshot of every file; the next
    build (a new cache, as a new process has) reads the snapshot and the delta as one, so it
    parses nothing again; once the delta outgrows an eighth of the snapshot, the snapshot is
    written whole and the delta goes."""
    project.incremental()
    cache = project.root / ".cache"
    (base,) = cache.glob("snapshot-*.marshal")
    written = base.stat().st_mtime_ns
    project.append("authored-0001.md", "A synthetic sentence added in an edit.")
    project.incremental()
    (delta,) = cache.glob("snapshot-*.delta")
    assert base.stat().st_mtime_ns == written and len(marshal.loads(delta.read_bytes())) == 1
    parsed: list[str] = []
    real = generator.reading.content.read_article
    monkeypatch.setattr(generator.reading.content, "read_article", lambda *a: parsed.append(str(a[0])) or real(*a))
    project.append("authored-0003.md", "Another synthetic sentence.")
    project.incremental()
    assert [Path(name).name for name in parsed] == ["authored-0003.md"]
    for number in range(0, 18, 2):
        project.append(f"scraped-{number:04d}.txt", "A synthetic sentence in many files.")
    project.incremental()
    assert not list(cache.glob("snapshot-*.delta")) and base.stat().st_mtime_ns != written
    project.check()
