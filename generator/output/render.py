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

from generator.errors import TemplateError
from generator.model import Page, PlainPage
from generator.output.context import feeds
from generator.output.kinds import KINDS, templated
from generator.reading.config import Config
from generator.site.urls import link_root, own_page_url


class NavItem(NamedTuple):
    """A page of the site's own, as the navigation links it."""

    slug: str
    title: str
    url: str


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
        kind = KINDS[page.kind]
        self.count += 1
        if kind.write:
            return kind.write(page, self.config, self.body)
        assert kind.context, f"page kind {kind.name} has neither a writer nor a context"
        template = self._template(kind.template)
        context = {**kind.context(page, self.config, self.body), "feeds": feeds(page, self.config)}
        try:
            root = self.config.base_path if kind.served_anywhere else link_root(page.url)
            return template.render(context, link_root=root)
        except Exception as error:
            where = _template_frame(error.__traceback__, self.env)
            if where is None:
                raise
            message = f"{type(error).__name__}: {error} (rendering {page.output_path})"
            raise TemplateError(where[0], where[1], message) from None

    def prepare(self) -> None:
        """Compile every page template now (before worker processes fork, so they share them)."""
        for kind in templated():
            self._template(kind.template)

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
