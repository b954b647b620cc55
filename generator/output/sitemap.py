"""The files search engines read: `sitemap.xml` (sitemaps.org 0.9) and `robots.txt`."""

from __future__ import annotations

from collections.abc import Callable
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from generator.model import Page
from generator.reading.config import Config
from generator.site.urls import sitemap_url

_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap(page: Page, config: Config, body: Callable[[str], str]) -> str:
    """Every page in params `urls`, as (site-relative URL, date of last change or None)."""
    root = Element("urlset", xmlns=_NAMESPACE)
    for url, lastmod in page.params["urls"]:
        item = SubElement(root, "url")
        SubElement(item, "loc").text = config.absolute_url(url)
        if lastmod:
            SubElement(item, "lastmod").text = lastmod
    indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n"


def robots(page: Page, config: Config, body: Callable[[str], str]) -> str:
    """Everything may be crawled; the sitemap says what there is."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {config.absolute_url(sitemap_url())}\n"
