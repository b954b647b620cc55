"""Related releases found again after an edit equal those found from scratch."""

from __future__ import annotations

import random

import pytest

from generator.model import Article, Force
from generator.site.related import relations, relations_again, release_words

VOCABULARY = [f"word{number}" for number in range(60)]  # few enough that words are shared, and rare ones too
FORCES = [Force(name=f"Synthetic force {number}", slug=f"synthetic-force-{number}") for number in range(5)]


def _release(number: int, title: str, force: Force | None) -> Article:
    return Article(
        source_path=f"synthetic-{number}.md",
        fingerprint=f"{number:064x}",
        slug=f"synthetic-{number}",
        title=title,
        summary="",
        force=force,
    )


def _title(pick: random.Random) -> str:
    return "Synthetic " + " ".join(pick.sample(VOCABULARY, pick.randint(2, 8)))


@pytest.mark.parametrize("seed", range(12))
def test_related_lists_found_again_after_title_edits_equal_those_found_afresh(seed: int) -> None:
    """Titles edited in a few releases (their words change, so does every count and so which
    words are rare), the releases in the same order and forces: ranking again only the releases
    the edit reaches gives what ranking all of them gives."""
    pick = random.Random(seed)
    count = pick.choice([40, 120, 400])
    forces = [pick.choice([*FORCES, None]) for _ in range(count)]
    releases = [_release(number, _title(pick), forces[number]) for number in range(count)]
    words = [release_words(release) for release in releases]
    last = relations(releases, words)
    for _ in range(3):  # edits one after another, each from the last one's answer
        edited = list(releases)
        for number in pick.sample(range(count), pick.randint(1, 4)):
            edited[number] = _release(number, _title(pick), forces[number])
        now = [release_words(release) for release in edited]
        again = relations_again(edited, now, words, last)
        fresh = relations(edited, now)
        assert again == fresh
        releases, words, last = edited, now, again
