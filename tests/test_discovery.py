"""Finding things: year archives, feeds, sitemap, robots.txt, tags, related and neighbouring
releases, drafts and future releases; on a generated corpus of a few hundred synthetic releases."""

from __future__ import annotations

import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
import xmlschema
from bs4 import BeautifulSoup

from generator.commands.build import BuildOptions, build
from generator.errors import GeneratorError
from generator.site.urls import tag_slug

from . import corpus

BASE = "https://example.org/archive/"
COUNT = 300
SCHEMA = Path(__file__).parent / "data" / "sitemap.xsd"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[corpus.Release]]:
    root = tmp_path_factory.mktemp("discovery")
    releases = corpus.corpus(COUNT)
    corpus.write(root / "content", [*releases, corpus.future_release(COUNT)])
    (root / "site.yaml").write_text("title: Synthetic Test Archive\nper_page: 10\nfeed_size: 15\n")
    build(BuildOptions(content=root / "content", output=root / "output", config=root / "site.yaml", base_url=BASE))
    return root / "output", releases


def published(releases: list[corpus.Release]) -> list[corpus.Release]:
    return sorted((r for r in releases if not r.draft), key=lambda r: r.published, reverse=True)


def page(output: Path, url: str) -> BeautifulSoup:
    path = output / url / "index.html" if not url.endswith(".html") else output / url
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def follow(output: Path, from_url: str, href: str) -> str:
    """The site-relative URL a relative link on the page at `from_url` leads to."""
    target = urljoin(f"http://site/{from_url}", href)
    return urlsplit(target).path.lstrip("/")


def listed_titles(soup: BeautifulSoup) -> list[str]:
    return [a.get_text() for a in soup.select("ol.releases h2 a")]


def test_year_archives_list_each_year_newest_first_and_paginate(site: tuple[Path, list[corpus.Release]]) -> None:
    output, releases = site
    years = Counter(r.published.year for r in published(releases))
    index = page(output, "archive/")
    links = {a.get_text(): follow(output, "archive/", a["href"]) for a in index.select("ul.index-list a")}
    assert list(links) == [str(year) for year in sorted(years, reverse=True)]
    for year, count in years.items():
        titles: list[str] = []
        url: str | None = links[str(year)]
        while url:
            soup = page(output, url)
            titles += listed_titles(soup)
            older = soup.select_one('nav.pagination a[rel="next"]')
            url = follow(output, url, older["href"]) if older else None
        expected = [r.title for r in published(releases) if r.published.year == year]
        assert titles == expected
        assert len(titles) == count


def test_each_article_date_links_to_its_year(site: tuple[Path, list[corpus.Release]]) -> None:
    output, releases = site
    for release in published(releases)[::25]:
        url = article_url(output, release)
        link = page(output, url).select_one("header.release-header .dateline time a")
        assert follow(output, url, link["href"]) == f"archive/{release.published.year}/"


def article_url(output: Path, release: corpus.Release) -> str:
    matches = [p.parent.name for p in (output / "articles").glob(f"synthetic-release-{release.number}-*/index.html")]
    assert len(matches) == 1, (release.number, matches)
    return f"articles/{matches[0]}/"


