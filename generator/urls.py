"""The site's URL layout (DESIGN.md's table) and the one helper for internal links.

URLs here are site-relative (`articles/x/`, `` for home). Links between pages
are written relative to the page that holds them, so one build works at a
domain root, under `/<repo>/`, and opened from disk.
"""

from __future__ import annotations

import posixpath


def home_url(number: int = 1) -> str:
    return "" if number == 1 else f"page/{number}/"


def article_url(slug: str) -> str:
    return f"articles/{slug}/"


def forces_url() -> str:
    return "forces/"


def force_url(slug: str, number: int = 1) -> str:
    return f"forces/{slug}/" if number == 1 else f"forces/{slug}/page/{number}/"


def output_path(url: str) -> str:
    """Every page URL is a folder with an `index.html`."""
    return f"{url}index.html" if url.endswith("/") or not url else url


def relative(from_url: str, to_url: str) -> str:
    """The link from the page at `from_url` to `to_url`, both site-relative."""
    start = posixpath.dirname(from_url) or "."
    target = posixpath.relpath(to_url.rstrip("/") or ".", start)
    if to_url.endswith("/") or not to_url:
        return "./" if target == "." else target + "/"
    return target
