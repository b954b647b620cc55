"""The release addresses a site has published, read from its sitemap (a file, a URL, or the
sitemap in a git commit) or from a built folder, for `check --against` and `publish`."""

from __future__ import annotations

import urllib.request
from pathlib import Path
from xml.etree import ElementTree

from generator import __version__
from generator.errors import OptionError
from generator.site.addresses import slugs_in

FETCH_TIMEOUT = 30.0
MAX_SITEMAP_BYTES = 50 * 2**20  # the sitemap protocol's own limit


def published_slugs(source: str) -> tuple[str, ...]:
    """`source` is a built site's folder (every release page in it, redirects and withdrawn pages
    too), a sitemap file, or the http(s) URL of a published sitemap."""
    if source.startswith(("http://", "https://")):
        return tuple(slugs_in(sitemap_urls(_fetch(source), source)))
    path = Path(source)
    if path.is_dir():
        pages = [page.parent.relative_to(path).as_posix() + "/" for page in path.glob("articles/*/index.html")]
        if not pages:
            raise OptionError("--against", f"{source} holds no built site (no articles/<slug>/index.html in it)")
        return tuple(slugs_in(pages))
    try:
        data = path.read_bytes()
    except OSError as error:
        raise OptionError("--against", f"cannot read {source}: {error.strerror or error}") from None
    return tuple(slugs_in(sitemap_urls(data, source)))


def sitemap_urls(data: bytes, source: str) -> list[str]:
    """The `<loc>` of every URL in a sitemap."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise OptionError("--against", f"{source} is not a sitemap: {error}") from None
    if root.tag.rpartition("}")[2] != "urlset":
        raise OptionError("--against", f"{source} is not a sitemap of pages (its root is <{root.tag}>, not <urlset>)")
    return [(element.text or "").strip() for element in root.iter() if element.tag.rpartition("}")[2] == "loc"]


def _fetch(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": f"county-lines-archive/{__version__} (check)"})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
            data: bytes = response.read(MAX_SITEMAP_BYTES + 1)
    except (OSError, ValueError) as error:
        raise OptionError("--against", f"cannot fetch {url}: {error}") from None
    if len(data) > MAX_SITEMAP_BYTES:
        raise OptionError("--against", f"{url} is over {MAX_SITEMAP_BYTES // 2**20} MB: no sitemap is")
    return data
