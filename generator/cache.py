"""The persistent build cache (`.cache/build.sqlite`, git-ignored).

It keeps a snapshot of every release as parsed, with the size and time that
show its file unchanged, so a rebuild parses only what changed; the bodies,
which only a rendered page needs, apart; and, per output folder, what the last
build wrote there (each file's page signature and hash), so a rebuild renders
and writes only what changed. Snapshots are stored with `marshal` as plain
values: a rebuild of a large archive loads them all, and marshal loads many
times faster than pickled objects. A different generator (version, code or
force registry) makes a different key, and the cache starts afresh.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import marshal
import os
import sqlite3
from collections.abc import Iterable
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from generator import __version__
from generator.errors import Diagnostic
from generator.model import Article, Figure, Force, Parsed, Precision
from generator.reading.forces import Registry, load_registry
from generator.reading.sources import Source

_PACKAGE = Path(__file__).resolve().parent
_PRECISIONS = {precision.value: precision for precision in Precision}
_FIELDS = [field.name for field in dataclasses.fields(Article)]
_FORCE, _PUBLISHED, _PRECISION, _FIGURES, _ARCHIVED = (
    _FIELDS.index(name) for name in ("force", "published", "precision", "figures", "archived")
)
# How long a build waits for another program writing to the cache (builds of this generator take
# turns on the cache folder's lock, so only a foreign program makes it wait).
LOCK_TIMEOUT = 30.0
_SCHEMA = """
CREATE TABLE IF NOT EXISTS blobs (name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS bodies (fingerprint TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS lasting (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pieces (name TEXT, key TEXT, value BLOB NOT NULL, PRIMARY KEY (name, key));
"""


def generator_key() -> str:
    """Changes with the generator's version, code or force registry."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in (".py", ".yaml"):
            digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def settings_key(*parts: Any) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


class Entry(NamedTuple):
    """A cached file: the size and time that show it unchanged, and its article and warnings as plain values."""

    size: int
    mtime_ns: int
    fingerprint: str
    article: tuple[Any, ...]
    warnings: tuple[tuple[str, int, str, str], ...]


class Cache:
    def __init__(
        self, folder: Path | None, registry: Registry | None = None, key: str | None = None, warm: bool = False
    ) -> None:
        """A cache in `folder`, or in memory (kept for this build only) when it is None.

        A `warm` cache stays open across builds (the preview server): it writes its snapshot and
        records when closed, not after every build. Should the process die first, the next
        build finds files newer than the snapshot and an output whose marker does not match, and
        parses and compares those again: slower once, never wrong.
        """
        self.warm = warm
        self._registry = registry  # the bundled one, loaded when first needed (not by a build with nothing to do)
        self.folder = folder
        # The preview builds on a thread of its own, one build at a time.
        self.db = sqlite3.connect(
            folder / "build.sqlite" if folder else ":memory:", timeout=LOCK_TIMEOUT, check_same_thread=False
        )
        self.pid = os.getpid()
        # A cache needs no durability, only consistency: WAL without a sync on every commit.
        self.db.executescript("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;" + _SCHEMA)
        key = self.key = key or generator_key()  # the build's settings and search index use it too
        self.snapshot = folder / f"snapshot-{key}.marshal" if folder else None
        # What changed since the snapshot was written whole: a build that parses one file writes this.
        self.delta_file = folder / f"snapshot-{key}.delta" if folder else None
        if self._blob("generator") != key:
            self.db.executescript("DELETE FROM blobs; DELETE FROM bodies; DELETE FROM pieces;")
            self._put_blob("generator", key)
            for old in [*folder.glob("snapshot-*"), *folder.glob("record-*")] if folder else ():
                old.unlink()
        self.changed: set[str] = set()  # files whose entry changed since the snapshot files were written
        self.delta: dict[str, tuple[Any, ...] | None] = {}  # the delta file's: an entry, or None for one gone
        self.unsaved: str | None = None  # why the cache could not be saved, if it could not
        # A cache kept open across builds (the preview server) keeps these decoded too.
        self.decoded: dict[str, tuple[Article, tuple[Diagnostic, ...]]] = {}
        self.records: dict[str, Any] = {}
        self.lasted: dict[str, Any] = {}  # the `lasting` values read or kept
        self.kept_pieces: dict[str, set[str]] = {}  # the keys of each name's pieces in the database

    @cached_property
    def entries(self) -> dict[str, Entry]:
        """The snapshot, loaded when first needed: a build that finds nothing to do never needs it."""
        return {path: Entry._make(row) for path, row in self._load_snapshot().items()}

    def known(self) -> dict[str, Entry]:
        return dict(self.entries)

    def article(self, entry: Entry) -> tuple[Article, tuple[Diagnostic, ...]]:
        decoded = self.decoded.get(entry.fingerprint)
        if decoded is None:
            decoded = self.decoded[entry.fingerprint] = self._decode(entry)
        return decoded

    def _decode(self, entry: Entry) -> tuple[Article, tuple[Diagnostic, ...]]:
        values = list(entry.article)
        force, published, precision = values[_FORCE], values[_PUBLISHED], values[_PRECISION]
        values[_FORCE] = self._force(force)
        values[_PUBLISHED] = datetime.fromisoformat(published) if published else None
        values[_ARCHIVED] = datetime.fromisoformat(values[_ARCHIVED]) if values[_ARCHIVED] else None
        values[_PRECISION] = _PRECISIONS.get(precision)
        values[_FIGURES] = tuple([tuple.__new__(Figure, figure) for figure in values[_FIGURES]])
        # As pickle and copy make one: the fields set whole, not one by one through the frozen
        # class's __init__ (a third of decoding the 10,000 releases an edit's rebuild loads).
        article = object.__new__(Article)
        article.__dict__.update(zip(_FIELDS, values, strict=True))
        return article, tuple([Diagnostic(Path(p), line, m, s) for p, line, m, s in entry.warnings])

    def store(self, source: Source, parsed: Parsed) -> None:
        article = parsed.article
        warnings = tuple((str(w.path), w.line, w.message, w.severity) for w in parsed.warnings)
        self._drop_body(source.path)
        self.entries[source.path] = Entry(source.size, source.mtime_ns, article.fingerprint, _plain(article), warnings)
        self.db.execute("INSERT OR REPLACE INTO bodies VALUES (?, ?)", (article.fingerprint, parsed.body_html))
        self.changed.add(source.path)

    def touch(self, source: Source) -> None:
        """Record a new time for a file whose bytes did not change."""
        self.entries[source.path] = self.entries[source.path]._replace(size=source.size, mtime_ns=source.mtime_ns)
        self.changed.add(source.path)

    def forget(self, paths: Iterable[str]) -> None:
        for path in paths:
            self._drop_body(path)
            del self.entries[path]
            self.changed.add(path)

    def body(self, fingerprint: str) -> str:
        """One article's body: only the pages being rendered need theirs."""
        if os.getpid() != self.pid and self.folder:  # a forked worker: a connection must not cross a fork
            self.db = sqlite3.connect(f"file:{self.folder / 'build.sqlite'}?mode=ro", uri=True, timeout=LOCK_TIMEOUT)
            self.pid = os.getpid()
        row = self.db.execute("SELECT body FROM bodies WHERE fingerprint = ?", (fingerprint,)).fetchone()
        if row is None:
            raise KeyError(fingerprint)
        body: str = row[0]
        return body

    def record(self, name: str) -> Any:
        """A plain value a build left for the next one (what it wrote into an output folder), or None."""
        if name not in self.records:
            self.records[name] = _read_marshal(self._record_file(name))
        return self.records[name]

    def keep(self, name: str, value: Any) -> None:
        """Keep `value` (plain values only: marshal stores it) for the next build, in a file of its
        own: the record of what a build wrote into its output is megabytes at 10,000 releases,
        which a database row took five times as long to write."""
        self.records[name] = value
        if not self.warm:
            self._write_record(name, value)

    def _record_file(self, name: str) -> Path | None:
        """The record's file (its name hashed: it names an output folder, `output:../site`)."""
        if self.folder is None:
            return None
        return self.folder / f"record-{self.key}-{hashlib.blake2b(name.encode(), digest_size=8).hexdigest()}.marshal"

    def _write_record(self, name: str, value: Any) -> None:
        path = self._record_file(name)
        try:
            if path:
                _write_atomically(path, value)
        except OSError as error:  # the build is done; the next is only slower
            self.unsaved = str(error)

    def pieces(self, name: str) -> dict[str, Any]:
        """Plain values a build left for the next one, each by its key: unlike a record, kept and
        forgotten one by one, so an edit writes its own (the open data of 10,000 releases is 20 MB)."""
        found = {}
        for key, value in self.db.execute("SELECT key, value FROM pieces WHERE name = ?", (name,)):
            try:
                found[key] = marshal.loads(value)
            except (EOFError, ValueError, TypeError):  # damaged: as if never kept
                continue
        self.kept_pieces[name] = set(found)
        return found

    def keep_pieces(self, name: str, values: dict[str, Any]) -> None:
        """Keep these values of `name`, and forget its others."""
        if name not in self.kept_pieces:
            self.kept_pieces[name] = {
                key for (key,) in self.db.execute("SELECT key FROM pieces WHERE name = ?", (name,))
            }
        kept = self.kept_pieces[name]
        gone = [(name, key) for key in kept if key not in values]
        self.db.executemany("DELETE FROM pieces WHERE name = ? AND key = ?", gone)
        new = [(name, key, marshal.dumps(value)) for key, value in values.items() if key not in kept]
        self.db.executemany("INSERT OR REPLACE INTO pieces VALUES (?, ?, ?)", new)
        self.kept_pieces[name] = set(values)

    def lasting(self, name: str) -> Any:
        """A value kept across generator versions (JSON), or None: what a site has published
        outlives the cache of how it was built."""
        if name not in self.lasted:  # a preview's cache reads it once
            row = self.db.execute("SELECT value FROM lasting WHERE name = ?", (name,)).fetchone()
            try:
                self.lasted[name] = json.loads(row[0]) if row else None
            except ValueError:  # damaged: as if never kept
                self.lasted[name] = None
        return self.lasted[name]

    def lasting_digest(self, name: str) -> str | None:
        """A hash of the value kept under `name`, as kept: much cheaper than reading it back."""
        row = self.db.execute("SELECT value FROM lasting WHERE name = ?", (name,)).fetchone()
        return hashlib.blake2b(row[0].encode(), digest_size=16).hexdigest() if row else None

    def keep_lasting(self, name: str, value: Any) -> None:
        self.lasted[name] = value
        self.db.execute("INSERT OR REPLACE INTO lasting VALUES (?, ?)", (name, json.dumps(value)))

    def compiled_templates(self) -> Path | None:
        """Where Jinja keeps compiled templates, so a rebuild does not compile them again."""
        if self.folder is None:
            return None
        folder = self.folder / "templates"
        folder.mkdir(exist_ok=True)
        return folder

    def flush(self) -> None:
        """Commit the bodies first: a snapshot never names a body the database lacks. A cache that
        cannot be saved (a full disk) is no failure of the build: `unsaved` says why."""
        try:
            self.db.commit()
            if self.changed and not self.warm:
                self._write_snapshot()
        except (OSError, sqlite3.Error) as error:
            self.unsaved = str(error)

    def _write_snapshot(self) -> None:
        """The changed entries into the delta file; the whole snapshot once the delta outgrows an
        eighth of it (a delta applied to a snapshot already holding it changes nothing, so a crash
        between the two writes leaves them consistent)."""
        for path in self.changed:
            entry = self.entries.get(path)
            self.delta[path] = tuple(entry) if entry is not None else None
        self.changed = set()
        if not (self.snapshot and self.delta_file):
            return
        if len(self.delta) * 8 > max(len(self.entries), 64):
            _write_atomically(self.snapshot, {path: tuple(entry) for path, entry in self.entries.items()})
            self.delta_file.unlink(missing_ok=True)
            self.delta = {}
        else:
            _write_atomically(self.delta_file, self.delta)

    def close(self) -> None:
        try:
            if self.warm:
                for name, value in self.records.items():
                    self._write_record(name, value)
                self.warm = False
        except sqlite3.Error as error:
            self.unsaved = str(error)
        self.flush()
        self.db.close()

    def _load_snapshot(self) -> dict[str, tuple[Any, ...]]:
        """The parsed files, kept in a file of their own (one write per build, not a database row),
        with the delta of the builds since it was written whole. Either unreadable is as if absent:
        an entry whose file's size and time do not match is only read again."""
        snapshot: dict[str, tuple[Any, ...]] = _read_marshal(self.snapshot) or {}
        self.delta = _read_marshal(self.delta_file) or {}
        for path, row in self.delta.items():
            if row is None:
                snapshot.pop(path, None)
            else:
                snapshot[path] = row
        return snapshot

    def _drop_body(self, path: str) -> None:
        old = self.entries.get(path)
        if old is not None:
            self.db.execute("DELETE FROM bodies WHERE fingerprint = ?", (old.fingerprint,))

    @cached_property
    def registry(self) -> Registry:
        return self._registry or load_registry()

    def _force(self, ref: tuple[str, ...] | None) -> Force | None:
        if ref is None:
            return None
        return self.registry.by_slug(ref[0]) if len(ref) == 1 else Force(name=ref[0], slug=ref[1])

    def _blob(self, name: str) -> Any:
        row = self.db.execute("SELECT value FROM blobs WHERE name = ?", (name,)).fetchone()
        try:
            return marshal.loads(row[0]) if row else None
        except (EOFError, ValueError, TypeError):  # damaged: as if never kept
            return None

    def _put_blob(self, name: str, value: Any) -> None:
        self.db.execute("INSERT OR REPLACE INTO blobs VALUES (?, ?)", (name, marshal.dumps(value)))


def _read_marshal(path: Path | None) -> Any:
    try:
        return marshal.loads(path.read_bytes()) if path else None
    except (OSError, EOFError, ValueError, TypeError):
        return None


def _write_atomically(path: Path, value: Any) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(marshal.dumps(value))
    os.replace(temporary, path)


def _plain(article: Article) -> tuple[Any, ...]:
    """The article as values marshal can store; a registered force by its slug."""
    values = [getattr(article, name) for name in _FIELDS]
    force, published, precision = article.force, article.published, article.precision
    values[_FORCE] = (force.slug,) if force and force.registered else (force.name, force.slug) if force else None
    values[_PUBLISHED] = published.isoformat() if published else None
    values[_ARCHIVED] = article.archived.isoformat() if article.archived else None
    values[_PRECISION] = precision.value if precision else None
    values[_FIGURES] = tuple(map(tuple, article.figures))
    return tuple(values)
