"""Site → the list of `Page`s to write. Pure: the same site gives the same pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .config import Config
from .dates import display_date, machine_date
from .meta import article_meta, listing_meta
from .model import Article, Force, Page, Precision, Site
from .urls import article_url, force_url, forces_url, home_url, output_path
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
class ForceSummary:
    force: Force
    url: str
    count: int
    span: str  # "March 2019 to June 2024", or one date, or "Undated"


def plan(site: Site, config: Config) -> list[Page]:
    entries = [_entry(article) for article in site.articles]
    by_slug = {entry.article.slug: entry for entry in entries}
    summaries = [_force_summary(force, site.by_force[force.slug]) for force in site.forces]
    pages = _paginated(
        entries,
        config,
        home_url,
        "home.html",
        lambda number: listing_meta(config.title, config.description, home_url(number), config, number),
        {"nav": "home"},
    )
    pages += [_article_page(entry, config) for entry in entries]
    pages.append(
        Page(
            forces_url(),
            output_path(forces_url()),
            "forces.html",
            {
                "meta": listing_meta("Forces", _forces_description(summaries), forces_url(), config),
                "nav": "forces",
                "forces": summaries,
            },
        )
    )
    for summary in summaries:
        pages += _force_pages(summary, [by_slug[a.slug] for a in site.by_force[summary.force.slug]], config)
    return pages


def _entry(article: Article) -> Entry:
    return Entry(
        article=article,
        url=article_url(article.slug),
        date_text=display_date(article.published, article.precision),
        date_attr=machine_date(article.published, article.precision),
        force_url=force_url(article.force.slug) if article.force else None,
    )


def _article_page(entry: Entry, config: Config) -> Page:
    meta = article_meta(entry.article, entry.url, entry.force_url, config)
    return Page(entry.url, output_path(entry.url), "article.html", {"meta": meta, "nav": None, "entry": entry})


def _force_pages(summary: ForceSummary, entries: list[Entry], config: Config) -> list[Page]:
    force = summary.force
    description = f"{plural(summary.count, 'press release')} about county lines from {force.name}" + (
        f", {summary.span}." if summary.span != "Undated" else "."
    )
    return _paginated(
        entries,
        config,
        lambda number: force_url(force.slug, number),
        "force.html",
        lambda number: listing_meta(force.name, description, force_url(force.slug, number), config, number),
        {"nav": "forces", "summary": summary},
    )


def _paginated(
    entries: Sequence[Entry],
    config: Config,
    url_of: Callable[[int], str],
    template: str,
    meta_of: Callable[[int], object],
    extra: dict[str, object],
) -> list[Page]:
    """One page per `per_page` entries; an empty list still gets its first page."""
    size = config.per_page
    total = max(1, -(-len(entries) // size))
    pages = []
    for number in range(1, total + 1):
        pagination = Pagination(
            number=number,
            total=total,
            previous=url_of(number - 1) if number > 1 else None,
            next=url_of(number + 1) if number < total else None,
            pages=tuple((n, url_of(n)) if n else (None, None) for n in _window(number, total)),
        )
        context = {
            **extra,
            "meta": meta_of(number),
            "entries": entries[(number - 1) * size : number * size],
            "pagination": pagination,
        }
        pages.append(Page(url_of(number), output_path(url_of(number)), template, context))
    return pages


def _window(number: int, total: int, reach: int = 2) -> list[int]:
    """First, last and nearby page numbers, with 0 where a run of numbers is left out."""
    shown = sorted({1, total, *range(max(1, number - reach), min(total, number + reach) + 1)})
    window: list[int] = []
    for n in shown:
        if window and n - window[-1] > 1:
            window.append(0)
        window.append(n)
    return window


def _force_summary(force: Force, articles: Sequence[Article]) -> ForceSummary:
    months = [display_date(a.published, Precision.MONTH) for a in articles if a.published]
    span = "Undated" if not months else months[0] if months[0] == months[-1] else f"{months[-1]} to {months[0]}"
    return ForceSummary(force, force_url(force.slug), len(articles), span)


def _forces_description(summaries: Sequence[ForceSummary]) -> str:
    total = sum(summary.count for summary in summaries)
    return f"{len(summaries)} police forces and agencies with {plural(total, 'press release')} about county lines."
