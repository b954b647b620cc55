"""The build, read as the pipeline: read → collect → plan → render → write."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .collect import collect
from .config import Config, load_config
from .content import find_content, read_article
from .errors import BuildError, ContentError, Diagnostic, GeneratorError
from .forces import Registry, load_registry
from .model import Article, Site
from .pages import plan
from .render import make_environment, render_page
from .writer import Writer, staged_output


@dataclass(frozen=True)
class BuildOptions:
    content: Path = Path("content")
    output: Path = Path("output")
    config: Path | None = None
    base_url: str | None = None
    drafts: bool = False


@dataclass
class BuildReport:
    articles: int = 0
    forces: int = 0
    pages: int = 0
    seconds: float = 0.0
    warnings: list[Diagnostic] = field(default_factory=list)


def read_content(folder: Path, registry: Registry) -> tuple[list[Article], list[Diagnostic]]:
    """Every article in `folder`, and every problem found in any file (not just the first)."""
    if not folder.is_dir():
        raise GeneratorError(f"content folder not found: {folder}")
    articles: list[Article] = []
    diagnostics: list[Diagnostic] = []
    for path in find_content(folder):
        try:
            article, warnings = read_article(path, path.read_bytes(), registry)
        except ContentError as error:
            diagnostics.append(error.diagnostic)
            continue
        except OSError as error:
            diagnostics.append(Diagnostic(path, 1, f"cannot read the file: {error.strerror}"))
            continue
        articles.append(article)
        diagnostics.extend(warnings)
    return articles, diagnostics


def load_site(options: BuildOptions) -> tuple[Config, Site, list[Diagnostic]]:
    """Read and collect; raises `BuildError` with every error if any file is bad."""
    config = load_config(options.config, options.base_url)
    articles, diagnostics = read_content(options.content, load_registry())
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors:
        raise BuildError(diagnostics)
    site, warnings = collect(articles, options.drafts)
    return config, site, diagnostics + warnings


def build(options: BuildOptions) -> BuildReport:
    started = time.perf_counter()
    config, site, warnings = load_site(options)
    _check_folders(options, config)
    pages = plan(site, config)
    env = make_environment(config)
    with staged_output(options.output) as stage:
        writer = Writer(stage)
        for page in pages:
            writer.write(page.output_path, render_page(env, page))
        if config.static_dir.is_dir():
            writer.copy_tree(config.static_dir, "static")
    return BuildReport(
        articles=len(site.articles),
        forces=len(site.forces),
        pages=len(pages),
        seconds=time.perf_counter() - started,
        warnings=warnings,
    )


def _check_folders(options: BuildOptions, config: Config) -> None:
    """The output folder is replaced whole, so it must not hold any of the build's inputs."""
    output = options.output.resolve()
    for name, folder in (
        ("content", options.content),
        ("templates", config.templates_dir),
        ("static", config.static_dir),
        ("site", config.root),
    ):
        folder = folder.resolve()
        if folder == output or folder.is_relative_to(output):
            raise GeneratorError(
                f"the output folder {options.output} would replace the {name} folder {folder}; choose another --output"
            )
