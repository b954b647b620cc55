"""A collected site kept as plain values (positions in the list of releases read), and made
again from them by the next build when what it was collected from is unchanged but the wording
of bodies.

Collecting 10,000 releases (copies, addresses, order, groups, related lists) is a tenth of a
body edit's build. A body edit leaves every release's `details` hash as it was (it covers
everything but the wording of the body) and so the whole collection: the next build checks a
hash of the releases' files and details hashes and takes each release of the kept site from its
place in what it read. The kept site says which files were copies of one release: the copy kept
can depend on their bytes, so their fingerprints are in the check too.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from generator.errors import Diagnostic
from generator.model import Article, Force, PlainPage, Redirect, Site, Tag
from generator.reading.slugs import source_key

# What a build may change of a release it reads: the address (two releases claimed one), and for
# the copy of a release kept, what its other copies say (`collect._as_the_release`).
_CHANGED = ("slug", "pinned", "aliases", "withdrawn")

Kept = tuple[Any, ...]  # plain values, as the cache keeps them


def kept_site(
    site: Site,
    diagnostics: Sequence[Diagnostic],
    articles: Sequence[Article],
    pages: Sequence[PlainPage],
    drafts: bool,
    forgotten: frozenset[str],
    published: frozenset[str],
) -> Kept | None:
    """`site`, collected from `articles` and `pages`, as plain values; None if a release read
    has no `details` hash (it was not made by reading a file)."""
    if not all(article.details for article in articles):
        return None
    read = {id(article): place for place, article in enumerate(articles)}
    shown = {id(article): place for place, article in enumerate(site.articles)}
    copies = _copies(articles)
    own = {id(page): place for place, page in enumerate(pages)}

    def places(group: Sequence[Article]) -> tuple[list[int], dict[int, tuple[int, dict[str, Any]]]]:
        """Each release's place in what was read (-1 for one the build changed), and for those,
        their place and what the build changed of them."""
        found = [read.get(id(article), -1) for article in group]
        return found, {at: _changed(article, articles) for at, article in enumerate(group) if found[at] < 0}

    def positions(group: Sequence[Article]) -> list[int]:
        return [shown[id(article)] for article in group]

    withdrawn = {id(article): place for place, article in enumerate(site.withdrawn)}
    first = {}  # each force's first release, in order: the force a list names is one of them
    for place, article in enumerate(site.articles):
        if article.force is not None and article.force.slug not in first:
            first[article.force.slug] = place
    structure = (
        places(site.articles),
        places(site.withdrawn),
        [_holding(site, force, first[force.slug]) for force in site.forces],
        {slug: positions(group) for slug, group in site.by_force.items()},
        {year: positions(group) for year, group in site.by_year.items()},
        [(tag.name, tag.slug) for tag in site.tags],
        {slug: positions(group) for slug, group in site.by_tag.items()},
        site.next_due.isoformat() if site.next_due else None,
        [own[id(page)] for page in site.pages],
        site.related,
        [
            (one.slug, id(one.article) in shown, shown.get(id(one.article), withdrawn.get(id(one.article), -1)))
            for one in site.redirects
        ],
        [(str(each.path), each.line, each.message, each.severity) for each in diagnostics],
    )
    return _key(articles, pages, drafts, forgotten, published, copies), copies, structure


def site_again(
    kept: object,
    articles: Sequence[Article],
    pages: Sequence[PlainPage],
    drafts: bool,
    forgotten: frozenset[str],
    published: frozenset[str],
    now: datetime,
) -> tuple[Site, list[Diagnostic]] | None:
    """The site `kept` describes, made of `articles` and `pages`, if they are what it was
    collected from (bodies aside) and no release it held back has come due; else None."""
    if not (isinstance(kept, tuple) and len(kept) == 3 and all(article.details for article in articles)):
        return None
    key, copies, structure = kept
    if any(place >= len(articles) for place in copies) or key != _key(
        articles, pages, drafts, forgotten, published, copies
    ):
        return None
    shown, withdrawn, forces, by_force, by_year, tags, by_tag, due, own, related, redirects, notes = structure
    next_due = datetime.fromisoformat(due) if due else None
    if next_due is not None and now >= next_due:
        return None

    listed, apart = _made(shown, articles), _made(withdrawn, articles)

    def group(positions: list[int]) -> tuple[Article, ...]:
        return tuple([listed[position] for position in positions])

    site = Site(
        articles=listed,
        forces=tuple(_force(listed[position]) for position in forces),
        by_force={slug: group(positions) for slug, positions in by_force.items()},
        by_year={year: group(positions) for year, positions in by_year.items()},
        tags=tuple(Tag(name, slug) for name, slug in tags),
        by_tag={slug: group(positions) for slug, positions in by_tag.items()},
        next_due=next_due,
        pages=tuple(pages[place] for place in own),
        related=tuple(related),
        withdrawn=apart,
        redirects=tuple(Redirect(slug, listed[place] if shown_ else apart[place]) for slug, shown_, place in redirects),
    )
    return site, [Diagnostic(Path(path), line, message, severity) for path, line, message, severity in notes]


def _changed(article: Article, articles: Sequence[Article]) -> tuple[int, dict[str, Any]]:
    """The place in what was read of a release the build changed, and what it changed."""
    (place,) = [place for place, one in enumerate(articles) if one.source_path == article.source_path]
    source = articles[place]
    return place, {name: getattr(article, name) for name in _CHANGED if getattr(article, name) != getattr(source, name)}


def _made(
    kept: tuple[list[int], dict[int, tuple[int, dict[str, Any]]]], articles: Sequence[Article]
) -> tuple[Article, ...]:
    """The releases `places` kept, from what this build read."""
    found, changed = kept
    made = [articles[place] for place in found]
    for at, (place, fields) in changed.items():
        made[at] = dataclasses.replace(articles[place], **fields)
    return tuple(made)


def _holding(site: Site, force: Force, first: int) -> int:
    """The place of a release whose force is `force` (the force of the first release of its name
    is, unless another release names it as registered)."""
    if site.articles[first].force == force:
        return first
    return next(place for place, article in enumerate(site.articles) if article.force == force)


def _force(article: Article) -> Force:
    assert article.force is not None, "a force is kept by a release of it"
    return article.force


def _copies(articles: Sequence[Article]) -> list[int]:
    """The places of the releases read that are copies of one release (one source URL)."""
    by_source: dict[str, list[int]] = defaultdict(list)
    for place, article in enumerate(articles):
        if article.source_url:
            by_source[source_key(article.source_url)].append(place)
    return sorted(place for places in by_source.values() if len(places) > 1 for place in places)


def _key(
    articles: Sequence[Article],
    pages: Sequence[PlainPage],
    drafts: bool,
    forgotten: frozenset[str],
    published: frozenset[str],
    copies: Sequence[int],
) -> str:
    """What a collection is made of, but the wording of bodies: each release's file and details
    hash; of copies, the fingerprint and whether it was published; the site's own pages; options."""
    parts = [f"{article.source_path}\x1f{article.details}" for article in articles]
    parts += [f"{articles[place].fingerprint}\x1f{articles[place].fingerprint in published}" for place in copies]
    parts += [repr(dataclasses.astuple(page)) for page in pages]
    parts += [repr((drafts, sorted(forgotten), len(articles), len(pages)))]
    return hashlib.blake2b("\x1e".join(parts).encode(), digest_size=16).hexdigest()
