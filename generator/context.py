"""Page → the variables its template sees: entries, pagination and head metadata.

Everything here is derived from the page's kind, articles and params and the
site's settings, nothing else: that is what makes a page's signature complete.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from .config import Config
from .dates import display_date, machine_date
from .meta import article_meta, listing_meta
from .model import Article, Page, Precision
from .urls import article_url, force_url, home_url
from .words import plural


@dataclass(frozen=True)
class Entry:
    """An article as list and article templates show it."""

    article: Article
    url: str
    date_text: str
    date_attr: str | None
    force_url: str | None


@dataclass(frozen=True)
class Pagination:
    number: int
    total: int
    previous: str | None
    next: str | None
    pages: tuple[tuple[int | None, str | None], ...]  # (None, None) marks a gap


@dataclass(frozen=True)
class ForceRow:
    name: str
    url: str
    count: int
    span: str  # "March 2019 to June 2024", one month, or "Undated"


def page_context(page: Page, config: Config, body: Callable[[str], str]) -> dict[str, Any]:
    """The template variables for `page`; `body` gives an article's body HTML by fingerprint."""
    return _BUILDERS[page.kind](page, config, body)


def _home(page: Page, config: Config, body: Callable[[str], str]) -> dict[str, Any]:
    number = page.params["number"]
    return {
        "nav": "home",
        "meta": listing_meta(config.title, config.description, page.url, config, number),
        "entries": [entry(article) for article in page.articles],
        "pagination": _pagination(number, page.params["total"], home_url),
    }


def _article(page: Page, config: Config, body: Callable[[str], str]) -> dict[str, Any]:
    (article,) = page.articles
    item = entry(article)
    return {
        "nav": None,
        "meta": article_meta(article, item.url, item.force_url, config),
        "entry": item,
        "body": body(article.fingerprint),
    }


def _forces(page: Page, config: Config, body: Callable[[str], str]) -> dict[str, Any]:
    rows = [ForceRow(name, force_url(slug), count, span) for name, slug, count, span in page.params["forces"]]
    total = sum(row.count for row in rows)
    description = (
        f"{plural(len(rows), 'police force')} and agencies with {plural(total, 'press release')} about county lines."
    )
    return {"nav": "forces", "meta": listing_meta("Forces", description, page.url, config), "forces": rows}


def _force(page: Page, config: Config, body: Callable[[str], str]) -> dict[str, Any]:
    name, slug, website = page.params["force"]
    span, number = page.params["span"], page.params["number"]
    description = f"{plural(page.params['count'], 'press release')} about county lines from {name}" + (
        f", {span}." if span != "Undated" else "."
    )
    return {
        "nav": "forces",
        "meta": listing_meta(name, description, page.url, config, number),
        "force": {"name": name, "website": website},
        "entries": [entry(article) for article in page.articles],
        "pagination": _pagination(number, page.params["total"], lambda n: force_url(slug, n)),
    }


def _not_found(page: Page, config: Config, body: Callable[[str], str]) -> dict[str, Any]:
    description = "There is no page at this address. The release may have moved: try the home page or the forces."
    meta = dataclasses.replace(listing_meta("Page not found", description, page.url, config), robots="noindex")
    return {"nav": None, "meta": meta}


_BUILDERS: dict[str, Callable[[Page, Config, Callable[[str], str]], dict[str, Any]]] = {
    "home": _home,
    "article": _article,
    "forces": _forces,
    "force": _force,
    "404": _not_found,
}


def entry(article: Article) -> Entry:
    date_text, date_attr = _dates(article.published, article.precision)
    return Entry(
        article=article,
        url=article_url(article.slug),
        date_text=date_text,
        date_attr=date_attr,
        force_url=force_url(article.force.slug) if article.force else None,
    )


@cache
def _dates(published: datetime | None, precision: Precision | None) -> tuple[str, str | None]:
    """Each release is listed on several pages; its date is formatted once."""
    return display_date(published, precision), machine_date(published, precision)


def _pagination(number: int, total: int, url_of: Callable[[int], str]) -> Pagination:
    return Pagination(
        number=number,
        total=total,
        previous=url_of(number - 1) if number > 1 else None,
        next=url_of(number + 1) if number < total else None,
        pages=tuple((n, url_of(n)) if n else (None, None) for n in _window(number, total)),
    )


def _window(number: int, total: int, reach: int = 2) -> list[int]:
    """First, last and nearby page numbers, with 0 where a run of numbers is left out."""
    shown = sorted({1, total, *range(max(1, number - reach), min(total, number + reach) + 1)})
    window: list[int] = []
    for n in shown:
        if window and n - window[-1] > 1:
            window.append(0)
        window.append(n)
    return window
