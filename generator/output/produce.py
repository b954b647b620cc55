"""Rendering every page whose signature changed into the output, in forked workers when there are many.

Rendering is pure (page + settings → bytes), so pages can be split among processes
in any way; each worker stages its own files and reports back what it wrote.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from itertools import islice, pairwise
from typing import TYPE_CHECKING

from generator.model import Page
from generator.output import opendata
from generator.output.kinds import Plan, signature
from generator.output.render import Renderer
from generator.output.writer import Output
from generator.reading.read import Progress

if TYPE_CHECKING:
    from multiprocessing.sharedctypes import Synchronized

# Below this many pages to render, starting workers costs more than it saves.
POOL_THRESHOLD = 400
HEAVY = 1000  # releases a page shows that make it a worker's task of its own
SLICE_MOST = 250  # pages in a worker's task

# What forked workers inherit.
_job: tuple[list[tuple[Page, str]], Output, Renderer, Synchronized[int]] | None = None


def produce(
    plan: Plan,
    settings: str,
    output: Output,
    renderer: Renderer,
    workers: int | None,
    progress: Progress | None,
    before_fork: Callable[[], None] = lambda: None,
) -> None:
    """`before_fork` is called before workers are forked: it leaves this process one thread."""
    for path in plan.kept:
        output.keep(path)
    todo = []
    for done, page in enumerate(plan.pages, 1):
        page_signature = signature(page, settings)
        if not output.unchanged(page.output_path, page_signature):
            todo.append((page, page_signature))
        if progress:
            progress("planning", done, len(plan.pages))  # which pages changed: a second of a cold build
    if progress:
        progress("rendering", 0, len(todo))  # named at once: the first pages done may be slow ones
    workers = workers or os.cpu_count() or 1
    if len(todo) < POOL_THRESHOLD or workers < 2 or not hasattr(os, "fork"):
        for done, (page, page_signature) in enumerate(todo, 1):
            output.put(page.output_path, renderer.render(page).encode(), page_signature)
            if progress:
                progress("rendering", done, len(todo))
        return
    before_fork()
    _in_workers(todo, output, renderer, workers, progress)


def _in_workers(
    todo: list[tuple[Page, str]], output: Output, renderer: Renderer, workers: int, progress: Progress | None
) -> None:
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from multiprocessing import get_context

    global _job
    context = get_context("fork")
    renderer.prepare()  # compile templates once, before the workers fork
    # The pages that show the most releases first, on their own (the open data shows them all, a
    # second of work at 10,000): started last, or with others, one would keep a worker busy after
    # the rest. Those showing the very same releases go together: the open data's JSON and CSV are
    # made of the same records, which one worker then encodes once.
    todo = sorted(todo, key=lambda item: (-len(item[0].articles), id(item[0].articles)))
    rendered = context.Value("q", 0)  # by every worker, page by page: what the progress line counts
    _job = (todo, output, renderer, rendered)
    heavy = [start for start, (page, _) in enumerate(todo) if len(page.articles) >= HEAVY]
    starts = [start for start in heavy if not start or todo[start - 1][0].articles is not todo[start][0].articles]
    light = len(heavy)
    # Several tasks a worker, so that one does not go on long after the other; not many more (each
    # costs: 240 tasks of 50 pages made a cold build at 10,000 releases 8 % slower than 8 tasks).
    size = min(-(-(len(todo) - light) // (workers * 4)), SLICE_MOST) or 1
    slices = list(pairwise([*starts, light]))
    slices += [(start, start + size) for start in range(light, len(todo), size)]
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            pending = {pool.submit(_render_slice, start, stop) for start, stop in slices}
            while pending:
                finished, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for future in finished:
                    files, changed, count, records = future.result()
                    output.adopt(files, changed)
                    opendata.remember(records)
                    renderer.count += count
                if progress:
                    progress("rendering", rendered.value, len(todo))
    finally:
        _job = None


def _render_slice(
    start: int, stop: int
) -> tuple[dict[str, tuple[str, str]], list[str], int, dict[str, tuple[str, str]]]:
    """The files staged, those changed, how many pages, and the open-data records encoded."""
    assert _job is not None
    todo, output, renderer, rendered = _job
    # A worker may take several slices: what this one adds comes after these marks (a path is put once).
    files, changed, records = len(output.files), len(output.changed), opendata.encoded_count()
    chunk = todo[start:stop]
    for page, page_signature in chunk:
        output.put(page.output_path, renderer.render(page).encode(), page_signature)
        with rendered.get_lock():
            rendered.value += 1
    staged = dict(islice(output.files.items(), files, None))
    return staged, output.changed[changed:], len(chunk), opendata.encoded_since(records)
