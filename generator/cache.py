"""The persistent build cache (`.cache/build.sqlite`, git-ignored).

It keeps each release as parsed, keyed by its path with the size and time that
show it unchanged, so a rebuild parses only what changed; and, per output
folder, what the last build wrote there (each file's page signature and hash),
so a rebuild renders and writes only what changed. A different generator (code,
force registry or version) makes a different key, and the cache starts afresh.
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
import pickle
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from . import __version__
from .errors import Diagnostic
from .forces import Registry
from .model import Article, Force, Parsed, Precision
from .sources import Source

_PACKAGE = Path(__file__).resolve().parent
_PRECISIONS = {precision.value: precision for precision in Precision}
_FIELDS = [field.name for field in dataclasses.fields(Article)]
_FORCE, _PUBLISHED, _PRECISION = (_FIELDS.index(name) for name in ("force", "published", "precision"))
_SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    fingerprint TEXT NOT NULL, article BLOB NOT NULL, body TEXT NOT NULL, warnings BLOB
);
CREATE INDEX IF NOT EXISTS articles_by_fingerprint ON articles (fingerprint);
CREATE TABLE IF NOT EXISTS outputs (folder TEXT PRIMARY KEY, state BLOB NOT NULL);
"""


def generator_key() -> str:
    """Changes with the generator's version, code or force registry."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in (".py", ".yaml"):
            digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@dataclass
class OutputState:
    """What one build left in an output folder: file → (page signature, content hash)."""

    token: str = ""  # also written to the folder's marker: a mismatch means the folder changed
    inputs: str = ""  # a hash of every input: when it is unchanged, so is the output
    files: dict[str, tuple[str, str]] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)  # repeated by a build that finds nothing to do


class Cache:
    def __init__(self, folder: Path | None, registry: Registry, key: str | None = None) -> None:
        """A cache in `folder`, or in memory (kept for this build only) when it is None."""
        self.registry = registry
        self.folder = folder
        self.db = sqlite3.connect(folder / "build.sqlite" if folder else ":memory:", timeout=30)
        self.db.executescript(_SCHEMA)
        key = key or generator_key()
        stored = self.db.execute("SELECT value FROM settings WHERE name = 'generator'").fetchone()
        if stored is None or stored[0] != key:
            self.db.executescript("DELETE FROM articles; DELETE FROM outputs;")
            self.db.execute("INSERT OR REPLACE INTO settings VALUES ('generator', ?)", (key,))

    def compiled_templates(self) -> Path | None:
        """Where Jinja keeps compiled templates, so a rebuild does not compile them again."""
        if self.folder is None:
            return None
        folder = self.folder / "templates"
        folder.mkdir(exist_ok=True)
        return folder

    def close(self) -> None:
        self.db.commit()
        self.db.close()

    def known(self) -> dict[str, tuple[int, int, str]]:
        """Each cached file's (size, mtime_ns, fingerprint)."""
        rows = self.db.execute("SELECT path, size, mtime_ns, fingerprint FROM articles")
        return {path: (size, mtime, fingerprint) for path, size, mtime, fingerprint in rows}

    def articles(self, paths: Iterable[str]) -> dict[str, tuple[Article, tuple[Diagnostic, ...]]]:
        """The cached article and warnings of each of `paths` (bodies stay in the cache)."""
        wanted = set(paths)
        found = {}
        for path, blob, warnings in self.db.execute("SELECT path, article, warnings FROM articles"):
            if path in wanted:
                found[path] = (self._load(blob), pickle.loads(warnings) if warnings else ())
        return found

    def store(self, source: Source, parsed: Parsed) -> None:
        warnings = pickle.dumps(parsed.warnings) if parsed.warnings else None
        row = (source.path, source.size, source.mtime_ns, parsed.article.fingerprint)
        self.db.execute(
            "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?)",
            (*row, self._dump(parsed.article), parsed.body_html, warnings),
        )

    def touch(self, source: Source) -> None:
        """Record a new time for a file whose bytes did not change."""
        self.db.execute(
            "UPDATE articles SET size = ?, mtime_ns = ? WHERE path = ?",
            (source.size, source.mtime_ns, source.path),
        )

    def forget(self, paths: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM articles WHERE path = ?", [(path,) for path in paths])

    def body(self, fingerprint: str) -> str:
        """One article's body: only the pages being rendered need theirs."""
        row = self.db.execute("SELECT body FROM articles WHERE fingerprint = ?", (fingerprint,)).fetchone()
        if row is None:
            raise KeyError(fingerprint)
        body: str = row[0]
        return body

    def output_state(self, folder: Path) -> OutputState:
        row = self.db.execute("SELECT state FROM outputs WHERE folder = ?", (str(folder.resolve()),)).fetchone()
        return pickle.loads(row[0]) if row else OutputState()

    def save_output_state(self, folder: Path, state: OutputState) -> None:
        self.db.execute("INSERT OR REPLACE INTO outputs VALUES (?, ?)", (str(folder.resolve()), pickle.dumps(state)))

    def _dump(self, article: Article) -> bytes:
        """An article as plain values (marshal is many times faster to load than pickled objects,
        and a rebuild loads every article); a registered force is stored by its slug."""
        values = [getattr(article, name) for name in _FIELDS]
        force, published, precision = article.force, article.published, article.precision
        values[_FORCE] = (force.slug,) if force and force.registered else (force.name, force.slug) if force else None
        values[_PUBLISHED] = published.isoformat() if published else None
        values[_PRECISION] = precision.value if precision else None
        return marshal.dumps(tuple(values))

    def _load(self, blob: bytes) -> Article:
        values = list(marshal.loads(blob))
        force, published, precision = values[_FORCE], values[_PUBLISHED], values[_PRECISION]
        values[_FORCE] = self._force(force)
        values[_PUBLISHED] = datetime.fromisoformat(published) if published else None
        values[_PRECISION] = _PRECISIONS.get(precision)
        return Article(*values)

    def _force(self, ref: tuple[str, ...] | None) -> Force | None:
        if ref is None:
            return None
        return self.registry.by_slug(ref[0]) if len(ref) == 1 else Force(name=ref[0], slug=ref[1])


def settings_key(*parts: Any) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
