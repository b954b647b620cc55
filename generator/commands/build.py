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
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from generator.cache import Cache, settings_key
from generator.errors import BuildError, Diagnostic, GeneratorError
from generator.locks import exclusive
from generator.model import Article, Site
from generator.output.writer import Output, OutputState, is_current, locked
from generator.reading.config import Config, load_config
from generator.reading.forces import load_registry
from generator.reading.read import Progress, read_content, read_plain_pages
from generator.reading.sources import Source, find_content
from generator.words import plural

if TYPE_CHECKING:
    from generator.output.search import SearchEntry

# The site's own pages (About, …) are Markdown files in this folder of the content folder.
PAGES_FOLDER = "pages"
# Pagefind's ready-made interfaces: the search page has its own script.
_UNUSED_SEARCH_FILES = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")


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


@dataclass
class BuildReport:
    articles: int = 0
    forces: int = 0
    pages: int = 0
    written: int = 0  # files whose bytes changed
    rendered: int = 0
    seconds: float = 0.0
    warnings: list[Diagnostic] = field(default_factory=list)

    def summary(self, output: Path) -> str:
        """The one line a build ends with."""
        if not self.rendered and not self.written:
            return f"Nothing to do: {plural(self.pages, 'file')} in {output} up to date ({self.seconds:.2f}s)"
        return (
            f"Built {plural(self.articles, 'release')} and {plural(self.forces, 'force')} into {output}: "
            f"{plural(self.pages, 'page')}, {self.rendered} rendered, {plural(self.written, 'file')} written, "
            f"in {self.seconds:.2f}s"
        )


def build(
    options: BuildOptions, progress: Progress | None = None, warm: Cache | None = None, write: bool = True
) -> BuildReport:
    """Build the site; `warm` is a cache kept open between builds (by the preview server). Without
    `write`, everything is done but moving the files into the output (`check`)."""
    started = time.perf_counter()
    config = load_config(options.config, options.base_url)
    _check_folders(options, config)
    with locked(options.output) if write else nullcontext(), _open_cache(options, config, warm) as cache:
        sources, outside = _sources(options.content)
        statics = find_static(config)
        settings = _settings(config, options, cache.key)
        inputs = settings_key(settings, _stats(sources), _stats(statics))
        record = f"output:{options.output.resolve()}"  # what the last build into this folder wrote
        previous = OutputState() if options.force else OutputState.from_plain(cache.record(record))
        if write and is_current(options.output, previous, inputs):
            return BuildReport(
                pages=len(previous.files), seconds=time.perf_counter() - started, warnings=previous.warnings
            )
        from generator.output.kinds import plan  # what follows is not needed when nothing changed
        from generator.site.pages import Settings

        if options.force:
            cache.forget(cache.known())
        site, bodies, diagnostics = _read_site(options, cache, sources, outside, progress)
        pages = plan(site, Settings(config.per_page, config.feed_size))
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
        try:
            with _long_lived():
                produce(pages, settings, output, renderer, options.workers, progress)
            _write_search_index(output, site, renderer.body, config, cache.key)
            _write_files(output, config, statics)
            state = output.commit(inputs) if write else OutputState()
        finally:
            output.abandon()
        state.warnings = diagnostics
        state.expires = site.next_due.timestamp() if site.next_due else state.expires
        if write:
            cache.keep(record, state.plain())
    return BuildReport(
        articles=len(site.articles),
        forces=len(site.forces),
        pages=len(pages),
        written=len(output.changed),
        rendered=renderer.count,
        seconds=time.perf_counter() - started,
        warnings=state.warnings + _unsaved(cache, _cache_folder(options, config)),
    )


def _unsaved(cache: Cache, folder: Path) -> list[Diagnostic]:
    """The site is built even when its cache could not be saved; the next build is only slower."""
    if not cache.unsaved:
        return []
    message = f"the build cache could not be saved ({cache.unsaved}); the next build reads every file again"
    return [Diagnostic(folder / "build.sqlite", 1, message, "warning")]