def test_site_feed_has_the_newest_releases_with_full_entries(site: tuple[Path, list[corpus.Release]]) -> None:
    output, releases = site
    feed = feedparser.parse((output / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    newest = published(releases)[:15]
    assert [entry.title for entry in feed.entries] == [r.title for r in newest]
    for entry, release in zip(feed.entries, newest, strict=True):
        assert entry.link.startswith(BASE + "articles/synthetic-release-")
        assert entry.id == entry.link
        assert datetime(*entry.published_parsed[:6]) == release.published.replace(tzinfo=None, second=0)
        assert entry.updated_parsed
        assert entry.summary.startswith("Synthetic summary of release")
        assert release.unique_word in entry.content[0].value
        assert entry.author == release.force
    assert feed.feed.links[0].href == BASE + "feed.xml"


def test_feed_ids_are_stable_across_builds(site: tuple[Path, list[corpus.Release]], tmp_path: Path) -> None:
    _output, releases = site
    content = corpus.write(tmp_path / "content", releases[:40])
    build(BuildOptions(content=content, output=tmp_path / "one", base_url=BASE))
    (content / releases[3].name).write_text(corpus.text(releases[3]) + "\nEdited.\n")
    build(BuildOptions(content=content, output=tmp_path / "two", base_url=BASE))
    ids = [
        {e.title: e.id for e in feedparser.parse((tmp_path / o / "feed.xml").read_bytes()).entries}
        for o in ("one", "two")
    ]
    assert ids[0] == ids[1]


def test_force_feeds_hold_only_their_force(site: tuple[Path, list[corpus.Release]]) -> None:
    output, releases = site
    forces = page(output, "forces/")
    checked = 0
    for link in forces.select("table.forces th a")[:8]:
        url = follow(output, "forces/", link["href"])
        soup = page(output, url)
        alternates = [a["href"] for a in soup.select('link[rel="alternate"][type="application/atom+xml"]')]
        assert alternates == [BASE + "feed.xml", BASE + url + "feed.xml"]
        feed = feedparser.parse((output / url / "feed.xml").read_bytes())
        assert not feed.bozo
        name = link.get_text()
        expected = [r.title for r in published(releases) if r.force == name][:15]
        assert [entry.title for entry in feed.entries] == expected
        checked += 1
    assert checked == 8


def test_every_page_advertises_the_site_feed(site: tuple[Path, list[corpus.Release]]) -> None:
    output, _ = site
    for path in [output / "index.html", *sorted(output.glob("archive/*/index.html"))[:3]]:
        soup = BeautifulSoup(path.read_text(), "lxml")
        feeds = soup.select('head link[rel="alternate"][type="application/atom+xml"]')
        assert feeds[0]["href"] == BASE + "feed.xml"


def test_hostile_title_keeps_the_feed_well_formed(tmp_path: Path) -> None:
    release = corpus.corpus(1)[0]
    hostile = corpus.text(release).replace(release.title, 'Synthetic </script> & <b>"quoted"</b> title')
    hostile += "\nA control \x0b character and a ]]> in the body.\n"
    content = tmp_path / "content"
    content.mkdir()
    (content / release.name).write_text(hostile)
    build(BuildOptions(content=content, output=tmp_path / "output", base_url=BASE))
    feed = feedparser.parse((tmp_path / "output" / "feed.xml").read_bytes())
    assert not feed.bozo
    assert feed.entries[0].title == 'Synthetic </script> & <b>"quoted"</b> title'
    assert "]]&gt;" in feed.entries[0].content[0].value


def test_sitemap_is_valid_and_lists_every_html_page(site: tuple[Path, list[corpus.Release]]) -> None:
    output, _ = site
    sitemap = output / "sitemap.xml"
    xmlschema.XMLSchema(SCHEMA).validate(str(sitemap))
    listed = xmlschema.XMLSchema(SCHEMA).to_dict(str(sitemap))["url"]
    locations = [item["loc"] for item in listed]
    assert all(item.get("lastmod") for item in listed)
    pages = {
        BASE + path.relative_to(output).as_posix().removesuffix("index.html")
        for path in output.rglob("*.html")
        if path.name != "404.html" and not path.is_relative_to(output / "search")
    }
    assert len(locations) == len(set(locations))
    assert set(locations) == pages
    robots = (output / "robots.txt").read_text()
    assert f"Sitemap: {BASE}sitemap.xml" in robots.splitlines()


def test_related_releases_prefer_the_same_force_and_never_the_article(
    site: tuple[Path, list[corpus.Release]],
) -> None:
    output, releases = site
    by_title = {r.title: r for r in releases}
    force_counts = Counter(r.force for r in published(releases))
    for release in published(releases)[::7]:
        url = article_url(output, release)
        soup = page(output, url)
        related = [by_title[a.get_text()] for a in soup.select("section.related li > a")]
        assert 1 <= len(related) <= 5
        assert release not in related
        assert len(set(related)) == len(related)
        same = [r.force == release.force for r in related]
        assert same == sorted(same, reverse=True)  # same force first
        assert sum(same) == min(5, force_counts[release.force] - 1)
        more = soup.select_one("section.related p a")
        assert more.get_text() == f"More from {release.force}"


def test_related_releases_share_distinctive_words(tmp_path: Path) -> None:
    """Across forces, the release naming the same rare place comes first."""
    base = corpus.corpus(3)
    releases = [
        corpus.Release(
            0, "a.md", "Synthetic Pendlebury raid finds cash", "Kent Police", base[0].published, (), False, "w0"
        ),
        corpus.Release(
            1, "b.md", "Synthetic Pendlebury raid: two charged", "Essex Police", base[1].published, (), False, "w1"
        ),
        corpus.Release(
            2, "c.md", "Synthetic unrelated safeguarding week", "Surrey Police", base[2].published, (), False, "w2"
        ),
        corpus.Release(
            3, "d.md", "Synthetic unrelated partnership event", "Dorset Police", base[2].published, (), False, "w3"
        ),
    ]
    content = corpus.write(tmp_path / "content", releases)
    build(BuildOptions(content=content, output=tmp_path / "output", base_url=BASE))
    soup = page(tmp_path / "output", article_url_by_title(tmp_path / "output", "synthetic-pendlebury-raid-finds-cash"))
    assert next(a.get_text() for a in soup.select("section.related li > a")) == "Synthetic Pendlebury raid: two charged"


def article_url_by_title(output: Path, slug: str) -> str:
    assert (output / "articles" / slug / "index.html").exists()
    return f"articles/{slug}/"


def test_older_links_walk_every_dated_release_in_date_order(site: tuple[Path, list[corpus.Release]]) -> None:
    output, releases = site
    expected = [r.title for r in published(releases)]
    url: str | None = article_url(output, published(releases)[0])
    seen: list[str] = []
    while url:
        soup = page(output, url)
        seen.append(soup.select_one("h1").get_text())
        older = soup.select_one('nav.neighbours a[rel="prev"]')
        newer = soup.select_one('nav.neighbours a[rel="next"]')
        if len(seen) > 1:
            assert newer.get_text() == seen[-2]
        url = follow(output, url, older["href"]) if older else None
    assert seen == expected


def test_force_pages_show_count_and_date_range(site: tuple[Path, list[corpus.Release]]) -> None:
    output, releases = site
    rows = page(output, "forces/").select("table.forces tbody tr")
    assert rows
    for row in rows[:10]:
        name = row.th.get_text()
        mine = [r for r in published(releases) if r.force == name]
        count, span = (td.get_text() for td in row.select("td"))
        assert int(count) == len(mine)
        oldest, newest = min(r.published for r in mine), max(r.published for r in mine)
        assert span.startswith(f"{oldest:%B %Y}") and span.endswith(f"{newest:%B %Y}")
        lede = page(output, follow(output, "forces/", row.th.a["href"])).select_one("p.lede").get_text()
        assert f"{len(mine)} press release" in lede and f"{newest:%B %Y}" in lede


def test_tag_pages_gather_tags_whatever_their_case(site: tuple[Path, list[corpus.Release]]) -> None:
    output, releases = site
    index = page(output, "tags/")
    names = [a.get_text() for a in index.select("ul.index-list a")]
    assert sorted(tag_slug(name) for name in names) == sorted({tag_slug(t) for r in releases for t in r.tags})
    orochi = [r.title for r in published(releases) if any(tag_slug(t) == "operation-orochi" for t in r.tags)]
    titles: list[str] = []
    url: str | None = "tags/operation-orochi/"
    while url:
        soup = page(output, url)
        titles += listed_titles(soup)
        older = soup.select_one('nav.pagination a[rel="next"]')
        url = follow(output, url, older["href"]) if older else None
    assert titles == orochi


def test_drafts_and_future_releases_are_left_out_unless_asked(
    site: tuple[Path, list[corpus.Release]], tmp_path: Path
) -> None:
    output, releases = site
    drafts = [r for r in releases if r.draft]
    assert drafts
    built = {p.parent.name for p in (output / "articles").glob("*/index.html")}
    assert not any(name.startswith(f"synthetic-release-{r.number}-") for r in drafts for name in built)
    assert not any(name.startswith(f"synthetic-release-{COUNT}-") for name in built)
    assert len(built) == COUNT - len(drafts)
    content = corpus.write(tmp_path / "content", [*drafts, corpus.future_release(COUNT)])
    build(BuildOptions(content=content, output=tmp_path / "output", base_url=BASE, drafts=True))
    assert len(list((tmp_path / "output" / "articles").glob("*/index.html"))) == len(drafts) + 1


def test_a_future_release_appears_once_it_falls_due(tmp_path: Path) -> None:
    content = corpus.write(tmp_path / "content", [corpus.corpus(1)[0], corpus.future_release(7, days=2 / 86400)])
    options = BuildOptions(content=content, output=tmp_path / "output", base_url=BASE)
    assert build(options).articles == 1
    time.sleep(2.5)
    report = build(options)  # no file changed, but the release is now due
    assert report.articles == 2


def test_a_failing_search_index_fails_the_build_and_keeps_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = corpus.write(tmp_path / "content", corpus.corpus(5))
    options = BuildOptions(content=content, output=tmp_path / "output", base_url=BASE)
    build(options)
    before = {p: p.read_bytes() for p in (tmp_path / "output").rglob("*") if p.is_file()}
    (content / "synthetic-0000.txt").write_text(corpus.text(corpus.corpus(1)[0]) + "\nEdited.\n")

    def broken(*args: object) -> dict[str, bytes]:
        raise GeneratorError("search indexing failed: synthetic failure")

    monkeypatch.setattr("generator.output.search.search_index", broken)
    with pytest.raises(GeneratorError, match="search indexing failed"):
        build(options)
    after = {p: p.read_bytes() for p in (tmp_path / "output").rglob("*") if p.is_file()}
    assert after == before
    assert not list(tmp_path.glob(".output.staging-*"))
