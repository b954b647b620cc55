"""Figures a release gives as a table, or as a list of labelled results ("Arrests: 71"), as
weeks-of-action releases often do:

    | Result            | Total      |        | Area     | Arrests | Warrants |
    | Arrests           | 71         |        | North    | 24      | 7        |
    | Cash seized       | £18,405.60 |        | Total    | 42      | 12       |

A number's kind is read from its row's label, or else from its column's heading, and from the
number itself (a count, a sum of money, a weight). Rows that break a total down (by area, by
day) are left out when the table has a total row: the total is the figure.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import NamedTuple

from generator.reading.numbers import Mention, find_numbers

# Rows and columns that count something that is not a figure of any kind.
_NOT_A_FIGURE = re.compile(
    r"\b(?:(?:mobile )?phones?|sims?|vehicles?|cars?|officers?|staff|agenc\w*|partners?|forces|visits?|stop|"
    r"searche[sd]|reports?|educat\w*|schools?|engagements?|intelligence|orders?|plants?|wraps?|address\w*|"
    r"premises|doors?|leaflets?|tests?)\b"
)
_IN_KG = re.compile(r"\((?:in )?kg\)|\bkilos?\b|\bkilograms?\b")
_TOTAL_ROW = re.compile(r"(?:grand )?total|overall|all\b|combined")
_DRUG = re.compile(
    r"drug|cocaine|crack|heroin|cannabis|amphetamine|ketamine|mdma|ecstasy|spice|diamorphine|class [abc]|skunk|"
    r"herbal|spice|methamphetamine|pills|tablets"
)
_LABELLED = re.compile(r"\s*(?P<label>[^\d£:–—]{3,60}?)\s*(?::|\s[–—-])\s*(?P<value>£?\s?\d[^:]{0,40}?)[.;]?\s*")
_SENTENCE = re.compile(r"sentence|term|jail|prison|custod")
# (kind, the kinds of number it reads, the words of a label that name it), tried in order.
_LABELS: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (kind, numbers, re.compile(words))
    for kind, numbers, words in (
        ("warrants", "c", r"warrant"),
        ("cash_seized", "m", r"cash|money|currency"),
        ("drugs_value", "m", rf"{_DRUG.pattern}|value|worth"),
        ("drugs_kg", "k", r"."),
        ("offences_charged", "c", r"offences|charges\b|counts\b"),
        ("people_charged", "c", r"charged|summons"),
        ("arrests", "c", r"arrest|detain|custody"),
        ("lines_closed", "c", r"\blines?\b"),
        ("safeguarded", "c", r"safeguard|rescu|protect|referr|vulnerable"),
        ("weapons_seized", "c", r"weapon|kni(?:fe|ves)|firearm|\bguns?\b|machete|blade|sword|crossbow"),
        ("people_sentenced", "c", r"sentenced|jailed|convicted"),
        ("sentence_years", "c", r"years|imprisonment|sentences\b"),
    )
)


class Row(NamedTuple):
    """A table's row as `extract` finds it: where it starts in the text, and its cells."""

    start: int
    text: str
    lowered: str


class Found(NamedTuple):
    """A number of a table and its kind; the row, as a sentence, and where the row starts."""

    kind: str
    mention: Mention
    sentence: str
    offset: int


def table_figures(rows: Sequence[Row]) -> list[Found]:
    """The figures of one table, the first row being its headings."""
    if len(rows) < 2:
        return []
    headings = _cells(rows[0].lowered)
    body = [row for row in rows[1:] if _cells(row.lowered)]
    totals = [row for row in body if _TOTAL_ROW.match(_cells(row.lowered)[0][1].strip())]
    figures = []
    for row in totals or body:
        cells = _cells(row.lowered)
        label = cells[0][1]
        for column, (offset, cell) in enumerate(cells[1:], 1):
            heading = headings[column][1] if column < len(headings) else ""
            for mention, unit_kind in _cell_numbers(cell, f"{label} {heading}"):
                kind = unit_kind or _kind(label, heading, cell[mention.end :], mention)
                if kind:
                    sentence = " | ".join(text.strip() for text in row.text.split("\t")[:-1])
                    figures.append(Found(kind, mention, sentence, row.start + offset))
    return figures


def labelled_figures(row: Row) -> list[Found]:
    """The figures of a line that is a label and its numbers ("Arrests: 71", "Cash seized – £18,405"),
    read as a table's row."""
    match = _LABELLED.fullmatch(row.lowered)
    if match is None:
        return []
    figures = []
    for mention in find_numbers(match["value"]):
        kind = _kind(match["label"], "", match["value"][mention.end :], mention)
        if kind:
            figures.append(Found(kind, mention, row.text.strip(), row.start + match.start("value")))
    return figures


def _cell_numbers(cell: str, names: str) -> list[tuple[Mention, str | None]]:
    """A cell's numbers, a total's breakdown left out ("9 (including 6 knives)"), each with the kind
    its unit settles: a sentence's length in years ("8 years 4 months" is 8.33; "18 months" is 1.5
    where the row or column names a sentence)."""
    cell = re.split(r"\(|\binclud|\bamong", cell, maxsplit=1)[0]
    numbers: list[tuple[Mention, str | None]] = []
    for mention in find_numbers(cell):
        unit = cell[mention.end :].lstrip()
        if mention.kind != "c" or not unit.startswith(("year", "month")):
            numbers.append((mention, None))
        elif unit.startswith("year"):
            numbers.append((mention, "sentence_years"))
        elif numbers and numbers[-1][1] == "sentence_years" and cell[numbers[-1][0].end :].lstrip().startswith("year"):
            years = numbers[-1][0]
            numbers[-1] = (
                dataclasses.replace(years, value=years.value + mention.value / 12, end=mention.end),
                "sentence_years",
            )
        elif _SENTENCE.search(names):
            numbers.append((dataclasses.replace(mention, value=mention.value / 12), "sentence_years"))
    return numbers


def _cells(lowered: str) -> list[tuple[int, str]]:
    """Each cell with where it starts in the row."""
    cells, start = [], 0
    for cell in lowered.split("\t")[:-1]:
        cells.append((start, cell))
        start += len(cell) + 1
    return cells


def kind_of_label(label: str, after: str, mention: Mention) -> str | None:
    """The kind a label names for a number followed by `after` ("Arrests" and 71, "Cash seized" and
    £18,405; "Drugs seized (kg)" and 6.3; any label and "96 years")."""
    return _kind(label, "", after, mention)


def _kind(label: str, heading: str, after: str, mention: Mention) -> str | None:
    """The row's label names the kind ("Arrests", "Cocaine"), or else the column's heading does;
    a number of years is a sentence's length whatever the row."""
    after = after.lstrip()
    if after.startswith("month"):
        return None  # read with the years before it, or alone as a sentence's length by `_months`
    if mention.kind == "c" and after.startswith("year"):
        return "sentence_years"
    if mention.kind == "c" and _IN_KG.search(f"{label} {heading}"):
        mention = dataclasses.replace(mention, kind="k")
    for words in (label, heading):
        if _NOT_A_FIGURE.search(words) and "warrant" not in words:
            return None
        for kind, numbers, pattern in _LABELS:
            if mention.kind in numbers and pattern.search(words):
                return kind
    return None
