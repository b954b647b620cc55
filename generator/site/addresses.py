"""The published set of release addresses, and what a build would lose of it.

An address once published is cited, linked and bookmarked: it must keep leading to its release
(its page, a redirect page from `aliases:`, or a withdrawn page). Each build into an output folder
adds the addresses it made to that folder's published set, which outlives the build cache; an
address of the set that a build would lose, or give to another release, stays in the set and is
named, with its release and file and what keeps it, until the content says what became of it.
The site itself never depends on the set: it is a function of the content folder alone.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path

from generator.errors import Diagnostic
from generator.model import Article, Site
from generator.reading.slugs import source_key
from generator.site.urls import article_url

# slug → [file, title, source URL] of the release at that address (any may be empty)
Addresses = dict[str, list[str]]

_ARTICLE_PATH = re.compile(r"(?:^|/)articles/([^/?#]+)/(?:index\.html)?(?:[?#].*)?$")


def addresses(site: Site) -> Addresses:
    """Every release address of the site, with the release it shows or leads to."""
    found = {article.slug: named(article) for article in (*site.articles, *site.withdrawn)}
    for slug, article in site.redirects:
        found[slug] = named(article)
    return found


def readable(value: object) -> Addresses:
    """The published set as the cache kept it, any damaged entry left out."""
    if not isinstance(value, dict):
        return {}
    return {
        slug: list(entry)
        for slug, entry in value.items()
        if isinstance(slug, str) and isinstance(entry, list) and all(isinstance(part, str) for part in entry)
    }


def published_set(before: Mapping[str, Sequence[str]], now: Addresses, forgotten: Iterable[str]) -> Addresses:
    """The published set after a build whose `addresses` are `now`: those, and those of `before`
    still owed (lost, or given to another release) unless forgotten."""
    now = dict(now)
    gone = _gone(before, forgotten)
    for slug, entry in before.items():
        if now.get(slug) != entry and slug not in gone and (slug not in now or not same_release(entry, now[slug])):
            now[slug] = list(entry)
    return now


def slugs_in(urls: Iterable[str]) -> list[str]:
    """The slugs of the release addresses among `urls` (a sitemap's, a folder's pages)."""
    return [found[1] for url in urls if (found := _ARTICLE_PATH.search(url))]


def vanished(
    before: Mapping[str, Sequence[str]],
    site: Site,
    now: Addresses,
    forgotten: Iterable[str],
    read: Collection[str] = (),
    severity: str = "error",
) -> list[Diagnostic]:
    """Each address in `before` that this site would no longer have, or would give to another
    release, naming the release and its file and saying what would keep it; `read` are the
    files read this time (a release left out is not a file gone); `now` is the site's `addresses`."""
    gone = _gone(before, forgotten)
    releases = ReleaseIndex((*site.articles, *site.withdrawn))
    problems = []
    owed = [slug for slug, entry in before.items() if now.get(slug) != entry and slug not in gone]
    for slug in sorted(owed):
        path, title = [*before[slug], "", ""][:2]
        if slug in now and same_release(before[slug], now[slug]):
            continue  # the same release, retitled or moved to another file
        address = f"{article_url(slug)} ({title})" if title else article_url(slug)
        moved = releases.named(before[slug])
        if slug in now:
            other_path, other_title = now[slug][:2]
            keep = (
                f"give {other_path} a 'slug' of its own"
                if moved is not None and moved.slug != slug  # a former address of a release published elsewhere
                else f"pin this one's address with 'slug: {slug}', or give {other_path} a 'slug' of its own"
            )
            message = f"{address} would show another release, {other_title} ({other_path}): {keep}"
        else:
            keep = (
                "add its address to 'aliases' (in the release now meant to have it), mark it "
                "'withdrawn: <reason>', or list the address under 'forget' in site.yaml"
            )
            if moved is not None:
                where = f"the release is at {article_url(moved.slug)} now ({moved.source_path})"
                keep = f"add 'aliases: [{article_url(slug)}]' to its front matter to keep the old address"
            elif path in read:
                where = f"{path} is left out (a draft, dated in the future, or a copy: see the notes)"
            elif path:
                where = f"its file {path} is gone"
            else:
                where = "no release has it now"
            message = f"{address} would disappear: {where}; {keep}"
        problems.append(Diagnostic(Path(path or article_url(slug)), 1, message, severity))
    return problems


class ReleaseIndex:
    """The releases, looked up by what the published set keeps of one: indexed when first asked
    (only for an address owed), so that each address owed is not a search of every release."""

    def __init__(self, releases: Sequence[Article]) -> None:
        self.releases = releases
        self._index: dict[tuple[str, str], list[Article]] | None = None

    def named(self, entry: Sequence[str]) -> Article | None:
        """The one release `entry` names (`same_release`: by file, source URL, or, neither having a
        source URL, title), if it names one: an address known only from a sitemap names none."""
        if not any(entry):
            return None
        path, title, source = [*entry, "", "", ""][:3]
        index = self._indexed()
        keys = [("path", path), ("source", source_key(source)) if source else ("title", title)]
        found = {id(article): article for key in keys for article in index.get(key, ())}
        return next(iter(found.values())) if len(found) == 1 else None

    def _indexed(self) -> dict[tuple[str, str], list[Article]]:
        if self._index is None:
            self._index = defaultdict(list)
            for article in self.releases:
                self._index[("path", article.source_path)].append(article)
                if article.source_url:
                    self._index[("source", source_key(article.source_url))].append(article)
                else:
                    self._index[("title", article.title)].append(article)
        return self._index


def _gone(before: Mapping[str, Sequence[str]], forgotten: Iterable[str]) -> set[str]:
    """The addresses taken down for good: listed under `forget:`, or their release's source URL is."""
    listed = set(forgotten)
    if not any(item.startswith("source:") for item in listed):
        return listed
    sources = {slug for slug, entry in before.items() if len(entry) > 2 and entry[2]}
    return listed | {slug for slug in sources if f"source:{source_key(before[slug][2])}" in listed}


def named(article: Article) -> list[str]:
    """What the published set keeps of the release at an address: its file, title and source URL."""
    return [article.source_path, article.title, article.source_url or ""]


def same_release(before: Sequence[str], now: Sequence[str]) -> bool:
    """One release: the same file, or the same source URL (`http` or `https`, with or without
    `www.`), or, neither having a source URL, the same title (a hand-written file renamed). An
    address known only from a sitemap (no file, no title) is kept by any release."""
    path, title, source = [*before, "", "", ""][:3]
    if not (path or title or source):
        return True
    if path == now[0]:
        return True
    if source and now[2]:
        return source_key(source) == source_key(now[2])
    return not source and not now[2] and title == now[1]
