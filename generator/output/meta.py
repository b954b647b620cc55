"""The metadata in every page's head: title, description, canonical URL,
OpenGraph, Twitter card and JSON-LD, decided here so templates only print it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from generator.model import Article, Force
from generator.output.citation import escaped, highwire
from generator.reading.config import Config
from generator.reading.dates import iso_datetime

DEFAULT_IMAGE_SIZE = (1200, 630)


@dataclass(frozen=True)
class Meta:
    title: str  # the <title>, with the site's name
    headline: str  # og:title, without it
    description: str
    canonical: str
    og_type: str
    image: str
    image_alt: str
    image_size: tuple[int, int] | None
    json_ld: Markup
    site_name: str
    fb_app_id: str | None = None
    twitter_site: str | None = None
    published: str | None = None
    section: str | None = None
    robots: str | None = None  # "noindex" for pages search engines should not list
    citation: tuple[tuple[str, str], ...] = ()  # a release's `citation_*` tags, for reference managers


def article_meta(article: Article, url: str, force_url: str | None, config: Config) -> Meta:
    canonical = config.absolute_url(url)
    image, image_size = _image(article.image, config)
    publisher = _organisation(article.force, force_url, config)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.summary or None,
        "url": canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "image": [image],
        "inLanguage": config.language,
        "datePublished": iso_datetime(article.published),
        "author": publisher,
        "publisher": publisher,
        "isBasedOn": escaped(article.source_url) if article.source_url else None,
        "articleSection": article.force.name if article.force else None,
        "keywords": list(article.tags) or None,
    }
    return Meta(
        title=f"{article.title} – {config.title}",
        headline=article.title,
        description=article.summary or article.title,
        canonical=canonical,
        og_type="article",
        image=image,
        image_alt=article.title if article.image else config.default_image_alt,
        image_size=image_size,
        json_ld=_json_ld(data),
        site_name=config.title,
        fb_app_id=article.fb_app_id or config.fb_app_id,
        twitter_site=config.twitter_site,
        published=iso_datetime(article.published),
        section=article.force.name if article.force else None,
        citation=highwire(article, config),
    )


def listing_meta(heading: str, description: str, url: str, config: Config, number: int = 1) -> Meta:
    """Metadata for the home page, the forces index and force pages (`og:type` website)."""
    canonical = config.absolute_url(url)
    image, image_size = _image(None, config)
    home = not url
    page_title = heading if number == 1 else f"{heading}, page {number}"
    data = {
        "@context": "https://schema.org",
        "@type": "WebSite" if home else "CollectionPage",
        "name": config.title if home else page_title,
        "description": description,
        "url": canonical,
        "inLanguage": config.language,
    }
    return Meta(
        title=config.title if home and number == 1 else f"{page_title} – {config.title}",
        headline=page_title,
        description=description,
        canonical=canonical,
        og_type="website",
        image=image,
        image_alt=config.default_image_alt,
        image_size=image_size,
        json_ld=_json_ld(data),
        site_name=config.title,
        fb_app_id=config.fb_app_id,
        twitter_site=config.twitter_site,
    )


def _image(own: str | None, config: Config) -> tuple[str, tuple[int, int] | None]:
    """The release's own image, else the site's 1200×630 share image, so every link previews."""
    return (own, None) if own else (config.absolute_url(config.default_image), DEFAULT_IMAGE_SIZE)


def _organisation(force: Force | None, force_url: str | None, config: Config) -> dict[str, str] | None:
    if force is None:
        return None
    kind = "GovernmentOrganization" if force.registered else "Organization"
    url = force.website or (config.absolute_url(force_url) if force_url else None)
    return {"@type": kind, "name": force.name, **({"url": url} if url else {})}


def _json_ld(data: dict[str, Any]) -> Markup:
    """JSON that cannot end its <script> block: `<`, `>` and `&` are written as \\u escapes."""
    text = json.dumps({key: value for key, value in data.items() if value is not None}, ensure_ascii=False)
    escaped = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(escaped.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
