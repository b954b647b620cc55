"""Bar charts drawn at build time as SVG, for pages that read without JavaScript.

A chart is laid out and drawn here, in Python, so that the same drawing is inline in its page
and a file to download (`svg`). Text in SVG does not wrap or shrink to fit, so the layout
measures it (`text_width`, erring wide): labels wrap onto more lines rather than run out of the
picture, and the room after the longest bar fits the longest value. Each chart comes with its
data as a table and a sentence that says what it shows, for readers who cannot see it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from generator.words import plural

# The SVG's coordinate system: its viewBox is WIDTH wide; text is sized in the same units.
WIDTH = 440
FONT = 13
FONTS = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
LABEL_MAX = 180  # the widest a label column grows; longer names wrap
GAP = 8  # between a label and its bar, and between rows
LINE = 15  # a wrapped label's line height
BAR = 16
TITLE_LINE = 18  # a line of the title, in a chart's file (in a page, the figcaption holds it)
BOLD = 1.1  # how much wider bold text draws
NOT_REPORTED = "not reported"
# Colours of the light scheme, as attributes: the page's stylesheet overrides them (its dark
# scheme), and a chart's file, shown by itself, keeps them.
INK, MUTED, BAR_FILL, PAPER = "#1a1d21", "#4b535c", "#0a4a86", "#ffffff"
# Character widths in ems, at least those of DejaVu Sans (the widest common system sans).
_NARROW = frozenset(" ,.:;'!|()[]ijlfrt")
_WIDE = frozenset("mwMW@%…")


@dataclass(frozen=True)
class Bar:
    label: str  # in full, for the table
    lines: tuple[str, ...]  # the label as it wraps beside the bar
    text: str | None  # the value as shown; None where it is not reported
    y: float  # the top of the bar
    width: float


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str  # what the chart shows, in a sentence
    label_heading: str  # the table's first column
    value_heading: str
    bars: tuple[Bar, ...]
    height: float
    label_width: float
    download: str | None = None  # the site-relative URL of the chart's file
    width: int = WIDTH

    @property
    def drawing(self) -> Markup:
        """The SVG as a template places it in its page."""
        return Markup(svg(self))


def bar_chart(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, float | None]],
    unit: str,
    label_heading: str,
    value_heading: str,
    download: str | None = None,
) -> Chart:
    """Horizontal bars, one per (label, value), in the order given; a value of None is not reported."""
    wrapped = [_wrap(label, LABEL_MAX) for label, _ in rows]
    texts = [None if value is None else amount(value, unit, tonnes=False) for _, value in rows]
    label_width = round(max((text_width(line) for lines in wrapped for line in lines), default=0) + GAP, 1)
    value_room = max((text_width(NOT_REPORTED if text is None else text) for text in texts), default=0) + GAP
    room = WIDTH - label_width - value_room
    longest = max((value or 0 for _, value in rows), default=0) or 1
    bars, top = [], 0.0
    for (label, value), lines, text in zip(rows, wrapped, texts, strict=True):
        height = max(BAR, LINE * len(lines))
        width = round(room * (value or 0) / longest, 1)
        bars.append(Bar(label, lines, text, round(top + (height - BAR) / 2, 1), width))
        top += height + GAP
    description = _describe(title, rows, unit)
    return Chart(chart_id, title, description, label_heading, value_heading, tuple(bars), top, label_width, download)


def amount(value: float, unit: str, tonnes: bool = True) -> str:
    """`1,135`, `£1,200,000`, `2.5 kg`, `2 tonnes`, `479 years 4 months`: whole numbers without
    decimals. A chart's values are compared with each other, so a chart gives them all in kg."""
    if unit == "years":
        return _years(value)
    if unit == "kg" and value >= 1000 and tonnes:
        return f"{_number(value / 1000)} tonne{'' if value == 1000 else 's'}"
    number = _number(value)
    if unit == "GBP":
        return f"£{number}"
    if unit == "kg":
        return f"{number} kg"
    return number


def _years(value: float) -> str:
    """A sentence as it is read, in years and months (the extractor counts a month as a twelfth)."""
    years, months = divmod(round(value * 12), 12)
    parts = [f"{years:,}\u00a0year{'' if years == 1 else 's'}"] if years or not months else []
    if months:
        parts.append(f"{months}\u00a0month{'' if months == 1 else 's'}")
    return " ".join(parts)


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")


