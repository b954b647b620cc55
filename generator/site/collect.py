"""Articles → `Site`: drafts and future releases held back, one copy of a release saved twice,
each at an address of its own, withdrawn ones apart, former addresses kept as redirects, newest
first, grouped by force, year and tag. What is left out is said, as a note naming its file."""

from __future__ import annotations

import dataclasses
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from operator import attrgetter
from pathlib import Path

from generator.errors import Diagnostic
from generator.model import Article, Force, PlainPage, Redirect, Site, Tag
from generator.reading.dates import display_date
from generator.reading.slugs import id_slug, source_key
from generator.site.related import Relate, related
from generator.site.urls import article_url, tag_slug


def collect(
    articles: Iterable[Article],
    now: datetime,
    drafts: bool = False,
    pages: Iterable[PlainPage] = (),
    reserved: frozenset[str] = frozenset(),
    relate: Relate = related,
    published: frozenset[str] = frozenset(),
    forgotten: frozenset[str] = frozenset(),
) -> tuple[Site, list[Diagnostic]]:
    """`drafts` also publishes what is marked draft or dated after `now`; `reserved` are the
    top-level names the site's own URLs take, which a page of the site's own may not; `relate`
    finds each release's related ones (a build passes one that remembers its last answer);
    `published`: the fingerprints of the releases the last build published; `forgotten`: the
    slugs of addresses taken down for good (`forget:` in `site.yaml`)."""
    kept, due, notes = [], [], []
    for article in articles:
        future = article.published is not None and article.published > now
        if drafts or not (article.draft or future):
            kept.append(article)
            continue
        if future and article.published:
            due.append(article.published)
            when = display_date(article.published, article.precision)
            why = f"dated {when}, in the future: the first build after then publishes it (--drafts shows it now)"
        else:
            why = "marked draft: true (--drafts shows it)"
        notes.append(Diagnostic(Path(article.source_path), 1, f"left out: {why}", "note"))
    kept, copies = _one_per_source(kept, published)
    placed, warnings = _addresses(kept)
    for article in placed if forgotten else ():
        if _forgotten(article, forgotten):
            message = (
                f"left out: its address {article_url(article.slug)} or source is listed under 'forget' in site.yaml"
            )
            notes.append(Diagnostic(Path(article.source_path), 1, message, "note"))
    placed = [article for article in placed if not (forgotten and _forgotten(article, forgotten))]
    redirects = _redirects(placed, forgotten, warnings)
    unique = [article for article in placed if article.withdrawn is None]
    ordered = tuple(sorted(sorted(unique, key=attrgetter("slug")), key=_newest_first, reverse=True))
    forces, by_force = _by_force(ordered)
    years: dict[int, list[Article]] = defaultdict(list)
    for article in ordered:
        if article.published:
            years[article.published.year].append(article)
    tags, by_tag = _by_tag(ordered)
    own, problems = _own_pages(pages, reserved)
    site = Site(
        articles=ordered,
        forces=forces,
        by_force=by_force,
        by_year={year: tuple(years[year]) for year in sorted(years, reverse=True)},
        tags=tags,
        by_tag=by_tag,
        next_due=min(due, default=None),
        pages=own,
        related=tuple(relate(ordered)),
        withdrawn=tuple(
            sorted((article for article in placed if article.withdrawn is not None), key=attrgetter("slug"))
        ),
        redirects=redirects,
    )
    return site, warnings + problems + notes + copies


def _own_pages(pages: Iterable[PlainPage], reserved: frozenset[str]) -> tuple[tuple[PlainPage, ...], list[Diagnostic]]:
    """In navigation order; a slug the site uses, or one taken twice, is an error."""
    kept: dict[str, PlainPage] = {}
    problems = []
    for page in sorted(pages, key=lambda page: (page.order, page.title.casefold(), page.source_path)):
        if page.slug in reserved or page.slug in kept:
            taken = "used by the site itself" if page.slug in reserved else f"taken by {kept[page.slug].source_path}"
            message = f"the page URL /{page.slug}/ is {taken}; give this page another 'slug'"
            problems.append(Diagnostic(Path(page.source_path), 1, message))
        else:
            kept[page.slug] = page
    return tuple(kept.values()), problems


