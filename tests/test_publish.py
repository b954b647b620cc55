"""`python -m generator publish` against a local bare repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from . import synthetic
from .conftest import ROOT, SEED

pytestmark = pytest.mark.slow  # builds and commands run for real: the fast loop leaves them out


def git(*args: str, cwd: Path) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def publish(project: Path, *args: str, search_path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PATH": search_path or os.environ["PATH"]}
    command = [sys.executable, "-m", "generator", "publish", *args]
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stderr
    return result


def refs(*repositories: Path) -> list[str]:
    """Every ref of each repository, symbolic ones as what they point to."""
    listing = "--format=%(refname) %(objectname) %(symref)"
    return [
        git("for-each-ref", listing, cwd=repository) + git("symbolic-ref", "HEAD", cwd=repository)
        for repository in repositories
    ]


def hook(hooks: Path, name: str, script: str) -> None:
    path = hooks / name
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A site's source repository with a bare remote, as a user's clone would be."""
    remote = tmp_path / "remote.git"
    git("init", "--bare", "-q", str(remote), cwd=tmp_path)
    source = tmp_path / "source"
    (source / "content").mkdir(parents=True)
    (source / "content" / SEED.name).write_bytes(SEED.read_bytes())
    (source / "site.yaml").write_text("base_url: https://synthetic-newsroom.github.io/county-lines-archive/\n")
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


@pytest.fixture
def remote(project: Path) -> Path:
    """The remote, already holding the source and an earlier site, with unpushed work on main
    tracking it: a stray push of any of them would show."""
    git("push", "-q", "--set-upstream", "origin", "main", "main:gh-pages", cwd=project)
    git("fetch", "-q", "origin", cwd=project)
    git("commit", "-q", "--allow-empty", "-m", "Unpushed work", cwd=project)
    git("config", "push.default", "current", cwd=project)  # as many users have it: a bare `git push` pushes main
    return project.parent / "remote.git"


def test_publish_pushes_exactly_the_site_and_keeps_history(project: Path) -> None:
    head = git("rev-parse", "HEAD", cwd=project)
    git("config", "filter.shout.clean", "tr a-z A-Z", cwd=project)  # the site goes in as built, unfiltered
    (project / ".git" / "info" / "attributes").write_text("*.html filter=shout\n")
    leftovers = [project / ".output.publish-k3j2h1g0", project / ".output.publish-4194303-x1y2z3"]
    for folder in leftovers:  # copies that killed publishes of earlier versions left
        (folder / "releases").mkdir(parents=True)
        (folder / "releases" / "index.html").write_text("<p>stale</p>")
    first = publish(project)
    assert git("status", "--porcelain", cwd=project) == ""
    assert first.returncode == 0, first.stderr
    remote = project.parent / "remote.git"
    published = set(git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).splitlines())
    site = project / ".cache" / "publish"  # publish builds in a folder of its own, never the preview's output/
    built = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert published == built - {".generator-build"}
    assert ".nojekyll" in published and "index.html" in published and "404.html" in published
    shown = subprocess.run(["git", "show", "gh-pages:index.html"], cwd=remote, capture_output=True, check=True)
    assert shown.stdout == (site / "index.html").read_bytes()
    assert not (project / "output").exists()
    commit = git("rev-parse", "gh-pages", cwd=remote)
    assert first.stderr.strip() == (
        f"Published the site for https://synthetic-newsroom.github.io/county-lines-archive/ to origin/gh-pages as {commit[:12]} ({len(published)} files)"
    )
    assert not any(folder.exists() for folder in leftovers)
    assert [p.name for p in project.iterdir() if ".publish" in p.name] == []

    again = publish(project)
    assert again.returncode == 0, again.stderr
    assert (
        again.stderr.strip()
        == f"Nothing changed: origin/gh-pages already holds the site for https://synthetic-newsroom.github.io/county-lines-archive/ as {commit[:12]} ({len(published)} files)"
    )
    assert git("rev-parse", "gh-pages", cwd=remote) == commit

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
    assert result.returncode == 2 and "--remote: there is no git remote named 'upstream'" in result.stderr

    (project / "content" / "broken.md").write_text("---\ntitle: [unclosed\n---\n")
    result = publish(project)
    assert result.returncode == 1 and "content/broken.md:3: error" in result.stderr
    remote = project.parent / "remote.git"
    assert subprocess.run(["git", "rev-parse", "--verify", "gh-pages"], cwd=remote, capture_output=True).returncode != 0


