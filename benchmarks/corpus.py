"""A deterministic synthetic corpus of seed-form press releases, for benchmarks.

Every file is marked synthetic in its title, summary and body: these are not
real releases, even though they are spread across the real forces of the
registry so that force pages and feeds have a realistic shape.

    python benchmarks/corpus.py 10000 /tmp/corpus-10k
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.model import Precision
from generator.reading.dates import UK, date_line
from generator.reading.forces import load_registry
from generator.reading.slugs import slug_of

MARKER = "SYNTHETIC BENCHMARK CONTENT: not a real press release."
WORDS = (
    "officers county lines operation drugs supply arrested charged vulnerable children safeguarding "
    "cocaine heroin cash seized warrant investigation partnership court sentenced prison network phone "
    "line exploitation community intelligence detectives town city week month people addresses police"
).split()
# The figures releases report, in their phrasings, so the build's figure extraction has work to do.
FIGURES = (
    "A total of {a} people have been charged with {b} offences and {c} vulnerable people were safeguarded.",
    "Officers arrested {a} people, seized {c}kg of cocaine and £{d:,} in cash, and closed {c} lines.",
    "{c} lineholders have been sentenced to a total of {b} years' imprisonment.",
)
FIRST_YEAR, YEARS = 2014, 12
FORCE_COUNT = 45


def release(number: int, rng: random.Random, force: str) -> str:
    """One release in the scraped form, shaped like the seed (about 4 KB)."""
    start = datetime(FIRST_YEAR, 1, 1)
    moment = start + timedelta(minutes=rng.randrange(YEARS * 365 * 24 * 60))
    words = [rng.choice(WORDS) for _ in range(8)]
    title = f"Synthetic release {number}: {' '.join(words[:6])}"
    url = f"https://example.org/news/{slug_of(title)}-{100000 + number}"  # shaped as Mynewsdesk's
    paragraphs = [f"**{MARKER}**"]
    for _ in range(rng.randrange(8, 14)):
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(40, 70)))
        paragraphs.append(sentence.capitalize() + ".")
    if number % 5 == 0:
        paragraphs.append("> " + " ".join(rng.choice(WORDS) for _ in range(30)))
    numbers = {
        "a": rng.randrange(2, 600),
        "b": rng.randrange(2, 900),
        "c": rng.randrange(1, 40),
        "d": rng.randrange(1, 900) * 100,
    }
    paragraphs.insert(2, FIGURES[number % len(FIGURES)].format(**numbers))
    return (
        "```yaml\n"
        f"area: Synthetic\n"
        "og:\n"
        f"  description: 'Synthetic summary {number}: {' '.join(words)}.'\n"
        f"  image: https://example.org/images/synthetic-{number % 97}.jpg\n"
        "  site:\n    name: Synthetic\n"
        f"  title: '{title}'\n"
        "  type: article\n"
        f"  url: {url}\n"
        f"pressroom:\n  name: {force}\n"
        f"title: '{title} - {force}'\n"
        f"url: {url}\n"
        "```\n\n"
        f"{date_line(moment.replace(tzinfo=UK).astimezone(UTC), Precision.MINUTE)}\n\n" + "\n\n".join(paragraphs) + "\n"
    )


def generate(count: int, folder: Path, seed: int = 2021) -> None:
    """Write `count` releases into `folder` (created, and cleared of old corpus files)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("synthetic-*.txt"):
        old.unlink()
    forces = [force.name for force in load_registry().forces][:FORCE_COUNT]
    rng = random.Random(seed)
    for number in range(count):
        text = release(number, rng, forces[rng.randrange(len(forces))])
        (folder / f"synthetic-{number:06d}.txt").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
