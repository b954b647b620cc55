"""Related releases: for each article, up to five others a reader may want next.

Same force first, then releases sharing the most distinctive words of title and
summary (words most releases use, such as "county" and "lines", say nothing), each
group nearest in date first. An inverted index over the distinctive words keeps
this near-linear, and each word looks only at the releases nearest in date that
use it, so a town named in hundreds of releases costs no more than a rare word.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from typing import NamedTuple

from generator.model import Article

LIMIT = 5
_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*[^\W_])?")
_WINDOW = 25  # releases either side, in date order, that one shared word can bring in
_WORDS_EACH = 12  # the rarest words of each release that are looked up
_STOPWORDS = frozenset(
    """about above after again against all also and any are been before being below between both but
    can could did does doing down during each few for from further had has have having her here hers
    him his how into its itself just more most not now off once only other our out over own same she
    should some such than that the their them then there these they this those through too under until
    very was were what when where which while who whom why will with would you your""".split()
)


Relate = Callable[[Sequence[Article]], Sequence[tuple[int, ...]]]


def related_key(articles: Sequence[Article]) -> str:
    """A hash of all that related lists are made of: the order of the releases, and the titles,
    summaries and forces. An edit to a body, or to a figure, leaves it as it was."""
    parts = [f"{a.title}\0{a.summary}\0{a.force.slug if a.force else ''}\0" for a in articles]
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


def place_key(articles: Sequence[Article]) -> str:
    """A hash of the order of the releases and their forces: while it stays the same, related
    lists can be found again for the releases whose words changed alone (`relations_again`)."""
    parts = [f"{a.slug}\0{a.force.slug if a.force else ''}" for a in articles]
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


def details_key(articles: Sequence[Article]) -> str | None:
    """A cheaper hash that also says the related lists are unchanged when it is (a body edit): of
    the order of the releases and their `details` hashes, which cover more than lists are made
    of. None if a release has no such hash."""
    if not all(article.details for article in articles):
        return None
    return hashlib.blake2b("\0".join([a.details for a in articles]).encode(), digest_size=16).hexdigest()


class Relations(NamedTuple):
    """Each release's related ones (positions), and the words of its own that were looked up."""

    picks: list[tuple[int, ...]]
    looked_up: list[tuple[str, ...]]


def related(
    articles: Sequence[Article], limit: int = LIMIT, words: Sequence[Collection[str]] | None = None
) -> list[tuple[int, ...]]:
    """For each article (newest first, as the site lists them), the positions of its related ones;
    `words`: each article's `release_words`, if known already."""
    words = words if words is not None else [release_words(article) for article in articles]
    return relations(articles, words, limit).picks


def relations(articles: Sequence[Article], words: Sequence[Collection[str]], limit: int = LIMIT) -> Relations:
    counts = Counter(word for each in words for word in each)
    looked_up = [_rare(each, counts, _common(len(articles))) for each in words]
    return Relations(_ranked(articles, looked_up, range(len(articles)), [], limit), looked_up)


def relations_again(
    articles: Sequence[Article],
    words: Sequence[Collection[str]],
    before: Sequence[Collection[str]],
    last: Relations,
    limit: int = LIMIT,
) -> Relations:
    """`relations` after an edit that changed some releases' words (`before`: each one's words
    then) and neither the order of the releases nor their forces: only the releases whose words
    looked up changed, or that look up a word whose releases changed, are ranked again."""
    edited = [at for at, (now, then) in enumerate(zip(words, before, strict=True)) if now != then]
    counts = Counter(word for each in words for word in each)
    differ = set().union(*(set(words[at]) ^ set(before[at]) for at in edited))
    common = _common(len(articles))
    looked_up = list(last.looked_up)
    moved: set[str] = set()  # words some release looks up now and not then, or then and not now
    again = set(edited)
    for at, now in enumerate(words):
        if at in again or not differ.isdisjoint(now):
            looked_up[at] = _rare(now, counts, common)
            if looked_up[at] != last.looked_up[at] or at in again:
                again.add(at)
                moved |= set(looked_up[at]) ^ set(last.looked_up[at])
    again |= {at for at, looked in enumerate(looked_up) if not moved.isdisjoint(looked)}
    return Relations(_ranked(articles, looked_up, sorted(again), last.picks, limit), looked_up)


def _common(releases: int) -> int:
    """A word in more than one release in twenty is not distinctive."""
    return max(3, releases // 20)


def _rare(words: Collection[str], counts: Counter[str], common: int) -> tuple[str, ...]:
    """The release's rarest distinctive words, which are looked up."""
    return tuple(sorted((w for w in words if 1 < counts[w] <= common), key=lambda w: (counts[w], w))[:_WORDS_EACH])


def _ranked(
    articles: Sequence[Article],
    looked_up: Sequence[tuple[str, ...]],
    indexes: Iterable[int],
    last: Sequence[tuple[int, ...]],
    limit: int,
) -> list[tuple[int, ...]]:
    """The related releases of those at `indexes`; the others' are `last`'s."""
    postings: dict[str, list[int]] = defaultdict(list)
    for index, rare in enumerate(looked_up):
        for word in rare:
            postings[word].append(index)
    force_of = [article.force.slug if article.force else None for article in articles]
    in_force: dict[str | None, list[int]] = defaultdict(list)
    for index, slug in enumerate(force_of):
        in_force[slug].append(index)
    result = list(last) or [()] * len(articles)
    for index in indexes:
        shared: Counter[int] = Counter()
        for word in looked_up[index]:
            shared.update(_window(postings[word], index))
        shared.pop(index, None)
        mine = force_of[index]
        ranked = sorted(shared, key=lambda other: (-shared[other], abs(other - index), other)) if shared else []
        picks = [other for other in ranked if mine is not None and force_of[other] == mine][:limit]
        if len(picks) < limit and mine is not None:
            for other in _nearest(in_force[mine], index):
                if len(picks) == limit:
                    break
                if other not in picks:
                    picks.append(other)
        if len(picks) < limit:
            picks += [other for other in ranked if other not in picks][: limit - len(picks)]
        result[index] = tuple(picks)
    return result


def _nearest(positions: list[int], index: int) -> Iterator[int]:
    """The positions other than `index`, nearest in date first (the newer of two equally near)."""
    after = bisect_left(positions, index)
    before = after - 1
    if after < len(positions) and positions[after] == index:
        after += 1
    while before >= 0 or after < len(positions):
        if after >= len(positions) or (before >= 0 and index - positions[before] <= positions[after] - index):
            yield positions[before]
            before -= 1
        else:
            yield positions[after]
            after += 1


def _window(positions: list[int], index: int) -> list[int]:
    """The (sorted) positions nearest `index`, that is nearest in date."""
    at = bisect_left(positions, index)
    return positions[max(0, at - _WINDOW) : at + _WINDOW + 1]


def release_words(article: Article) -> frozenset[str]:
    """The words of its title and summary that can relate it to others (half the time of finding
    related releases: a build keeps them)."""
    text = f"{article.title} {article.summary}".casefold()
    return frozenset(word for word in _WORD.findall(text) if len(word) > 2 and word not in _STOPWORDS)