def _by_force(ordered: tuple[Article, ...]) -> tuple[tuple[Force, ...], dict[str, tuple[Article, ...]]]:
    groups: dict[str, list[Article]] = defaultdict(list)
    forces: dict[str, Force] = {}
    for article in ordered:
        if article.force is not None:
            groups[article.force.slug].append(article)
            if article.force.registered or article.force.slug not in forces:
                forces[article.force.slug] = article.force
    listed = tuple(sorted(forces.values(), key=lambda force: (force.name.casefold(), force.slug)))
    return listed, {slug: tuple(group) for slug, group in groups.items()}


def _by_tag(ordered: tuple[Article, ...]) -> tuple[tuple[Tag, ...], dict[str, tuple[Article, ...]]]:
    """Tags that differ only in case or punctuation are one tag, named as its earliest release wrote it."""
    names: dict[str, str] = {}
    for article in sorted((a for a in ordered if a.tags), key=_age):
        for name in article.tags:
            names.setdefault(tag_slug(name), name)
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in ordered:
        for slug in dict.fromkeys(tag_slug(name) for name in article.tags):
            groups[slug].append(article)
    tags = sorted((Tag(name, slug) for slug, name in names.items()), key=lambda tag: (tag.name.casefold(), tag.slug))
    return tuple(tags), {slug: tuple(group) for slug, group in groups.items()}


def _addresses(articles: list[Article]) -> tuple[list[Article], list[Diagnostic]]:
    """Each release at its own address (`reading.slugs`), decided by the releases' own data, never
    by the order or names of files. A slug pinned by two files is an error naming both. Where
    releases would share an address, a pinned slug keeps it, else the earliest dated; each other
    takes its press room's id, else a hash of its source, after the slug (`…-421863`, `…-3fa9c2`)."""
    claims: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        claims[article.slug].append(article)
    taken = set(claims)
    result = [claimants[0] for claimants in claims.values() if len(claimants) == 1]
    problems: list[Diagnostic] = []
    for slug, claimants in sorted(item for item in claims.items() if len(item[1]) > 1):
        keeper, *others = sorted(claimants, key=lambda article: (not article.pinned, _age(article)))
        result.append(keeper)
        for other in others:
            if other.pinned:
                message = f"'slug: {slug}' is pinned by {keeper.source_path} too: give one of them another 'slug'"
                problems.append(Diagnostic(Path(other.source_path), 1, message))
                continue
            new_slug = next(slug for slug in _apart(other) if slug not in taken)
            taken.add(new_slug)
            result.append(dataclasses.replace(other, slug=new_slug))
            why = "which pins it" if keeper.pinned else "dated earlier"
            message = (
                f"{keeper.source_path} ({why}) would share the address {article_url(slug)}; this release is "
                f"published at {article_url(new_slug)} (pin another with 'slug:' to choose)"
            )
            problems.append(Diagnostic(Path(other.source_path), 1, message, "warning"))
    return result, problems


def _apart(article: Article) -> list[str]:
    """The slugs that tell a release apart, from what does not change when it is edited: its press
    room's id, else a hash of its source URL (of its file's path, without one)."""
    source = source_key(article.source_url) if article.source_url else article.source_path
    own = hashlib.blake2b(source.encode(), digest_size=3).hexdigest()
    with_id = id_slug(article.slug, article.source_url)
    return [*([with_id] if with_id else []), f"{article.slug}-{own}"]


