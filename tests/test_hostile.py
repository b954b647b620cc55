"""Hostile and broken circumstances: a build killed part-way, and requests for files outside
the output folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from generator.build import BuildOptions, build
from generator.writer import MARKER

from . import corpus
from .conftest import ROOT


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_build_killed_part_way_leaves_the_last_site_and_the_next_build_cleans_up(tmp_path: Path) -> None:
    first = corpus.write(tmp_path / "first", corpus.corpus(20))
    second = corpus.write(tmp_path / "second", corpus.corpus(600, seed=8))
    output = tmp_path / "output"
    build(BuildOptions(content=first, output=output, base_url="https://example.org/"))
    before = tree(output)

    command = [sys.executable, "-m", "generator", "build", "--content", str(second), "--output", str(output)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not any(stage.glob("articles/*/index.html") for stage in tmp_path.glob(".output.staging-*")):
        assert process.poll() is None, "the build ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    assert tree(output) == before  # the last complete site, marker and all
    assert list(tmp_path.glob(".output.staging-*"))  # what the killed build left
    build(BuildOptions(content=second, output=output, base_url="https://example.org/"))
    assert not list(tmp_path.glob(".output.staging-*"))
    assert len(list((output / "articles").iterdir())) == len([r for r in corpus.corpus(600, seed=8) if not r.draft])
    assert (output / MARKER).exists()
