"""Site → the `Page`s of each kind. Pure: the same site gives the same pages.

Each function here plans the pages of one kind (`kinds.KINDS` says which function is whose) from
the site, the settings that shape pages, and the pages planned before it that readers see (only
the sitemap needs those). Planning is cheap on purpose (no HTML, no metadata): an incremental
build plans every page, then renders only those whose signature changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from functools import lru_cache, partial
from typing import NamedTuple

from generator.model import (
    Article,
    Counted,
    Force,
    ForceRef,
    ForceSpan,
    Page,
    PlainPage,
    Precision,
    Site,
    SitemapEntry,
    YearCount,
)
from generator.reading.dates import display_date
from generator.site.tally import ALL, Totals, by_year, chart_file, series, table_file, totals
from generator.site.urls import (
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

# Releases per search index. Pagefind cannot update an index, only make it again, so the
# releases are split among indexes the browser merges: an edit re-indexes one of them. Each
# index costs the browser its own small runtime (about 80 KB), hence a limit on their number.
SEARCH_SHARD_SIZE = 250
SEARCH_SHARDS_MAX = 16
# Links' parts of signatures kept (`linked`): more than an archive has releases.
LINKS_KEPT = 1 << 17
# Forces in the home page's overview of the most active.
ACTIVE_FORCES = 8


class Settings(NamedTuple):
    """What of `site.yaml` decides which pages there are."""

    per_page: int
    feed_size: int


Planner = Callable[[Site, Settings, Sequence[Page]], list[Page]]
# Plans the pages of just the releases given, for a kind with a page per release.
SomePlanner = Callable[[Site, Settings, Collection[Article]], list[Page]]


def search_shards(articles: Sequence[Article]) -> list[tuple[Article, ...]]:
    """The releases of each search index: a power of two of them, each release always in the
    same one (by its slug) until the archive outgrows them."""
    count = 1
    while count * SEARCH_SHARD_SIZE < len(articles) and count < SEARCH_SHARDS_MAX:
        count *= 2
    shards: list[list[Article]] = [[] for _ in range(count)]
    for article in articles:
        shards[_spread(article.slug) % count].append(article)
    return [tuple(shard) for shard in shards]


@lru_cache(maxsize=1 << 16)
def _spread(slug: str) -> int:
    return int.from_bytes(hashlib.blake2b(slug.encode(), digest_size=4).digest())


def signature(page: Page, settings: str, shows: Callable[[Article], str]) -> str:
    """A hash of everything the page shows: `shows` gives what it shows of each of its articles,
    and `settings` stands for config, templates and generator."""
    parts = [settings, page.kind, page.url, *map(shows, page.articles)]
    parts += [f"{key}={_token(value)}" for key, value in sorted(page.params.items())]
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


def whole(article: Article) -> str:
    """Everything of the release: a change to any byte of its file. (Its address too: a copy of
    the same release can give it another, which `collect` sets after it was read.)"""
    return f"{article.fingerprint}:{article.slug}"


def details(article: Article) -> str:
    """Everything of the release but its body's wording: what lists, figures and data show."""
    return f"{article.details}:{article.slug}"


def site_key(site: Site, settings: Settings, shared: str) -> str:
    """A hash of the details of every release, in order, and of everything else pages show
    (`shared`: settings, templates, generator). While it stays the same, so does every page
    that shows no release's body, and so do the links and lists on every page."""
    parts = [shared, repr(settings), *map(details, site.articles)]
    parts += [f"withdrawn:{details(article)}" for article in site.withdrawn]
    parts += [f"redirect:{slug}>{article.slug}" for slug, article in site.redirects]
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


def frame_key(site: Site, settings: Settings, shared: str) -> str:
    """A hash of what decides which pages there are, which releases each lists, and every value a
    page works out from several releases (counts, spans, figures totals): each release's address
    and `frame` (date, force, tags, largest figures), in order. While it stays the same, an edit
    to a release's title or summary changes only the pages that show or link that release (and
    the pages whose related releases it changes)."""
    parts = [shared, repr(settings), *(f"{article.frame}:{article.slug}" for article in site.articles)]
    parts += [f"withdrawn:{details(article)}" for article in site.withdrawn]
    parts += [f"redirect:{slug}>{article.slug}" for slug, article in site.redirects]
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


def _token(value: object) -> str:
    """Params are plain values, or articles linked to from the page, which stand for what such a
    link shows (an edit to a release's body does not change the pages that merely link to it)."""
    kind = type(value)
    if kind is Article:
        return linked(value)  # type: ignore[arg-type]
    if kind is tuple and value and type(value[0]) is Article:  # type: ignore[index]
        return ",".join(map(linked, value))  # type: ignore[call-overload]
    if kind is PlainPage:
        return f"{value.fingerprint}:{value.slug}"  # type: ignore[attr-defined]
    return repr(value)


_links: dict[tuple[str, str], str] = {}


