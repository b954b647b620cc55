"""Reading the content folder: unchanged files from the cache, the rest parsed,
in a process pool when there are many (parsing is pure, so order does not matter)."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from generator.cache import Cache, Entry
from generator.errors import ContentError, Diagnostic
from generator.model import Article, Parsed, PlainPage
from generator.reading.forces import load_registry
from generator.reading.sources import Source, fingerprint

Progress = Callable[[str, int, int], None]
# Below this many files a pool costs more to start than it saves.
POOL_THRESHOLD = 48
_T = TypeVar("_T")


def read_content(
    sources: list[Source], cache: Cache, progress: Progress | None = None, workers: int | None = None
) -> tuple[list[Article], dict[str, str], list[Diagnostic]]:
    """Every article, the bodies parsed in this build (by fingerprint), and every problem in any file."""
    known = cache.known()
    cache.forget(known.keys() - {source.path for source in sources})
    changed = [
        s
        for s in sources
        if (entry := known.get(s.path)) is None or entry.size != s.size or entry.mtime_ns != s.mtime_ns
    ]
    parsed = dict(_parse_all([s.path for s in changed if not _only_touched(s, known, cache)], progress, workers))

    articles: list[Article] = []
    bodies: dict[str, str] = {}
    diagnostics: list[Diagnostic] = []
    stored, storing = 0, sum(not isinstance(result, list) for result in parsed.values())
    for source in sources:
        result = parsed.get(source.path)
        if result is None:
            article, warnings = cache.article(known[source.path])
        elif isinstance(result, list):
            diagnostics += result
            continue
        else:
            cache.store(source, result)
            stored += 1
            if progress:
                progress("caching", stored, storing)  # a second of a cold build at 10,000
            bodies[result.article.fingerprint] = result.body_html
            article, warnings = result.article, result.warnings
        articles.append(article)
        if warnings:
            diagnostics.extend(warnings)
    return articles, bodies, diagnostics


def read_plain_pages(sources: list[Source]) -> tuple[list[PlainPage], list[Diagnostic]]:
    """The site's own pages: a handful of files, parsed at every build."""
    from generator.reading.content import read_plain_page

    pages: list[PlainPage] = []
    problems: list[Diagnostic] = []
    for source in sources:
        result = _guarded(Path(source.path), read_plain_page)
        if isinstance(result, list):
            problems += result
        else:
            pages.append(result)
    return pages, problems


def _only_touched(source: Source, known: dict[str, Entry], cache: Cache) -> bool:
    """A file with a new time but the same bytes (a checkout, a save without edits) is not parsed again."""
    if source.path not in known:
        return False
    try:
        same = fingerprint(source.path, Path(source.path).read_bytes()) == known[source.path].fingerprint
    except OSError:
        return False
    if same:
        cache.touch(source)
    return same


def _parse_all(
    paths: list[str], progress: Progress | None, workers: int | None
) -> list[tuple[str, Parsed | list[Diagnostic]]]:
    workers = workers or os.cpu_count() or 1
    if len(paths) < POOL_THRESHOLD or workers < 2:
        results: Iterable[tuple[str, Parsed | list[Diagnostic]]] = map(_parse, paths)
        return [_report(progress, index, len(paths), result) for index, result in enumerate(results, 1)]
    from multiprocessing import get_all_start_methods, get_context

    # fork shares the loaded modules and registry with the workers at no cost; spawn where there is no fork.
    method = "fork" if "fork" in get_all_start_methods() else "spawn"
    chunk = max(1, min(64, len(paths) // (workers * 8)))
    # A Pool, not a ProcessPoolExecutor: leaving it terminates the workers, so a Ctrl-C (which
    # the workers leave to this process) ends the read at once, never waiting on a worker that
    # waits on this process to take its results.
    with get_context(method).Pool(workers, initializer=_worker_signals) as pool:
        results = pool.imap(_parse, paths, chunksize=chunk)
        return [_report(progress, index, len(paths), result) for index, result in enumerate(results, 1)]


def _worker_signals() -> None:
    """In a worker: Ctrl-C reaches the whole process group, and the build says it once; the
    SIGTERM with which the pool ends its workers ends this one at once, whatever the parent does
    with SIGTERM (the preview takes it as Ctrl-C, which a worker would report as a traceback)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _parse(name: str) -> tuple[str, Parsed | list[Diagnostic]]:
    from generator.reading.content import read_article  # Markdown and the sanitiser load only when something is parsed

    return name, _guarded(Path(name), lambda path, data: read_article(path, data, load_registry()))


def _guarded(path: Path, read: Callable[[Path, bytes], _T]) -> _T | list[Diagnostic]:
    """What `read` makes of the file; whatever goes wrong with the file is its diagnostic, so one
    file fails alone and says so, whatever the cause."""
    try:
        return read(path, path.read_bytes())
    except ContentError as error:
        return error.diagnostics
    except OSError as error:
        return [Diagnostic(path, 1, f"cannot read the file: {error.strerror}")]
    except Exception as error:
        return [unexpected(path, error)]


def unexpected(path: Path, error: Exception) -> Diagnostic:
    """A failure no check foresaw, reported against the file that caused it, not as a traceback."""
    return Diagnostic(
        path,
        1,
        f"this file could not be read ({type(error).__name__}: {error}); please report it as a bug with the file",
    )


def _report(
    progress: Progress | None, done: int, total: int, result: tuple[str, Parsed | list[Diagnostic]]
) -> tuple[str, Parsed | list[Diagnostic]]:
    if progress:
        progress("parsing", done, total)
    return result
