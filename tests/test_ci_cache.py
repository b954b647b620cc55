"""The GitHub Pages workflow's build cache, as CI sees it: each run starts from a fresh checkout
(every file new, with the time of the clone) into the same workspace, restores the last run's
`.cache/` and `output/` (actions/cache), and builds. After one edit that build must render only
what the edit changed, and give the bytes of a cold build of the same content."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.output.writer import MARKER

from . import synthetic
from .conftest import ROOT, SEED

pytestmark = pytest.mark.slow  # builds run for real, as subprocesses

FORCES = ["Kent Police", "Essex Police", "Met Police", "Durham Constabulary"]
BASE_URL = "https://example.github.io/archive/"  # what configure-pages gives a project site
KEPT = (".cache", "output")  # the workflow's actions/cache paths
SUMMARY = re.compile(r"Built .*: (\d+) pages?, (\d+) rendered, (\d+) files? written")


def repository(folder: Path) -> Path:
    """The project as committed: settings, templates, static files and a small synthetic archive."""
    folder.mkdir()
    shutil.copytree(ROOT / "templates", folder / "templates")
    shutil.copytree(ROOT / "static", folder / "static")
    (folder / "site.yaml").write_text("title: Synthetic CI Archive\nper_page: 4\n", encoding="utf-8")
    content = folder / "content"
    content.mkdir()
    (content / SEED.name).write_bytes(SEED.read_bytes())
    for name, text in synthetic.corpus(18, FORCES).items():
        (content / name).write_text(text, encoding="utf-8")
    return folder


def checkout(repo: Path, workspace: Path) -> None:
    """A fresh clone: every file written anew, all with the time of the clone (newer than any
    the last run's cache recorded), and nothing that git ignores, such as `.cache/` and `output/`."""
    shutil.rmtree(workspace, ignore_errors=True)
    cloned = time.time_ns()
    for path in sorted(repo.rglob("*")):
        if path.is_file():
            target = workspace / path.relative_to(repo)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
            os.utime(target, ns=(cloned, cloned))


def save(workspace: Path, store: Path) -> None:
    """actions/cache's post step: the kept folders, as they are after the build."""
    shutil.rmtree(store, ignore_errors=True)
    for name in KEPT:
        shutil.copytree(workspace / name, store / name, copy_function=shutil.copy)


def restore(store: Path, workspace: Path) -> None:
    """actions/cache's restore: the kept folders, put back into a fresh checkout."""
    for name in KEPT:
        assert not (workspace / name).exists()
        shutil.copytree(store / name, workspace / name, copy_function=shutil.copy)


def build(workspace: Path) -> tuple[int, int, str]:
    """The workflow's build step, in the checkout: its page count, pages rendered, and summary line."""
    command = [sys.executable, "-m", "generator", "build", "--content", "content", "--output", "output"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [*command, "--base-url", BASE_URL], cwd=workspace, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in (result.stderr + result.stdout).splitlines() if SUMMARY.search(line)]
    assert len(lines) == 1, result.stdout + result.stderr
    found = SUMMARY.search(lines[0])
    assert found is not None
    return int(found[1]), int(found[2]), lines[0]


def tree(folder: Path) -> dict[str, bytes]:
    """Every output file's bytes but Pagefind's bundle (not byte-reproducible) and the marker."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != MARKER and path.relative_to(folder).parts[0] != "pagefind"
    }


def test_a_publish_after_one_edit_renders_only_that_edit_and_matches_a_cold_build(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo")
    workspace = tmp_path / "runner" / "work" / "archive"  # the same place every run, as on GitHub
    store = tmp_path / "actions-cache"

    checkout(repo, workspace)  # the first run: no cache yet
    pages, rendered, line = build(workspace)
    assert rendered == pages > 40, line
    save(workspace, store)

    release = repo / "content" / "authored-0003.md"  # a commit: one release's body edited
    release.write_text(release.read_text(encoding="utf-8") + "\nA synthetic sentence, added.\n", encoding="utf-8")

    checkout(repo, workspace)  # the next run, on a new runner
    restore(store, workspace)
    pages, rendered, line = build(workspace)
    # The release's page and the two feeds that carry its text; nothing else shows the body.
    assert 0 < rendered <= 5 and rendered * 10 < pages, f"the cached build rendered {rendered} of {pages}: {line}"

    cold = tmp_path / "cold"  # the same commit with no cache: a fresh checkout, built once
    checkout(repo, cold)
    cold_pages, cold_rendered, cold_line = build(cold)
    assert cold_rendered == cold_pages == pages, cold_line

    cached, fresh = tree(workspace / "output"), tree(cold / "output")
    assert sorted(cached) == sorted(fresh)
    assert [name for name in fresh if cached[name] != fresh[name]] == []
    edited = [name for name, data in cached.items() if b"A synthetic sentence, added." in data]
    assert any(name.startswith("articles/") for name in edited), edited
