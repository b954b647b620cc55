"""Figures summed over groups of releases: per year, per force, for the whole archive.

Releases overlap (one operation is reported by several forces, and again at each
sentencing), so a total is what the releases report, not a count of distinct people. A kind no
release of a group reports has no sum (None), which pages show as "not reported": a 0 is a
release that said zero.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from generator.model import Article
from generator.reading.figures import KINDS

UNDATED = "Undated"
ALL = "All releases"
_NONE: tuple[None, ...] = (None,) * len(KINDS)


@dataclass(frozen=True)
class Totals:
    """A group of releases: its name, its page, how many releases, and each kind's sum."""

    label: str
    url: str | None
    releases: int
    sums: tuple[float | None, ...]  # in the order of `figures.KINDS`; None where no release reports it


def totals(label: str, url: str | None, articles: Sequence[Article]) -> Totals:
    reporting = [article.largest for article in articles if article.figures]
    sums = tuple(map(_sum, zip(*reporting, strict=True))) if reporting else _NONE
    return Totals(label, url, len(articles), sums)


def _sum(column: tuple[float | None, ...]) -> float | None:
    """The sum of the figures of one kind, None if no release reports it (a 0 is a release that
    said zero)."""
    reported = [value for value in column if value is not None]
    return round(sum(reported), 2) if reported else None


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
