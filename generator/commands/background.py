"""The preview's search indexes, made in the background so that a save reloads the browser
first: a build asks for the indexes it needs; those not made yet are started (in a forked child,
which a thread of this process waits for), and the build keeps the last ones; when they are made,
the preview builds again and writes them. An edit's indexes are started once its build is done
and the browser told (`start`), so that they do not compete with the build for the cores; the
whole archive's (the first build's) are started at once, to be made while the pages render."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial

from generator.commands.build import FORK_INDEXING
from generator.commands.forked import Forked, can_fork
from generator.errors import GeneratorError
from generator.output.indexes import Bundles, Job, Pending
from generator.output.search import search_indexes


class BackgroundIndexer:
    def __init__(self, ready: Callable[[], None]) -> None:
        """`ready` is called (on the indexer's thread) once indexes a build asked for are made."""
        self._ready = ready
        self._lock = threading.Lock()  # builds ask on their thread; the indexer answers on its own
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-index")
        self._made: dict[str, Bundles] = {}  # by the signature of the job that made it
        self._failed: dict[str, GeneratorError] = {}
        self._started: set[str] = set()
        self._waiting: list[tuple[list[Job], partial[list[Bundles]]]] = []  # asked for, not yet started

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def __call__(self, jobs: Sequence[Job]) -> Pending:
        with self._lock:
            made = self._ask(jobs)
        return Pending(lambda: made)

    def _ask(self, jobs: Sequence[Job]) -> Sequence[Bundles] | None:
        """The bundles of `jobs` if all are made (a failure is raised, as a build would); else
        None, and those not yet started are started."""
        for job in jobs:
            if job.signature in self._failed:
                raise self._failed.pop(job.signature)
        if all(job.signature in self._made for job in jobs):
            made = [self._made[job.signature] for job in jobs]
            self._made = {}  # written by this build: the next build keeps them
            return made
        todo = [job for job in jobs if job.signature not in self._made and job.signature not in self._started]
        if todo:
            self._started.update(job.signature for job in todo)
            entries = [job.entries() for job in todo]  # bodies are read from the cache here, on the build's thread
            self._waiting.append((todo, partial(search_indexes, entries, todo[0].language)))
            if sum(len(job.articles) for job in todo) >= FORK_INDEXING:
                self._start()
        return None

    def start(self) -> None:
        """Start the indexes asked for and not started yet: called on the builds' thread once a
        build is done."""
        with self._lock:
            self._start()

    def _start(self) -> None:
        for todo, work in self._waiting:
            # Made by a child forked here, on the builds' thread, and only waited for on the
            # indexer's: no thread of the preview then works while a build forks its renderers.
            future = self._pool.submit(Forked(work).result if can_fork() else work)
            future.add_done_callback(partial(self._done, todo))
        self._waiting = []

    @property
    def busy(self) -> bool:
        """Whether indexes are being made."""
        with self._lock:
            return bool(self._started)

    def _done(self, jobs: list[Job], future: Future[list[Bundles]]) -> None:
        with self._lock:
            for job in jobs:
                self._started.discard(job.signature)
            if future.cancelled():
                return
            error = future.exception()
            if error is not None:
                failure = (
                    error
                    if isinstance(error, GeneratorError)
                    else GeneratorError(f"search indexing crashed: {error!r}")
                )
                self._failed.update((job.signature, failure) for job in jobs)
            else:
                self._made.update(zip((job.signature for job in jobs), future.result(), strict=True))
        self._ready()
