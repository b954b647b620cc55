"""Figures summed over groups of releases: per year, per force, for the whole archive.

Releases overlap (one operation is reported by several forces, and again at each
sentencing), so a total is what the releases report, not a count of distinct people. A kind no
release of a group reports has no sum (None), which pages show as "not reported": a 0 is a
release that said zero.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from generator.model import Article
from generator.reading.figures import KINDS

UNDATED = "Undated"
ALL = "All releases"


@dataclass(frozen=True)
class Totals:
    """A group of releases: its name, its page, how many releases, and each kind's sum."""

    label: str
    url: str | None
    releases: int
    sums: tuple[float | None, ...]  # in the order of `figures.KINDS`; None where no release reports it


def totals(label: str, url: str | None, articles: Sequence[Article]) -> Totals:
    sums: list[float | None] = [None] * len(KINDS)
    for article in articles:
        if article.figures:
            for index, value in enumerate(values(article)):
                if value is not None:
                    sums[index] = (sums[index] or 0.0) + value
    return Totals(label, url, len(articles), tuple(None if s is None else round(s, 2) for s in sums))


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
    """Oldest year first, as a time series reads, then the undated releases (if any): the rows add
    up to the whole."""
    years: dict[int, list[Article]] = {}
    undated = []
    for article in articles:
        if article.published is None:
            undated.append(article)
        else:
            years.setdefault(article.published.year, []).append(article)
    rows = [totals(str(year), url_of(year) if url_of else None, years[year]) for year in sorted(years)]
    return (*rows, *([totals(UNDATED, None, undated)] if undated else []))


def reported(groups: Sequence[Totals]) -> list[int]:
    """The kinds (their places in `KINDS`) that some group reports, zero included."""
    return [index for index in range(len(KINDS)) if any(group.sums[index] is not None for group in groups)]


def series(groups: Sequence[Totals]) -> list[str]:
    """What is charted per group: the releases, then each kind some group reports."""
    return ["releases", *(KINDS[index].name for index in reported(groups))]


def table_file(per: str) -> str:
    """The file a table of totals per `year` or `force` downloads as, beside its page."""
    return f"per-{per}.csv"


def chart_file(name: str, per: str) -> str:
    """The file a chart of `name` (`releases` or a kind) per `year` or `force` downloads as, beside its page."""
    return f"{name.replace('_', '-')}-per-{per}.svg"
