"""Read a built site as a browser would: parse each page and follow its links."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import html5lib
from bs4 import BeautifulSoup


@dataclass
class Crawl:
    pages: dict[str, BeautifulSoup] = field(default_factory=dict)  # site-relative path → parsed page
    broken: list[tuple[str, str]] = field(default_factory=list)  # (page, link) pairs that lead nowhere
    escaped: list[tuple[str, str]] = field(default_factory=list)  # root-relative links that leave the site


def parse(path: Path) -> BeautifulSoup:
    """Parse with html5lib in strict mode: a parse error fails the test that reads the page."""
    text = path.read_text(encoding="utf-8")
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)
    return BeautifulSoup(text, "html5lib")


def links(soup: BeautifulSoup) -> list[str]:
    found = [tag.get("href") for tag in soup.find_all(["a", "link"], href=True)]
    found += [tag.get("src") for tag in soup.find_all(["script", "img"], src=True)]
    return [str(link) for link in found]


def resolve(output: Path, page: str, link: str) -> str | None:
    """The site-relative file a link from `page` points to, or None for external links."""
    target = urldefrag(link)[0]
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target:
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path))
    if parts.path.endswith("/") or (output / joined).is_dir():
        joined = posixpath.join(joined, "index.html")
    return posixpath.normpath(joined)


def crawl(output: Path, start: str = "index.html") -> Crawl:
    result = Crawl()
    queue = [start]
    while queue:
        page = queue.pop()
        if page in result.pages:
            continue
        soup = parse(output / page)
        result.pages[page] = soup
        for link in links(soup):
            if link.startswith("/"):
                result.escaped.append((page, link))
                continue
            target = resolve(output, page, link)
            if target is None:
                continue
            if target.startswith("..") or not (output / target).is_file():
                result.broken.append((page, link))
            elif target.endswith(".html"):
                queue.append(target)
    return result


def is_redirect(path: Path) -> bool:
    """A page that only sends the reader to a release's address now (a former address)."""
    return 'http-equiv="refresh"' in path.read_text(encoding="utf-8")


def release_pages(output: Path) -> list[Path]:
    """The `index.html` of each release published at its own address, sorted; former addresses
    (redirect pages) left out."""
    return [page for page in sorted((output / "articles").glob("*/index.html")) if not is_redirect(page)]