def linked(article: Article) -> str:
    """What a link to a release shows; each release is linked from several pages, so its part of
    their signatures is made once, and kept by its details hash and address (which cover it)."""
    key = (article.details, article.slug)
    found = _links.get(key)
    if found is None:
        if len(_links) > LINKS_KEPT:  # a preview server sees every version of every release
            _links.clear()
        force = article.force.name if article.force else ""
        found = _links[key] = f"{article.slug}|{article.title}|{article.published}|{article.precision}|{force}"
    return found


def home(site: Site, settings: Settings, listed: Sequence[Page]) -> list[Page]:
    """The newest releases, paginated; the first page also shows which forces publish most."""
    first, *rest = _paginated("home", site.articles, settings.per_page, home_url, {})
    counts = sorted(site.forces, key=lambda force: (-len(site.by_force[force.slug]), force.name.casefold()))
    active = tuple(Counted(force.name, force.slug, len(site.by_force[force.slug])) for force in counts[:ACTIVE_FORCES])
    overview = {"active": active, "forces": len(site.forces), "releases": len(site.articles)}
    return [dataclasses.replace(first, params={**first.params, **overview}), *rest]


def articles(site: Site, settings: Settings, listed: Sequence[Page]) -> list[Page]:
    """Each release with its neighbours in date order and its related releases."""
    return [_article(site, index) for index in range(len(site.articles))]


def some_articles(site: Site, settings: Settings, chosen: Collection[Article]) -> list[Page]:
    """The pages of just these releases: those an edit changed."""
    wanted = set(chosen)
    return [_article(site, index) for index, article in enumerate(site.articles) if article in wanted]


def linking(site: Site, releases: set[int]) -> list[Article]:
    """The releases whose own pages show or link one of `releases` (by `id`): those releases,
    their neighbours in date, and the releases they are related to."""
    near = {at for at, article in enumerate(site.articles) if id(article) in releases}
    reached = near | {at - 1 for at in near} | {at + 1 for at in near}
    reached |= {at for at, picks in enumerate(site.related) if not near.isdisjoint(picks)}
    return [site.articles[at] for at in sorted(reached) if 0 <= at < len(site.articles)]


def _article(site: Site, index: int) -> Page:
    ordered = site.articles
    article = ordered[index]
    newer = ordered[index - 1] if index > 0 and article.published else None
    older = ordered[index + 1] if index + 1 < len(ordered) and ordered[index + 1].published else None
    params = {"newer": newer, "older": older, "related": tuple(ordered[pick] for pick in site.related[index])}
    return Page("article", article_url(article.slug), (article,), params)


def withdrawn(site: Site, settings: Settings, listed: Sequence[Page]) -> list[Page]:
    """A page at each withdrawn release's address, saying so and why."""
    return [Page("withdrawn", article_url(article.slug), (article,)) for article in site.withdrawn]


def redirects(site: Site, settings: Settings, listed: Sequence[Page]) -> list[Page]:
    """A page at each former address, sending readers to the release's address now."""
    return [Page("redirect", article_url(slug), (article,)) for slug, article in site.redirects]


def forces(site: Site, settings: Settings, listed: Sequence[Page]) -> list[Page]:
    return [Page("forces", forces_url(), params={"forces": _force_spans(site)})]


def force(site: Site, settings: Settings, listed: Sequence[Page]) -> list[Page]:
    """Each force's releases, paginated; its first page also shows its figures per year."""
    pages = []
    for one, span in zip(site.forces, _force_spans(site), strict=True):
        params = {"force": ForceRef(one.name, one.slug, one.website), "count": span.releases, "span": span.span}
        mine = site.by_force[one.slug]
        first, *rest = _paginated("force", mine, settings.per_page, partial(force_url, one.slug), params)
        figures = {"figures": by_year(mine), "all": totals(ALL, None, mine)}
        pages += [dataclasses.replace(first, params={**first.params, **figures}), *rest]
    return pages


def archives(site: Site, settings: Settings, listed: Sequence[Page]) -> list[Page]:
    years = tuple(YearCount(year, len(articles)) for year, articles in site.by_year.items())
    undated = len(site.articles) - sum(one.releases for one in years)
    return [Page("archives", archives_url(), params={"years": years, "undated": undated})]


def year(site: Site, settings: Settings, listed: Sequence[Page]) -> list[Page]:
    pages = []
    for number, articles in site.by_year.items():
        pages += _paginated("year", articles, settings.per_page, partial(year_url, number), {"year": number})
    return pages


def tags(site: Site, settings: Settings, listed: Sequence[Page]) -> list[Page]:
    """The tags page, there even before any release is tagged: the menu always links to it."""
    rows = tuple(Counted(tag.name, tag.slug, len(site.by_tag[tag.slug])) for tag in site.tags)
    return [Page("tags", tags_url(), params={"tags": rows})]


def tag(site: Site, settings: Settings, listed: Sequence[Page]) -> list[Page]:
    pages = []
    for one in site.tags:
        params = {"tag": Counted(one.name, one.slug, len(site.by_tag[one.slug]))}
        pages += _paginated("tag", site.by_tag[one.slug], settings.per_page, partial(tag_url, one.slug), params)
    return pages