HOSTILE_BRANCHES = [
    *("--force", "-f", "--delete", "--mirror", "--all", "-o", "--tags", "-d"),
    *("main", "master", "HEAD", "refs/heads/x", "refs/heads/gh-pages", "@{-1}", "gh-pages@{u}", "x@{0}"),
    *("a b", " gh-pages", "gh-pages\n", "a\nb", "a\tb", "a\x7fb", "a..b", "a~1", "a^", "a:b", "+main:main"),
    *("a*", "a?", "a[b", "a\\b", "x.lock", "/x", "x/", ".x", ""),
]


@pytest.mark.parametrize("branch", HOSTILE_BRANCHES)
def test_hostile_branch_names_are_refused_before_anything_runs(project: Path, remote: Path, branch: str) -> None:
    before = refs(remote, project)
    result = publish(project, f"--branch={branch}")
    assert result.returncode == 2 and "error: --branch: " in result.stderr, result.stderr
    assert refs(remote, project) == before
    assert not (project / "output").exists()


def _on_work_branch(project: Path) -> str:
    git("checkout", "-q", "-b", "work", cwd=project)
    return "work"


def _in_a_worktree(project: Path) -> str:
    git("worktree", "add", "-q", "-b", "preview", str(project.parent / "preview"), cwd=project)
    return "preview"


def _default_as_fetched(project: Path) -> str:
    git("push", "-q", "origin", "main:trunk", cwd=project)
    git("fetch", "-q", "origin", cwd=project)
    git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk", cwd=project)
    return "trunk"


def _default_as_advertised(project: Path) -> str:
    git("push", "-q", "origin", "main:trunk", cwd=project)
    git("symbolic-ref", "HEAD", "refs/heads/trunk", cwd=project.parent / "remote.git")
    return "trunk"


@pytest.mark.parametrize("setup", [_on_work_branch, _in_a_worktree, _default_as_fetched, _default_as_advertised])
def test_source_branches_are_refused(project: Path, remote: Path, setup: Callable[[Path], str]) -> None:
    branch = setup(project)
    before = refs(remote, project)
    result = publish(project, "--branch", branch)
    assert result.returncode == 2 and f"error: --branch: {branch!r}" in result.stderr, result.stderr
    assert refs(remote, project) == before
    assert not (project / "output").exists()


def test_main_is_refused_from_another_branch_when_the_remote_names_no_default(project: Path, remote: Path) -> None:
    git("checkout", "-q", "-b", "work", cwd=project)
    before = refs(remote, project)
    for branch in ("main", "master"):
        result = publish(project, "--branch", branch)
        assert result.returncode == 2 and "may be the default branch of 'origin'" in result.stderr
    assert refs(remote, project) == before


