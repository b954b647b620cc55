"""Full-text search: the releases indexed by Pagefind, returned as the bundle's bytes.

Each release becomes a small HTML document in a temporary folder, laid out like the
site (`articles/x/index.html`), and the Pagefind binary indexes that folder into
another; nothing is written to the output. Pagefind records each result's URL as
`/` + the site-relative URL; `static/search.js` turns it back into a relative link.

The binary is run directly rather than through the `pagefind` package's service API:
that API answers one request per tenth of a second (17 minutes for 10,000 releases,
one file each), its context manager also writes a stray `pagefind/` into the working
folder, and it waits forever if the binary dies. A subprocess has a timeout and keeps
what Pagefind printed, for the error message.

The same entries give the same fragment and index files, byte for byte, but not quite
the same bundle: Pagefind 1.5 writes each filter's values in hash-map order, which
changes from run to run, and so the names and bytes of the `filter/` files, the
`.pf_meta` file and `pagefind-entry.json`, which name them, change too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from html import escape
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import GeneratorError

if TYPE_CHECKING:
    from generator.reading.read import Progress

# Pagefind took 25s for 10,000 releases on two busy cores: these are ample, not a budget.
_TIMEOUT_SECONDS = 120.0
_TIMEOUT_PER_ENTRY = 0.05
# What Pagefind says when the documents hold no words it can index (titles of punctuation only).
_NOTHING_TO_INDEX = b"Pagefind was not able to build an index"


@dataclass(frozen=True)
class SearchEntry:
    """What search shows of one release and indexes of it."""

    url: str  # site-relative: "articles/some-slug/"
    title: str
    force: str | None
    year: int | None
    date_text: str  # as the site shows it: "24 February 2021"
    date: str | None  # for the date order and range: "2021-02-24", or "2021-02" when only the month is known
    moment: str | None  # the order within a day: "2021-02-24T07:00Z" (UTC), or as `date` without a time
    body_html: str  # already sanitised


def search_index(entries: Iterable[SearchEntry], language: str) -> dict[str, bytes]:
    """Every file of the Pagefind bundle, by its path inside the bundle folder.

    Empty when there are no entries: Pagefind cannot make an index of nothing.
    """
    executable = pagefind_binary()  # looked up at each call, so a test can take the binary away
    if executable is None:
        raise GeneratorError("search indexing failed: the pagefind binary was not found (install pagefind[bin])")
    with tempfile.TemporaryDirectory(prefix="search-index-", dir=_scratch()) as temp:
        count = _write_documents(entries, language, Path(temp, "site"))
        if not count:
            return {}
        _run(executable, Path(temp), _TIMEOUT_SECONDS + _TIMEOUT_PER_ENTRY * count)
        bundle = Path(temp, "bundle")
        if not bundle.is_dir():
            return {}
        files = {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}
    if "pagefind.js" not in files or "pagefind-entry.json" not in files:
        raise GeneratorError("search indexing failed: Pagefind wrote no pagefind.js or pagefind-entry.json")
    return files


def search_indexes(
    each: Sequence[Iterable[SearchEntry]], language: str, progress: Progress | None = None
) -> list[dict[str, bytes]]:
    """Several bundles, made at once (Pagefind keeps one core busy); `progress` told of each."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        made = [pool.submit(search_index, entries, language) for entries in each]
        for done, _ in enumerate(as_completed(made), 1):
            if progress:
                progress("indexing for search", done, len(made))
        return [future.result() for future in made]


def index_version() -> str:
    """What besides the generator's code and the entries changes the bundle: which Pagefind
    makes it. For a wheel's binary, the wheel's name and version, not its file's time, which is
    when it was installed (a CI runner installs afresh, and would make every index again); for a
    binary named by `PAGEFIND_BINARY_PATH` or found on the PATH, its path, size and time."""
    binary, wheel = _pagefind()
    if wheel:
        return wheel
    try:
        found = binary.stat() if binary else None
    except OSError:
        found = None
    return repr((str(binary), found.st_size, found.st_mtime_ns) if found else None)


def pagefind_binary() -> Path | None:
    """The Pagefind binary, found where the `pagefind` package looks (its `get_executable`):
    `PAGEFIND_BINARY_PATH`, the `pagefind_bin_extended` then `pagefind_bin` wheels, then
    `pagefind_extended` or `pagefind` on the PATH. Not by importing the package, whose service
    loads asyncio and ssl: 40 ms of every rebuild, for an edit's one release. (A wheel installed
    without its binary is passed over, where the package's lookup would fail.)"""
    return _pagefind()[0]


