"""The build, read as the pipeline: read → collect → plan → render → write.

Every stage is a pure function of its inputs, which is what lets a rebuild skip
work: files whose bytes are unchanged are not parsed again (the cache), pages
whose signature is unchanged are not rendered again, and files whose bytes are
unchanged are not written again.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from generator.cache import Cache, settings_key
from generator.errors import BuildError, Diagnostic, GeneratorError
from generator.locks import exclusive
from generator.model import Article, Site
from generator.output.writer import Output, OutputState, is_current, locked
from generator.reading.config import Config, load_config
from generator.reading.read import Progress, read_content, read_plain_pages
from generator.reading.sources import Listing, Source, find_content
from generator.words import plural

if TYPE_CHECKING:
    from generator.output.indexes import Indexer, IndexPlan, Job, Pending
    from generator.output.kinds import Plan
    from generator.site.related import Relate

# Releases to index above which the search indexes are made by a child process during rendering.
FORK_INDEXING = 500
# The site's own pages (About, …) are Markdown files in this folder of the content folder.
PAGES_FOLDER = "pages"


@dataclass(frozen=True)
class BuildOptions:
    content: Path = Path("content")
    output: Path = Path("output")
    config: Path | None = None
    base_url: str | None = None
    drafts: bool = False
    cache: Path | None = None  # default: .cache beside site.yaml
    workers: int | None = None  # default: one per core
    force: bool = False  # read every file and render every page, trusting no record of the last build
    # Release addresses that must not disappear: those of the last build into this output folder,
    # and these slugs (a published sitemap's). An address that would is a warning; with
    # `keep_addresses` (check, publish), an error, and nothing is written.
    published: tuple[str, ...] = ()
    keep_addresses: bool = False


@dataclass
class BuildReport:
    articles: int = 0
    forces: int = 0
    pages: int = 0
    written: int = 0  # files whose bytes changed
    rendered: int = 0
    seconds: float = 0.0
    warnings: list[Diagnostic] = field(default_factory=list)

    @property
    def left_out(self) -> str:
        """` (2 files left out, listed above)`, or nothing when nothing was."""
        count = sum(warning.severity == "note" for warning in self.warnings)
        return f" ({plural(count, 'file')} left out, listed above)" if count else ""

    def summary(self, output: Path) -> str:
        """The one line a build ends with."""
        if not self.rendered and not self.written:
            return f"Nothing to do: {plural(self.pages, 'file')} in {output} up to date ({self.seconds:.2f}s)"
        return (
            f"Built {plural(self.articles, 'release')}{self.left_out} and {plural(self.forces, 'force')} into {output}: "
            f"{plural(self.pages, 'page')}, {self.rendered} rendered, {plural(self.written, 'file')} written, "
            f"in {self.seconds:.2f}s"
        )


OPEN_DATA = "open-data"  # the cache's pieces: each release's open-data record, encoded


def build(
    options: BuildOptions,
    progress: Progress | None = None,
    warm: Cache | None = None,
    write: bool = True,
    indexer: Indexer | None = None,
    listing: Listing | None = None,
) -> BuildReport:
    """Build the site; `warm` is a cache kept open between builds (by the preview server),
    `indexer` makes the search indexes another way than now (the preview's, in the background),
    and `listing` finds the content files by what a watcher saw change (the preview's, too).
    Without `write`, everything is done but moving the files into the output (`check`)."""
    started = time.perf_counter()
    config = load_config(options.config, options.base_url)
    _check_folders(options, config)
    with (
        locked(options.output) if write else nullcontext(),
        _open_cache(options, config, warm) as cache,
        _long_lived() as read,
    ):
        sources, outside = _sources(options.content, listing)
        statics = find_static(config)
        settings = _settings(config, options, cache.key)
        inputs = settings_key(settings, _stats(sources), _stats(statics))
        record = _record_name(options, config)  # what the last build into this folder wrote
        head = OutputState() if options.force else OutputState.from_plain(cache.record(f"{record}:head"))
        if write and is_current(options.output, head, inputs):  # read without the record of every file
            return BuildReport(
                pages=head.memo.get("pages", 0), seconds=time.perf_counter() - started, warnings=head.warnings
            )
        previous = OutputState() if options.force else OutputState.from_plain(cache.record(record))
        from generator.commands.owed import check_addresses  # what follows is not needed when nothing changed
        from generator.output.kinds import plan
        from generator.site.pages import Settings

        if options.force:
            cache.forget(cache.known())
        if progress:
            progress("reading", 0, 0)
        site, bodies, diagnostics = _read_site(options, config, cache, sources, outside, progress, previous)
        read()
        if progress:
            progress("planning", 0, 0)
        severity = "error" if options.keep_addresses else "warning"
        owed, keep_addresses = check_addresses(
            cache, record, site, sources, config.forget, options.published, options.drafts, severity
        )
        diagnostics += owed
        if any(diagnostic.severity == "error" for diagnostic in diagnostics):
            raise BuildError(diagnostics)  # with the notes of what was left out, which may say why
        settings = settings_key(settings, [(page.slug, page.title) for page in site.pages])  # on every page
        from generator.output.produce import produce  # Jinja loads only when something is rendered
        from generator.output.render import Renderer

        renderer = Renderer(
            config,
            lambda fingerprint: bodies[fingerprint] if fingerprint in bodies else cache.body(fingerprint),
            cache.compiled_templates(),
            site.pages,
        )
        output = Output(options.output, previous, stage=write)
        from generator.output.indexes import Pending, write_indexes

        searching = _search_plan(output, site, renderer.body, config, cache.key)
        waiting = Pending(lambda: None)
        try:
            # under way while pages are planned and rendered
            waiting = indexer(searching.jobs) if indexer else start_indexing(searching.jobs, progress)
            planned = plan(site, Settings(config.per_page, config.feed_size), settings, output.previous.memo)
            recalled = _recall_open_data(cache, planned, output, settings, config)
            produce(planned, settings, output, renderer, options.workers, progress, waiting.settle)
            if recalled:
                from generator.output.opendata import known

                cache.keep_pieces(OPEN_DATA, known(site.articles, config))
            if progress:
                progress("indexing for search", 0, 0)
            search, complete = write_indexes(output, searching, waiting.result(), progress)
            _write_files(output, config, statics)
            if progress and write:
                progress("writing", 0, 0)
            state = output.commit(inputs if complete else "") if write else OutputState()
        finally:
            waiting.cancel()
            output.abandon()
        state.warnings = diagnostics
        state.memo = {**planned.memo, "search": search}
        state.expires = site.next_due.timestamp() if site.next_due else state.expires
        if write:
            if progress:
                progress("saving the build cache", 0, 0)
            cache.keep(record, state.plain())
            cache.keep(f"{record}:head", state.head().plain())
            keep_addresses()
    return BuildReport(
        articles=len(site.articles),
        forces=len(site.forces),
        pages=len(planned.pages) + len(planned.kept),
        written=len(output.changed),
        rendered=renderer.count,
        seconds=time.perf_counter() - started,
        warnings=state.warnings + _unsaved(cache, cache_folder(options, config)),
    )


def _recall_open_data(cache: Cache, planned: Plan, output: Output, settings: str, config: Config) -> bool:
    """Give the open data the records the last build encoded, when this build writes it again
    (before the workers fork, so they share them), unless this process has nearly all (a
    preview's); whether it writes it."""
    from generator.output.kinds import signature
    from generator.output.opendata import ENCODED_RATHER, remember, unknown

    data = [page for page in planned.pages if page.kind in ("releases-json", "releases-csv")]
    written = output.previous.files
    if all(page.output_path in written and written[page.output_path][0] == signature(page, settings) for page in data):
        return False
    if unknown(data[0].articles, config) > ENCODED_RATHER:
        remember(cache.pieces(OPEN_DATA))
    return True


def _record_name(options: BuildOptions, config: Config) -> str:
    """The output folder as seen from the cache's: the same in a checkout restored elsewhere (a CI
    runner's cached `.cache/` and `output/`), and different for each output folder."""
    place = os.path.relpath(options.output.resolve(), cache_folder(options, config).resolve())
    return f"output:{place}"


def _unsaved(cache: Cache, folder: Path) -> list[Diagnostic]:
    """The site is built even when its cache could not be saved; the next build is only slower."""
    if not cache.unsaved:
        return []
    message = f"the build cache could not be saved ({cache.unsaved}); the next build reads every file again"
    return [Diagnostic(folder / "build.sqlite", 1, message, "warning")]


def _read_site(
    options: BuildOptions,
    config: Config,
    cache: Cache,
    sources: list[Source],
    outside: list[Diagnostic],
    progress: Progress | None,
    previous: OutputState,
) -> tuple[Site, dict[str, str], list[Diagnostic]]:
    """The releases and the site's own pages (under `pages/`), collected; `BuildError` with every
    problem if any is an error."""
    from generator.output.kinds import reserved
    from generator.site.again import kept_site, site_again
    from generator.site.collect import collect

    own = str(options.content / PAGES_FOLDER) + os.sep
    releases = [source for source in sources if not source.path.startswith(own)]
    articles, bodies, diagnostics = read_content(releases, cache, progress, options.workers)
    cache.flush()  # what was read is kept now, whatever follows: half a second of a cold build's end
    if not releases:  # a wrong --content, or a first build before any release was added
        found = "no release: it holds no file ending .md, .txt or .markdown"
        diagnostics.append(Diagnostic(options.content, 1, found, "warning"))
    plain, problems = read_plain_pages([source for source in sources if source.path.startswith(own)])
    diagnostics += problems + outside
    # Collected even when some files failed: what the others would leave out is said in the same run.
    published = frozenset(previous.memo.get("releases", ()))
    forgotten = frozenset(config.forget)
    now, drafts = datetime.now(UTC), options.drafts
    again = site_again(cache.record("collected"), articles, plain, drafts, forgotten, published, now)
    if again:  # a body edit: the last build's site, made of what this one read
        site, warnings = again
    else:
        if progress:
            progress("collecting", 0, 0)
        site, warnings = collect(articles, now, drafts, plain, reserved(), _remembered(cache), published, forgotten)
        cache.keep("collected", kept_site(site, warnings, articles, plain, drafts, forgotten, published))
    diagnostics += warnings
    if any(d.severity == "error" for d in diagnostics):
        raise BuildError(diagnostics)
    return site, bodies, diagnostics


def _remembered(cache: Cache) -> Relate:
    """Related releases as the last build found them, while what they are made of is unchanged
    (a body edit): finding them again is most of planning a large archive. After an edit to a
    title or a summary (the releases in the same order, with the same forces), only the releases
    the edit reaches are ranked again."""
    from generator.site.related import (
        Relations,
        details_key,
        place_key,
        related_key,
        relations,
        relations_again,
        release_words,
    )

    def relate(articles: Sequence[Article]) -> Sequence[tuple[int, ...]]:
        quick, last = details_key(articles), cache.record("related")
        # the last build's: its two keys, its answer, the order of its releases and their details
        last_quick, last_key, last_place, found = None, None, None, Relations([], [])
        last_details: list[str] = []
        if isinstance(last, tuple) and len(last) == 6:
            last_quick, last_key, picks, last_place, last_details, looked_up = last
            found = Relations(picks, looked_up)
        if quick is not None and last_quick == quick:
            return found.picks
        key, place = related_key(articles), place_key(articles)
        if last_key != key:  # each release's words are kept by its details hash (an edit changes one release's)
            known = cache.record("related-words") or {}
            words = [(article.details and known.get(article.details)) or release_words(article) for article in articles]
            then = [known.get(one) for one in last_details] if last_place == place else []
            before = [each for each in then if each is not None]
            if len(before) == len(then) == len(articles) > 0:
                found = relations_again(articles, words, before, found)
            else:
                found = relations(articles, words)
            cache.keep("related-words", {a.details: tuple(each) for a, each in zip(articles, words, strict=True)})
        details = [article.details for article in articles]
        cache.keep("related", (quick, key, found.picks, place, details, found.looked_up))
        return found.picks

    return relate


@contextmanager
def _long_lived() -> Iterator[Callable[[], None]]:
    """Reading makes tens of thousands of objects that all live until the build ends, and no
    garbage. The collector is off while they are made; the function given, called once they are,
    sets them aside (frozen) and turns it back on. No collection then scans them again and again
    while pages are planned and rendered (an eighth of an edit's time at 10,000 releases, and a
    third of a cold build's rendering), nor touches them in forked workers, which then share
    their memory instead of copying it."""
    was_enabled = gc.isenabled()
    gc.disable()

    def read() -> None:
        gc.freeze()
        if was_enabled:
            gc.enable()

    try:
        yield read
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def _search_plan(output: Output, site: Site, body: Callable[[str], str], config: Config, generator: str) -> IndexPlan:
    """Which of Pagefind's indexes to make again (see `output.indexes`)."""
    from generator.output.indexes import plan_indexes
    from generator.output.search import index_version

    version = settings_key(generator, index_version(), config.language)
    return plan_indexes(output.previous.memo.get("search") or {}, site.articles, body, config.language, version)


def start_indexing(jobs: Sequence[Job], progress: Progress | None = None) -> Pending:
    """The indexes are made while this process plans and renders: those of a few releases (an
    edit's) by Pagefind, which a thread waits for; a large job by a forked child (see `forked`),
    whose documents are Python's work too."""
    from generator.commands.forked import Forked, can_fork
    from generator.output.indexes import Pending

    if sum(len(job.articles) for job in jobs) < FORK_INDEXING or not can_fork():
        from concurrent.futures import ThreadPoolExecutor, wait

        from generator.output.search import search_indexes

        if not jobs:
            return Pending(lambda: [])
        entries = [job.entries() for job in jobs]  # bodies are read on this thread, whose cache it is
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-index")
        made = pool.submit(search_indexes, entries, jobs[0].language)
        pool.shutdown(wait=False)

        def settled() -> None:  # also when the build fails: Pagefind ends and cleans up
            wait([made])

        return Pending(made.result, settled, settled)
    child = Forked(partial(index_now, jobs), progress)  # told of each index made while the build waits
    return Pending(child.result, child.cancel)


def index_now(jobs: Sequence[Job], progress: Progress | None = None) -> list[dict[str, bytes]]:
    """The indexes made now, several at once (Pagefind keeps one core busy)."""
    from generator.output.search import search_indexes

    entries = [job.entries() for job in jobs]  # bodies are read on this thread, whose cache it is
    return search_indexes(entries, jobs[0].language if jobs else "", progress)


def _write_files(output: Output, config: Config, statics: list[Source]) -> None:
    """Everything besides the pages: static files, and what GitHub Pages reads."""
    for source in statics:
        path = Path(source.path)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise BuildError([Diagnostic(path, 1, f"cannot read the file: {error.strerror}")]) from None
        output.put(f"static/{path.relative_to(config.static_dir).as_posix()}", data)
    output.put(".nojekyll", b"")  # serve the files as they are, without Jekyll
    if config.domain:
        output.put("CNAME", f"{config.domain}\n".encode())


def find_static(config: Config) -> list[Source]:
    """The static files, copied to `static/` in the output; a folder of them that cannot be read
    fails the build (a site without its stylesheet is no site)."""
    problems: list[Diagnostic] = []
    found = find_content(config.static_dir, suffixes=None, problems=problems) if config.static_dir.is_dir() else []
    if any(problem.severity == "error" for problem in problems):
        raise BuildError(problems)
    return found


def _sources(folder: Path, listing: Listing | None = None) -> tuple[list[Source], list[Diagnostic]]:
    """The content files, and what was found but could not be read or is not a release."""
    if not folder.is_dir():
        raise GeneratorError(f"content folder not found: {folder}")
    if listing:
        return listing.find(folder)
    problems: list[Diagnostic] = []
    sources = find_content(folder, problems=problems)
    return sources, problems


def _settings(config: Config, options: BuildOptions, generator: str) -> str:
    """Everything besides its own articles that can change a page: generator, settings, templates."""
    contents = [
        (p.relative_to(folder).as_posix(), p.read_bytes())
        for folder in config.template_dirs
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    ]
    fields = {key: value for key, value in dataclasses.asdict(config).items() if key != "root"}
    return settings_key(generator, sorted(fields.items()), contents, options.drafts)


def _stats(sources: list[Source]) -> list[tuple[str, int, int]]:
    """Plain tuples: their repr, which the inputs hash reads, is made in C."""
    return [tuple(source) for source in sources]  # type: ignore[misc]


def open_cache(options: BuildOptions, config: Config | None = None, warm: bool = False) -> Cache:
    """The persistent cache; where it cannot be written, one in memory, so the build still works."""
    folder = cache_folder(options, config or load_config(options.config, options.base_url))
    try:
        return Cache(folder, warm=warm)
    except (OSError, sqlite3.Error) as error:
        memory = Cache(None, warm=warm)
        memory.unsaved = f"{folder} cannot be used: {error}"
        return memory


def cache_folder(options: BuildOptions, config: Config) -> Path:
    folder = options.cache or config.root / ".cache"
    with suppress(OSError):  # a cache that cannot be made is one in memory
        folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def _open_cache(options: BuildOptions, config: Config, warm: Cache | None = None) -> Iterator[Cache]:
    """The cache, held by this build alone; a cache another program holds is a plain error."""
    folder = warm.folder if warm else cache_folder(options, config)
    with exclusive(folder, str(folder)) if folder else nullcontext():
        cache = warm or open_cache(options, config)
        try:
            yield cache
        except sqlite3.Error as error:
            hint = (
                "another program has it open: close that program"
                if "locked" in str(error)
                else f"free some space, or remove {folder} to start afresh"
            )
            raise GeneratorError(f"the build cache {folder} cannot be used ({error}): {hint}") from None
        finally:
            if warm:
                cache.flush()
            else:
                cache.close()


def _check_folders(options: BuildOptions, config: Config) -> None:
    """The output folder is replaced whole, so it must not hold any of the build's inputs, nor be
    inside a folder whose every file the build reads."""
    output = options.output.resolve()
    inputs = {
        "content": options.content,
        "templates": config.templates_dir,
        "static": config.static_dir,
        "site": config.root,
    }
    for name, folder in inputs.items():
        resolved = folder.resolve()
        if resolved == output or resolved.is_relative_to(output):
            raise GeneratorError(
                f"the output folder {options.output} would replace the {name} folder {resolved}; choose another --output"
            )
    for name in ("content", "static"):  # every file in them is read: the output would be read into itself
        resolved = inputs[name].resolve()
        if output.is_relative_to(resolved):
            raise GeneratorError(
                f"the {name} folder {resolved} holds the output folder {options.output}, which each build would "
                f"read into the next; choose another --output, or another {name} folder"
            )
