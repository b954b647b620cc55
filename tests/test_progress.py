"""The progress line: each stage of a build named as it starts, with counts where there are some,
on a terminal only, silenced by -q, and shown by `serve` on its first build.

How long a stage stays silent is measured by `benchmarks/run.py` (its longest silent stretch at
10,000 releases), not here: no test asserts a time."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import generator.commands.build
from generator.commands.build import BuildOptions, build
from generator.commands.progress import progress_line

from . import synthetic
from .conftest import ROOT
from .test_serve import free_port


class Terminal(io.StringIO):
    """What a build draws on a terminal, kept."""

    def isatty(self) -> bool:
        return True


def drawn(text: str) -> list[str]:
    """Each state of the line, in order: the text between carriage returns, without repeats."""
    states: list[str] = []
    for part in text.split("\r"):
        if part.strip() and (not states or states[-1] != part.strip()):
            states.append(part.strip())
    return states


def stages(text: str) -> list[str]:
    """The stages named, in order, without their counts."""
    named: list[str] = []
    for state in drawn(text):
        stage = re.sub(r"( [\d,]+ of [\d,]+|…)$", "", state)
        if not named or named[-1] != stage:
            named.append(stage)
    return named


def content(folder: Path, count: int) -> Path:
    folder.mkdir()
    for n in range(count):
        (folder / f"r{n}.txt").write_text(
            synthetic.scraped(title=f"Synthetic release {n}", url=f"https://example.org/n/{n}"), encoding="utf-8"
        )
    return folder


def test_a_cold_build_names_each_stage_in_order_with_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading, parsing each file, caching, collecting, planning (each page weighed), rendering
    (named before the first page is done), the search index as its child process makes it (a
    large site's way, taken here for a small one), writing; the line is cleared at the end."""
    monkeypatch.setattr(generator.commands.build, "FORK_INDEXING", 1)
    terminal = Terminal()
    options = BuildOptions(content=content(tmp_path / "content", 6), output=tmp_path / "output")
    with progress_line(False, terminal) as progress:
        report = build(options, progress)
    assert report.articles == 6
    assert stages(terminal.getvalue()) == [
        "reading",
        "parsing",
        "caching",
        "collecting",
        "planning",
        "rendering",
        "indexing for search",
        "reading the search index",
        "writing the search index",
        "writing",
        "saving the build cache",
    ]
    states = drawn(terminal.getvalue())
    assert "parsing 6 of 6" in states and "caching 6 of 6" in states
    assert (
        "rendering 0 of " + f"{report.rendered:,}" in states
        and f"planning {report.pages:,} of {report.pages:,}" in states
    )
    assert "indexing for search 1 of 1" in states  # told by the child that made it
    assert terminal.getvalue().endswith("\r")  # cleared: spaces over the last state, then back to the start
    assert terminal.getvalue().rsplit("\r", 2)[-2].strip() == ""


def test_a_build_that_changes_one_file_names_only_what_it_does(tmp_path: Path) -> None:
    folder = content(tmp_path / "content", 3)
    options = BuildOptions(content=folder, output=tmp_path / "output")
    build(options)
    (folder / "r1.txt").write_text((folder / "r1.txt").read_text() + "\nA synthetic sentence added.\n")
    terminal = Terminal()
    with progress_line(False, terminal) as progress:
        build(options, progress)
    named = stages(terminal.getvalue())
    assert named[:2] == ["reading", "parsing"] and "rendering" in named and named[-1] == "saving the build cache"
    assert "parsing 1 of 1" in drawn(terminal.getvalue())


def in_terminal(command: list[str], cwd: Path, until: str | None = None, seconds: float = 120) -> str:
    """Run `command` in a pseudo-terminal, and what it printed: to its end, or until `until` is
    printed (then it is stopped with Ctrl-C)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: becomes the command
        os.chdir(cwd)
        os.environ["PYTHONPATH"] = str(ROOT)
        os.execv(command[0], command)
    printed = b""
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if not ready:
                continue
            try:
                data = os.read(fd, 65536)
            except OSError:  # the command ended
                break
            if not data:
                break
            printed += data
            if until and until.encode() in printed:
                os.kill(pid, signal.SIGINT)
                until = None
    finally:
        if time.monotonic() >= deadline:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    return printed.decode(errors="replace")


def test_the_command_shows_progress_on_a_terminal_and_not_with_q_or_in_a_log(tmp_path: Path) -> None:
    folder = content(tmp_path / "content", 4)
    build_command = [sys.executable, "-m", "generator", "build", "--content", str(folder)]
    shown = in_terminal([*build_command, "--output", str(tmp_path / "a")], tmp_path)
    assert stages(shown.split("Built ")[0])[:2] == ["reading", "parsing"] and "rendering" in stages(shown)
    assert "Built 4 releases" in shown
    quiet = in_terminal([*build_command, "--output", str(tmp_path / "b"), "-q"], tmp_path)
    assert quiet.strip() == ""
    logged = subprocess.run(
        [*build_command, "--output", str(tmp_path / "c")],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        check=True,
    ).stderr  # bytes: text mode would turn each carriage return into a new line
    assert b"\r" not in logged and b"parsing" not in logged and b"Built 4 releases" in logged


def test_serve_shows_progress_on_its_first_build(tmp_path: Path) -> None:
    folder = content(tmp_path / "content", 4)
    command = [sys.executable, "-m", "generator", "serve", "--content", str(folder), "--port", str(free_port())]
    shown = in_terminal(command, tmp_path, until="Serving http://")
    before = shown.split("Serving http://")[0]
    assert stages(before)[:2] == ["reading", "parsing"] and "rendering" in stages(before)
