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


def relative(from_url: str, to_url: str) -> str:
    """The link from the page at `from_url` to `to_url`: up to the site root, then down."""
    return "../" * from_url.count("/") + to_url or "./"
