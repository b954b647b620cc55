"""Figures as pages show them: an article's key figures, and charts and tables of totals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.model import Article
from generator.output.charts import Chart, amount, bar_chart
from generator.reading.figures import BY_NAME, KINDS
from generator.site.tally import Totals

AS_REPORTED = "as reported in releases"
_SINGULAR = {"people": "person", "arrests": "arrest", "offences": "offence", "lines": "line", "weapons": "weapon", "warrants": "warrant"}


@dataclass(frozen=True)
class KeyFigure:
    """One figure in an article's panel: `587 people charged`."""

    kind: str
    value: float
    text: str


@dataclass(frozen=True)
class Quote:
    """The figures one sentence gives, with the sentence (none for figures entered by hand)."""

    figures: tuple[KeyFigure, ...]
    sentence: str
    by_hand: bool


@dataclass(frozen=True)
class Cell:
    text: str
    url: str | None = None


@dataclass(frozen=True)
class Table:
    caption: str
    headings: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    foot: tuple[Cell, ...] | None = None  # the totals row


def key_figures(article: Article) -> list[Quote]:
    """The article's figures, grouped by the sentence they came from, in the order they appear."""
    quotes: dict[tuple[str, bool], list[KeyFigure]] = {}
    for figure in article.figures:
        number = amount(figure.value, figure.unit)
        if figure.high is not None:
            number = f"{number}–{amount(figure.high, figure.unit)}"
        text = BY_NAME[figure.kind].phrase.format(f"{figure.qualifier} {number}".strip())
        if figure.value == 1 and figure.high is None:
            text = " ".join(_SINGULAR.get(word, word) for word in text.split(" "))
        quotes.setdefault((figure.sentence, figure.by_hand), []).append(KeyFigure(figure.kind, figure.value, text))
    return [Quote(tuple(figures), sentence, hand) for (sentence, hand), figures in quotes.items()]


def reported(groups: Sequence[Totals]) -> list[int]:
    """The kinds (their places in `KINDS`) that some group reports."""
    return [index for index in range(len(KINDS)) if any(group.sums[index] for group in groups)]


def totals_table(caption: str, heading: str, groups: Sequence[Totals], total: Totals | None = None) -> Table:
    """One row per group: its name, its releases and the sum of each kind some group reports."""
    kinds = reported([*groups, *([total] if total else [])])
    headings = (heading, "Releases", *(_heading(index) for index in kinds))
    rows = tuple(_cells(group, kinds) for group in groups)
    return Table(caption, headings, rows, _cells(total, kinds) if total else None)


def charts(groups_by_year: Sequence[Totals], scope: str, id_prefix: str) -> list[Chart]:
    """Releases per year, then each kind reported per year."""
    found = [
        bar_chart(
            f"{id_prefix}-releases",
            f"Releases per year{scope}",
            [(group.label, group.releases) for group in groups_by_year],
            "releases",
            "Year",
            "Releases",
        )
    ]
    for index in reported(groups_by_year):
        kind = KINDS[index]
        found.append(
            bar_chart(
                f"{id_prefix}-{kind.name.replace('_', '-')}",
                f"{kind.label.capitalize()} per year{scope}, {AS_REPORTED}",
                [(group.label, group.sums[index]) for group in groups_by_year],
                kind.unit,
                "Year",
                _heading(index),
            )
        )
    return found


def _heading(index: int) -> str:
    kind = KINDS[index]
    unit = {"kg": " (kg)", "GBP": " (£)"}.get(kind.unit, "")
    return kind.label.capitalize() + unit


def _cells(group: Totals, kinds: list[int]) -> tuple[Cell, ...]:
    sums = (Cell(amount(group.sums[index], "")) for index in kinds)
    return (Cell(group.label, group.url), Cell(f"{group.releases:,}"), *sums)
