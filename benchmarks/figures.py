"""How well and how fast the figures extractor reads: precision and recall per kind on labelled
sentences, and milliseconds a release on the benchmark corpus.

    python -m benchmarks.figures              # the development half and the tuning sentences
    python -m benchmarks.figures --test-half  # also the held-out test halves (score them once, at the end)

The labelled sets are in `tests/data/`: `figures_labelled.yaml` (the sentences the patterns were
first written on), `figures_eval_dev.yaml` and `figures_eval_test.yaml` (written blind by a session
that never saw the extractor, split once at random; tune on the development half only). Each
sentence goes the way a release's body does: Markdown to HTML, HTML to the text figures are read
from, then the extractor. A figure is right when its kind and value (to two decimals) are labelled
for that sentence; a value labelled twice must be found twice.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from benchmarks.corpus import generate
from generator.reading.body import render_markdown
from generator.reading.content import read_article
from generator.reading.figures import KINDS, body_text, extract
from generator.reading.forces import load_registry

DATA = Path(__file__).parent.parent / "tests" / "data"
SETS = {
    "tuning sentences": DATA / "figures_labelled.yaml",
    "development half": DATA / "figures_eval_dev.yaml",
    "second development half": DATA / "figures_eval2_dev.yaml",
    "third development set": DATA / "figures_eval3_dev.yaml",
}
TEST_HALVES = {
    "test half (held out)": DATA / "figures_eval_test.yaml",
    "second test half (held out)": DATA / "figures_eval2_test.yaml",
}
PRECISION, RECALL, SPEED_MS = 0.97, 0.90, 0.5

Pair = tuple[str, float]


@dataclass
class Score:
    """Counts of right, spurious and missed figures, per kind."""

    right: Counter[str] = field(default_factory=Counter)
    spurious: Counter[str] = field(default_factory=Counter)
    missed: Counter[str] = field(default_factory=Counter)

    def add(self, found: list[Pair], labelled: list[Pair]) -> tuple[list[Pair], list[Pair]]:
        """Count one sentence; its spurious and missed figures."""
        left = Counter(labelled)
        spurious = []
        for pair in found:
            if left[pair] > 0:
                left[pair] -= 1
                self.right[pair[0]] += 1
            else:
                spurious.append(pair)
                self.spurious[pair[0]] += 1
        missed = list(left.elements())
        for kind, _ in missed:
            self.missed[kind] += 1
        return spurious, missed

    def precision(self, kind: str | None = None) -> float:
        right, spurious = self._counts(kind)
        return right / (right + spurious) if right + spurious else 1.0

    def recall(self, kind: str | None = None) -> float:
        right = self._counts(kind)[0]
        missed = self.missed[kind] if kind else sum(self.missed.values())
        return right / (right + missed) if right + missed else 1.0

    def _counts(self, kind: str | None) -> tuple[int, int]:
        if kind:
            return self.right[kind], self.spurious[kind]
        return sum(self.right.values()), sum(self.spurious.values())


def labelled_pairs(figures: dict[str, float | list[float]]) -> list[Pair]:
    pairs = []
    for kind, values in figures.items():
        for value in values if isinstance(values, list) else [values]:
            pairs.append((kind, round(float(value), 2)))
    return pairs


def read_sentence(text: str) -> list[Pair]:
    """The figures the extractor finds in `text` read as a release body."""
    return [(figure.kind, round(figure.value, 2)) for figure in extract(body_text(render_markdown(text)))]


def score(path: Path, show: bool = False) -> Score:
    result = Score()
    for item in yaml.safe_load(path.read_text(encoding="utf-8")):
        spurious, missed = result.add(read_sentence(item["text"]), labelled_pairs(item["figures"] or {}))
        if show and (spurious or missed):
            print(f"\n  {item['text']!r}\n    spurious {spurious}  missed {missed}  ({item.get('family', '')})")
    return result


def report(name: str, result: Score, targets: bool) -> list[bool]:
    print(f"\n{name}: precision {result.precision():.3f}, recall {result.recall():.3f}")
    for kind in KINDS:
        counted = result.right[kind.name] + result.spurious[kind.name] + result.missed[kind.name]
        if counted:
            print(
                f"  {kind.name:18} P {result.precision(kind.name):.2f}  R {result.recall(kind.name):.2f}"
                f"  ({result.right[kind.name]} right, {result.spurious[kind.name]} spurious,"
                f" {result.missed[kind.name]} missed)"
            )
    if not targets:
        return []
    return [
        _verdict(f"{name}: precision ≥ {PRECISION}", result.precision() >= PRECISION),
        _verdict(f"{name}: recall ≥ {RECALL}", result.recall() >= RECALL),
    ]


def speed(corpus: Iterable[Path], runs: int = 5) -> float:
    """Milliseconds of CPU a release to extract figures from bodies read and rendered as a build does
    (the median of `runs`; CPU time, so that other work on a shared machine counts less)."""
    registry = load_registry()
    texts = [body_text(read_article(path, path.read_bytes(), registry).body_html) for path in corpus]
    times = []
    for _ in range(runs):
        started = time.process_time()
        for text in texts:
            extract(text)
        times.append((time.process_time() - started) / len(texts) * 1000)
    return statistics.median(times)


def _verdict(line: str, passed: bool) -> bool:
    print(f"  {'PASS' if passed else 'MISS'}  {line}")
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--test-half", action="store_true", help="also score the held-out test half")
    parser.add_argument("--show", action="store_true", help="print each sentence read wrong (not the test half)")
    parser.add_argument("--releases", type=int, default=1000, help="releases of the benchmark corpus to time")
    options = parser.parse_args(argv)
    verdicts = []
    for name, path in SETS.items():
        verdicts += report(name, score(path, options.show), targets="development" in name)
    if options.test_half:
        for name, path in TEST_HALVES.items():
            verdicts += report(name, score(path), targets=True)
    with tempfile.TemporaryDirectory() as folder:
        generate(options.releases, Path(folder))
        milliseconds = speed(sorted(Path(folder).glob("*.txt")))
    print(f"\nspeed: {milliseconds:.3f} ms of CPU a release ({options.releases} synthetic releases, median of 5)")
    verdicts.append(_verdict(f"extractor ≤ {SPEED_MS} ms a release", milliseconds <= SPEED_MS))
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
