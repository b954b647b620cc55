"""Importing saved press-release pages: one HTML page in, one content file in the scraped form out.

The page is read by `saved_page`; here it is written as the seed is (a ```yaml block, the date
line, the body), under a stable name, once. Each file is read back with `read_article` before it
is written, so an import never leaves a file the build would reject or warn about. Whatever goes
wrong with one page is that page's `failed` line: the others are still imported.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import secrets
import stat
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml

from generator.errors import ContentError, display_path, printable
from generator.model import Force, Precision
from generator.reading.content import read_article
from generator.reading.dates import date_line, uk_time
from generator.reading.forces import Registry
from generator.reading.saved_page import ExtractedPage, PageError, read_page
from generator.reading.slugs import address_slug, id_slug, slug_of, source_key, without_tracking
from generator.reading.sources import find_content

PAGE_SUFFIXES = (".html", ".htm", ".xhtml")
# Front matter no page holds, only a person: importing a page again keeps it.
OWN_KEYS = ("aliases", "withdrawn", "tags", "figures", "draft")
SLUG_LENGTH = 50  # the part of a file name after the force and date
# A saved page is some kilobytes to a few megabytes; reading one takes about 5 s and 90 MB a megabyte.
MAX_PAGE_MB = 16


@dataclass(frozen=True)
class Outcome:
    """What became of one page: the line the command prints for it."""

    page: Path | str  # a saved file, or the URL of a page or feed fetched
    status: Literal["written", "skipped", "failed"]
    detail: str
    warning: str | None = None  # what a person should still see to, for a page written

    def __str__(self) -> str:
        separator = " " if self.status == "written" else ": "
        return f"{self.shown}: {self.status}{separator}{self.detail}"

    @property
    def shown(self) -> str:
        return display_path(self.page) if isinstance(self.page, Path) else printable(self.page)


@dataclass(frozen=True)
class Provenance:
    """Where a page's bytes came from, recorded in its file: their SHA-256 always; for a page
    fetched, when (`archived`, UTC) and from where (`asked`, the URL as given, and `url`, after
    redirects: the source when the page names none)."""

    sha256: str
    archived: datetime | None = None
    asked: str | None = None
    url: str | None = None

    @classmethod
    def of(cls, data: bytes, **fetched: Any) -> Provenance:
        return cls(hashlib.sha256(data).hexdigest(), **fetched)

    def front(self, source_url: str | None) -> dict[str, str]:
        """`sha256`, `archived`, and `source`: the URL asked for, when the page names another,
        so the next import of that URL is skipped before it is fetched."""
        front = {"sha256": self.sha256}
        if self.archived:
            front["archived"] = self.archived.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if self.asked and (not source_url or source_key(self.asked) != source_key(source_url)):
            front["source"] = without_tracking(self.asked)
        return front


def render(
    page: ExtractedPage, slug: str = "", own: Mapping[str, Any] | None = None, record: Mapping[str, str] | None = None
) -> str:
    """The content file: the seed's ```yaml block (with `slug`, pinned, if given, `record`, what
    `Provenance` says of the page, and `own`, the keys a person added to an earlier import of it),
    a blank line, the date line, a blank line, the body."""
    og: dict[str, Any] = {key: value for key, value in page.og.items() if key != "site_name"}
    if "site_name" in page.og:
        og["site"] = {"name": page.og["site_name"]}
    data: dict[str, Any] = {"pressroom": {"name": page.force.name}, "title": page.title}
    if og:
        data["og"] = og
    if page.fb_app_id:
        data["fb"] = {"app": {"id": str(page.fb_app_id)}}
    if page.source_url:
        data["url"] = page.source_url
    if slug:
        data["slug"] = slug
    data.update(record or {})
    data.update(own or {})
    front = yaml.safe_dump(data, sort_keys=True, allow_unicode=True, default_flow_style=False, width=float("inf"))
    dated = f"{date_line(page.published, page.precision)}\n\n" if page.published and page.precision else ""
    return f"```yaml\n{front}```\n\n{dated}{page.body}\n"


def file_name(page: ExtractedPage) -> str:
    """`<force-slug>-<yyyy-mm-dd>-<slug>.txt`, the slug from the source URL's last part, else the title."""
    segment = ""
    if page.source_url:
        parts = [part for part in urlsplit(page.source_url).path.split("/") if part]
        parts = [re.sub(r"\.(?:s?html?|php|aspx?|jsp)$", "", part, flags=re.I) for part in parts]
        segment = next((part for part in reversed(parts) if part.lower() not in ("index", "default")), "")
    if not re.search(r"[a-zA-Z]{2}", segment):  # a bare id says nothing: use the title
        segment = page.headline
    slug = slug_of(segment, SLUG_LENGTH)
    day = f"{uk_time(page.published):%Y-%m-%d}" if page.published else "undated"
    return f"{page.force.slug}-{day}-{slug}.txt"