def _read_site(
    options: BuildOptions, cache: Cache, sources: list[Source], outside: list[Diagnostic], progress: Progress | None
) -> tuple[Site, dict[str, str], list[Diagnostic]]:
    """The releases and the site's own pages (under `pages/`), collected; `BuildError` with every
    problem if any is an error."""
    from generator.output.kinds import reserved
    from generator.site.collect import collect

    own = str(options.content / PAGES_FOLDER) + os.sep
    releases = [source for source in sources if not source.path.startswith(own)]
    articles, bodies, diagnostics = read_content(releases, cache, progress, options.workers)
    plain, problems = read_plain_pages([source for source in sources if source.path.startswith(own)])
    diagnostics += problems + outside
    if not any(d.severity == "error" for d in diagnostics):
        site, warnings = collect(articles, datetime.now(UTC), options.drafts, plain, reserved())
        diagnostics += warnings
    if any(d.severity == "error" for d in diagnostics):
        raise BuildError(diagnostics)
    return site, bodies, diagnostics


@contextmanager
def _long_lived() -> Iterator[None]:
    """The site read so far lives until the build ends: the garbage collector need not scan it
    again and again while pages render (a third of the render time at 10,000 releases), nor
    touch it in forked workers, which then share its memory instead of copying it."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _write_search_index(output: Output, site: Site, body: Callable[[str], str], config: Config, generator: str) -> None:
    """Pagefind's indexes, under `pagefind/<n>/`: each made again only when one of its releases,
    or its URL, changed; several at once (the indexer keeps one core busy)."""
    from generator.output.search import index_version, search_index
    from generator.site.pages import search_shards

    shards = search_shards(site.articles)
    version = settings_key(generator, index_version(), config.language, len(shards))
    todo = []
    for number, articles in enumerate(shards):
        folder = f"pagefind/{number}/"
        signature = settings_key(version, [(article.fingerprint, article.slug) for article in articles])
        previous = [path for path in output.previous.files if path.startswith(folder)]
        if previous and all(output.previous.files[path][0] == signature for path in previous):
            for path in previous:
                output.unchanged(path, signature)
        else:
            todo.append((folder, signature, [_search_entry(article, body) for article in articles]))
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        bundles = pool.map(lambda job: search_index(job[2], config.language), todo)
        for (folder, signature, _), files in zip(todo, bundles, strict=True):
            for name, data in sorted(files.items()):
                if not name.startswith(_UNUSED_SEARCH_FILES):
                    output.put(folder + name, data, signature)


def _search_entry(article: Article, body: Callable[[str], str]) -> SearchEntry:
    from generator.output.context import entry as page_entry
    from generator.output.search import SearchEntry

    item = page_entry(article)
    return SearchEntry(
        url=item.url,
        title=article.title,
        force=article.force.name if article.force else None,
        year=article.published.year if article.published else None,
        date_text=item.date_text,
        body_html=body(article.fingerprint),
    )


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


def _sources(folder: Path) -> tuple[list[Source], list[Diagnostic]]:
    """The content files, and what was found but could not be read or is not a release."""
    if not folder.is_dir():
        raise GeneratorError(f"content folder not found: {folder}")
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
    folder = _cache_folder(options, config or load_config(options.config, options.base_url))
    try:
        return Cache(folder, load_registry(), warm=warm)
    except (OSError, sqlite3.Error) as error:
        memory = Cache(None, load_registry(), warm=warm)
        memory.unsaved = f"{folder} cannot be used: {error}"
        return memory


def _cache_folder(options: BuildOptions, config: Config) -> Path:
    folder = options.cache or config.root / ".cache"
    with suppress(OSError):  # a cache that cannot be made is one in memory
        folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def _open_cache(options: BuildOptions, config: Config, warm: Cache | None = None) -> Iterator[Cache]:
    """The cache, held by this build alone; a cache another program holds is a plain error."""
    folder = warm.folder if warm else _cache_folder(options, config)
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
