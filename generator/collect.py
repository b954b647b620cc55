"""Articles → `Site`: drafts dropped, slugs made unique, newest first, grouped by force."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable
from operator import attrgetter
from pathlib import Path

from .errors import Diagnostic
from .model import Article, Force, Site
from .urls import article_url


def collect(articles: Iterable[Article], drafts: bool = False) -> tuple[Site, list[Diagnostic]]:
    kept = [article for article in articles if drafts or not article.draft]
    unique, warnings = _unique_slugs(kept)
    ordered = tuple(sorted(sorted(unique, key=attrgetter("slug")), key=_newest_first, reverse=True))
    groups: dict[str, list[Article]] = defaultdict(list)
    forces: dict[str, Force] = {}
    for article in ordered:
        if article.force is not None:
            groups[article.force.slug].append(article)
            if article.force.registered or article.force.slug not in forces:
                forces[article.force.slug] = article.force
    site = Site(
        articles=ordered,
        forces=tuple(sorted(forces.values(), key=lambda force: (force.name.casefold(), force.slug))),
        by_force={slug: tuple(group) for slug, group in groups.items()},
    )
    return site, warnings


def _unique_slugs(articles: list[Article]) -> tuple[list[Article], list[Diagnostic]]:
    """The earliest release keeps a contested slug; later ones get `-2`, `-3`, … in a stable order."""
    counts = Counter(article.slug for article in articles)
    result = [article for article in articles if counts[article.slug] == 1]
    claims: dict[str, list[Article]] = defaultdict(list)
    for article in sorted((a for a in articles if counts[a.slug] > 1), key=_age):
        claims[article.slug].append(article)
    taken = set(counts)
    warnings: list[Diagnostic] = []
    for slug, claimants in claims.items():
        first, *others = claimants
        result.append(first)
        number = 2
        for article in others:
            while f"{slug}-{number}" in taken:
                number += 1
            new_slug = f"{slug}-{number}"
            taken.add(new_slug)
            result.append(dataclasses.replace(article, slug=new_slug))
            message = f"{first.source_path} already has the URL {article_url(slug)}; this release is published at {article_url(new_slug)}"
            warnings.append(Diagnostic(Path(article.source_path), 1, message, "warning"))
    return result, warnings


def _newest_first(article: Article) -> float:
    """With `reverse=True`: newest first, undated last; the sort is stable, so ties stay in slug order."""
    return article.published.timestamp() if article.published else float("-inf")


def _age(article: Article) -> tuple[bool, float, str]:
    stamp = article.published.timestamp() if article.published else 0.0
    return (article.published is None, stamp, article.source_path)
