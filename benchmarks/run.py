"""Benchmark: cold build, no-op rebuild, one-release edit, one-template edit and peak memory,
for N synthetic releases; and, when the `bench` extra is installed, Hugo and Pelican on the
same corpus in the same run, with our time as a ratio of theirs.

    python benchmarks/run.py                      # N = 1,000, 5,000 and 10,000; 3 runs each
    python benchmarks/run.py --sizes 50000 --runs 3
    python benchmarks/run.py --sizes 1000 --runs 1 --no-peers

Figures are medians of the runs; memory is the peak proportional set size (PSS, which
counts pages shared between forked workers once) of the whole process tree.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks import corpus, peers  # noqa: E402

PELICAN_LIMIT = 5000  # Pelican takes minutes beyond this; the peers' table stops there too


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,5000,10000", help="comma-separated release counts")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/county-lines-bench"), help="scratch folder")
    parser.add_argument("--no-peers", action="store_true", help="skip Hugo and Pelican")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    args.work.mkdir(parents=True, exist_ok=True)
    _empty_trash(args.work / "trash", settle=True)
    print(f"machine: {os.cpu_count()} cores, {_memory_gb():.0f} GB, Python {sys.version.split()[0]}")
    results: dict[int, dict[str, tuple[float, float]]] = {}
    for size in sizes:
        results[size] = bench_size(size, args.runs, args.work, not args.no_peers)
    _targets(results)
    _empty_trash(args.work / "trash")


def bench_size(size: int, runs: int, work: Path, with_peers: bool) -> dict[str, tuple[float, float]]:
    source = work / f"corpus-{size}"
    if len(list(source.glob("synthetic-*.txt"))) != size:
        corpus.generate(size, source)
    figures: dict[str, tuple[float, float]] = {}
    figures.update(_ours(size, source, work / f"ours-{size}", runs))
    if with_peers:
        hugo = _tool("hugo")
        if hugo:
            figures.update(_hugo(hugo, source, work / f"hugo-{size}", runs))
        pelican = _tool("pelican")
        if pelican and size <= PELICAN_LIMIT:
            figures.update(_pelican(pelican, source, work / f"pelican-{size}", runs))
    print(f"\nN = {size:,}")
    for name, (seconds, memory) in figures.items():
        memory_text = f"  peak {memory:,.0f} MB" if memory else ""
        print(f"  {name:<34} {seconds:8.2f} s{memory_text}")
    for peer in ("hugo cold build", "pelican cold build"):
        if peer in figures:
            ratio = figures["ours cold build"][0] / figures[peer][0]
            print(f"  ours / {peer:<27} {ratio:8.2f}×")
    return figures


def _ours(size: int, source: Path, site: Path, runs: int) -> dict[str, tuple[float, float]]:
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    shutil.copytree(ROOT / "templates", site / "templates")
    (site / "site.yaml").write_text(f"base_url: https://example.org/\nstatic: {ROOT / 'static'}\n")
    command = [sys.executable, "-m", "generator", "build", "--content", str(source), "--output", "output", "-q"]
    edited = sorted(source.glob("synthetic-*.txt"))[size // 2]
    original = edited.read_text(encoding="utf-8")
    base = site / "templates" / "base.html"

    def cold() -> None:
        _discard(site / ".cache", site / "output")

    counter = iter(range(10**6))
    try:
        served = _serve_edits(site, source, edited, original, runs)
        return served | {
            "ours cold build": _median(runs, command, site, before=cold, memory=True),
            "ours no-op rebuild": _median(runs, command, site),
            "ours one-release edit": _median(
                runs, command, site, before=lambda: edited.write_text(original + f"\nEdit {next(counter)}.\n")
            ),
            "ours one-template edit": _median(
                runs,
                command,
                site,
                before=lambda: base.write_text(base.read_text() + f"\n{{# edit {next(counter)} #}}\n"),
            ),
        }
    finally:
        edited.write_text(original, encoding="utf-8")


def _serve_edits(site: Path, source: Path, edited: Path, original: str, runs: int) -> dict[str, tuple[float, float]]:
    """One-release edits seen by a running `serve`: the rebuild it reports, and the time until the
    served page shows the edit (which adds livereload's 0.8 s polling of the files)."""
    import re
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = site / "serve.log"
    command = [sys.executable, "-m", "generator", "serve", "--content", str(source), "--port", str(port)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with log.open("w") as stream:
        server = subprocess.Popen(command, cwd=site, env=env, stdout=stream, stderr=subprocess.STDOUT)
    rebuilds, latencies = [], []
    try:
        _wait(lambda: "Serving" in log.read_text() or server.poll() is not None, 600)
        if server.poll() is not None:
            raise SystemExit(f"serve failed:\n{log.read_text()}")
        page = None
        for number in range(runs + 1):  # the first edit warms the server's caches
            marker = f"Served edit {number}"
            count = log.read_text().count("Built ")
            started = time.perf_counter()
            edited.write_text(original + f"\n{marker}.\n", encoding="utf-8")
            _wait(lambda count=count: log.read_text().count("Built ") > count, 60)
            page = page or _article_url(port, site, edited)
            _wait(lambda url=page, text=marker: text in urllib.request.urlopen(url, timeout=10).read().decode(), 60)
            if number:
                latencies.append(time.perf_counter() - started)
                rebuilds.append(float(re.findall(r" in ([0-9.]+)s", log.read_text())[-1]))
    finally:
        server.terminate()  # SIGTERM: a server started in the background may ignore SIGINT
        server.wait(timeout=60)
        edited.write_text(original, encoding="utf-8")
    return {
        "ours serve: one-release rebuild": (statistics.median(rebuilds), 0.0),
        "ours serve: edit → page served": (statistics.median(latencies), 0.0),
    }


def _article_url(port: int, site: Path, edited: Path) -> str:
    """The served URL of the edited release's page: its slug starts with its synthetic number."""
    prefix = f"synthetic-release-{int(edited.stem.rsplit('-', 1)[1])}-"
    (page,) = [p for p in (site / "output" / "articles").iterdir() if p.name.startswith(prefix)]
    return f"http://127.0.0.1:{port}/articles/{page.name}/"


def _wait(check: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out after {seconds}s")
        time.sleep(0.02)


def _hugo(hugo: str, source: Path, site: Path, runs: int) -> dict[str, tuple[float, float]]:
    peers.hugo_site(source, site)
    command = [hugo, "--quiet", "--source", str(site), "--destination", str(site / "public")]

    def cold() -> None:
        _discard(site / "public", site / "resources")

    return {"hugo cold build": _median(runs, command, site, before=cold, memory=True)}


def _pelican(pelican: str, source: Path, site: Path, runs: int) -> dict[str, tuple[float, float]]:
    peers.pelican_site(source, site)
    command = [pelican, "content", "-o", "output", "-s", "pelicanconf.py", "-q"]
    first = sorted((site / "content").glob("*.md"))[0]
    counter = iter(range(10**6))

    def cold() -> None:
        _discard(site / "output", site / "cache", site / "__pycache__")

    return {
        "pelican cold build": _median(runs, command, site, before=cold, memory=True),
        "pelican cached, one file touched": _median(
            runs, command, site, before=lambda: first.write_text(first.read_text() + f"\nEdit {next(counter)}.\n")
        ),
    }


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


def _median(
    runs: int, command: list[str], cwd: Path, before: Callable[[], None] | None = None, memory: bool = False
) -> tuple[float, float]:
    times, peaks = [], []
    for _ in range(runs):
        if before:
            before()
        seconds, peak = _run(command, cwd, memory)
        times.append(seconds)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def _run(command: list[str], cwd: Path, memory: bool) -> tuple[float, float]:
    """Wall time, and (when asked, by sampling every 50 ms) the process tree's peak PSS in MB."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while memory and process.poll() is None:
        peak = max(peak, _tree_pss(process.pid))
        time.sleep(0.05)
    _, errors = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{errors.decode(errors='replace')}")
    return seconds, peak / 1024


def _tree_pss(root: int) -> int:
    """kB of PSS of `root` and all its descendants."""
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
    total = 0
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def _tool(name: str) -> str | None:
    """A peer's command, from this Python's environment (the `bench` extra) or the PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def _memory_gb() -> float:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30


def _targets(results: dict[int, dict[str, tuple[float, float]]]) -> None:
    print("\nTargets")
    checks: list[tuple[str, bool]] = []
    big = results.get(10000)
    if big:
        if "hugo cold build" in big:
            checks.append(
                ("N=10,000 cold build no slower than Hugo's", big["ours cold build"][0] <= big["hugo cold build"][0])
            )
        checks.append(("N=10,000 no-op rebuild ≤ 0.5 s", big["ours no-op rebuild"][0] <= 0.5))
        checks.append(("N=10,000 one-release edit ≤ 0.5 s (build command)", big["ours one-release edit"][0] <= 0.5))
        serve_edit = big["ours serve: one-release rebuild"][0]
        checks.append(("N=10,000 one-release edit ≤ 0.5 s (serve's rebuild)", serve_edit <= 0.5))
        checks.append(("N=10,000 peak memory ≤ 300 MB", big["ours cold build"][1] <= 300))
    middle = results.get(5000)
    if middle and "pelican cold build" in middle:
        ratio = middle["pelican cold build"][0] / middle["ours cold build"][0]
        checks.append((f"N=5,000 cold build ≥ 4× faster than Pelican ({ratio:.1f}×)", ratio >= 4))
    if big and middle:
        growth = big["ours cold build"][0] / middle["ours cold build"][0]
        checks.append((f"cold build 10,000 / 5,000 ≤ 2.2 ({growth:.2f})", growth <= 2.2))
    for text, passed in checks:
        print(f"  {'PASS' if passed else 'MISS'}  {text}")


if __name__ == "__main__":
    main()