class Importer:
    """Imports pages into one content folder, knowing which releases it already holds (by source URL)."""

    def __init__(
        self,
        content: Path,
        registry: Registry,
        force: Force | None = None,
        overwrite: bool = False,
        date: tuple[datetime, Precision] | None = None,
    ) -> None:
        self.content = content
        self.registry = registry
        self.force = force
        self.overwrite = overwrite
        self.date = date
        self.known, self.taken = _known_sources(content)

    def run(self, paths: Sequence[Path]) -> Iterator[Outcome]:
        """One outcome per page, in order; folders give their .html files, sorted."""
        for path in paths:
            if os.path.isdir(path):  # False, not an error, for a path that cannot be looked at
                yield from self._import_folder(path)
            else:
                yield self.import_page(path)

    def _import_folder(self, folder: Path) -> Iterator[Outcome]:
        pages, unreadable = _pages_in(folder)
        for path, reason in unreadable:
            yield Outcome(path, "failed", f"cannot read the folder: {reason}")
        if not pages and not unreadable:
            yield Outcome(folder, "failed", "no .html or .htm files in this folder")
        yield from map(self.import_page, pages)

    def import_page(self, path: Path) -> Outcome:
        """The page's outcome, never an exception: one page's trouble must not stop the others."""
        return self.attempt(path, lambda: self.import_bytes(path, _read(path)))

    def attempt(self, page: Path | str, work: Callable[[], Outcome]) -> Outcome:
        """What `work` makes of `page`, or its failure as the page's outcome."""
        try:
            return work()
        except PageError as error:
            return Outcome(page, "failed", str(error))
        except Exception as error:  # what no check foresaw (a bug, or memory running out) is the page's too
            return Outcome(page, "failed", f"unexpected error: {type(error).__name__}: {error}")

    def import_bytes(self, path: Path | str, data: bytes, provenance: Provenance | None = None) -> Outcome:
        """Import a page's bytes; `provenance` says where they came from (else: a saved file)."""
        provenance = provenance or Provenance.of(data)
        page = read_page(data, self.registry, self.force, self.date)
        source = page.source_url or provenance.url
        page = dataclasses.replace(page, source_url=without_tracking(source) if source else None)
        target, earlier = self._target(page)
        if earlier and not self.overwrite:
            return Outcome(path, "skipped", f"already imported as {display_path(target)}")
        # imported again: the address it has (pinned by now, unless imported before slugs were)
        slug = (
            (_pinned(target) or address_slug(None, page.source_url, target.stem))
            if earlier
            else self._free_slug(page, target)
        )
        text = render(page, slug, _own_keys(target) if earlier else None, provenance.front(page.source_url))
        try:
            parsed = read_article(target, text.encode("utf-8"), self.registry)
        except ContentError as error:
            raise PageError(f"the content file would not read back: {error.diagnostic.message}") from None
        others = [warning for warning in parsed.warnings if page.published or not warning.message.startswith("no date")]
        if others:
            raise PageError(f"the content file would not read back cleanly: {others[0].message}")
        try:
            _write(target, text)
        except OSError as error:
            raise PageError(f"cannot write {display_path(target)}: {error.strerror or error}") from None
        for url in filter(None, (page.source_url, provenance.asked)):
            self.known[source_key(url)] = target
        self.taken.add(slug)
        if page.published is None:
            undated = "the page shows no date, so the release is undated: give its date with --date"
            return Outcome(path, "written", display_path(target), undated)
        return Outcome(path, "written", display_path(target))

    def _target(self, page: ExtractedPage) -> tuple[Path, bool]:
        """Where the page goes, and whether that file is an earlier import of the same release.

        A release already in the folder under any name is found by its source URL; a new one
        whose name is taken by a different release gets `-2`, `-3`…, so nothing is replaced by mistake.
        """
        if page.source_url and (earlier := self.known.get(source_key(page.source_url))):
            return earlier, True
        name = file_name(page)
        stem = name.removesuffix(".txt")
        for number in range(1, 1000):
            target = self.content / (name if number == 1 else f"{stem}-{number}.txt")
            if not target.exists():
                return target, False
            if not page.source_url and not _sources_of(target):
                return target, True  # no URL to tell them apart: the same name is the same release
        raise PageError(f"too many releases named {name}")

    def _free_slug(self, page: ExtractedPage, target: Path) -> str:
        """The address the release would take by its own data, or, if a release in the folder has
        it, the first free of those telling it apart (its id, its date, then `-2`, `-3`, …): pinned
        in its file, so it never moves."""
        slug = address_slug(None, page.source_url, target.stem)
        day = f"{uk_time(page.published):%Y-%m-%d}" if page.published else None
        wanted = [slug, id_slug(slug, page.source_url), f"{slug}-{day}" if day else None]
        candidates = [candidate for candidate in wanted if candidate]
        candidates += (f"{slug}-{number}" for number in range(2, 1000))
        return next(candidate for candidate in candidates if candidate not in self.taken)