def text_width(text: str, size: float = FONT) -> float:
    """How wide `text` draws at `size`, erring wide: the layout must not be outgrown by the font."""
    return size * sum(0.4 if c in _NARROW else 1.0 if c in _WIDE else 0.8 if c.isupper() else 0.64 for c in text)


def _wrap(text: str, room: float) -> tuple[str, ...]:
    """The words in lines no wider than `room`; a word wider than that (none of the forces' names
    has one) is cut short with an ellipsis."""
    lines: list[str] = []
    for word in text.split():
        while text_width(word) > room:
            word = word[:-2] + "…"
        if lines and text_width(f"{lines[-1]} {word}") <= room:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return tuple(lines) or ("",)


def _describe(title: str, rows: Sequence[tuple[str, float | None]], unit: str) -> str:
    """The sentence a screen reader reads for the chart: its extent and its extremes."""
    shown = [(label, value) for label, value in rows if value is not None]
    if not shown:
        return f"{title}: nothing to show."
    high = max(shown, key=lambda row: row[1])
    low = min(shown, key=lambda row: row[1])
    text = f"{title}: {plural(len(rows), 'bar')}, from {rows[0][0]} to {rows[-1][0]}. Highest: {high[0]}, {amount(high[1], unit, tonnes=False)}."
    if len(shown) > 1:
        text += f" Lowest: {low[0]}, {amount(low[1], unit, tonnes=False)}."
    if len(shown) < len(rows):
        text += f" Not reported: {', '.join(label for label, value in rows if value is None)}."
    return text


def svg(chart: Chart, standalone: bool = False) -> str:
    """The chart's SVG. In a page, the figure's caption is its title; as a file (`standalone`) it
    draws its title, on a background of its own, and opens with an XML declaration."""
    title = _wrap(chart.title, chart.width / BOLD) if standalone else ()
    room = len(title) * TITLE_LINE + GAP if standalone else 0
    height = chart.height + room
    names = f"{chart.id}-file-title {chart.id}-desc" if standalone else f"{chart.id}-title {chart.id}-desc"
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" viewBox="0 0 {chart.width} {height:g}" '
        f'width="{chart.width}" height="{height:g}" role="img" aria-labelledby="{names}" '
        f'font-family="{FONTS}" font-size="{FONT}">'
    ]
    if standalone:
        head.insert(0, '<?xml version="1.0" encoding="UTF-8"?>')
        head.append(f'<title id="{chart.id}-file-title">{escape(chart.title)}</title>')
    head.append(f'<desc id="{chart.id}-desc">{escape(chart.description)}</desc>')
    if standalone:
        head.append(f'<rect width="100%" height="100%" fill="{PAPER}"></rect>')
        lines = "".join(
            f'<tspan x="2" y="{FONT + TITLE_LINE * row}">{escape(line)}</tspan>' for row, line in enumerate(title)
        )
        head.append(f'<text font-weight="700" fill="{INK}">{lines}</text>')
        head.append(f'<g transform="translate(0 {room})">')
    body = [_bar(chart, bar) for bar in chart.bars]
    return "\n".join([*head, *body, *(["</g>"] if standalone else []), "</svg>"])


def _bar(chart: Chart, bar: Bar) -> str:
    """One bar: its label's lines right-aligned before it, its value (or "not reported") after it."""
    first = bar.y + BAR / 2 - LINE * (len(bar.lines) - 1) / 2 + 4.5  # the lines centred on the bar
    label = "".join(
        f'<tspan x="{chart.label_width - GAP:g}" y="{first + LINE * row:g}">{escape(line)}</tspan>'
        for row, line in enumerate(bar.lines)
    )
    value_x = chart.label_width + bar.width + GAP / 2
    value = (
        f'<text class="chart-value" x="{value_x:g}" y="{bar.y + 12.5:g}" fill="{INK}">{escape(bar.text)}</text>'
        if bar.text is not None
        else f'<text class="chart-value chart-none" x="{value_x:g}" y="{bar.y + 12.5:g}" fill="{MUTED}">{NOT_REPORTED}</text>'
    )
    return (
        f'<g><text class="chart-label" text-anchor="end" fill="{INK}">{label}</text>'
        f'<rect class="chart-bar" x="{chart.label_width:g}" y="{bar.y:g}" width="{bar.width:g}" height="{BAR}" fill="{BAR_FILL}"></rect>'
        f"{value}</g>"
    )
