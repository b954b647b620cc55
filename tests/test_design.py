"""The site's own pages (About) and the home page's overview of the most active forces."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from generator.commands.build import BuildOptions, build
from generator.errors import BuildError, Diagnostic

from . import corpus
from .conftest import ROOT

BASE = "https://example.org/"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[corpus.Release]]:
    root = tmp_path_factory.mktemp("design")
    releases = corpus.corpus(120)
    content = corpus.write(root / "content", releases)
    (content / "pages").mkdir()
    (content / "pages" / "about.md").write_bytes((ROOT / "content" / "pages" / "about.md").read_bytes())
    (content / "pages" / "method.md").write_text("---\ntitle: Synthetic method page\norder: 2\n---\n\nHow.\n")
    report = build(BuildOptions(content=content, output=root / "output", base_url=BASE))
    assert report.articles == len([r for r in releases if not r.draft])  # the pages are not releases
    return root / "output", releases


def test_the_about_page_is_built_and_in_every_pages_navigation(site: tuple[Path, list[corpus.Release]]) -> None:
    output, _ = site
    about = soup(output / "about" / "index.html")
    assert about.h1.get_text() == "About"
    assert about.select_one('nav.site-nav a[aria-current="page"]').get_text() == "About"
    assert about.find("meta", attrs={"name": "description"})["content"].startswith("What this archive is")
    for path in [output / "index.html", output / "forces" / "index.html", next(output.glob("articles/*/index.html"))]:
        names = [a.get_text() for a in soup(path).select("nav.site-nav a")]
        assert names == ["Home", "Forces", "Archive", "Tags", "Figures", "Search", "About", "Synthetic method page"]
    feed = feedparser.parse((output / "feed.xml").read_bytes())
    assert all(entry.title != "About" for entry in feed.entries)
    assert f"<loc>{BASE}about/</loc>" in (output / "sitemap.xml").read_text()


def refused_page(tmp_path: Path, name: str, text: str) -> Diagnostic:
    """Build two releases and one page of the site's own, which must be refused: its one error."""
    content = corpus.write(tmp_path / "content", corpus.corpus(2))
    (content / "pages").mkdir()
    (content / "pages" / name).write_text(text)
    with pytest.raises(BuildError) as failure:
        build(BuildOptions(content=content, output=tmp_path / "output", base_url=BASE))
    assert not (tmp_path / "output").exists()
    [problem] = failure.value.diagnostics
    return problem


@pytest.mark.parametrize("name", ["search", "figures", "data", "articles", "pagefind", "static", "page"])
def test_a_page_cannot_take_a_url_the_site_uses(tmp_path: Path, name: str) -> None:
    problem = refused_page(tmp_path, f"{name}.md", "---\ntitle: Synthetic clash\n---\n\nText.\n")
    assert problem.path.name == f"{name}.md" and f"/{name}/ is used by the site itself" in problem.message


def test_a_page_without_a_title_is_an_error_naming_the_file(tmp_path: Path) -> None:
    problem = refused_page(tmp_path, "untitled.md", "---\nslug: x\n---\n\nText.\n")
    assert str(problem).endswith("pages/untitled.md:1: error: missing title: give 'title' in the front matter")


def test_home_shows_the_most_active_forces_with_counts(site: tuple[Path, list[corpus.Release]]) -> None:
    output, releases = site
    counts = Counter(r.force for r in releases if not r.draft)
    rows = soup(output / "index.html").select("section.overview ol.active-forces li")
    shown = [(li.a.get_text(), int(li.select_one(".count").get_text())) for li in rows]
    assert len(shown) == 8
    assert [count for _, count in shown] == sorted((c for c in counts.values()), reverse=True)[:8]
    assert all(counts[name] == count for name, count in shown)
    assert all(li.a["href"].startswith("forces/") for li in rows)
    assert soup(output / "page" / "2" / "index.html").select("section.overview") == []
