"""Moving a build into the output: all of it or none, whatever fails, and the next build sees the truth."""

from __future__ import annotations

import errno
import fcntl
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import generator.cache
import generator.output.writer
from generator.commands.build import BuildOptions, build
from generator.errors import GeneratorError

from . import synthetic
from .conftest import ROOT
from .test_incremental import FORCES, Project, tree

pytestmark = pytest.mark.slow  # builds and commands run for real: the fast loop leaves them out


def raw(folder: Path) -> dict[str, bytes]:
    """Every file, the marker and Pagefind's files included, byte for byte."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(project: Project) -> list[str]:
    return sorted(p.name for p in project.root.glob(".output.*"))


@pytest.fixture
def project(tmp_path: Path) -> Project:
    site = Project(tmp_path)
    for name, text in synthetic.corpus(14, FORCES).items():
        site.write(name, text)
    return site


def change_many(project: Project) -> None:
    """A change that writes new files, replaces many and leaves some stale: a title edited, a
    release added in a new force, a release removed."""
    first = sorted(project.content.iterdir())[0]
    project.write(first.name, first.read_text().replace('title: "', 'title: "Renamed ', 1))
    project.write("added.md", synthetic.authored(title="Synthetic added release", force="Dyfed-Powys Police"))
    sorted(project.content.iterdir())[-1].unlink()


@pytest.mark.parametrize("code", [errno.EACCES, errno.ENOSPC, errno.EROFS, errno.EIO, errno.EDQUOT, errno.EPERM])
@pytest.mark.parametrize("failing", [1, 2, 7, -1])  # the first move, early ones, the marker (the last)
def test_a_move_that_fails_is_undone_and_the_output_is_the_last_build(
    project: Project, monkeypatch: pytest.MonkeyPatch, code: int, failing: int
) -> None:
    project.incremental()
    output = project.root / "output"
    before = raw(output)
    change_many(project)
    moves: list[tuple[str, str]] = []
    failed: list[str] = []  # the one move that fails
    real_rename, real_replace = os.rename, os.replace

    def counted(real):  # type: ignore[no-untyped-def]
        def move(source, target):  # type: ignore[no-untyped-def]
            if Path(target).is_relative_to(output):
                moves.append((str(source), str(target)))
                last = failing == -1 and Path(target).name == generator.output.writer.MARKER and len(moves) > 2
                if (len(moves) == failing or last) and not failed:
                    failed.append(target)
                    raise OSError(code, os.strerror(code), str(target))
            return real(source, target)

        return move

    monkeypatch.setattr(generator.output.writer.os, "rename", counted(real_rename))
    monkeypatch.setattr(generator.output.writer.os, "replace", counted(real_replace))
    with pytest.raises(GeneratorError) as failure:
        project.incremental()
    monkeypatch.undo()

    assert os.strerror(code) in str(failure.value) and "is left as the last build wrote it" in str(failure.value)
    assert raw(output) == before  # every byte, the marker included
    assert leftovers(project) == []
    assert project.incremental().written  # the change is still to be made, and is
    assert tree(output) == tree(project.cold())


@pytest.mark.parametrize("failing", [1, 3, 7])
def test_an_interrupt_during_the_moves_is_undone(
    project: Project, monkeypatch: pytest.MonkeyPatch, failing: int
) -> None:
    """Ctrl-C (KeyboardInterrupt) while files move in: every move is undone before it goes on."""
    project.incremental()
    output = project.root / "output"
    before = raw(output)
    change_many(project)
    moves: list[str] = []
    real = os.rename

    def rename(source, target):  # type: ignore[no-untyped-def]
        if Path(target).is_relative_to(output):
            moves.append(str(target))
            if len(moves) == failing:  # once: the undo's own moves go through
                raise KeyboardInterrupt
        return real(source, target)

    monkeypatch.setattr(generator.output.writer.os, "rename", rename)
    with pytest.raises(KeyboardInterrupt):
        project.incremental()
    monkeypatch.undo()
    assert raw(output) == before
    assert leftovers(project) == []
    assert project.incremental().written
    assert tree(output) == tree(project.cold())


KILLER = """
import os, signal, sys
from pathlib import Path
import generator.output.writer
from generator.commands.cli import main

output, after = Path(sys.argv[1]).resolve(), int(sys.argv[2])
moves = 0
real = os.rename

def rename(source, target):
    global moves
    if Path(target).resolve().is_relative_to(output):
        moves += 1
        if moves > after:
            os.kill(os.getpid(), signal.SIGKILL)
    return real(source, target)

generator.output.writer.os.rename = rename
sys.exit(main(sys.argv[3:]))
"""


@pytest.mark.parametrize("after", [0, 1, 5, 20])
@pytest.mark.parametrize("revert", [False, True])
def test_a_build_killed_while_moving_files_in_is_repaired_by_the_next_build(
    project: Project, after: int, revert: bool
) -> None:
    """The next build finds a marker that matches no record, compares every file and repairs the
    output, even when the content was put back as it was (the record then still matches it)."""
    project.incremental()
    output = project.root / "output"
    saved = {path.name: path.read_bytes() for path in project.content.iterdir()}
    change_many(project)
    command = [sys.executable, "-c", KILLER, str(output), str(after), "build", "--content", str(project.content)]
    command += ["--output", str(output), "--config", str(project.config)]
    killed = subprocess.run(command, cwd=project.root, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert killed.returncode == -9
    if revert:
        for path in project.content.iterdir():
            path.unlink()
        for name, data in saved.items():
            project.write(name, data.decode())

    report = project.incremental()
    assert report.rendered, "a build after an interrupted one trusted its record"
    assert tree(output) == tree(project.cold())
    assert leftovers(project) == []
    assert project.incremental().rendered == 0  # and the record is trusted again


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """A folder nobody may change: root ignores permissions, so root makes it immutable."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
    try:
        yield
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        else:
            folder.chmod(0o755)


