"""The archive as open data: `data/releases.json`, `data/releases.csv` and the JSON's schema.

One row per release: what identifies it, and the figure of each kind it reports (the
largest, as on the figures page), so that the tables there can be checked from the data.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from importlib.resources import files
from typing import Any

from .config import Config
from .dates import machine_date
from .figures import KINDS
from .model import Article, Page
from .tally import values
from .urls import article_url

COLUMNS = ("slug", "url", "title", "date", "force", "area", "source_url", *(kind.name for kind in KINDS))
NOTE = (
    "Figures as reported in releases: each release's largest figure of each kind. Releases overlap "
    "(one operation is reported by several forces and again at sentencing), so totals are not counts "
    "of distinct people or events."
)


def _row(article: Article, config: Config) -> dict[str, Any]:
    row: dict[str, Any] = {
        "slug": article.slug,
        "url": config.absolute_url(article_url(article.slug)),
        "title": article.title,
        "date": machine_date(article.published, article.precision),
        "force": article.force.name if article.force else None,
        "area": article.area,
        "source_url": article.source_url,
    }
    row.update(zip((kind.name for kind in KINDS), _plain(values(article.figures)), strict=True))
    return row


def _plain(numbers: tuple[float | None, ...]) -> list[int | float | None]:
    """Whole numbers as integers: `587`, not `587.0`."""
    return [int(n) if n is not None and n == int(n) else n for n in numbers]


def releases_json(page: Page, config: Config, body: Callable[[str], str]) -> str:
    releases = []
    for article in page.articles:
        row = _row(article, config)
        row["figures"] = [
            {
                "kind": figure.kind,
                "value": _plain((figure.value,))[0],
                "high": _plain((figure.high,))[0],
                "qualifier": figure.qualifier or None,
                "unit": figure.unit,
                "sentence": figure.sentence or None,
                "span": list(figure.span) if figure.span else None,
                "by_hand": figure.by_hand,
            }
            for figure in article.figures
        ]
        releases.append(row)
    document = {
        "title": config.title,
        "url": config.absolute_url(""),
        "note": NOTE,
        "kinds": [{"name": kind.name, "label": kind.label, "unit": kind.unit} for kind in KINDS],
        "releases": releases,
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def releases_csv(page: Page, config: Config, body: Callable[[str], str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS)
    writer.writeheader()
    for article in page.articles:
        writer.writerow(_row(article, config))
    return out.getvalue()


def releases_schema(page: Page, config: Config, body: Callable[[str], str]) -> str:
    return schema_text()


def schema_text() -> str:
    """The JSON Schema of `releases.json`, shipped with the generator."""
    return files("generator").joinpath("data/releases.schema.json").read_text(encoding="utf-8")
