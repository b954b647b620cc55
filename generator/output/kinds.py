"""Every kind of page the site has, declared once: how its pages are planned, how each is made
(a template and its context builder, or code made for the file's format), whether crawlers are
told of it, what of its releases it shows, and the top-level names its URLs take.

Adding a kind is one record here and one template (docs/internals.md shows an example). The
planner, the renderer, the signatures, the sitemap and the names own pages may not take all read
these records; nothing else lists kinds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from generator.model import Article, Page, Site
from generator.output import context
from generator.output.feeds import atom_feed
from generator.output.figure_views import chart_svg, table_csv
from generator.output.opendata import releases_csv, releases_json, releases_schema
from generator.output.sitemap import robots, sitemap
from generator.reading.config import Config
from generator.site import pages

Body = Callable[[str], str]  # an article's body HTML, by its fingerprint
ContextBuilder = Callable[[Page, Config, Body], dict[str, Any]]
Writer = Callable[[Page, Config, Body], str]


NOTHING, LINKED = "nothing", "linked"


@dataclass(frozen=True)
class PageKind:
    name: str
    plan: pages.Planner
    owns: tuple[str, ...]  # the top-level names of its URLs (`articles` for `articles/x/`)
    context: ContextBuilder | None = None  # rendered with the template `<name>.html` and this context
    write: Writer | None = None  # or written by code made for the file's format
    listed: bool = True  # in the sitemap: a page for readers
    # What of each of its releases it shows. A kind that shows no release whole (with its body)
    # is not planned again while every release's details are as the last build's.
    shows: Callable[[Article], str] = pages.details
    served_anywhere: bool = False  # served at any missing address: its links cannot be relative
    plan_some: pages.SomePlanner | None = None  # a page per release: plans those of the releases given
    # What its pages show beyond the frame (`pages.frame_key`) and the settings, for a build whose
    # frame is the last build's: NOTHING (its pages are kept unplanned), LINKED (what they show of
    # the releases they list and link: only pages listing or linking one that changed are signed),
    # or ANYTHING (every page is signed).
    beyond_frame: str = "anything"

    @property
    def template(self) -> str:
        return f"{self.name}.html"


def _data_file(name: str, file: str, write: Writer, per_release: bool = True) -> PageKind:
    """A file of open data under `data/`: like a list page, it shows no release's body."""
    return PageKind(name, pages.open_data(file, name, per_release), ("data",), write=write, listed=False)


def _download(name: str, plan: pages.Planner, write: Writer) -> PageKind:
    """A file beside a page of figures (`figures/`, a force's page), for no crawler: a table or a chart."""
    return PageKind(name, plan, ("figures", "forces"), write=write, listed=False, beyond_frame=NOTHING)


KINDS: dict[str, PageKind] = {
    kind.name: kind
    for kind in (
        PageKind("home", pages.home, ("page",), context.home, beyond_frame=LINKED),
        PageKind(
            "article",
            pages.articles,
            ("articles",),
            context.article,
            shows=pages.whole,
            plan_some=pages.some_articles,
            beyond_frame=LINKED,
        ),
        PageKind("withdrawn", pages.withdrawn, ("articles",), context.withdrawn, listed=False),
        PageKind("redirect", pages.redirects, ("articles",), context.redirect, listed=False, shows=pages.linked),
        PageKind("forces", pages.forces, ("forces",), context.forces, beyond_frame=NOTHING),
        PageKind("force", pages.force, ("forces",), context.force, beyond_frame=LINKED),
        PageKind("archives", pages.archives, ("archive",), context.archives, beyond_frame=NOTHING),
        PageKind("year", pages.year, ("archive",), context.year, beyond_frame=LINKED),
        PageKind("tags", pages.tags, ("tags",), context.tags, beyond_frame=NOTHING),
        PageKind("tag", pages.tag, ("tags",), context.tag, beyond_frame=LINKED),
        PageKind("feed", pages.feeds, ("feed.xml", "forces"), write=atom_feed, listed=False, shows=pages.whole),
        PageKind("search", pages.search, ("search",), context.search, listed=False, beyond_frame=NOTHING),
        PageKind(
            "404",
            pages.not_found,
            ("404.html",),
            context.not_found,
            listed=False,
            served_anywhere=True,
            beyond_frame=NOTHING,
        ),
        PageKind("figures", pages.figures, ("figures",), context.figures, beyond_frame=NOTHING),
        # after the figures and force pages: their tables and charts, to download
        _download("figures-table", pages.figure_tables, table_csv),
        _download("figures-chart", pages.figure_charts, chart_svg),
        _data_file("releases-json", "releases.json", releases_json),
        _data_file("releases-csv", "releases.csv", releases_csv),
        _data_file("releases-schema", "releases.schema.json", releases_schema, per_release=False),
        PageKind("page", pages.own_pages, (), context.own_page),
        PageKind("sitemap", pages.sitemap, ("sitemap.xml",), write=sitemap, listed=False, beyond_frame=NOTHING),
        PageKind("robots", pages.robots, ("robots.txt",), write=robots, listed=False, beyond_frame=NOTHING),
    )
}
# Folders of the output that are not pages: the search index and the static files.
OTHER_FOLDERS = ("pagefind", "static")


