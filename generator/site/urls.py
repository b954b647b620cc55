"""The site's URL layout (the README's table of pages) and the one helper for internal links.

URLs here are site-relative (`articles/x/`, `` for home). Links between pages
are written relative to the page that holds them, so one build works at a
domain root, under `/<repo>/`, and opened from disk.
"""

from __future__ import annotations

from slugify import slugify


def home_url(number: int = 1) -> str:
    return "" if number == 1 else f"page/{number}/"


def article_url(slug: str) -> str:
    return f"articles/{slug}/"


def forces_url() -> str:
    return "forces/"


def force_url(slug: str, number: int = 1) -> str:
    return f"forces/{slug}/" if number == 1 else f"forces/{slug}/page/{number}/"


def archives_url() -> str:
    return "archive/"


def year_url(year: int, number: int = 1) -> str:
    return f"archive/{year}/" if number == 1 else f"archive/{year}/page/{number}/"


def tags_url() -> str:
    return "tags/"


def tag_slug(name: str) -> str:
    """Tags that differ only in case or punctuation share a slug, and so a page."""
    return slugify(name, max_length=60) or "tag"


def tag_url(slug: str, number: int = 1) -> str:
    return f"tags/{slug}/" if number == 1 else f"tags/{slug}/page/{number}/"


def feed_url(force_slug: str | None = None) -> str:
    """The whole archive's Atom feed, or one force's."""
    return f"forces/{force_slug}/feed.xml" if force_slug else "feed.xml"


def own_page_url(slug: str) -> str:
    """A page of the site's own, such as About, at the top level."""
    return f"{slug}/"


def figures_url() -> str:
    return "figures/"


def data_url(name: str) -> str:
    """The open data: `releases.json`, `releases.csv` and the JSON's schema."""
    return f"data/{name}"


def sitemap_url() -> str:
    return "sitemap.xml"


def robots_url() -> str:
    return "robots.txt"


def search_url() -> str:
    return "search/"


def link_root(page_url: str) -> str:
    """The way from the page at `page_url` back up to the site root."""
    return "../" * page_url.count("/")


def relative(from_url: str, to_url: str) -> str:
    """The link from the page at `from_url` to `to_url`: up to the site root, then down."""
    return link_root(from_url) + to_url or "./"


def not_found_url() -> str:
    return "404.html"
