"""The published set of release addresses, and what a build would lose of it.

An address once published is cited, linked and bookmarked: it must keep leading somewhere (the
release, a redirect page, or a withdrawn page). A build records every address it made; the next
compares (or `check --against` compares a published sitemap), and an address that would disappear
is named with its release and file, and what keeps it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from generator.errors import Diagnostic
from generator.model import Article, Redirect, Site
from generator.site.urls import article_url

_ARTICLE_PATH = re.compile(r"(?:^|/)articles/([^/?#]+)/(?:index\.html)?(?:[?#].*)?$")


def addresses(site: Site) -> dict[str, list[str]]:
    """Every release address of the site: slug → [file, title, source URL] of the release it
    shows or leads to."""
    found = {article.slug: _named(article) for article in (*site.articles, *site.withdrawn)}
    for slug, article in site.redirects:
        found[slug] = _named(article)
    return found


def moved(
    before: Mapping[str, Sequence[str]], site: Site, forgotten: Iterable[str] = ()
) -> tuple[Site, list[Diagnostic]]:
    """The site with a redirect from each address in `before` whose release is now at another (the
    same source URL, else the same file): a slug changed on purpose keeps its old address. Each
    is a warning, as a build that trusts no record, or a fresh clone, would not know it: `aliases:`
    keeps it for good."""
    now = addresses(site)
    releases = (*site.articles, *site.withdrawn)
    by_source = {article.source_url: article for article in releases if article.source_url}
    by_file = {article.source_path: article for article in releases}
    kept: list[Redirect] = []
    warnings = []
    for slug in sorted(set(before) - set(now) - set(forgotten)):
        path, _, source = [*before[slug], "", "", ""][:3]
        article = by_source.get(source) or by_file.get(path)
        if article is None:
            continue
        kept.append(Redirect(slug, article))
        message = (
            f"moved from {article_url(slug)} to {article_url(article.slug)}: the old address leads here for now; "
            f"add 'aliases: [{article_url(slug)}]' to keep it for good"
        )
        warnings.append(Diagnostic(Path(article.source_path), 1, message, "warning"))
    if not kept:
        return site, []
    redirects = tuple(sorted((*site.redirects, *kept), key=lambda redirect: redirect.slug))
    return dataclasses.replace(site, redirects=redirects), warnings


def _named(article: Article) -> list[str]:
    return [article.source_path, article.title, article.source_url or ""]


def slugs_in(urls: Iterable[str]) -> list[str]:
    """The slugs of the release addresses among `urls` (a sitemap's, a folder's pages)."""
    return [found[1] for url in urls if (found := _ARTICLE_PATH.search(url))]


def vanished(
    before: Mapping[str, Sequence[str]], site: Site, forgotten: Iterable[str], severity: str = "error"
) -> list[Diagnostic]:
    """Each address in `before` (slug → [file, title, source URL], any may be empty) that this site
    would no longer have, or would give to another release, naming the release and its file and
    saying what would keep it."""
    now = addresses(site)
    gone = set(forgotten)
    problems = []
    for slug in sorted(set(before) - gone):
        path, title = [*before[slug], "", ""][:2]
        named = f"{article_url(slug)} ({title})" if title else article_url(slug)
        if slug in now:
            if _same(before[slug], now[slug]):
                continue
            other_path, other_title = now[slug][:2]
            message = (
                f"{named} would show another release, {other_title} ({other_path}), which would take its address: "
                f"pin this one's address with 'slug: {slug}', or give the other another 'slug'"
            )
        else:
            message = (
                f"{named} would disappear: {'its file ' + path + ' is gone' if path else 'no release has it now'}: "
                "restore the file, mark it 'withdrawn: <reason>', name the address in another release's 'aliases', "
                "or list it under 'forget' in site.yaml"
            )
        problems.append(Diagnostic(Path(path or article_url(slug)), 1, message, severity))
    return problems


def _same(before: Sequence[str], now: Sequence[str]) -> bool:
    """One release by its source URL, else its file or title; an address known only from a sitemap
    (no file, no title) is kept by any release."""
    path, title, source = [*before, "", "", ""][:3]
    if not (path or title or source):
        return True
    if source or now[2]:
        return source == now[2]
    return path == now[0] or title == now[1]