def feeds(site: Site, settings: Settings, listed: Sequence[Page]) -> list[Page]:
    """The archive's newest releases, and each force's."""
    newest = site.articles[: settings.feed_size]
    pages = [Page("feed", feed_url(), newest, {"about": home_url(), "force": None})]
    for one in site.forces:
        mine = site.by_force[one.slug][: settings.feed_size]
        pages.append(Page("feed", feed_url(one.slug), mine, {"about": force_url(one.slug), "force": one.name}))
    return pages


def search(site: Site, settings: Settings, listed: Sequence[Page]) -> list[Page]:
    indexes = tuple(number for number, shard in enumerate(search_shards(site.articles)) if shard)
    return [Page("search", search_url(), params={"indexes": indexes})]


def not_found(site: Site, settings: Settings, listed: Sequence[Page]) -> list[Page]:
    return [Page("404", not_found_url())]


def figures(site: Site, settings: Settings, listed: Sequence[Page]) -> list[Page]:
    """The figures per year and per force, drawn from the same open data as `data/` (a release
    saved twice is one release: `collect` keeps one copy)."""
    params = {
        "all": totals(ALL, None, site.articles),
        "years": by_year(site.articles, year_url),
        "forces": tuple(totals(one.name, force_url(one.slug), site.by_force[one.slug]) for one in site.forces),
    }
    return [Page("figures", figures_url(), params=params)]


def figure_tables(site: Site, settings: Settings, listed: Sequence[Page]) -> list[Page]:
    """Each table of figures as CSV beside its page, made from the params of the figures and force
    pages planned before it (`KINDS` plans those first), so a download is the table it sits under."""
    found = []
    for page, years, whole, _ in _figured(listed):
        found.append(_table(page.url + table_file("year"), "Year", years, whole))
        if page.kind == "figures":
            found.append(_table(page.url + table_file("force"), "Force", page.params["forces"], whole))
    return found


def figure_charts(site: Site, settings: Settings, listed: Sequence[Page]) -> list[Page]:
    """Each chart of the figures and force pages planned before it, as an SVG file beside its page."""
    found = []
    for page, years, _, force in _figured(listed):
        found += [_chart(page.url, name, "year", years, force) for name in series(years)]
        if page.kind == "figures":
            found.append(_chart(page.url, "releases", "force", page.params["forces"], None))
    return found


def _figured(listed: Sequence[Page]) -> Iterator[tuple[Page, tuple[Totals, ...], Totals, str | None]]:
    """The pages with figures per year: each with its years, its whole and its force (if one)."""
    for page in listed:
        if page.kind == "figures":
            yield page, page.params["years"], page.params["all"], None
        elif page.kind == "force" and page.params.get("figures"):
            yield page, page.params["figures"], page.params["all"], page.params["force"].name


def _table(url: str, heading: str, groups: tuple[Totals, ...], whole: Totals) -> Page:
    return Page("figures-table", url, params={"heading": heading, "groups": groups, "all": whole})


def _chart(folder: str, name: str, per: str, groups: tuple[Totals, ...], force: str | None) -> Page:
    params = {"series": name, "per": per, "groups": groups, "force": force}
    return Page("figures-chart", folder + chart_file(name, per), params=params)


def open_data(file: str, kind: str, per_release: bool = True) -> Planner:
    """The planner of one file under `data/`: every release's details, or (the schema) none."""

    def plan(site: Site, settings: Settings, listed: Sequence[Page]) -> list[Page]:
        return [Page(kind, data_url(file), site.articles if per_release else ())]

    return plan


def own_pages(site: Site, settings: Settings, listed: Sequence[Page]) -> list[Page]:
    return [Page("page", own_page_url(own.slug), params={"page": own}) for own in site.pages]


def sitemap(site: Site, settings: Settings, listed: Sequence[Page]) -> list[Page]:
    """Every page for readers, with the date of the newest release it shows (else the archive's)."""
    newest = _newest(site.articles)
    urls = tuple(SitemapEntry(page.url, _newest(page.articles) or newest) for page in listed)
    return [Page("sitemap", sitemap_url(), params={"urls": urls})]


def robots(site: Site, settings: Settings, listed: Sequence[Page]) -> list[Page]:
    return [Page("robots", robots_url())]


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


def _force_spans(site: Site) -> tuple[ForceSpan, ...]:
    return tuple(_force_span(one, site.by_force[one.slug]) for one in site.forces)


def _force_span(one: Force, articles: Sequence[Article]) -> ForceSpan:
    """A force's release count and the months its releases cover."""
    dated = [article.published for article in articles if article.published]
    if not dated:
        return ForceSpan(one.name, one.slug, len(articles), "Undated")
    first, last = (display_date(moment, Precision.MONTH) for moment in (dated[-1], dated[0]))
    return ForceSpan(one.name, one.slug, len(articles), first if first == last else f"{first} to {last}")
