"""`python -m generator publish` against a local bare repository."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SEED


def git(*args: str, cwd: Path) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def publish(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "generator", "publish", *args]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A site's source repository with a bare remote, as a user's clone would be."""
    remote = tmp_path / "remote.git"
    git("init", "--bare", "-q", str(remote), cwd=tmp_path)
    source = tmp_path / "source"
    (source / "content").mkdir(parents=True)
    (source / "content" / SEED.name).write_bytes(SEED.read_bytes())
    (source / "site.yaml").write_text("base_url: https://example.org/county-lines-archive/\n")
    (source / ".gitignore").write_text("output/\n.cache/\n")
    for command in (
        ("init", "-q", "-b", "main"),
        ("config", "user.email", "synthetic@example.org"),
        ("config", "user.name", "Synthetic Tester"),
        ("add", "."),
        ("commit", "-q", "-m", "Synthetic source"),
        ("remote", "add", "origin", str(remote)),
    ):
        git(*command, cwd=source)
    return source


def test_publish_pushes_exactly_the_site_and_keeps_history(project: Path) -> None:
    head = git("rev-parse", "HEAD", cwd=project)
    first = publish(project)
    assert git("status", "--porcelain", cwd=project) == ""
    assert first.returncode == 0, first.stderr
    remote = project.parent / "remote.git"
    published = set(git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).splitlines())
    built = {p.relative_to(project / "output").as_posix() for p in (project / "output").rglob("*") if p.is_file()}
    assert published == built - {".generator-build"}
    assert ".nojekyll" in published and "index.html" in published and "404.html" in published

    (project / "content" / SEED.name).write_text(SEED.read_text() + "\nA synthetic correction.\n")
    status = git("status", "--porcelain", cwd=project)  # the user's own uncommitted edit stays as it is
    second = publish(project, "--message", "Synthetic second publish")
    assert second.returncode == 0, second.stderr
    log = git("log", "--format=%s", "gh-pages", cwd=remote).splitlines()
    assert log == ["Synthetic second publish", "Publish the archive"]
    assert git("rev-parse", "HEAD", cwd=project) == head
    assert git("rev-parse", "--abbrev-ref", "HEAD", cwd=project) == "main"
    assert git("status", "--porcelain", cwd=project) == status


def test_publish_refuses_without_a_repository_or_remote_or_good_build(project: Path, tmp_path: Path) -> None:
    loose = tmp_path / "loose"
    (loose / "content").mkdir(parents=True)
    result = publish(loose)
    assert result.returncode == 1 and "not in a git repository" in result.stderr

    result = publish(project, "--remote", "upstream")
    assert result.returncode == 1 and "no git remote named 'upstream'" in result.stderr

    (project / "content" / "broken.md").write_text("---\ntitle: [unclosed\n---\n")
    result = publish(project)
    assert result.returncode == 1 and "content/broken.md:3: error" in result.stderr
    remote = project.parent / "remote.git"
    assert subprocess.run(["git", "rev-parse", "--verify", "gh-pages"], cwd=remote, capture_output=True).returncode != 0
