"""Site → the list of `Page`s to write. Pure: the same site gives the same pages.

Planning is cheap on purpose (no HTML, no metadata): an incremental build plans
every page, then renders only those whose signature changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache, partial

from .dates import display_date
from .model import Article, Force, Page, PlainPage, Precision, Site
from .opendata import shown
from .related import related
from .tally import by_year, totals
from .urls import (
    archives_url,
    article_url,
    data_url,
    feed_url,
    figures_url,
    force_url,
    forces_url,
    home_url,
    not_found_url,
    own_page_url,
    robots_url,
    search_url,
    sitemap_url,
    tag_url,
    tags_url,
    year_url,
)

# Pages that are not HTML documents for readers, and so not in the sitemap.
OPEN_DATA = {"releases-json", "releases-csv"}  # signed by what they show of each release, not its bytes
_NOT_LISTED = {"404", "feed", "sitemap", "robots", "search", "releases-schema", *OPEN_DATA}
# Releases per search index. Pagefind cannot update an index, only make it again, so the
# releases are split among indexes the browser merges: an edit re-indexes one of them. Each
# index costs the browser its own small runtime (about 80 KB), hence a limit on their number.
SEARCH_SHARD_SIZE = 250
SEARCH_SHARDS_MAX = 16


# Forces in the home page's overview of the most active.
ACTIVE_FORCES = 8


def plan(site: Site, per_page: int, feed_size: int) -> list[Page]:
    pages = _home(site, per_page)
    pages += _articles(site)
    pages += _forces(site, per_page)
    pages += _archives(site, per_page)
    pages += _tags(site, per_page)
    pages.append(Page("feed", feed_url(), site.articles[:feed_size], {"about": home_url(), "force": None}))
    pages += [
        Page("feed", feed_url(f.slug), site.by_force[f.slug][:feed_size], {"about": force_url(f.slug), "force": f.name})
        for f in site.forces
    ]
    indexes = tuple(number for number, shard in enumerate(search_shards(site.articles)) if shard)
    pages += [Page("search", search_url(), params={"indexes": indexes}), Page("404", not_found_url())]
    pages += _figures(site)
    pages += [Page("page", own_page_url(own.slug), params={"page": own}) for own in site.pages]
    pages.append(Page("sitemap", sitemap_url(), params={"urls": _sitemap(pages, site)}))
    pages.append(Page("robots", robots_url()))
    return pages


def search_shards(articles: Sequence[Article]) -> list[tuple[Article, ...]]:
    """The releases of each search index: a power of two of them, each release always in the
    same one (by its slug) until the archive outgrows them."""
    count = 1
    while count * SEARCH_SHARD_SIZE < len(articles) and count < SEARCH_SHARDS_MAX:
        count *= 2
    shards: list[list[Article]] = [[] for _ in range(count)]
    for article in articles:
        shards[int(hashlib.blake2b(article.slug.encode(), digest_size=4).hexdigest(), 16) % count].append(article)
    return [tuple(shard) for shard in shards]


def signature(page: Page, settings: str) -> str:
    """A hash of everything the page shows; `settings` stands for config, templates and generator."""
    parts = [settings, page.kind, page.url]
    if page.kind in OPEN_DATA:
        parts += [shown(article) for article in page.articles]
    else:
        parts += [f"{article.fingerprint}:{article.slug}" for article in page.articles]
    parts += [f"{key}={_token(value)}" for key, value in sorted(page.params.items())]
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


def _token(value: object) -> str:
    """Params are plain values, or articles linked to from the page, which stand for what such a
    link shows (an edit to a release's body does not change the pages that merely link to it)."""
    if isinstance(value, Article):
        return _shown(value)
    if isinstance(value, tuple) and value and isinstance(value[0], Article):
        return ",".join(_shown(item) for item in value)
    if isinstance(value, PlainPage):
        return f"{value.fingerprint}:{value.slug}"
    return repr(value)


@lru_cache(maxsize=1 << 16)
def _shown(article: Article) -> str:
    """Each release is linked from several pages: its part of their signatures is made once."""
    force = article.force.name if article.force else ""
    return f"{article.slug}|{article.title}|{article.published}|{article.precision}|{force}"


def _home(site: Site, per_page: int) -> list[Page]:
    """The newest releases, paginated; the first page also shows which forces publish most."""
    first, *rest = _paginated("home", site.articles, per_page, home_url, {})
    counts = sorted(site.forces, key=lambda force: (-len(site.by_force[force.slug]), force.name.casefold()))
    active = tuple((force.name, force.slug, len(site.by_force[force.slug])) for force in counts[:ACTIVE_FORCES])
    overview = {"active": active, "forces": len(site.forces), "releases": len(site.articles)}
    return [dataclasses.replace(first, params={**first.params, **overview}), *rest]


def _articles(site: Site) -> list[Page]:
    """Each article with its neighbours in date order and its related releases."""
    articles = site.articles
    dated = [article.published is not None for article in articles]
    pages = []
    for index, (article, picks) in enumerate(zip(articles, related(articles), strict=True)):
        newer = articles[index - 1] if index > 0 and dated[index] else None
        older = articles[index + 1] if index + 1 < len(articles) and dated[index + 1] else None
        params = {"newer": newer, "older": older, "related": tuple(articles[pick] for pick in picks)}
        pages.append(Page("article", article_url(article.slug), (article,), params))
    return pages


def _forces(site: Site, per_page: int) -> list[Page]:
    rows = tuple(_force_row(force, site.by_force[force.slug]) for force in site.forces)
    pages = [Page("forces", forces_url(), params={"forces": rows})]
    for force, row in zip(site.forces, rows, strict=True):
        params = {"force": (force.name, force.slug, force.website), "count": row[2], "span": row[3]}
        mine = site.by_force[force.slug]
        first, *rest = _paginated("force", mine, per_page, partial(force_url, force.slug), params)
        figures = {"figures": by_year(mine), "all": totals("All releases", None, mine)}  # on its first page
        pages += [dataclasses.replace(first, params={**first.params, **figures}), *rest]
    return pages


def _archives(site: Site, per_page: int) -> list[Page]:
    years = tuple((year, len(articles)) for year, articles in site.by_year.items())
    pages = [
        Page(
            "archives",
            archives_url(),
            params={"years": years, "undated": len(site.articles) - sum(n for _, n in years)},
        )
    ]
    for year, articles in site.by_year.items():
        pages += _paginated("year", articles, per_page, partial(year_url, year), {"year": year})
    return pages


def _tags(site: Site, per_page: int) -> list[Page]:
    if not site.tags:
        return []
    rows = tuple((tag.name, tag.slug, len(site.by_tag[tag.slug])) for tag in site.tags)
    pages = [Page("tags", tags_url(), params={"tags": rows})]
    for tag in site.tags:
        params = {"tag": (tag.name, tag.slug)}
        pages += _paginated("tag", site.by_tag[tag.slug], per_page, partial(tag_url, tag.slug), params)
    return pages


def _figures(site: Site) -> list[Page]:
    """The figures page, per year and per force, and the open data it is drawn from."""
    params = {
        "all": totals("All releases", None, site.articles),
        "years": by_year(site.articles, year_url),
        "forces": tuple(totals(force.name, force_url(force.slug), site.by_force[force.slug]) for force in site.forces),
    }
    return [
        Page("figures", figures_url(), params=params),
        Page("releases-json", data_url("releases.json"), site.articles),
        Page("releases-csv", data_url("releases.csv"), site.articles),
        Page("releases-schema", data_url("releases.schema.json")),
    ]


def _sitemap(pages: list[Page], site: Site) -> tuple[tuple[str, str | None], ...]:
    """Every page for readers, with the date of the newest release it shows (else the archive's)."""
    newest = _newest(site.articles)
    return tuple((page.url, _newest(page.articles) or newest) for page in pages if page.kind not in _NOT_LISTED)


def _newest(articles: Sequence[Article]) -> str | None:
    dates = [article.published for article in articles if article.published]
    return max(dates).date().isoformat() if dates else None


def _paginated(
    kind: str, articles: Sequence[Article], size: int, url_of: Callable[[int], str], params: Mapping[str, object]
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
