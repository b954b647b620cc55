"""Bar charts drawn at build time as inline SVG, for pages that read without JavaScript.

A chart is laid out here, in Python, and drawn by `partials/bar_chart.html`: the template only
places what this module measured. Each chart comes with its data as a table and a sentence
that says what it shows, for readers who cannot see it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# The SVG's coordinate system: its viewBox is WIDTH wide; text is sized in the same units.
WIDTH = 640
LABEL_WIDTH = 200  # names right-aligned in this column, bars to the right of it
VALUE_ROOM = 90  # room after the longest bar for its value
ROW = 24
BAR = 16
TOP = 4
_LABEL_CHARS = 28  # about what fits in LABEL_WIDTH at the chart's font size


@dataclass(frozen=True)
class Bar:
    label: str  # in full, for the table
    short: str  # as it fits beside the bar
    text: str  # the value as shown
    y: int
    width: float


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str  # what the chart shows, in a sentence
    label_heading: str  # the table's first column
    value_heading: str
    bars: tuple[Bar, ...]
    height: int
    bar_height: int = BAR
    label_width: int = LABEL_WIDTH
    width: int = WIDTH


def bar_chart(
    chart_id: str, title: str, rows: Sequence[tuple[str, float]], unit: str, label_heading: str, value_heading: str
) -> Chart:
    """Horizontal bars, one per (label, value), in the order given."""
    longest = max((value for _, value in rows), default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    bars = tuple(
        Bar(label, _fit(label), amount(value, unit, tonnes=False), TOP + index * ROW, round(room * value / longest, 1))
        for index, (label, value) in enumerate(rows)
    )
    return Chart(
        chart_id,
        title,
        _describe(title, rows, unit),
        label_heading,
        value_heading,
        bars,
        TOP * 2 + ROW * len(rows),
    )


def amount(value: float, unit: str, tonnes: bool = True) -> str:
    """`1,135`, `£1,200,000`, `2.5 kg`, `2 tonnes`, `8.33 years`: whole numbers without decimals.
    A chart's values are compared with each other, so a chart gives them all in kg."""
    if unit == "kg" and value >= 1000 and tonnes:
        return f"{_number(value / 1000)} tonne{'' if value == 1000 else 's'}"
    number = _number(value)
    if unit == "GBP":
        return f"£{number}"
    if unit in ("kg", "years"):
        return f"{number} {unit if unit == 'kg' or value != 1 else 'year'}"
    return number


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")


def _fit(label: str) -> str:
    return label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1].rstrip() + "…"


def _describe(title: str, rows: Sequence[tuple[str, float]], unit: str) -> str:
    """The sentence a screen reader reads for the chart: its extent and its extremes."""
    if not rows:
        return f"{title}: nothing to show."
    high = max(rows, key=lambda row: row[1])
    low = min(rows, key=lambda row: row[1])
    text = f"{title}: {len(rows)} bars, from {rows[0][0]} to {rows[-1][0]}. Highest: {high[0]}, {amount(high[1], unit, tonnes=False)}."
    if len(rows) > 1:
        text += f" Lowest: {low[0]}, {amount(low[1], unit, tonnes=False)}."
    return text
