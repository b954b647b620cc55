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

from generator.model import Article, Page, Precision
from generator.output.citation import citation, provenance
from generator.output.figure_views import AS_REPORTED, chart, charts, panel, totals_table
from generator.output.meta import article_meta, listing_meta
from generator.reading.config import Config
from generator.reading.dates import display_date, machine_date
from generator.site.tally import UNDATED, table_file
from generator.site.urls import article_url, data_url, feed_url, force_url, home_url, tag_slug, tag_url, year_url
from generator.words import plural


@dataclass(frozen=True)
class Entry:
    """An article as list and article templates show it."""

    article: Article
    url: str
    date_text: str
    date_attr: str | None
    force_url: str | None
    year_url: str | None  # the year's archive, which the date links to


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


@dataclass(frozen=True)
class Feed:
    title: str
    url: str  # absolute: feed readers are given it as it is


@dataclass(frozen=True)
class Link:
    """A year or a tag: its name, its page and (on index pages) how many releases it has."""

    name: str
    url: str
    count: int = 0


def feeds(page: Page, config: Config) -> list[Feed]:
    """The archive's feed on every page; a force's too on its pages and its releases' pages."""
    found = [Feed(config.title, config.absolute_url(feed_url()))]
    force = page.articles[0].force if page.kind == "article" and page.articles else None
    if page.kind == "force":
        ref = page.params["force"]
        found.append(Feed(f"{config.title}: {ref.name}", config.absolute_url(feed_url(ref.slug))))
    elif force is not None:
        found.append(Feed(f"{config.title}: {force.name}", config.absolute_url(feed_url(force.slug))))
    return found


def home(page: Page, config: Config, body: Callable[[str], str]) -> dict[str, Any]:
    number = page.params["number"]
    active = [ForceRow(one.name, force_url(one.slug), one.releases, "") for one in page.params.get("active", ())]
    return {
        "nav": "home",
        "active": active,
        "force_total": page.params.get("forces", 0),
        "release_total": page.params.get("releases", 0),
        "meta": listing_meta(config.title, config.description, page.url, config, number),
        "entries": [entry(article) for article in page.articles],
        "pagination": pagination(number, page.params["total"], home_url),
    }


def article(page: Page, config: Config, body: Callable[[str], str]) -> dict[str, Any]:
    (article,) = page.articles
    item = entry(article)
    newer, older = page.params["newer"], page.params["older"]
    return {
        "nav": None,
        "meta": article_meta(article, item.url, item.force_url, config),
        "entry": item,
        "body": body(article.fingerprint),
        "newer": entry(newer) if newer else None,
        "older": entry(older) if older else None,
        "related": [entry(other) for other in page.params["related"]],
        "figures": panel(article),
        "tags": list({tag_slug(name): Link(name, tag_url(tag_slug(name))) for name in article.tags}.values()),
        "provenance": provenance(article),
        "citation": citation(article, config),
    }


def withdrawn(page: Page, config: Config, body: Callable[[str], str]) -> dict[str, Any]:
    """A withdrawn release: what it was, and why it is no longer published (GOV.UK's pattern)."""
    (article,) = page.articles
    item = entry(article)
    description = f"This release was withdrawn. {article.withdrawn or 'No reason was given.'}"
    meta = dataclasses.replace(listing_meta(article.title, description, page.url, config), robots="noindex")
    return {"nav": None, "meta": meta, "entry": item, "reason": article.withdrawn}


def redirect(page: Page, config: Config, body: Callable[[str], str]) -> dict[str, Any]:
    """A former address of a release: a link to where it is now, followed at once."""
    (article,) = page.articles
    item = entry(article)
    description = f"This release has moved to {config.absolute_url(item.url)}"
    meta = listing_meta(article.title, description, item.url, config)  # canonical: the address now
    return {"nav": None, "meta": dataclasses.replace(meta, robots="noindex"), "entry": item}


def forces(page: Page, config: Config, body: Callable[[str], str]) -> dict[str, Any]:
    rows = [ForceRow(one.name, force_url(one.slug), one.releases, one.span) for one in page.params["forces"]]
    total = sum(row.count for row in rows)
    description = (
        f"{plural(len(rows), 'police force')} and agencies with {plural(total, 'press release')} about county lines."
    )
    return {"nav": "forces", "meta": listing_meta("Forces", description, page.url, config), "forces": rows}


def force(page: Page, config: Config, body: Callable[[str], str]) -> dict[str, Any]:
    ref, span, number = page.params["force"], page.params["span"], page.params["number"]
    name = ref.name
    description = f"{plural(page.params['count'], 'press release')} about county lines from {name}" + (
        f", {span}." if span != "Undated" else "."
    )
    years = page.params.get("figures")  # on the first page only
    return {
        "nav": "forces",
        "meta": listing_meta(name, description, page.url, config, number),
        "force": {"name": name, "website": ref.website},
        "charts": charts(years, name, page.url) if years else [],
        "table": totals_table(
            f"{name}: figures per year, {AS_REPORTED}", "Year", years, page.params["all"], page.url + table_file("year")
        )
        if years
        else None,
        "entries": [entry(article) for article in page.articles],
        "pagination": pagination(number, page.params["total"], lambda n: force_url(ref.slug, n)),
    }