def test_hostile_remote_names_are_refused_before_anything_runs(project: Path, remote: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.git"
    git("init", "--bare", "-q", str(other), cwd=tmp_path)
    git("remote", "add", "--", "-v", str(other), cwd=project)  # git allows it; publish does not
    before = refs(remote, other, project)
    hostile = [f"--receive-pack=touch {tmp_path / 'pwned'}", "-v", "--mirror", "-u", "upstream", "../other.git"]
    for name in [*hostile, str(other), f"file://{other}", "origin ", "origin/gh-pages", ""]:
        result = publish(project, f"--remote={name}")
        assert result.returncode == 2 and "error: --remote: " in result.stderr, (name, result.stderr)
    assert refs(remote, other, project) == before
    assert not (tmp_path / "pwned").exists() and not (project / "output").exists()


def _hook_refuses(project: Path) -> str:
    hook(project.parent / "remote.git" / "hooks", "pre-receive", "echo 'publishing is frozen' >&2; exit 1")
    return "refused the push: [remote rejected] (pre-receive hook declined) (publishing is frozen)"


def _unreachable(project: Path) -> str:
    git("remote", "set-url", "origin", str(project.parent / "missing.git"), cwd=project)
    return "the push to 'origin' failed ("


def _moved_on(project: Path) -> str:
    """Someone else published since this clone last fetched: never forced over theirs."""
    remote = project.parent / "remote.git"
    git("update-ref", "refs/heads/gh-pages", "refs/heads/main", cwd=remote)
    return "refused the push: [rejected]"


@pytest.mark.parametrize("refusal", [_hook_refuses, _unreachable, _moved_on])
def test_a_refused_push_says_what_the_local_branch_holds(project: Path, refusal: Callable[[Path], str]) -> None:
    git("push", "-q", "origin", "main", cwd=project)
    assert publish(project).returncode == 0
    published = git("rev-parse", "gh-pages", cwd=project)
    remote = project.parent / "remote.git"
    (project / "content" / SEED.name).write_text(SEED.read_text() + "\nA synthetic correction.\n")
    expected = refusal(project)
    before = refs(remote)
    result = publish(project)
    assert result.returncode == 1, result.stderr
    local = git("rev-parse", "gh-pages", cwd=project)
    assert local != published
    assert expected in result.stderr
    assert f"the local 'gh-pages' branch now points to {local[:12]}, which is not published" in result.stderr
    assert "Published" not in result.stderr and "Nothing changed" not in result.stderr
    assert refs(remote) == before


def test_git_failures_are_one_line_errors(project: Path, tmp_path: Path) -> None:
    hook(project / ".git" / "hooks", "pre-push", "exit 1")
    result = publish(project)
    assert result.returncode == 1
    assert "error: the push to 'origin' failed (failed to push some refs to" in result.stderr

    result = publish(project, search_path=str(tmp_path / "no-git-here"))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: cannot run git (No such file or directory); publish needs git installed",
        "publish failed; nothing was pushed",
    ]


# -- the address a site is published for -----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:8000/", True),
        ("http://localhost:8000/", True),
        ("http://[::1]:8000/", True),
        ("http://192.168.1.20/", True),
        ("http://10.0.0.5/archive/", True),
        ("http://archive.local/", True),
        ("http://archive/", True),
        ("https://example.org/county-lines/", True),
        ("https://www.example.com/", True),
        ("https://archive.test/", True),
        ("https://synthetic-newsroom.github.io/county-lines-archive/", False),
        ("https://archive.example-newsroom.co.uk/", False),
        ("http://203.0.113.9/", True),  # an address kept for documentation
        ("http://8.8.8.8/", False),
    ],
)
def test_local_and_placeholder_addresses_are_told_apart(url: str, local: bool) -> None:
    from generator.commands.addresses import local_address

    assert local_address(url) is local


@pytest.mark.parametrize(
    ("remote", "address"),
    [
        (
            "https://github.com/Synthetic-Newsroom/county-lines-archive.git",
            "https://synthetic-newsroom.github.io/county-lines-archive/",
        ),
        (
            "https://github.com/synthetic-newsroom/county-lines-archive",
            "https://synthetic-newsroom.github.io/county-lines-archive/",
        ),
        ("git@github.com:synthetic-newsroom/Archive.git", "https://synthetic-newsroom.github.io/Archive/"),
        ("ssh://git@github.com/synthetic-newsroom/archive.git", "https://synthetic-newsroom.github.io/archive/"),
        ("https://token@github.com/synthetic-newsroom/archive.git", "https://synthetic-newsroom.github.io/archive/"),
        ("git@github.com:Synthetic-Newsroom/synthetic-newsroom.github.io.git", "https://synthetic-newsroom.github.io/"),
        ("https://gitlab.com/synthetic-newsroom/archive.git", None),
        ("/srv/git/archive.git", None),
        ("https://github.com/synthetic-newsroom", None),
    ],
)
def test_the_github_pages_address_comes_from_the_remote(remote: str, address: str | None) -> None:
    from generator.commands.addresses import pages_address

    assert pages_address(remote) == address


