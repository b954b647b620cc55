"""The content model: plain dataclasses, no I/O.

Data flows one way: files are read into `Article`s, the articles are collected
into a `Site`, the site is planned into `Page`s, and pages are rendered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any, NamedTuple

from generator.errors import Diagnostic


class Precision(Enum):
    """How much of an article's date is actually known."""

    MINUTE = "minute"
    DAY = "day"
    MONTH = "month"


@dataclass(frozen=True)
class Force:
    """A police force or other publishing body, with one canonical page."""

    name: str
    slug: str
    kind: str = "unregistered"
    aliases: tuple[str, ...] = ()
    website: str | None = None

    @property
    def registered(self) -> bool:
        return self.kind != "unregistered"


class Figure(NamedTuple):
    """A number a release reports, of one kind (`figures.KINDS`), with the sentence it came from.
    A named tuple: a rebuild makes tens of thousands of them from the cache."""

    kind: str
    value: float  # in the kind's unit: kg for drugs, pounds for money, years for sentences
    unit: str
    sentence: str  # empty when entered by hand
    span: tuple[int, int] | None  # where the number is in the release's body text
    high: float | None = None  # the top of a range ("20 to 30")
    qualifier: str = ""  # "more than", "about", …
    by_hand: bool = False  # from the front matter's `figures:`


@dataclass(frozen=True)
class Article:
    """One press release, whichever form it was written in."""

    source_path: str
    fingerprint: str  # hash of the file's path and bytes: the article's identity in caches
    slug: str
    title: str
    summary: str
    published: datetime | None = None  # timezone-aware, UTC
    precision: Precision | None = None
    force: Force | None = None
    area: str | None = None
    image: str | None = None
    source_url: str | None = None
    fb_app_id: str | None = None
    tags: tuple[str, ...] = ()
    draft: bool = False
    figures: tuple[Figure, ...] = ()
    pinned: bool = False  # the slug is the front matter's own `slug:`
    aliases: tuple[str, ...] = ()  # slugs it was published at before (`aliases:`): redirects to it
    withdrawn: str | None = None  # why it was withdrawn: its page says so, and no list shows it
    press_room: str | None = None  # the press office named in the scraped form (`pressroom.name`)
    platform: str | None = None  # the service that hosts its press room (`og.site.name`: "Mynewsdesk")
    archived: datetime | None = None  # when `import` fetched it (`archived:`); None: not recorded
    sha256: str | None = None  # of the page (or saved file) `import` read it from
    # Its largest figure of each kind (in the order of `figures.KINDS`), None where it gives none:
    # what tallies and open data sum, worked out once when its file is read.
    largest: tuple[float | None, ...] = ()
    # A hash of every field above but the fingerprint: what pages other than its own show of it.
    # An edit that leaves it as it was (the wording of the body) changes the release's own page only.
    details: str = ""
    # A hash of its date, force, tags and largest figures: where lists place it and what it adds to
    # totals. An edit that leaves it and its address as they were (a title, a summary) changes
    # only the pages that show or link it (`pages.frame_key`).
    frame: str = ""

    def __hash__(self) -> int:
        """Articles key the caches of what pages show of them; hashing every field (figures and
        all) each time was a tenth of a rebuild. Equal articles share a file and a slug."""
        return hash((self.fingerprint, self.slug))


@dataclass(frozen=True)
class PlainPage:
    """A page of the site's own, such as About: a title and a body, listed in the navigation."""

    source_path: str
    fingerprint: str
    slug: str
    title: str
    description: str
    body_html: str
    order: int = 0  # its place in the navigation; then by title


@dataclass(frozen=True)
class Parsed:
    """One file's article, its body as HTML (kept apart: it is big, and only the
    article's own page needs it) and what was wrong with it but not fatal."""

    article: Article
    body_html: str
    warnings: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class Tag:
    name: str  # as first written
    slug: str


@dataclass(frozen=True)
class Site:
    """Every published article, newest first, grouped by force, year and tag."""

    articles: tuple[Article, ...]
    forces: tuple[Force, ...]
    by_force: dict[str, tuple[Article, ...]] = field(default_factory=dict)
    by_year: dict[int, tuple[Article, ...]] = field(default_factory=dict)  # newest year first
    tags: tuple[Tag, ...] = ()
    by_tag: dict[str, tuple[Article, ...]] = field(default_factory=dict)
    next_due: datetime | None = None  # when the first release held back as future-dated falls due
    pages: tuple[PlainPage, ...] = ()  # in navigation order
    related: tuple[tuple[int, ...], ...] = ()  # for each article, the positions of its related ones
    withdrawn: tuple[Article, ...] = ()  # each keeps a page at its address, saying so
    redirects: tuple[Redirect, ...] = ()  # former addresses, each to the release now at another


class Redirect(NamedTuple):
    """A former address of a release (`articles/<slug>/`), kept as a page that sends readers on."""

    slug: str
    article: Article


class ForceRef(NamedTuple):
    """A force as a page about it names and links it."""

    name: str
    slug: str
    website: str | None = None


class Counted(NamedTuple):
    """A force or a tag with how many releases it has: index pages and the home page list them."""

    name: str
    slug: str
    releases: int


class ForceSpan(NamedTuple):
    """A force's count of releases and the months they cover ("March 2019 to June 2024", or "Undated")."""

    name: str
    slug: str
    releases: int
    span: str


class YearCount(NamedTuple):
    year: int
    releases: int


class SitemapEntry(NamedTuple):
    """A page for readers, with the date of the newest release it shows (ISO), if any."""

    url: str
    lastmod: str | None


@dataclass(frozen=True)
class Page:
    """One output file, planned before anything is rendered.

    What a page shows is a function of its kind, its articles and its params
    (plain values only) and the site's settings: so those, hashed, tell an
    incremental build whether the page must be rendered again.
    """

    kind: str  # "home", "article", "force", "feed", …: a record of `kinds.KINDS` says how it is made
    url: str  # site-relative: "" for the home page, "dir/sub/" for a folder, or a file name
    articles: tuple[Article, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)  # plain values, named tuples and linked articles

    @property
    def output_path(self) -> str:
        """A folder URL is written as its `index.html`; relative to the output folder."""
        return f"{self.url}index.html" if self.url.endswith("/") or not self.url else self.url