def _pagefind() -> tuple[Path | None, str | None]:
    """The binary, and the wheel's `name-version.dist-info` when it comes from one."""
    named = os.environ.get("PAGEFIND_BINARY_PATH")
    if named is not None:
        return Path(named), None
    for wheel in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            module = import_module(wheel)
            found: Path = module.get_executable()
        except (ImportError, AttributeError, FileNotFoundError):
            continue
        installed = sorted(Path(module.__file__ or "").resolve().parent.parent.glob(f"{wheel}-*.dist-info"))
        return found, installed[-1].name if installed else None
    on_path = shutil.which("pagefind_extended") or shutil.which("pagefind")
    return (Path(on_path) if on_path else None), None


def _document(entry: SearchEntry, language: str) -> str:
    """The page Pagefind indexes for one release: its title and body as the text, the force,
    year and ISO date as filters, the force and date as metadata to show with each result.

    The date is a filter, not a Pagefind sort: a sort orders each index on its own, and the
    search page merges several, whose sorted results Pagefind interleaves. The page orders
    results by date itself, from the date filter (`static/search.js`)."""
    lines = ["<!DOCTYPE html>", f'<html lang="{escape(language)}">', "<head>", '<meta charset="utf-8">']
    lines.append(f"<title>{escape(entry.title)}</title>")
    if entry.force:
        force = escape(entry.force)
        lines.append(
            f'<meta data-pagefind-filter="force[content]" data-pagefind-meta="force[content]" content="{force}">'
        )
    if entry.year is not None:
        lines.append(f'<meta data-pagefind-filter="year[content]" content="{entry.year}">')
    if entry.date:
        lines.append(f'<meta data-pagefind-filter="date[content]" content="{escape(entry.date)}">')
    if entry.date_text:
        lines.append(f'<meta data-pagefind-meta="date[content]" content="{escape(entry.date_text)}">')
    if entry.moment:
        lines.append(f'<meta data-pagefind-meta="moment[content]" content="{escape(entry.moment)}">')
    lines += ["</head>", "<body>", "<main data-pagefind-body>"]
    lines.append(f'<h1 data-pagefind-meta="title">{escape(entry.title)}</h1>')
    lines += [entry.body_html, "</main>", "</body>", "</html>", ""]
    return "\n".join(lines)


def _write_documents(entries: Iterable[SearchEntry], language: str, site: Path) -> int:
    seen: set[str] = set()
    for entry in entries:
        path = _document_path(entry.url)
        if path in seen:
            raise GeneratorError(f"search indexing failed: two releases have the URL {entry.url!r}")
        seen.add(path)
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_document(entry, language), encoding="utf-8")
    return len(seen)


def _document_path(url: str) -> str:
    """Where Pagefind must find the document to give it the URL `/<url>`."""
    parts = url.split("/")
    if url.startswith("/") or any(c in url for c in "\\?#") or {".", ".."} & set(parts) or "" in parts[:-1]:
        raise GeneratorError(f"search indexing failed: {url!r} is not a site-relative page URL")
    if not url or url.endswith("/"):
        return f"{url}index.html"
    if not url.endswith(".html"):
        raise GeneratorError(f"search indexing failed: {url!r} is neither a folder nor an .html page")
    return url


def _scratch() -> str | None:
    """Memory-backed scratch space where there is one: thousands of small files are written,
    indexed and deleted at each indexing, several times faster there than on a disk."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) else None


def _run(executable: Path, folder: Path, timeout: float) -> None:
    """Index `folder/site` into `folder/bundle`, run from `folder` so no pagefind.yml of the user's
    applies, and without PAGEFIND_* variables, which would override its settings."""
    command = [str(executable), "--site", "site", "--output-path", "bundle", "--quiet"]
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PAGEFIND_")}
    try:
        result = subprocess.run(
            command, cwd=folder, env=environment, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        raise GeneratorError(f"search indexing failed: Pagefind did not finish within {timeout:.0f}s") from None
    except OSError as error:
        raise GeneratorError(f"search indexing failed: cannot run {executable}: {error.strerror}") from None
    if result.returncode != 0 and _NOTHING_TO_INDEX in result.stdout + result.stderr:
        return  # releases with no words at all: there is no index to make
    if result.returncode != 0:
        printed = " ".join((result.stderr + result.stdout).decode(errors="replace").split())
        said = f": {printed[:500]}" if printed else ""
        raise GeneratorError(f"search indexing failed: Pagefind exited with status {result.returncode}{said}")