def _served_from(project: Path, remote_url: str, site_yaml: str) -> Path:
    """The project with the shipped (local) base_url and a GitHub remote URL whose pushes go to the
    local bare repository, and a preview's output/ that must not change."""
    (project / "site.yaml").write_text(site_yaml)
    bare = project.parent / "remote.git"
    git("remote", "set-url", "origin", remote_url, cwd=project)
    git("remote", "set-url", "--push", "origin", str(bare), cwd=project)
    (project / "output").mkdir()
    (project / "output" / "index.html").write_text("<p>the preview's page</p>")
    return bare


def _canonical(bare: Path) -> str:
    page = git("show", "gh-pages:index.html", cwd=bare)
    found = re.search(r'<link rel="canonical" href="([^"]+)"', page)
    assert found, page[:500]
    return found[1]


def test_a_local_base_url_is_never_published(project: Path) -> None:
    """The shipped site.yaml's address is this machine's: publish uses the repository's GitHub
    Pages address instead, says so, and leaves the preview's output/ alone."""
    shipped = (ROOT / "site.yaml").read_text()
    assert "127.0.0.1" in shipped
    bare = _served_from(project, "https://github.com/Synthetic-Newsroom/county-lines-archive.git", shipped)
    result = publish(project)
    assert result.returncode == 0, result.stderr
    address = "https://synthetic-newsroom.github.io/county-lines-archive/"
    assert result.stderr.splitlines()[0].startswith(f"Base URL {address} (the GitHub Pages address of the 'origin'")
    assert _canonical(bare) == address
    published = git("ls-tree", "-r", "--name-only", "gh-pages", cwd=bare).splitlines()
    for name in ("index.html", "sitemap.xml", "feed.xml"):
        assert name in published
        assert "127.0.0.1" not in git("show", f"gh-pages:{name}", cwd=bare)
    assert (project / "output" / "index.html").read_text() == "<p>the preview's page</p>"


def test_a_user_site_is_published_at_the_root_and_a_custom_domain_wins(project: Path) -> None:
    bare = _served_from(project, "git@github.com:Synthetic-Newsroom/synthetic-newsroom.github.io.git", "")
    assert publish(project).returncode == 0
    assert _canonical(bare) == "https://synthetic-newsroom.github.io/"
    (project / "site.yaml").write_text("domain: archive.synthetic-newsroom.org\n")
    result = publish(project)
    assert result.returncode == 0, result.stderr
    assert _canonical(bare) == "https://archive.synthetic-newsroom.org/"
    assert git("show", "gh-pages:CNAME", cwd=bare) == "archive.synthetic-newsroom.org"


def test_publish_refuses_an_address_it_cannot_make_public(project: Path) -> None:
    (project / "site.yaml").write_text("base_url: http://127.0.0.1:8000/\n")  # the remote is a local folder
    result = publish(project)
    assert result.returncode == 1
    assert "is not a public address" in result.stderr and "--base-url" in result.stderr
    result = publish(project, "--base-url", "http://192.168.1.20/archive/")
    assert result.returncode == 2
    assert "--base-url: http://192.168.1.20/archive/ is not a public address" in result.stderr
    bare = project.parent / "remote.git"
    assert subprocess.run(["git", "rev-parse", "--verify", "gh-pages"], cwd=bare, capture_output=True).returncode != 0


def test_publish_refuses_to_lose_a_published_address(project: Path) -> None:
    """Checked against the commit last published, not only the build cache: a fresh clone too."""
    (project / "content" / "kept.md").write_text(synthetic.authored("Synthetic kept release"))
    assert publish(project, "-q").returncode == 0
    shutil.rmtree(project / ".cache")  # a fresh clone: only the published branch remembers
    (project / "content" / "kept.md").unlink()
    before = refs(project, project.parent / "remote.git")
    result = publish(project)
    assert result.returncode == 1
    assert "articles/kept/ would disappear" in result.stderr and "nothing was pushed" in result.stderr
    assert refs(project, project.parent / "remote.git") == before
