"""Figures summed over groups of releases: per year, per force, for the whole archive.

Releases overlap (one operation is reported by several forces, and again at each
sentencing), so a total is what the releases report, not a count of distinct people.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from generator.model import Article
from generator.reading.figures import KINDS


@dataclass(frozen=True)
class Totals:
    """A group of releases: its name, its page, how many releases, and each kind's sum."""

    label: str
    url: str | None
    releases: int
    sums: tuple[float, ...]  # in the order of `figures.KINDS`


def totals(label: str, url: str | None, articles: Sequence[Article]) -> Totals:
    sums = [0.0] * len(KINDS)
    for article in articles:
        if article.figures:
            for index, value in enumerate(values(article)):
                sums[index] += value or 0.0
    return Totals(label, url, len(articles), tuple(round(value, 2) for value in sums))


@lru_cache(maxsize=1 << 16)
def values(article: Article) -> tuple[float | None, ...]:
    """A release's figure of each kind (in the order of `figures.KINDS`), None where it gives none;
    each release is summed into several totals, so this is worked out once."""
    largest: dict[str, float] = {}  # one pass over the figures, not one per kind
    for figure in article.figures:
        if figure.value > largest.get(figure.kind, float("-inf")):
            largest[figure.kind] = figure.value
    return tuple(largest.get(kind.name) for kind in KINDS)


def by_year(articles: Sequence[Article], url_of: Callable[[int], str] | None = None) -> tuple[Totals, ...]:
    """Oldest year first, as a time series reads; undated releases are left out."""
    years: dict[int, list[Article]] = {}
    for article in articles:
        if article.published is not None:
            years.setdefault(article.published.year, []).append(article)
    return tuple(totals(str(year), url_of(year) if url_of else None, years[year]) for year in sorted(years))