def _redirects(articles: list[Article], forgotten: frozenset[str], problems: list[Diagnostic]) -> tuple[Redirect, ...]:
    """The former addresses its `aliases:` name, each leading to its release. An address a release
    is published at is never a redirect; two releases naming one former address is an error."""
    current = {article.slug: article for article in articles}
    owners: dict[str, Article] = {}
    for article in sorted((article for article in articles if article.aliases), key=_age):
        for alias in article.aliases:
            other = current.get(alias) or owners.get(alias)
            if other is article:
                continue
            if other is None:
                owners[alias] = article
            elif alias in current:
                message = f"'aliases' names {article_url(alias)}, the address of {other.source_path}: that one is kept"
                problems.append(Diagnostic(Path(article.source_path), 1, message, "warning"))
            else:
                message = f"'aliases' names {article_url(alias)}, which {other.source_path} names too: keep it in one"
                problems.append(Diagnostic(Path(article.source_path), 1, message))
    return tuple(Redirect(slug, article) for slug, article in sorted(owners.items()) if slug not in forgotten)


def _forgotten(article: Article, forgotten: frozenset[str]) -> bool:
    """Taken down for good (`forget:`): by its address, or by its source URL."""
    source = f"source:{source_key(article.source_url)}" if article.source_url else ""
    return article.slug in forgotten or source in forgotten


def _one_per_source(articles: list[Article], published: frozenset[str]) -> tuple[list[Article], list[Diagnostic]]:
    """The same release saved twice (one source URL in two files) is one release: the copy with
    figures entered by hand is kept (someone corrected it), else the one that finds the most kinds
    of figure (the fuller text), else the later dated, else the one already published (its address
    stays), else the first by file name; the others are left out, each with a note naming the copy
    kept. One source URL is one whether it is written `http` or `https`, with `www.` or without.
    What a copy says of the release itself, not its text, holds whichever copy is kept: a pinned
    address, former addresses, and a withdrawal."""
    copies: dict[str, list[Article]] = defaultdict(list)
    kept = []
    for article in articles:
        if article.source_url is None:
            kept.append(article)
        else:
            copies[source_key(article.source_url)].append(article)
    kept += [same[0] for same in copies.values() if len(same) == 1]
    notes = []
    for same in copies.values():
        if len(same) > 1:
            best, *others = sorted(same, key=lambda article: _fuller(article, published))
            kept.append(_as_the_release(best, same))
            url = best.source_url
            for other in others:
                warning = (
                    f"the same release as {best.source_path} (both from {url}): one is kept, and this copy left out"
                )
                notes.append(Diagnostic(Path(other.source_path), 1, warning, "warning"))  # a problem to fix
                message = f"left out: the same release as {best.source_path} (both from {url}), which is kept"
                notes.append(Diagnostic(Path(other.source_path), 1, message, "note"))  # and in the list of what is
    return kept, notes


def _as_the_release(best: Article, copies: list[Article]) -> Article:
    """The copy kept, with the address a copy pinned, every copy's former addresses, and a
    withdrawal any copy records (a copy found later must not publish a release withdrawn)."""
    pinned = next((copy for copy in sorted(copies, key=_age) if copy.pinned), best)
    withdrawn = next((copy.withdrawn for copy in sorted(copies, key=_age) if copy.withdrawn is not None), None)
    aliases = tuple(dict.fromkeys(alias for copy in copies for alias in copy.aliases))
    return dataclasses.replace(
        best, slug=pinned.slug, pinned=pinned.pinned, aliases=aliases, withdrawn=best.withdrawn or withdrawn
    )


def _fuller(article: Article, published: frozenset[str]) -> tuple[bool, int, float, bool, str]:
    """First the copy of a release to keep."""
    hand = any(figure.by_hand for figure in article.figures)
    stamp = article.published.timestamp() if article.published else float("-inf")
    kinds = len({figure.kind for figure in article.figures})
    return (not hand, -kinds, -stamp, article.fingerprint not in published, article.source_path)


def _newest_first(article: Article) -> float:
    """With `reverse=True`: newest first, undated last; the sort is stable, so ties stay in slug order."""
    return article.published.timestamp() if article.published else float("-inf")


def _age(article: Article) -> tuple[bool, float, str, str, str]:
    """Oldest first, undated last; then by what the release itself says, its file last."""
    stamp = article.published.timestamp() if article.published else 0.0
    return (article.published is None, stamp, article.source_url or "", article.title, article.source_path)