def import_pages(
    paths: Sequence[Path],
    content: Path,
    registry: Registry,
    force: Force | None = None,
    overwrite: bool = False,
    date: tuple[datetime, Precision] | None = None,
) -> Iterator[Outcome]:
    """Import `paths` (pages or folders of pages) into `content`; one `Outcome` per page; `date`
    for the pages that show none."""
    return Importer(content, registry, force, overwrite, date).run(paths)


def is_url(text: str) -> bool:
    """An argument to fetch rather than a file to read."""
    return text.lower().startswith(("http://", "https://"))


def _read(path: Path) -> bytes:
    """The page's bytes, if it is a file small enough to be one: a named pipe would block the
    import, and a device such as /dev/zero would never end."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise PageError("not a file (a device, named pipe or socket)")
        with path.open("rb") as file:
            data = file.read(MAX_PAGE_MB * 2**20 + 1)
    except FileNotFoundError:
        raise PageError("file not found") from None
    except OSError as error:
        raise PageError(f"cannot read the file: {error.strerror or error}") from None
    if len(data) > MAX_PAGE_MB * 2**20:
        raise PageError(f"over {MAX_PAGE_MB} MB: too large for a saved page")
    return data


def _pages_in(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The folder's pages, sorted, and the folders within it that cannot be read, with why. Hidden
    files and folders are left out, and so are links to folders. A loop, not recursion: folders may
    nest deeper than Python's stack. What is named as a page but is not a file is the import's to report."""
    pages: list[Path] = []
    unreadable: list[tuple[Path, str]] = []
    folders = [folder]
    while folders:
        current = folders.pop()
        try:
            with os.scandir(current) as scan:
                entries = [entry for entry in scan if not entry.name.startswith(".")]
        except OSError as error:
            unreadable.append((current, error.strerror or str(error)))
            continue
        folders += [Path(entry.path) for entry in entries if entry.is_dir(follow_symlinks=False)]
        pages += [
            Path(entry.path)
            for entry in entries
            if entry.name.lower().endswith(PAGE_SUFFIXES) and not os.path.isdir(entry.path)
        ]
    return sorted(pages), unreadable


def _known_sources(content: Path) -> tuple[dict[str, Path], set[str]]:
    """The source URL of every content file already in the folder the build reads (the working
    folder's `content/` when the import goes into a folder within it), so a renamed import is
    still found, and the slugs their releases take (`slugs.address_slug`), so an import takes another."""
    known: dict[str, Path] = {}
    taken: set[str] = set()
    built = Path("content")
    if built.is_dir() and content.resolve().is_relative_to(built.resolve()):
        content = built
    if not content.is_dir():
        return known, taken
    for source in find_content(content):
        path = Path(source.path)
        front = _front_matter(path)
        urls = _sources_in(front)
        for url in urls:
            known.setdefault(source_key(url), path)
        pinned = front.get("slug")
        taken.add(address_slug(str(pinned) if pinned else None, urls[0] if urls else None, path.stem))
    return known, taken


def _sources_of(path: Path) -> list[str]:
    """The URLs a content file's front matter gives as its source (`url`, `source`)."""
    return _sources_in(_front_matter(path))


def _sources_in(front: dict[str, Any]) -> list[str]:
    return [
        value.strip() for value in (front.get("url"), front.get("source")) if isinstance(value, str) and value.strip()
    ]


def _own_keys(path: Path) -> dict[str, Any]:
    """What a person added to an imported file, which importing it again keeps: its withdrawal,
    former addresses, tags, figures entered by hand, and draft mark."""
    front = _front_matter(path)
    return {key: front[key] for key in OWN_KEYS if key in front}


def _pinned(path: Path) -> str | None:
    """The slug a content file pins, if it does (a release imported again keeps it)."""
    pinned = _front_matter(path).get("slug")
    return slug_of(str(pinned)) if pinned else None


def _front_matter(path: Path) -> dict[str, Any]:
    """A content file's front matter, read leniently: empty if it has none that reads."""
    try:
        lines = path.read_text(encoding="utf-8-sig", errors="replace").split("\n")
    except OSError:
        return {}
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None or lines[start].strip().lower() not in ("```yaml", "```yml", "```", "---"):
        return {}
    closing = ("```",) if lines[start].strip().startswith("```") else ("---", "...")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() in closing), len(lines))
    try:
        data = yaml.safe_load("\n".join(lines[start + 1 : end]))
    except (yaml.YAMLError, ValueError, RecursionError):  # `2021-02-30`; lists nested thousands deep
        return {}
    return data if isinstance(data, dict) else {}


def _write(target: Path, text: str) -> None:
    """Write whole or not at all: a temporary file in the same folder, renamed over the target.
    It is created as any other file is, with the user's umask (mkstemp's files are private, 0600)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.parent / f".import-{secrets.token_hex(8)}.tmp"
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
