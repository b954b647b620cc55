"""Site → the list of `Page`s to write. Pure: the same site gives the same pages.

Planning is cheap on purpose (no HTML, no metadata): an incremental build plans
every page, then renders only those whose signature changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from functools import partial

from .dates import display_date
from .model import Article, Force, Page, Precision, Site
from .urls import article_url, force_url, forces_url, home_url, not_found_url


def plan(site: Site, per_page: int) -> list[Page]:
    pages = _paginated("home", site.articles, per_page, home_url, {})
    pages += [Page("article", article_url(article.slug), (article,)) for article in site.articles]
    rows = tuple(_force_row(force, site.by_force[force.slug]) for force in site.forces)
    pages.append(Page("forces", forces_url(), params={"forces": rows}))
    pages.append(Page("404", not_found_url()))
    for force, row in zip(site.forces, rows, strict=True):
        articles = site.by_force[force.slug]
        params = {"force": (force.name, force.slug, force.website), "count": row[2], "span": row[3]}
        pages += _paginated("force", articles, per_page, partial(force_url, force.slug), params)
    return pages


def signature(page: Page, settings: str) -> str:
    """A hash of everything the page shows; `settings` stands for config, templates and generator."""
    parts = [settings, page.kind, page.url, repr(sorted(page.params.items())) if page.params else ""]
    parts += [f"{article.fingerprint}:{article.slug}" for article in page.articles]
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


def _paginated(
    kind: str, articles: Sequence[Article], size: int, url_of: Callable[[int], str], params: dict[str, object]
) -> list[Page]:
    """One page per `size` articles; an empty list still gets its first page."""
    total = max(1, -(-len(articles) // size))
    return [
        Page(kind, url_of(n), tuple(articles[(n - 1) * size : n * size]), {**params, "number": n, "total": total})
        for n in range(1, total + 1)
    ]


def _force_row(force: Force, articles: Sequence[Article]) -> tuple[str, str, int, str]:
    """(name, slug, release count, months covered) for the forces index and the force's page."""
    dated = [article.published for article in articles if article.published]
    if not dated:
        return (force.name, force.slug, len(articles), "Undated")
    first, last = (display_date(moment, Precision.MONTH) for moment in (dated[-1], dated[0]))
    return (force.name, force.slug, len(articles), first if first == last else f"{first} to {last}")
