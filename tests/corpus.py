"""A generated corpus of synthetic releases (hundreds, across forces and years): every file says it is synthetic.

Releases are spread over many registry forces and twelve years, in both content forms,
with tags, a few drafts and future-dated ones, and titles that share place words, so
archives, feeds, tags and related releases all have something real to do.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from generator.model import Precision
from generator.reading.dates import date_line
from generator.reading.forces import load_registry
from generator.reading.slugs import slug_of

PLACES = ["Swindon", "Reading", "Exeter", "Hull", "Luton", "Margate", "Barrow", "Crewe", "Bury", "Wigan"]
ACTIONS = ["arrests", "charged", "jailed", "warrants", "seizure", "safeguarding", "closure", "sentenced"]
TAGS = ["Operation Orochi", "cuckooing", "Knife crime", "cuckooing", "Modern slavery", "operation orochi"]
FIRST_YEAR = 2014
# What releases report, in the phrasings real ones use; {a}–{d} are numbers made from the release's.
FIGURES = (
    "{a} people were arrested and {b} vulnerable people were safeguarded.",
    "Officers seized {b}kg of cocaine and £{c:,} in cash.",
    "A total of {a} people have been charged with {d} offences.",
    "",
    "{b} lines were closed down and {a} people were sentenced to a total of {d} years in prison.",
)


@dataclass(frozen=True)
class Release:
    number: int
    name: str  # the file name
    title: str
    force: str
    published: datetime
    tags: tuple[str, ...]
    draft: bool
    unique_word: str  # a word no other release uses


def corpus(count: int, seed: int = 6) -> list[Release]:
    rng = random.Random(seed)
    forces = [force.name for force in load_registry().forces][:30]
    releases = []
    for number in range(count):
        place = PLACES[rng.randrange(len(PLACES))]
        published = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(12 * 365 * 24 * 60))
        releases.append(
            Release(
                number=number,
                name=f"synthetic-{number:04d}.{'md' if number % 2 else 'txt'}",
                title=f"Synthetic release {number}: {place} {ACTIONS[rng.randrange(len(ACTIONS))]}",
                force=forces[rng.randrange(len(forces))],
                published=published,
                tags=tuple(rng.sample(TAGS, rng.randrange(0, 3))),
                draft=number % 97 == 13,
                unique_word=f"zorblax{number:04d}q",
            )
        )
    return releases


def future_release(number: int, days: float = 30) -> Release:
    return Release(
        number=number,
        name=f"synthetic-future-{number}.md",
        title=f"Synthetic release {number}: embargoed until later",
        force="Kent Police",
        published=datetime.now(UTC) + timedelta(days=days),
        tags=(),
        draft=False,
        unique_word=f"zorblax{number:04d}q",
    )


def text(release: Release) -> str:
    """The release in the authored form (`.md`) or the scraped form (`.txt`)."""
    body = (
        f"**Synthetic test content, not a real press release.** {release.title}.\n\n"
        f"Officers in the synthetic town made {release.number} checks; the word {release.unique_word} "
        "appears in this release only.\n\n"
        "A second synthetic paragraph about county lines, exploitation and safeguarding.\n"
    ) + figures(release.number)
    summary = f"Synthetic summary of release {release.number} in {release.title.partition(': ')[2] or release.title}."
    if release.name.endswith(".md"):
        tags = "".join(f"\n  - {tag}" for tag in release.tags)
        return (
            f"---\ntitle: '{release.title}'\ndate: {release.published.isoformat()}\nforce: {release.force}\n"
            f"summary: '{summary}'\ndraft: {'true' if release.draft else 'false'}\n"
            f"tags:{tags or ' []'}\nsource: {source_url(release)}\n---\n\n{body}"
        )
    tags = f"tags: [{', '.join(release.tags)}]\n" if release.tags else ""
    draft = "draft: true\n" if release.draft else ""
    return (
        "```yaml\n"
        f"og:\n  description: '{summary}'\n  title: '{release.title}'\n  url: {source_url(release)}\n"
        f"pressroom:\n  name: {release.force}\n{tags}{draft}"
        f"title: '{release.title} - {release.force}'\nurl: {source_url(release)}\n"
        "```\n\n"
        f"{date_line(release.published, Precision.MINUTE)}\n\n{body}"
    )


def source_url(release: Release) -> str:
    """Where the release would have come from: its title's slug and a press room's id, as
    Mynewsdesk shapes the URL, so its address on the site is its title's slug."""
    return f"https://example.org/synthetic/{slug_of(release.title)}-{100000 + release.number}"


def figures(number: int) -> str:
    """A paragraph of figures (or none), from the release's number."""
    template = FIGURES[number % len(FIGURES)]
    numbers = {"a": number % 40 + 2, "b": number % 9 + 1, "c": 1000 * (number % 50 + 1), "d": 3 * (number % 30) + 5}
    return f"\n{template.format(**numbers)}\n" if template else ""


def write(folder: Path, releases: list[Release]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for release in releases:
        (folder / release.name).write_text(text(release), encoding="utf-8")
    return folder
