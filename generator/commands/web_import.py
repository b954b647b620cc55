"""Importing from the web: `import URL …` fetches release pages, `import --feed URL` a press
room's RSS or Atom feed and then each of its items' pages.

Every request goes through the shared polite client (`fetching.py`: a User-Agent naming the
tool, one request a second at a host by default, timeouts, a size limit, redirects only to
http(s)). A page already imported is skipped before it is fetched when the URL given is known
(as its source, or as the URL an earlier import fetched it from), and after, by the source URL
the page names. The feed is fetched here and feedparser reads the bytes: left to fetch by
itself, it would ignore every limit above.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

import feedparser

from generator.commands.fetching import Answer, Fetcher, FetchError
from generator.commands.importer import MAX_PAGE_MB, Importer, Outcome, Provenance, is_url
from generator.errors import display_path
from generator.reading.saved_page import PageError
from generator.reading.slugs import source_key

MAX_BYTES = MAX_PAGE_MB * 2**20
_HTML_TYPES = ("text/html", "application/xhtml+xml")


class WebImporter:
    """Pages and feeds fetched with `fetcher`, imported by `importer`."""

    def __init__(self, importer: Importer, fetcher: Fetcher) -> None:
        self.importer = importer
        self.fetcher = fetcher

    def import_url(self, url: str) -> Outcome:
        """One page's outcome; a page already imported is not fetched at all."""
        earlier = self.importer.known.get(source_key(url))
        if earlier and not self.importer.overwrite:
            return Outcome(url, "skipped", f"already imported as {display_path(earlier)}")
        return self.importer.attempt(url, lambda: self._fetch_and_import(url))

    def import_feed(self, url: str, limit: int | None = None) -> Iterator[Outcome]:
        """The outcome of each of the feed's items (the first `limit`), or the feed's failure."""
        try:
            links = feed_links(self._fetch(url), url)
        except PageError as error:
            yield Outcome(url, "failed", str(error))
            return
        if not links:
            yield Outcome(url, "failed", "the feed lists no item with a link")
        for link in links[:limit]:
            yield self.import_url(link)

    def _fetch_and_import(self, url: str) -> Outcome:
        answer = self._fetch(url)
        kind = answer.content_type.split(";")[0].strip().lower()
        if kind and kind not in _HTML_TYPES:
            raise PageError(f"not an HTML page (Content-Type: {kind})")
        archived = datetime.now(UTC).replace(microsecond=0)
        provenance = Provenance.of(answer.body, archived=archived, asked=url, url=answer.url)
        return self.importer.import_bytes(url, answer.body, provenance)

    def _fetch(self, url: str) -> Answer:
        try:
            return self.fetcher.get(url, MAX_BYTES)
        except FetchError as error:
            raise PageError(str(error)) from None


def feed_links(answer: Answer, url: str) -> list[str]:
    """The link of each item of an RSS or Atom feed, absolute, in the feed's order, each once."""
    feed = feedparser.parse(answer.body, response_headers={"content-location": answer.url})
    if not feed.get("version") and not feed.entries:
        reason = feed.get("bozo_exception") or "no RSS or Atom in it"
        raise PageError(f"not an RSS or Atom feed ({reason})")
    links = [urljoin(answer.url, str(entry.get("link") or "")) for entry in feed.entries if entry.get("link")]
    return list(dict.fromkeys(link for link in links if is_url(link)))


def import_from_web(
    importer: Importer, fetcher: Fetcher, pages: list[str], feeds: list[str], limit: int | None
) -> Iterator[Outcome]:
    """Saved pages and folders (by path), pages by URL, then feeds, in the order given."""
    web = WebImporter(importer, fetcher)
    for page in pages:
        if is_url(page):
            yield web.import_url(page)
        else:
            yield from importer.run([Path(page)])
    for feed in feeds:
        yield from web.import_feed(feed, limit)
