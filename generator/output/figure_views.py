"""Figures as pages show them: an article's key figures, and charts and tables of totals, with
the files they download as (each table as CSV, each chart as SVG)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from generator.model import Article, Page
from generator.output.charts import Chart, amount, bar_chart, svg
from generator.output.opendata import plain, spreadsheet_safe
from generator.reading.config import Config
from generator.reading.figures import BY_NAME, KINDS, Kind
from generator.site.tally import Totals, chart_file, reported, series

AS_REPORTED = "as reported in releases"
# Quotes a release's panel shows before "more": it must leave the story's first paragraph on a
# phone's first screen, however many figures a release gives.
PANEL_QUOTES = 3
_SINGULAR = {
    "people": "person",
    "arrests": "arrest",
    "offences": "offence",
    "lines": "line",
    "weapons": "weapon",
    "warrants": "warrant",
}
# Table headings short enough for every kind side by side; each carries its kind's full label.
_SHORT = {
    "people_charged": "Charged",
    "offences_charged": "Offences",
    "safeguarded": "Safe\u00adguarded",
    "drugs_kg": "Drugs kg",
    "drugs_value": "Drugs £",
    "cash_seized": "Cash £",
    "weapons_seized": "Weapons",
    "people_sentenced": "Sentenced",
    "sentence_years": "Prison",
    "warrants": "Warrants",
}
_UNITS = {"kg": " (kg)", "GBP": " (£)"}


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
class Panel:
    """An article's key figures: the first quotes, and the rest behind a "more"."""

    first: tuple[Quote, ...]
    more: tuple[Quote, ...]


@dataclass(frozen=True)
class Heading:
    text: str
    title: str | None = None  # the kind's full label, where the heading shortens it


@dataclass(frozen=True)
class Cell:
    text: str | None  # None: not reported (a 0 is a release that said zero)
    url: str | None = None


@dataclass(frozen=True)
class Table:
    caption: str
    headings: tuple[Heading, ...]
    rows: tuple[tuple[Cell, ...], ...]
    foot: tuple[Cell, ...] | None = None  # the totals row
    download: str | None = None  # the site-relative URL of the table as CSV


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


def panel(article: Article) -> Panel | None:
    """The key figures as a release's page shows them: a few lines, the rest a click away."""
    quotes = key_figures(article)
    return Panel(tuple(quotes[:PANEL_QUOTES]), tuple(quotes[PANEL_QUOTES:])) if quotes else None


def totals_table(
    caption: str, heading: str, groups: Sequence[Totals], total: Totals, download: str | None = None
) -> Table:
    """One row per group: its name, its releases and the sum of each kind some group reports."""
    kinds = reported([*groups, total])
    headings = (Heading(heading), Heading("Releases"), *(_short(KINDS[index]) for index in kinds))
    rows = tuple(_cells(group, kinds) for group in groups)
    return Table(caption, headings, rows, _cells(total, kinds), download)


def table_csv(page: Page, config: Config, body: Callable[[str], str]) -> str:
    """A table of totals as CSV: its rows and columns, the kinds by their open-data names, numbers
    as plain as the open data's (decimal years), empty where not reported."""
    groups, total = page.params["groups"], page.params["all"]
    kinds = reported([*groups, total])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([page.params["heading"].lower(), "releases", *(KINDS[index].name for index in kinds)])
    for group in (*groups, total):
        numbers = plain(tuple(group.sums[index] for index in kinds))
        writer.writerow([spreadsheet_safe(group.label), group.releases, *numbers])
    return out.getvalue()


def charts(groups_by_year: Sequence[Totals], force: str | None, folder: str) -> list[Chart]:
    """Releases per year, then each kind reported per year, of one force or (None) all; their files
    are in `folder`."""
    return [chart(name, "year", groups_by_year, force, folder) for name in series(groups_by_year)]


def chart(name: str, per: str, groups: Sequence[Totals], force: str | None, folder: str | None = None) -> Chart:
    """The chart of `name` (`releases` or a kind) per `year` (in the order given) or per `force`
    (the busiest first), of one force or (None) all; `folder` is where its page, and so its file, is."""
    scope = f" in {force}" if force else ""
    if per == "force":
        groups = sorted(groups, key=lambda group: (-group.releases, group.label.casefold()))
    rows: list[tuple[str, float | None]]
    if name == "releases":
        title, unit, heading = f"Releases per {per}{scope}", name, "Releases"
        rows = [(group.label, float(group.releases)) for group in groups]
    else:
        kind = BY_NAME[name]
        title, unit, heading = f"{kind.label.capitalize()} per {per}{scope}, {AS_REPORTED}", kind.unit, _full(kind)
        rows = [(group.label, group.sums[KINDS.index(kind)]) for group in groups]
    file = chart_file(name, per)
    download = None if folder is None else folder + file
    return bar_chart(file.removesuffix(".svg"), title, rows, unit, per.capitalize(), heading.capitalize(), download)


def chart_svg(page: Page, config: Config, body: Callable[[str], str]) -> str:
    """A chart as a file of its own, to download."""
    params = page.params
    return svg(chart(params["series"], params["per"], params["groups"], params["force"]), standalone=True) + "\n"


def _full(kind: Kind) -> str:
    return kind.label + _UNITS.get(kind.unit, "")


def _short(kind: Kind) -> Heading:
    short = _SHORT.get(kind.name)
    return Heading(short, _full(kind)) if short else Heading(kind.label.capitalize())


def _cells(group: Totals, kinds: list[int]) -> tuple[Cell, ...]:
    sums = (_cell(group.sums[index], KINDS[index]) for index in kinds)
    return (Cell(group.label, group.url), Cell(f"{group.releases:,}"), *sums)


def _cell(value: float | None, kind: Kind) -> Cell:
    """A sum in its column: the column's heading gives its unit, but for years and months."""
    return Cell(None if value is None else amount(value, "years" if kind.unit == "years" else ""))
