"""A site kept as plain values and made again from what the next build read (`site.again`)
equals the site collected afresh after body edits; where it might not, it is not made again."""

from __future__ import annotations

import marshal
import os
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from generator.cache import Cache
from generator.model import Article
from generator.reading.read import read_content
from generator.reading.sources import find_content
from generator.site.again import Kept, kept_site, site_again
from generator.site.collect import collect

from . import synthetic

FORCES = ["Kent Police", "Essex Police", "Met Police"]
NOW = datetime(2026, 12, 1, tzinfo=UTC)
NONE: frozenset[str] = frozenset()


def _read(folder: Path) -> list[Article]:
    """The releases, read afresh (as a new process reads them)."""
    articles, _, problems = read_content(find_content(folder), Cache(None), workers=1)
    assert not [problem for problem in problems if problem.severity == "error"], problems
    return articles


def test_the_folder_has_releases_that_collecting_changes(folder: Path) -> None:
    site, _ = collect(_read(folder), NOW)
    slugs = {article.slug for article in site.articles}
    assert "synthetic-pinned-copy" in slugs and "shared" in slugs
    assert any(slug.startswith("shared-") for slug in slugs)  # the later of one address
    assert site.redirects and site.withdrawn


def _kept(articles: list[Article], now: datetime = NOW, published: frozenset[str] = NONE) -> Kept:
    site, notes = collect(articles, now, published=published)
    kept = kept_site(site, notes, articles, (), False, NONE, published)
    assert kept is not None
    return marshal.loads(marshal.dumps(kept))  # as the cache keeps it


def _again(kept: Kept, articles: list[Article], now: datetime = NOW, published: frozenset[str] = NONE) -> object:
    return site_again(kept, articles, (), False, NONE, published, now)


def _edit(folder: Path, name: str, old: str = "", new: str = "\nA paragraph added.\n") -> None:
    """Replace `old` with `new` in the file and save it (without `old`: add `new` at its end)."""
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1) if old else text + new, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Releases of several forces and years, with what collecting changes or leaves out: a former
    address, a withdrawn release, a draft, two releases with one title (one address), and a copy."""
    content = tmp_path / "content"
    content.mkdir()
    for name, text in synthetic.corpus(30, FORCES).items():
        (content / name).write_text(text, encoding="utf-8")
    extra = {
        "aliased.md": ("Synthetic aliased release", "aliases: [articles/synthetic-old-address/]"),
        "withdrawn.md": ("Synthetic withdrawn release", "withdrawn: 'Synthetic: a court order'"),
        "draft.md": ("Synthetic draft release", "draft: true"),
        "one/shared.md": ("Synthetic shared address", ""),  # an authored file's address is its name
        "two/shared.md": ("Synthetic shared address", ""),
    }
    for name, (title, yaml) in extra.items():
        (content / name).parent.mkdir(exist_ok=True)
        (content / name).write_text(synthetic.authored(title, extra_yaml=yaml), encoding="utf-8")
    copied = (content / "authored-0003.md").read_text(encoding="utf-8")  # one release, whose copy pins its address
    (content / "copy.md").write_text(copied.replace("---\n", "---\nslug: synthetic-pinned-copy\n", 1), encoding="utf-8")
    return content


@pytest.mark.parametrize("seed", range(6))
def test_body_edits_made_again_from_the_kept_site_give_the_site_collected_afresh(folder: Path, seed: int) -> None:
    pick = random.Random(seed)
    names = sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*.md")
        if path.name not in ("copy.md", "authored-0003.md")
    )
    kept = _kept(_read(folder))
    for step in range(3):
        for name in pick.sample(names, pick.randint(1, 4)):
            _edit(folder, name, new=f"\nA paragraph added, {seed}-{step}.\n")
        articles = _read(folder)
        again = _again(kept, articles)
        assert again is not None
        assert again == collect(articles, NOW)


def test_a_title_edit_or_a_copys_edit_is_collected_afresh(folder: Path) -> None:
    kept = _kept(_read(folder))
    _edit(folder, "copy.md")  # which copy is kept can depend on its bytes
    assert _again(kept, _read(folder)) is None
    kept = _kept(_read(folder))
    _edit(folder, "authored-0001.md", "Synthetic release 1:", "Synthetic release one:")
    assert _again(kept, _read(folder)) is None


def test_a_release_come_due_other_options_or_a_damaged_record_are_collected_afresh(folder: Path) -> None:
    soon = (NOW + timedelta(days=1)).isoformat()
    (folder / "soon.md").write_text(synthetic.authored("Synthetic future release", date=soon), encoding="utf-8")
    articles = _read(folder)
    kept = _kept(articles)
    assert _again(kept, articles) == collect(articles, NOW)
    assert _again(kept, articles, now=NOW + timedelta(days=2)) is None
    assert site_again(kept, articles, (), True, NONE, NONE, NOW) is None
    assert site_again(kept, articles, (), False, frozenset({"synthetic-aliased-release"}), NONE, NOW) is None
    assert _again(kept, articles[:-1]) is None
    assert _again(None, articles) is None
    assert _again((1, 2), articles) is None
