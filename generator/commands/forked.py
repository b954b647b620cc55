"""Work done by a forked child process while this one goes on: a cold build makes its search
indexes (Pagefind, about a third of its time) while it plans and renders, and so fills the
core that planning, a single process, leaves idle; the preview makes its background indexes so.

A plain fork and a pipe, not a pool: a pool's helper thread would be in this process when the
renderers fork, and a fork of a process with threads can deadlock the child.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Sequence
from multiprocessing import get_context
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

from generator.errors import GeneratorError
from generator.reading.read import Progress

_T = TypeVar("_T")
# What the child sends: progress, each item of the result, then the end; or a failure.
_PROGRESS, _ITEM, _DONE, _FAILED = "progress", "item", "done", "failed"


class Forked(Generic[_T]):
    def __init__(self, work: Callable[[Progress], Sequence[_T]], progress: Progress | None = None) -> None:
        """`work` is given a `Progress` to call in the child; `progress` is called with the same,
        here, while `result` waits."""
        context = get_context("fork")
        self._progress = progress
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_run, args=(work, send), name="search-index")
        self._process.start()
        send.close()

    def result(self) -> list[_T]:
        """What the work returned; its GeneratorError raised here, as if it had run here. Each item
        comes as a message of its own: this process never holds the whole result twice, pickled
        and made (the search indexes of 10,000 releases are 60 MB)."""
        items: list[_T] = []
        try:
            while (message := self._receive.recv())[0] != _DONE:
                kind, value = message
                if kind == _FAILED:
                    raise GeneratorError(value)
                if kind == _ITEM:
                    items.append(value)
                elif self._progress:
                    self._progress(*value)
        except EOFError:
            raise GeneratorError("search indexing failed: its process stopped unexpectedly") from None
        finally:
            self._receive.close()
            self._process.join()
        return items

    def cancel(self) -> None:
        """Stop the work, if it is still going (the build failed before it needed it)."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._receive.close()


def can_fork() -> bool:
    return hasattr(os, "fork")


def _run(work: Callable[[Progress], Sequence[object]], send: Connection) -> None:
    # Ctrl-C reaches the whole process group: the parent says so once and stops this child; its
    # SIGTERM (`cancel`) ends it at once, whatever the parent does with SIGTERM (the preview's).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    def progress(stage: str, done: int, total: int) -> None:
        send.send((_PROGRESS, (stage, done, total)))

    try:
        items = work(progress)
    except GeneratorError as error:
        send.send((_FAILED, str(error)))
    except Exception as error:  # a bug: said in the build's error, not lost in the child
        send.send((_FAILED, f"search indexing failed: {type(error).__name__}: {error}"))
    else:
        for item in items:
            send.send((_ITEM, item))
        send.send((_DONE, None))
    send.close()
