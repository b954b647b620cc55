"""The archive as open data: `data/releases.json`, `data/releases.csv` and the JSON's schema.

One row per release: what identifies it, and the figure of each kind it reports (the
largest, as on the figures page), so that the tables there can be checked from the data.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from importlib.resources import files
from itertools import islice
from typing import Any

from generator.model import Article, Page
from generator.output.citation import csl_item, wayback_url
from generator.reading.config import Config
from generator.reading.dates import machine_date
from generator.reading.figures import KINDS
from generator.site.urls import article_url

COLUMNS = ("slug", "url", "title", "date", "force", "area", "source_url", "archived", *(kind.name for kind in KINDS))
# What makes a spreadsheet read a cell as a formula, the full-width forms included.
_FORMULA_START = frozenset("=+-@\t\r\0＝＋－＠")
NOTE = (
    "Figures as reported in releases: each release's largest figure of each kind. Releases overlap "
    "(one operation is reported by several forces and again at sentencing), so totals are not counts "
    "of distinct people or events."
)


# Each release's CSV line and JSON object, by `_key`: encoded once, and kept from build to build
# (`known`, `remember`), so a new release or a new title encodes one release, not 10,000 (a second).
_encoded: dict[str, tuple[str, str]] = {}
# Releases whose records cost less to encode again than the kept records of 10,000 cost to read.
ENCODED_RATHER = 100


def remember(records: dict[str, tuple[str, str]]) -> None:
    """Records a build kept (`known`): used instead of encoding those releases again."""
    _encoded.update(records)


def unknown(articles: Iterable[Article], config: Config) -> int:
    """How many of these releases have no record encoded in this process."""
    return sum(_key(article, config) not in _encoded for article in articles)


def encoded_count() -> int:
    """How many records this process holds: a mark for `encoded_since`."""
    return len(_encoded)


def encoded_since(mark: int) -> dict[str, tuple[str, str]]:
    """The records encoded after `encoded_count` gave `mark` (in the order they were encoded): a
    worker's, sent back with its pages, so that the process that keeps them has them all."""
    return dict(islice(_encoded.items(), mark, None))


def known(articles: Iterable[Article], config: Config) -> dict[str, tuple[str, str]]:
    """The records of `articles` encoded so far (in this process), to keep for the next build;
    the others are forgotten, so a preview server's records do not grow with every edit."""
    kept = {key: _encoded[key] for article in articles if (key := _key(article, config)) in _encoded}
    _encoded.clear()
    _encoded.update(kept)
    return kept


def _key(article: Article, config: Config) -> str:
    """What a record is made of: the release's details (every field a page shows, its file among
    them), its address (which a copy of the same release can pin after it was read), and the
    settings the record shows."""
    return f"{article.details}|{article.slug}|{config.base_url}|{config.title}|{config.language}"


def _record(article: Article, config: Config) -> tuple[str, str]:
    """The release's CSV line and JSON object, as text."""
    key = _key(article, config)
    if (found := _encoded.get(key)) is None:
        found = _encoded[key] = _encode(article, config)
    return found


def _encode(article: Article, config: Config) -> tuple[str, str]:
    row: dict[str, Any] = {
        "slug": article.slug,
        "url": config.absolute_url(article_url(article.slug)),
        "title": article.title,
        "date": machine_date(article.published, article.precision),
        "force": article.force.name if article.force else None,
        "area": article.area,
        "source_url": article.source_url,
        "archived": f"{article.archived:%Y-%m-%dT%H:%M:%SZ}" if article.archived else None,
    }
    row.update(zip((kind.name for kind in KINDS), plain(article.largest), strict=True))
    figures = [
        {
            "kind": figure.kind,
            "value": plain((figure.value,))[0],
            "high": plain((figure.high,))[0],
            "qualifier": figure.qualifier or None,
            "unit": figure.unit,
            "sentence": figure.sentence or None,
            "span": list(figure.span) if figure.span else None,
            "by_hand": figure.by_hand,
        }
        for figure in article.figures
    ]
    line = io.StringIO()
    csv.writer(line).writerow([spreadsheet_safe(row[column]) for column in COLUMNS])
    provenance = {
        "sha256": article.sha256,
        "wayback_url": wayback_url(article.source_url) if article.source_url else None,
        "csl": csl_item(article, config),
    }
    whole = {**row, **provenance, "figures": figures}
    return line.getvalue(), json.dumps(whole, ensure_ascii=False, separators=(",", ":"))


def spreadsheet_safe(value: object) -> object:
    """A text cell a spreadsheet would read as a formula (`=HYPERLINK(…)` as a title) starts with an
    apostrophe, as OWASP advises: spreadsheets then show it as text. (defusedcsv leaves a leading
    tab or carriage return alone and rewrites `|` inside the text, so it is not used.)"""
    if isinstance(value, str) and value.lstrip(" ")[:1] in _FORMULA_START:
        return "'" + value
    return value


def plain(numbers: tuple[float | None, ...]) -> list[int | float | None]:
    """Whole numbers as integers: `587`, not `587.0`."""
    return [int(n) if n is not None and n == int(n) else n for n in numbers]


def releases_json(page: Page, config: Config, body: Callable[[str], str]) -> str:
    """Compact, one release a line (so a change shows as a changed line): the whole archive's
    JSON is megabytes, and Python encodes compact JSON several times faster than indented."""
    head = {
        "title": config.title,
        "url": config.absolute_url(""),
        "note": NOTE,
        "kinds": [{"name": kind.name, "label": kind.label, "unit": kind.unit} for kind in KINDS],
    }
    opening = json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1]  # without its closing brace
    releases = ",\n".join(_record(article, config)[1] for article in page.articles)
    return f'{opening},"releases":[\n{releases}\n]}}\n'


def releases_csv(page: Page, config: Config, body: Callable[[str], str]) -> str:
    header = io.StringIO()
    csv.writer(header).writerow(COLUMNS)
    return header.getvalue() + "".join(_record(article, config)[0] for article in page.articles)


def releases_schema(page: Page, config: Config, body: Callable[[str], str]) -> str:
    return schema_text()


def schema_text() -> str:
    """The JSON Schema of `releases.json`, shipped with the generator."""
    return files("generator").joinpath("data/releases.schema.json").read_text(encoding="utf-8")