def archives(page: Page, config: Config, body: Callable[[str], str]) -> dict[str, Any]:
    years = [Link(str(one.year), year_url(one.year), one.releases) for one in page.params["years"]]
    description = f"Press releases about county lines by year, {years[-1].name} to {years[0].name}." if years else ""
    return {
        "nav": "archive",
        "meta": listing_meta("Archive", description or "Press releases about county lines by year.", page.url, config),
        "years": years,
        "undated": page.params["undated"],
    }


def year(page: Page, config: Config, body: Callable[[str], str]) -> dict[str, Any]:
    year, number = page.params["year"], page.params["number"]
    description = f"Press releases about county lines published in {year}."
    return {
        "nav": "archive",
        "meta": listing_meta(f"Releases from {year}", description, page.url, config, number),
        "entries": [entry(article) for article in page.articles],
        "pagination": pagination(number, page.params["total"], lambda n: year_url(year, n)),
    }


def tags(page: Page, config: Config, body: Callable[[str], str]) -> dict[str, Any]:
    tags = [Link(one.name, tag_url(one.slug), one.releases) for one in page.params["tags"]]
    description = f"Press releases about county lines under {plural(len(tags), 'tag')}."
    return {"nav": "tags", "meta": listing_meta("Tags", description, page.url, config), "tags": tags}


def tag(page: Page, config: Config, body: Callable[[str], str]) -> dict[str, Any]:
    (name, slug, _), number = page.params["tag"], page.params["number"]
    return {
        "nav": "tags",
        "meta": listing_meta(
            f"Tagged “{name}”", f"Press releases about county lines tagged “{name}”.", page.url, config, number
        ),
        "entries": [entry(article) for article in page.articles],
        "pagination": pagination(number, page.params["total"], lambda n: tag_url(slug, n)),
    }


def search(page: Page, config: Config, body: Callable[[str], str]) -> dict[str, Any]:
    description = "Search the full text of every press release in the archive, by force and year."
    meta = dataclasses.replace(listing_meta("Search", description, page.url, config), robots="noindex")
    return {"nav": "search", "meta": meta, "indexes": [f"{number}/" for number in page.params["indexes"]]}


def figures(page: Page, config: Config, body: Callable[[str], str]) -> dict[str, Any]:
    everything, years, forces = page.params["all"], page.params["years"], page.params["forces"]
    description = (
        f"The figures {plural(everything.releases, 'press release')} about county lines report — people charged, "
        "arrests, lines closed, people safeguarded, seizures and sentences — per year and per force."
    )
    return {
        "nav": "figures",
        "meta": listing_meta("Figures", description, page.url, config),
        "charts": [*charts(years, None, page.url), chart("releases", "force", forces, None, page.url)],
        "years": totals_table(
            f"Figures per year, {AS_REPORTED}", "Year", years, everything, page.url + table_file("year")
        ),
        "forces": totals_table(
            f"Figures per force, {AS_REPORTED}", "Force", forces, everything, page.url + table_file("force")
        ),
        "undated": next((group.releases for group in years if group.label == UNDATED), 0),
        "downloads": {name: data_url(name) for name in ("releases.csv", "releases.json", "releases.schema.json")},
    }


def own_page(page: Page, config: Config, body: Callable[[str], str]) -> dict[str, Any]:
    own = page.params["page"]
    return {"nav": own.slug, "meta": listing_meta(own.title, own.description, page.url, config), "page": own}


def not_found(page: Page, config: Config, body: Callable[[str], str]) -> dict[str, Any]:
    description = "There is no page at this address. The release may have moved: try the home page or the forces."
    meta = dataclasses.replace(listing_meta("Page not found", description, page.url, config), robots="noindex")
    return {"nav": None, "meta": meta}


def entry(article: Article) -> Entry:
    date_text, date_attr = _dates(article.published, article.precision)
    return Entry(
        article=article,
        url=article_url(article.slug),
        date_text=date_text,
        date_attr=date_attr,
        force_url=force_url(article.force.slug) if article.force else None,
        year_url=year_url(article.published.year) if article.published else None,
    )


@cache
def _dates(published: datetime | None, precision: Precision | None) -> tuple[str, str | None]:
    """Each release is listed on several pages; its date is formatted once."""
    return display_date(published, precision), machine_date(published, precision)


def pagination(number: int, total: int, url_of: Callable[[int], str]) -> Pagination:
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
