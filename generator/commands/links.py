"""The links of a built site, and which of its own links lead nowhere (`check --links`).

Each page is parsed once, by lxml, for both what it holds (ids, and names on `<a>`: what a
`#fragment` may point to) and what it links to (every `href` and `src`, a form's `action`, a
redirect page's `<meta http-equiv=refresh>`, `og:url` and `og:image`), with the line of each.
A link is the site's own when it is relative, or absolute under `base_url` (the canonical link,
OpenGraph); it must name a file in the output folder (a folder's `index.html`) and, with a
`#fragment`, an element of that page. Other http(s) links are the site's external links.
"""

from __future__ import annotations

import io
import os
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urlsplit

from lxml import etree, html

from generator.errors import GeneratorError, display_path
from generator.output.citation import WAYBACK

# Where links are: attributes, each with the element that carries it (for its line).
_LINKS = etree.XPath(
    "//@href | //@src | //form/@action | //meta[@http-equiv='refresh']/@content"
    " | //meta[@property='og:url' or @property='og:image']/@content"
)
_ANCHORS = etree.XPath("//@id | //a/@name")
_SKIPPED_SCHEMES = frozenset({"mailto", "tel", "javascript", "data", "sms"})
# A `#fragment` that needs no element: the top of the page (the HTML standard's own rule).
_TOP = frozenset({"", "top"})


@dataclass(frozen=True)
class Link:
    """One link as a page writes it."""

    page: str  # the page's path in the output folder, with `/`: `articles/x/index.html`
    line: int
    url: str


@dataclass(frozen=True)
class SiteLinks:
    """Every page's anchors and links, and every file of the output folder."""

    anchors: dict[str, frozenset[str]]  # page → the fragments it holds
    links: tuple[Link, ...]
    files: frozenset[str]


@dataclass(frozen=True)
class Broken:
    link: Link
    why: str


def read_site(output: Path) -> SiteLinks:
    """Parse every `.html` page of `output` once; hidden files and folders are left out."""
    files = frozenset(_files(output))
    anchors: dict[str, frozenset[str]] = {}
    links: list[Link] = []
    for page in sorted(name for name in files if name.endswith(".html")):
        try:
            tree = html.parse(io.BytesIO((output / page).read_bytes())).getroot()
        except OSError as error:
            raise GeneratorError(f"cannot read {display_path(output / page)}: {error.strerror or error}") from None
        if tree is None:  # an empty file: nothing to link to or from
            anchors[page] = frozenset()
            continue
        anchors[page] = frozenset(str(value) for value in _ANCHORS(tree))
        links += (Link(page, value.getparent().sourceline or 1, _link_in(value)) for value in _LINKS(tree))
    return SiteLinks(anchors, tuple(links), files)


class Resolver:
    """Which links are the site's own, and whether each leads somewhere."""

    def __init__(self, site: SiteLinks, base_url: str) -> None:
        self.site = site
        parts = urlsplit(base_url)
        self.host = parts.netloc.lower()
        self.base_path = parts.path if parts.path.endswith("/") else parts.path + "/"
        self._target = cache(self._resolve)  # pages at one depth share most links: each is worked out once

    def broken(self) -> Iterator[Broken]:
        """The site's own links that name no file, or no element of their page."""
        for link in self.site.links:
            target = self._target_of(link)
            if isinstance(target, _Miss):
                yield Broken(link, target.why)

    def external(self) -> Iterator[Link]:
        """The http(s) links that lead out of the site, fragments left off (a page is fetched whole).
        The Internet Archive links beside each original are the generator's own, made from the
        original's address: asking for them would put a request per release to one host and say
        nothing of what rotted, so they are left out."""
        for link in self.site.links:
            if self._target_of(link) is _EXTERNAL:
                url = urldefrag(link.url.strip())[0]
                url = "https:" + url if url.startswith("//") else url
                if not url.startswith(WAYBACK):
                    yield Link(link.page, link.line, url)

    def _target_of(self, link: Link) -> _Miss | str | None:
        if link.url.strip()[:1] in ("", "#", "?"):  # this page (at its own name: `404.html` too)
            return self._file(link.page, urldefrag(link.url.strip())[1])
        return self._target(posixpath.dirname(link.page), link.url)

    def _resolve(self, folder: str, url: str) -> _Miss | str | None:
        """The file `url` names, from a page in `folder`; `_EXTERNAL`, or None for what is not
        checked (mailto:, other schemes); a `_Miss` saying why for a link that leads nowhere."""
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        if scheme in _SKIPPED_SCHEMES or (scheme and scheme not in ("http", "https")):
            return None
        if parts.netloc:
            inside = parts.netloc.lower() == self.host and (parts.path + "/").startswith(self.base_path)
            return self._file(parts.path[len(self.base_path) :], parts.fragment) if inside else _EXTERNAL
        if parts.path.startswith("/"):
            if not (parts.path + "/").startswith(self.base_path):
                return _Miss(f"outside the site, which is under {self.base_path}")
            return self._file(parts.path[len(self.base_path) :], parts.fragment)
        path = posixpath.normpath(posixpath.join(folder, parts.path))
        if path == ".." or path.startswith("../"):
            return _Miss("leads out of the site")
        return self._file("" if path == "." else path, parts.fragment)

    def _file(self, path: str, fragment: str) -> _Miss | str:
        """The output file at `path` in the site (a folder's `index.html`), and whether it holds
        the element `fragment` names."""
        name = unquote(path).strip("/")
        if name not in self.site.files:
            name = posixpath.join(name, "index.html") if name else "index.html"
        if name not in self.site.files:
            return _Miss(f"no such file: {name}")
        anchors = self.site.anchors.get(name)
        wanted = unquote(fragment)
        if anchors is not None and wanted not in anchors and wanted.lower() not in _TOP:
            return _Miss(f"no id {wanted!r} in {name}")
        return name


@dataclass(frozen=True)
class _Miss:
    why: str


_EXTERNAL = "<external>"


def _link_in(value: Any) -> str:
    """The URL an attribute holds: a refresh's `0; url=…` gives what follows `url=`."""
    parent = value.getparent()
    if parent.tag == "meta" and parent.get("http-equiv") == "refresh":
        return str(value).partition("=")[2].strip().strip("'\"")
    return str(value)


def _files(output: Path) -> Iterator[str]:
    """Every file of `output`, by its path within it, with `/`; hidden files and folders left out."""
    for folder, folders, names in os.walk(output):
        folders[:] = [name for name in folders if not name.startswith(".")]
        relative = os.path.relpath(folder, output)
        for name in names:
            if not name.startswith("."):
                yield name if relative == "." else f"{relative.replace(os.sep, '/')}/{name}"
