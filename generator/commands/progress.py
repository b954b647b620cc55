"""The progress line a build shows on a terminal: each stage named as it starts (reading,
planning, rendering, indexing for search, writing), with counts where there are some, redrawn
in place at most ten times a second and cleared when the build ends. Nothing is shown when the
output is not a terminal (a log, CI) or with -q."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from generator.reading.read import Progress


class Display:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.stage = ""
        self.shown = 0.0
        self.width = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        """`total` 0: a stage without counts has started."""
        now = time.monotonic()
        if stage == self.stage and done < total and now - self.shown < 0.1:
            return
        self.stage, self.shown = stage, now
        self._draw(f"{stage} {done:,} of {total:,}" if total else f"{stage}…")

    def clear(self) -> None:
        self._draw("")

    def _draw(self, text: str) -> None:
        self.stream.write(f"\r{text}{' ' * max(0, self.width - len(text))}\r{text}")
        self.stream.flush()
        self.width = len(text)


@contextmanager
def progress_line(quiet: bool, stream: TextIO | None = None) -> Iterator[Progress | None]:
    """A display while the block runs, on a terminal and unless `quiet`; cleared after it."""
    stream = stream or sys.stderr
    if quiet or not stream.isatty():
        yield None
        return
    display = Display(stream)
    try:
        yield display
    finally:
        display.clear()
