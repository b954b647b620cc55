"""Templates → HTML: one Jinja environment, autoescaped, failing loudly."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import NamedTuple

from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateNotFound,
    TemplateSyntaxError,
    pass_context,
)
from jinja2.runtime import Context

from .config import Config
from .context import page_context
from .errors import TemplateError
from .feeds import atom_feed
from .model import Page, PlainPage
from .opendata import releases_csv, releases_json, releases_schema
from .sitemap import robots, sitemap
from .urls import link_root, own_page_url

# Machine-read files are written by code made for their format, not by templates.
_DOCUMENTS: dict[str, Callable[[Page, Config, Callable[[str], str]], str]] = {
    "feed": atom_feed,
    "sitemap": sitemap,
    "robots": robots,
    "releases-json": releases_json,
    "releases-csv": releases_csv,
    "releases-schema": releases_schema,
}


class NavItem(NamedTuple):
    """A page of the site's own, as the navigation links it."""

    slug: str
    title: str
    url: str


_TEMPLATED = (
    "home",
    "article",
    "forces",
    "force",
    "archives",
    "year",
    "tags",
    "tag",
    "search",
    "figures",
    "page",
    "404",
)


def make_environment(config: Config, compiled: Path | None = None) -> Environment:
    """The one Jinja environment; `compiled` keeps compiled templates between builds."""
    env = Environment(
        loader=FileSystemLoader(config.template_dirs),
        bytecode_cache=FileSystemBytecodeCache(str(compiled)) if compiled else None,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates do not change within a build; a rebuild makes a new environment
    )
    env.globals["site"] = config
    env.filters["link"] = _link
    return env


@pass_context
def _link(context: Context, url: str) -> str:
    """`{{ url | link }}`: the link to a site-relative URL from the page being rendered."""
    root: str = context["link_root"]
    return root + url or "./"


class Renderer:
    """Renders pages; a template at fault is reported as `template:line: message`."""

    def __init__(
        self, config: Config, body: Callable[[str], str], compiled: Path | None = None, own: Sequence[PlainPage] = ()
    ) -> None:
        self.config = config
        self.body = body
        self.env = make_environment(config, compiled)
        self.env.globals["own_pages"] = [NavItem(page.slug, page.title, own_page_url(page.slug)) for page in own]
        self.count = 0

    def render(self, page: Page) -> str:
        if page.kind in _DOCUMENTS:
            self.count += 1
            return _DOCUMENTS[page.kind](page, self.config, self.body)
        template = self._template(page.template)
        context = page_context(page, self.config, self.body)
        self.count += 1
        try:
            root = self.config.base_path if page.served_anywhere else link_root(page.url)
            return template.render(context, link_root=root)
        except Exception as error:
            where = _template_frame(error.__traceback__, self.env)
            if where is None:
                raise
            message = f"{type(error).__name__}: {error} (rendering {page.output_path})"
            raise TemplateError(where[0], where[1], message) from None

    def prepare(self) -> None:
        """Compile every page template now (before worker processes fork, so they share them)."""
        for kind in _TEMPLATED:
            self._template(f"{kind}.html")

    def _template(self, name: str) -> Template:
        try:
            return self.env.get_template(name)
        except TemplateSyntaxError as error:
            path = Path(error.filename or error.name or name)
            raise TemplateError(path, error.lineno, error.message or "syntax error") from None
        except TemplateNotFound as error:
            raise TemplateError(Path(str(error.name)), 1, "template not found") from None


def _template_frame(trace: TracebackType | None, env: Environment) -> tuple[Path, int] | None:
    """The innermost traceback frame inside a template (Jinja maps its lines back to the source)."""
    roots = [Path(folder).resolve() for folder in getattr(env.loader, "searchpath", [])]
    found = None
    while trace is not None:
        filename = Path(trace.tb_frame.f_code.co_filename)
        if filename.is_absolute() and any(filename.is_relative_to(root) for root in roots):
            found = (filename, trace.tb_lineno)
        trace = trace.tb_next
    return found
