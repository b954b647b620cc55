"""Atom feeds: the whole archive's newest releases, and each force's.

feedgen writes the XML (escaping, dates, the Atom structure); this module decides
what goes in it. Ids are the releases' canonical URLs, which the site keeps stable.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

from generator import __version__
from generator.model import Page
from generator.reading.config import Config
from generator.site.urls import article_url

# Characters XML 1.0 cannot hold at all: a scraped title may carry one.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_NO_DATE = datetime(1970, 1, 1, tzinfo=UTC)  # Atom needs a date; a feed of undated releases has none


def atom_feed(page: Page, config: Config, body: Callable[[str], str]) -> str:
    """The feed for `page`: params `about` (the page it belongs to) and `force` (its name, or None)."""
    from feedgen.feed import FeedGenerator  # with lxml, a fortieth of a second: only when a feed changed

    force = page.params["force"]
    feed = FeedGenerator()
    feed.id(config.absolute_url(page.params["about"]))
    feed.title(_text(f"{config.title}: {force}" if force else config.title))
    feed.subtitle(_text(f"Press releases about county lines from {force}." if force else config.description))
    feed.link(href=config.absolute_url(page.url), rel="self", type="application/atom+xml")
    feed.link(href=config.absolute_url(page.params["about"]), rel="alternate", type="text/html")
    feed.author(name=_text(config.title))
    feed.language(config.language)
    feed.generator("County lines archive generator", __version__)
    dates = [article.published for article in page.articles if article.published]
    updated = max(dates, default=_NO_DATE)
    feed.updated(updated)
    for article in page.articles:
        url = config.absolute_url(article_url(article.slug))
        entry = feed.add_entry(order="append")
        entry.id(url)
        entry.title(_text(article.title))
        entry.link(href=url, rel="alternate", type="text/html")
        entry.published(article.published or updated)
        entry.updated(article.published or updated)
        if article.summary:
            entry.summary(_text(article.summary))
        entry.content(_text(body(article.fingerprint)), type="html")
        if article.force:
            entry.author(name=_text(article.force.name))
            entry.category(term=article.force.slug, label=_text(article.force.name))
    xml: bytes = feed.atom_str(pretty=True)
    return xml.decode("utf-8")


def _text(value: str) -> str:
    return _NOT_XML.sub("", value)
