"""Templates → HTML: one Jinja environment, autoescaped, failing loudly."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from types import TracebackType

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound, TemplateSyntaxError

from .config import Config
from .errors import TemplateError
from .model import Page
from .urls import relative


def make_environment(config: Config) -> Environment:
    env = Environment(
        loader=FileSystemLoader(config.templates_dir),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["site"] = config
    return env


def render_page(env: Environment, page: Page) -> str:
    """Render `page`; a template at fault is reported as `template:line: message`."""
    try:
        template = env.get_template(page.template)
    except TemplateSyntaxError as error:
        raise TemplateError(
            Path(error.filename or error.name or page.template), error.lineno, error.message or "syntax error"
        ) from None
    except TemplateNotFound as error:
        raise TemplateError(Path(str(error.name)), 1, "template not found") from None
    try:
        return template.render(page.context, link=partial(relative, page.url))
    except Exception as error:
        where = _template_frame(error.__traceback__, env)
        if where is None:
            raise
        raise TemplateError(
            where[0], where[1], f"{type(error).__name__}: {error} (rendering {page.output_path})"
        ) from None


def _template_frame(trace: TracebackType | None, env: Environment) -> tuple[Path, int] | None:
    """The innermost traceback frame inside a template (Jinja maps its lines back to the source)."""
    roots = [Path(folder).resolve() for folder in getattr(env.loader, "searchpath", [])]
    found = None
    while trace is not None:
        filename = Path(trace.tb_frame.f_code.co_filename)
        if any(filename.is_relative_to(root) for root in roots if filename.is_absolute()):
            found = (filename, trace.tb_lineno)
        trace = trace.tb_next
    return found
