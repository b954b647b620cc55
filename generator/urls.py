"""The site's URL layout (DESIGN.md's table) and the one helper for internal links.

URLs here are site-relative (`articles/x/`, `` for home). Links between pages
are written relative to the page that holds them, so one build works at a
domain root, under `/<repo>/`, and opened from disk.
"""

from __future__ import annotations


def home_url(number: int = 1) -> str:
    return "" if number == 1 else f"page/{number}/"


def article_url(slug: str) -> str:
    return f"articles/{slug}/"


def forces_url() -> str:
    return "forces/"


def force_url(slug: str, number: int = 1) -> str:
    return f"forces/{slug}/" if number == 1 else f"forces/{slug}/page/{number}/"


def link_root(page_url: str) -> str:
    """The way from the page at `page_url` back up to the site root."""
    return "../" * page_url.count("/")


def relative(from_url: str, to_url: str) -> str:
    """The link from the page at `from_url` to `to_url`: up to the site root, then down."""
    return link_root(from_url) + to_url or "./"


def not_found_url() -> str:
    return "404.html"
