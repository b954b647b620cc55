"""A preview's site after a body edit, made by swapping the edited releases into the last one,
equals the site collected afresh; where it might not, it is collected afresh."""

from __future__ import annotations

import os
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from generator.cache import Cache
from generator.model import Article
from generator.reading.read import read_content
from generator.reading.sources import find_content
from generator.site.collect import Collected, collect, collect_again

from . import synthetic

FORCES = ["Kent Police", "Essex Police", "Met Police"]
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _read(folder: Path, cache: Cache) -> list[Article]:
    articles, _, problems = read_content(find_content(folder), cache, workers=1)
    assert not [problem for problem in problems if problem.severity == "error"], problems
    return articles


def _save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def _collected(articles: list[Article], now: datetime = NOW) -> Collected:
    site, notes = collect(articles, now)
    return Collected(tuple(articles), (), False, frozenset(), site, notes)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    content.mkdir()
    for name, text in synthetic.corpus(30, FORCES).items():
        (content / name).write_text(text, encoding="utf-8")
    aliased = synthetic.authored("Synthetic aliased release", extra_yaml="aliases: [articles/synthetic-old-address/]")
    (content / "aliased.md").write_text(aliased, encoding="utf-8")
    withdrawn = synthetic.authored("Synthetic withdrawn release", extra_yaml="withdrawn: 'Synthetic: a court order'")
    (content / "withdrawn.md").write_text(withdrawn, encoding="utf-8")
    return content


@pytest.mark.parametrize("seed", range(6))
def test_body_edits_swapped_into_the_last_site_give_the_site_collected_afresh(folder: Path, seed: int) -> None:
    pick = random.Random(seed)
    cache = Cache(None, warm=True)
    last = _collected(_read(folder, cache))
    for step in range(3):
        for path in pick.sample(sorted(folder.iterdir()), pick.randint(1, 4)):
            _save(path, path.read_text(encoding="utf-8") + f"\nA paragraph added, {seed}-{step}.\n")
        articles = _read(folder, cache)
        again = collect_again(last, articles, NOW, False, (), frozenset())
        assert again is not None
        assert again == collect(articles, NOW)
        last = Collected(tuple(articles), (), False, frozenset(), *again)


def _edited(folder: Path, name: str, old: str = "", new: str = "\nA paragraph added.\n") -> list[Article]:
    """Replace `old` with `new` in the file and save it (without `old`: add `new` at its end);
    the releases read again."""
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    _save(path, text.replace(old, new, 1) if old else text + new)
    return _read(folder, Cache(None))


def test_a_title_edit_is_collected_afresh(folder: Path) -> None:
    last = _collected(_read(folder, Cache(None)))
    articles = _edited(folder, "authored-0001.md", "Synthetic release 1:", "Synthetic release one:")
    assert collect_again(last, articles, NOW, False, (), frozenset()) is None


@pytest.mark.parametrize("name", ["draft.md", "copy.md", "authored-0003.md"])
def test_a_body_edit_to_a_release_left_out_or_merged_is_collected_afresh(folder: Path, name: str) -> None:
    draft = synthetic.authored("Synthetic draft release", extra_yaml="draft: true")
    (folder / "draft.md").write_text(draft, encoding="utf-8")
    copy = (folder / "authored-0003.md").read_text(encoding="utf-8")
    (folder / "copy.md").write_text(copy, encoding="utf-8")  # the same source URL: one release of two files
    last = _collected(_read(folder, Cache(None)))
    assert collect_again(last, _edited(folder, name), NOW, False, (), frozenset()) is None


def test_a_release_come_due_or_other_options_are_collected_afresh(folder: Path) -> None:
    soon = (NOW + timedelta(days=1)).isoformat()
    (folder / "soon.md").write_text(synthetic.authored("Synthetic future release", date=soon), encoding="utf-8")
    articles = _read(folder, Cache(None))
    last = _collected(articles)
    assert last.site.next_due is not None
    assert collect_again(last, articles, NOW, False, (), frozenset()) == (last.site, last.diagnostics)
    assert collect_again(last, articles, NOW + timedelta(days=2), False, (), frozenset()) is None
    assert collect_again(last, articles, NOW, True, (), frozenset()) is None
    assert collect_again(last, articles, NOW, False, (), frozenset({"synthetic-aliased-release"})) is None
