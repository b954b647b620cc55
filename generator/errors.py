"""One small exception hierarchy, and the diagnostics it carries."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Diagnostic:
    """A problem found in an input file, reported as `path:line: severity: message`."""

    path: Path
    line: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.line}: {self.severity}: {self.message}"


def display_path(path: Path) -> str:
    """The path as the user typed it: relative to the working folder when inside it, with any
    character that is not printable escaped, so a file name cannot fake lines of the report or
    send a terminal escape sequence."""
    shown = str(path)
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        relative = shown
    if not relative.startswith(".." + os.sep):
        shown = relative
    return printable(shown)


def printable(text: str) -> str:
    """`text` with every character that is not printable escaped (and `\\`), for one line of a report."""
    return "".join(
        character if character.isprintable() and character != "\\" else _escaped(character) for character in text
    )


def _escaped(character: str) -> str:
    r"""`\n`, `\x1b`, `\u2028`, `\\`: as Python writes it in a string."""
    return repr(character)[1:-1]


class GeneratorError(Exception):
    """Base of every error the generator reports to the user instead of a traceback."""


class DiagnosticError(GeneratorError):
    """An error at a known file and line."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        self.diagnostic = Diagnostic(path, line, message)
        super().__init__(str(self.diagnostic))

    def __reduce__(self) -> tuple[type[DiagnosticError], tuple[Path, int, str]]:
        """Picklable, so an error raised in a worker process reaches the user intact."""
        return type(self), (self.diagnostic.path, self.diagnostic.line, self.diagnostic.message)


class ContentError(DiagnosticError):
    """A content file that cannot be turned into an article; `also`: its other problems, so that
    one run reports them all."""

    def __init__(self, path: Path, line: int, message: str, also: tuple[Diagnostic, ...] = ()) -> None:
        super().__init__(path, line, message)
        self.also = also

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [self.diagnostic, *self.also]

    def __reduce__(self) -> tuple[type[ContentError], tuple[Path, int, str, tuple[Diagnostic, ...]]]:  # type: ignore[override]
        return type(self), (self.diagnostic.path, self.diagnostic.line, self.diagnostic.message, self.also)


class ConfigError(DiagnosticError):
    """A `site.yaml` that cannot be used."""


class OptionError(GeneratorError):
    """A command-line option that cannot be used: blamed on the option, not on a file."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"{option}: {message}")


class TemplateError(DiagnosticError):
    """A template that fails to compile or render."""


class BuildError(GeneratorError):
    """Every error a build found, so the user can fix them all in one pass."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(map(str, diagnostics)))
