"""Incremental builds give exactly the bytes of a cold build, step after step."""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pytest

import generator.cache
import generator.output.produce
import generator.reading.read
from generator.commands.build import BuildOptions, BuildReport, build, open_cache
from generator.errors import BuildError
from generator.output.writer import MARKER

from . import synthetic
from .conftest import ROOT, SEED
from .searchable import searchable

pytestmark = pytest.mark.slow  # builds and commands run for real: the fast loop leaves them out

FORCES = ["Kent Police", "Essex Police", "Met Police", "Durham Constabulary"]


def tree(folder: Path) -> dict[str, bytes]:
    """Every file but the search indexes, which `searchable` compares by what they find (Pagefind
    writes an index's filters in a random order, and an incremental build may hold an edit in
    the index of recent edits rather than in its shard)."""
    files = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_file() and path.name != MARKER and not name.startswith("pagefind/"):
            files[name] = path.read_bytes()
    return files


class Project:
    """A site folder built two ways: incrementally (one cache and output kept) and cold (fresh each time)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.content = root / "content"
        self.templates = root / "templates"
        self.config = root / "site.yaml"
        self.content.mkdir()
        shutil.copytree(ROOT / "templates", self.templates)
        self.config.write_text("title: Synthetic Incremental Archive\nper_page: 4\n")
        self.colds = 0

    def write(self, name: str, text: str) -> None:
        path = self.content / name
        path.write_text(text, encoding="utf-8")
        bump(path)

    def incremental(self) -> BuildReport:
        return build(self._options(self.root / "output", self.root / ".cache"))

    def cold(self) -> Path:
        self.colds += 1
        output = self.root / f"cold-{self.colds}"
        build(self._options(output, self.root / f".cold-cache-{self.colds}"))
        return output

    def check(self) -> BuildReport:
        report = self.incremental()
        cold = self.cold()
        assert tree(self.root / "output") == tree(cold)
        assert searchable(self.root / "output") == searchable(cold)
        return report

    def _options(self, output: Path, cache: Path) -> BuildOptions:
        return BuildOptions(content=self.content, output=output, config=self.config, cache=cache)


def assert_only_the_release_changed(before: dict[str, bytes], after: dict[str, bytes]) -> None:
    """A body edit rewrites the release's page, the feeds that carry its text and the search
    index; the lists that show the release are unchanged."""
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    pages = sorted(changed)
    assert len(pages) == 3, pages
    assert pages[0].startswith("articles/") and pages[1] == "feed.xml"
    assert pages[2].startswith("forces/") and pages[2].endswith("/feed.xml")


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


def test_incremental_matches_cold_through_a_sequence_of_changes(project: Project, monkeypatch) -> None:
    first = project.check()
    assert first.rendered == first.pages

    noop = project.check()
    assert noop.rendered == 0 and noop.written == 0

    project.write("new.md", synthetic.authored(title="Synthetic newcomer", date="2026-06-01", force="Kent Police"))
    project.check()

    body_edit = project.content / "authored-0001.md"
    before = tree(project.root / "output")
    project.write(body_edit.name, body_edit.read_text() + "\nAn extra synthetic sentence.\n")
    project.check()
    assert_only_the_release_changed(before, tree(project.root / "output"))

    project.write(
        body_edit.name, body_edit.read_text().replace("Synthetic release 1:", "Synthetic retitled release 1:")
    )
    project.check()

    project.write(
        body_edit.name, body_edit.read_text().replace('force: "Essex Police"', 'force: "Durham Constabulary"')
    )
    project.check()

    (project.content / "scraped-0004.txt").unlink()
    project.check()

    base = project.templates / "base.html"
    base.write_text(base.read_text().replace("Skip to content", "Skip to the releases"))
    report = project.check()
    assert report.rendered == report.pages

    project.config.write_text("title: Synthetic Incremental Archive\nper_page: 3\n")
    project.check()

    bump(project.content / "scraped-0002.txt")  # touched, not changed
    assert project.check().written == 0

    monkeypatch.setattr(generator.cache, "__version__", "999.0")
    before = tree(project.root / "output")
    report = project.check()
    assert report.rendered == report.pages and tree(project.root / "output") == before


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


def test_a_cache_kept_open_between_builds_matches_cold(project: Project) -> None:
    """The preview server keeps one cache open; its builds must equal cold builds too."""
    options = project._options(project.root / "output", project.root / ".cache")
    warm = open_cache(options, warm=True)
    try:
        build(options, warm=warm)
        release = project.content / "authored-0003.md"
        before = tree(project.root / "output")
        project.write(release.name, release.read_text() + "\nA synthetic addition.\n")
        build(options, warm=warm)
        assert_only_the_release_changed(before, tree(project.root / "output"))
        assert tree(project.root / "output") == tree(project.cold())
        (project.content / "scraped-0002.txt").unlink()
        build(options, warm=warm)
        assert tree(project.root / "output") == tree(project.cold())
    finally:
        warm.close()
    assert build(options).written == 0  # what the open cache saved on closing is current
