"""A build's check of its output folder's published set of addresses (`site.addresses`), and
the set kept up to date once the output is in place.

Reading the set back and checking it costs a large archive a tenth of a second, and an address
owed (a release retitled without `aliases:`) a search of every release, on every build until
the content says what became of it. So the answer is kept with a key of all it depends on (the
site's addresses, the set as kept, `forget:`, the files read, the options), and given again
while the key is unchanged: the same warnings, and a set that is already as the build leaves it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

from generator.cache import Cache
from generator.errors import Diagnostic
from generator.model import Site
from generator.reading.sources import Source
from generator.site.addresses import Addresses, addresses, named, published_set, readable, vanished


def check_addresses(
    cache: Cache,
    record: str,
    site: Site,
    sources: Sequence[Source],
    forget: Sequence[str],
    published: Sequence[str] = (),
    drafts: bool = False,
    severity: str = "warning",
) -> tuple[list[Diagnostic], Callable[[], None]]:
    """What this build would lose of the set published from the output folder `record` (and of
    `published`, a sitemap's slugs), as `severity`; and what keeps the set once the build is in
    place. A preview of `drafts` publishes nothing."""
    kept_as, memo = f"addresses:{record}", f"owed:{record}"
    fixed = (_site_key(site), sorted(forget), drafts, severity, _paths_key(sources))
    last = cache.record(memo)
    if not published and isinstance(last, tuple) and last[0] == (*fixed, cache.lasting_digest(kept_as)):
        return [Diagnostic(Path(path), line, message, kind) for path, line, message, kind in last[1]], _nothing

    made, before = addresses(site), readable(cache.lasting(kept_as))
    owing: Addresses = {slug: [] for slug in published}
    owing.update(before)
    read = {source.path for source in sources}
    owed = vanished(owing, site, made, forget, read, severity)

    def keep() -> None:
        kept = published_set(before, made, forget)
        if kept != before and not drafts:
            cache.keep_lasting(kept_as, kept)
        if not published:  # a sitemap's slugs are owed by this build alone
            plain = [(str(each.path), each.line, each.message, each.severity) for each in owed]
            cache.keep(memo, ((*fixed, cache.lasting_digest(kept_as)), plain))

    return owed, keep


def _nothing() -> None:
    """The set is already as the build leaves it."""


def _site_key(site: Site) -> str:
    """A hash of the site's addresses and what each leads to (`addresses`), without making them:
    a release's `details` hash stands for its file, title and source URL (a body edit leaves it)."""
    releases = [f"{each.slug}\0{each.details or repr(named(each))}" for each in (*site.articles, *site.withdrawn)]
    redirects = [f"{slug}\0{each.slug}" for slug, each in site.redirects]
    return hashlib.blake2b("\0\0".join(releases + redirects).encode(), digest_size=16).hexdigest()


def _paths_key(sources: Sequence[Source]) -> str:
    """The files read: a release of the set whose file is still there was left out, not deleted."""
    return hashlib.blake2b("\0".join(source.path for source in sources).encode(), digest_size=16).hexdigest()