def cli(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator", *args, "--content", str(project.content)]
    command += ["--output", str(project.root / "output"), "--config", str(project.config)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(command, cwd=project.root, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("where", ["forces", "articles", "archive", "."])
def test_a_read_only_folder_in_the_output_fails_the_build_cleanly_and_changes_nothing(
    project: Project, where: str
) -> None:
    project.incremental()
    output = project.root / "output"
    saved = {path.name: path.read_bytes() for path in project.content.iterdir()}
    before = raw(output)
    change_many(project)
    with read_only(output / where):
        result = cli(project, "build")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "is left as the last build wrote it" in result.stderr
    assert raw(output) == before
    assert leftovers(project) == []

    for path in project.content.iterdir():  # the content put back as it was, the cause fixed
        path.unlink()
    for name, data in saved.items():
        project.write(name, data.decode())
    assert cli(project, "build").returncode == 0
    assert tree(output) == tree(project.cold())


@contextmanager
def small_disk(folder: Path, size: str) -> Iterator[Path]:
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def test_a_full_disk_fails_the_build_cleanly_and_changes_nothing(project: Project) -> None:
    with small_disk(project.root / "disk", "24m") as disk:
        output = disk / "output"
        options = BuildOptions(project.content, output, project.config, cache=project.root / ".cache")
        build(options)
        before = raw(output)
        change_many(project)
        filler = disk / "filler"
        with filler.open("wb") as handle:  # fill the disk to its last block
            while True:
                try:
                    handle.write(b"\0" * 65536)
                    handle.flush()
                except OSError:
                    break
        for chunk in (4096, 512, 1):
            try:
                with filler.open("ab") as handle:
                    while True:
                        handle.write(b"\0" * chunk)
                        handle.flush()
            except OSError:
                pass
        with pytest.raises(GeneratorError) as failure:
            build(options)
        assert os.strerror(errno.ENOSPC) in str(failure.value)
        assert raw(output) == before
        assert not list(disk.glob(".output.*"))
        filler.unlink()
        build(options)
        assert tree(output) == tree(project.cold())


def test_the_output_is_trusted_only_as_far_as_its_size_and_time_and_force_reads_everything(project: Project) -> None:
    """The no-op check trusts each file's size and time (as make, Hugo and Pelican do); a file
    changed without either changing is found by `build --force`."""
    assert cli(project, "build").returncode == 0
    release = sorted(project.content.glob("*.md"))[0]
    text = release.read_text()
    stat = release.stat()
    edited = text.replace("Synthetic", "Synthetix", 1)
    assert len(edited) == len(text)
    release.write_text(edited)
    os.utime(release, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert "Nothing to do" in cli(project, "build").stderr
    forced = cli(project, "build", "--force")
    assert forced.returncode == 0 and "Nothing to do" not in forced.stderr
    assert tree(project.root / "output") == tree(project.cold())


def test_a_second_build_into_the_same_output_waits_for_the_first(project: Project) -> None:
    project.incremental()
    output = project.root / "output"
    change_many(project)
    handle = os.open(output, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(handle, fcntl.LOCK_EX)  # as a build in another process holds it
    try:
        command = [sys.executable, "-m", "generator", "build", "--content", str(project.content)]
        command += ["--output", str(output), "--config", str(project.config)]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        waiting = subprocess.Popen(command, cwd=project.root, env=env, stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        assert waiting.poll() is None
        assert not (output / "articles" / "synthetic-added-release").exists()
    finally:
        os.close(handle)
    _, errors = waiting.communicate(timeout=300)
    assert waiting.returncode == 0 and "waiting for another build" in errors
    assert tree(output) == tree(project.cold())


def test_a_cache_held_by_another_program_is_a_plain_error(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project.incremental()
    change_many(project)
    monkeypatch.setattr(generator.cache, "LOCK_TIMEOUT", 0.2)
    other = sqlite3.connect(project.root / ".cache" / "build.sqlite")
    other.execute("BEGIN IMMEDIATE")  # another program writing, and never finishing
    try:
        with pytest.raises(GeneratorError, match=r"build cache .* cannot be used .*database is locked"):
            project.incremental()
    finally:
        other.close()
    assert tree(project.root / "output") != {}
    project.check()


def test_a_cache_that_cannot_be_saved_is_a_warning_not_a_failure(project: Project) -> None:
    cache = project.root / ".cache"
    project.incremental()
    change_many(project)
    snapshots = list(cache.glob("snapshot-*.marshal"))
    with read_only(cache):
        report = project.incremental()
    assert any("build cache could not be saved" in w.message for w in report.warnings), report.warnings
    assert snapshots and tree(project.root / "output") == tree(project.cold())
    project.check()  # the next build, with the cache it could save