class Plan(NamedTuple):
    pages: list[Page]  # to sign, and to render if the signature changed
    kept: list[str]  # files of the last build kept as they are, without planning their pages
    memo: dict[str, Any]  # what the next build needs to keep pages: plain values


def plan(site: Site, settings: pages.Settings, shared: str = "", previous: Mapping[str, Any] | None = None) -> Plan:
    """Every page of every kind, in the order of `KINDS` (which is the sitemap's order).

    `previous` is the last build's memo. While the details of every release and `shared` (what
    else pages show) are as they were then, a kind that shows no release whole is kept unplanned,
    and of the others only the pages of releases whose files changed are planned: an edit to a
    body costs its own page and the feeds that carry it, however large the archive. While only
    the frame is as it was (`pages.frame_key`: a title or a summary edited), the kinds that show
    nothing beyond it are kept unplanned, and the pages of those that show beyond it only what
    they list and link are kept unless they list or link a release that changed."""
    previous = previous or {}
    key = pages.site_key(site, settings, shared)
    same = previous.get("site") == key
    # the details of every release cover its frame
    frame = previous["frame"] if same and "frame" in previous else pages.frame_key(site, settings, shared)
    known = set(previous.get("releases", ())) if same else set()
    changed = [article for article in site.articles if article.fingerprint not in known]
    touched = None if same else _touched(site, frame, previous)
    planned: list[Page] = []
    kept: list[str] = []
    listed: list[Page] = []
    paths: dict[str, list[str]] = {}
    for kind in KINDS.values():
        if touched is not None and kind.beyond_frame == NOTHING:
            paths[kind.name] = previous["paths"][kind.name]
            kept += paths[kind.name]
            continue
        if (same and kind.shows is not pages.whole) or ((same or touched is not None) and kind.plan_some):
            paths[kind.name] = previous["paths"][kind.name]
            # of a page per release, those of the releases changed; with the frame kept, of those
            # that show or link a release touched
            some = changed if touched is None else pages.linking(site, touched)
            made = kind.plan_some(site, settings, some) if kind.plan_some else []
            replanned = {page.output_path for page in made}
            kept += [path for path in paths[kind.name] if path not in replanned]
            planned += made
            continue
        made = kind.plan(site, settings, listed)
        paths[kind.name] = [page.output_path for page in made]
        for page in made:
            if _unchanged(page, known, touched if kind.beyond_frame == LINKED else None):
                kept.append(page.output_path)
            else:
                planned.append(page)
        if kind.listed:
            listed += made
    releases = [article.fingerprint for article in site.articles]
    memo = {"site": key, "frame": frame, "releases": releases, "paths": paths, "related": list(site.related)}
    return Plan(planned, kept, memo)


def _touched(site: Site, frame: str, previous: Mapping[str, Any]) -> set[int] | None:
    """With the frame as the last build's: the releases (by `id`) whose files changed or whose
    related releases did; None otherwise."""
    picks = previous.get("related")
    if previous.get("frame") != frame or not isinstance(picks, list) or len(picks) != len(site.related):
        return None
    known = set(previous.get("releases", ()))
    changed = {id(article) for article in site.articles if article.fingerprint not in known}
    return changed | {id(site.articles[index]) for index, now in enumerate(site.related) if now != picks[index]}


def _unchanged(page: Page, known: set[str], touched: set[int] | None) -> bool:
    """A page certain to be as the last build made it: with the frame unchanged, one that lists
    and links no release `touched`; else one whose releases' files are all unchanged (`known`,
    given only while every release's details are)."""
    if touched is not None:
        return not _shows_any(page, touched)
    return bool(known) and all(article.fingerprint in known for article in page.articles)


def _shows_any(page: Page, releases: set[int]) -> bool:
    """Whether the page lists one of these releases, or links one (a neighbour, a related one)."""
    if not releases.isdisjoint(map(id, page.articles)):
        return True
    for value in page.params.values():
        if type(value) is Article and id(value) in releases:
            return True
        if type(value) is tuple and value and type(value[0]) is Article and not releases.isdisjoint(map(id, value)):
            return True
    return False


def signature(page: Page, settings: str) -> str:
    return pages.signature(page, settings, KINDS[page.kind].shows)


def reserved() -> frozenset[str]:
    """The top-level names a page of the site's own may not take."""
    return frozenset(name for kind in KINDS.values() for name in kind.owns) | frozenset(OTHER_FOLDERS)


def templated() -> Sequence[PageKind]:
    return [kind for kind in KINDS.values() if kind.context]
