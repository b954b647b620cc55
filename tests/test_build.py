"""End to end: build content folders into a temporary output and read the result as HTML."""

from __future__ import annotations

import json
import os
import re
import shutil
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import extruct
import pytest

from generator.commands.build import BuildOptions, build
from generator.errors import BuildError, GeneratorError, TemplateError
from generator.output.writer import MARKER

from . import synthetic
from .conftest import ROOT, SEED
from .crawl import crawl, is_redirect, links, parse, release_pages, resolve

FORCES = ["Kent Police", "Essex Police", "Met Police", "Heddlu Gogledd Cymru / North Wales Police"]
SEED_URL = "articles/more-than-1000-charges-secured-for-county-lines-offending/index.html"


@pytest.fixture
def site(write_content, build_site):
    files: dict[str, str | bytes] = {SEED.name: SEED.read_text(encoding="utf-8"), **synthetic.corpus(22, FORCES)}
    files["undated.txt"] = synthetic.scraped(title="Synthetic undated release", date_line=None, url=None, image=None)
    output, report = build_site(write_content(files))
    return output, report


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_internal_link_resolves_and_every_page_is_reachable(site) -> None:
    output, report = site
    result = crawl(output)
    assert result.broken == []
    assert result.escaped == []
    written = {p.relative_to(output).as_posix() for p in output.rglob("*.html")}
    # former addresses, kept for old links, are linked from nowhere: each leads to a page reached
    former = {p.relative_to(output).as_posix(): p for p in output.rglob("*.html") if is_redirect(p)}
    for path, page in former.items():
        targets = {resolve(output, path, link) for link in links(parse(page))} - {None}
        assert all((output / target).is_file() for target in targets)
        assert any(target in result.pages and target.startswith("articles/") for target in targets)
    assert set(result.pages) == written - {"404.html"} - set(former)  # 404: served at missing URLs (test_hosting)
    machine_read = [
        p.relative_to(output)
        for p in output.rglob("*")
        if p.suffix in (".xml", ".json", ".csv", ".svg") or p.name == "robots.txt"
    ]
    machine_read = [p for p in machine_read if p.parts[0] not in ("pagefind", "static")]  # no pages
    # the figures' tables and charts beside their pages, each linked from its page
    downloads = {p.as_posix() for p in machine_read if p.suffix in (".csv", ".svg") and p.parts[0] != "data"}
    assert {p.name for p in machine_read if p.as_posix() not in downloads} == {
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "releases.json",
        "releases.csv",
        "releases.schema.json",
    }
    assert {"figures/per-year.csv", "figures/per-force.csv", "figures/releases-per-force.svg"} <= downloads
    assert {"forces/kent-police/per-year.csv", "forces/kent-police/releases-per-year.svg"} <= downloads
    linked = {resolve(output, page, link) for page, soup in result.pages.items() for link in links(soup)}
    assert downloads <= linked
    assert report.pages == len(written) + len(machine_read)


def test_urls_follow_the_design(site) -> None:
    output, report = site
    assert report.articles == 24
    assert (output / "index.html").is_file()
    assert (output / "page/2/index.html").is_file() and (output / "page/5/index.html").is_file()
    assert not (output / "page/6").exists() and not (output / "page/1").exists()
    assert (output / SEED_URL).is_file()
    assert (output / "forces/index.html").is_file()
    assert (output / "forces/metropolitan-police/index.html").is_file()
    assert (output / "forces/north-wales-police/index.html").is_file()
    assert (output / "forces/kent-police/page/2/index.html").is_file()
    assert (output / "static/style.css").is_file()


def test_home_lists_releases_newest_first_with_undated_last(site) -> None:
    output, _ = site
    cards = []
    for number in range(1, 6):
        page = output / ("index.html" if number == 1 else f"page/{number}/index.html")
        cards += parse(page).select("ol.releases > li")
    assert len(cards) == 24
    stamps = [card.find("time")["datetime"] for card in cards[:-1]]
    assert stamps == sorted(stamps, key=datetime.fromisoformat, reverse=True)
    last = cards[-1]
    assert last.h2.get_text(strip=True) == "Synthetic undated release"
    assert last.find("time") is None and "Undated" in last.get_text()
    for card in cards:
        assert card.h2.a["href"].removeprefix("../../").startswith("articles/")
        assert card.select_one(".dateline") is not None
        assert card.find_all("p")[-1].get_text(strip=True)


def test_seed_article_page_carries_full_metadata(site) -> None:
    output, _ = site
    html = (output / SEED_URL).read_text(encoding="utf-8")
    canonical = "https://example.org/articles/more-than-1000-charges-secured-for-county-lines-offending/"
    data = extruct.extract(html, base_url=canonical, syntaxes=["opengraph", "json-ld"])
    (graph,) = data["opengraph"]
    og = dict(graph["properties"])
    assert og["og:title"] == "More than 1,000 charges secured for county lines offending"
    assert og["og:url"] == canonical
    assert og["og:type"] == "article"
    assert og["og:image"].startswith("https://resources.mynewsdesk.com/")
    assert og["og:site_name"] == "Synthetic Test Archive"
    assert og["og:description"].startswith("Between Nov 2019")
    assert og["fb:app_id"] == "164521400263620"
    assert og["article:published_time"] == "2021-02-24T07:00:00+00:00"
    assert og["article:section"] == "Metropolitan Police"

    (ld,) = data["json-ld"]
    assert ld["@type"] == "NewsArticle"
    assert ld["headline"] == og["og:title"]
    assert ld["datePublished"] == "2021-02-24T07:00:00+00:00"
    assert ld["author"]["name"] == ld["publisher"]["name"] == "Metropolitan Police"
    assert ld["mainEntityOfPage"]["@id"] == canonical
    assert ld["isBasedOn"].startswith("https://news.met.police.uk/news/more-than-1000")
    assert ld["image"] == [og["og:image"]]

    soup = parse(output / SEED_URL)
    assert soup.find("link", rel="canonical")["href"] == canonical
    assert soup.title.get_text().startswith("More than 1,000 charges")
    assert soup.find("meta", attrs={"name": "description"})["content"].startswith("Between Nov 2019")
    assert soup.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
    assert soup.h1.get_text(strip=True) == og["og:title"]
    source = soup.find("a", href=ld["isBasedOn"])
    assert source is not None
    footer = source.find_parent("footer").get_text(" ", strip=True)
    assert "Metropolitan Police" in footer and "24 February 2021" in footer
    assert soup.find("a", href="../../forces/metropolitan-police/") is not None
    assert "Feb 24, 2021" not in soup.select_one(".release-body").get_text()


def test_release_without_image_shares_the_default_image(site) -> None:
    output, _ = site
    soup = parse(output / "articles/undated/index.html")  # no source URL: its file's name
    assert soup.find("meta", property="og:image")["content"] == "https://example.org/static/share.png"
    assert soup.find("meta", property="og:image:width")["content"] == "1200"
    assert (output / "static/share.png").is_file()
    assert soup.find("meta", property="article:published_time") is None


def test_list_pages_are_websites_with_their_own_canonical_url(site) -> None:
    output, _ = site
    for page, url in [
        ("index.html", "https://example.org/"),
        ("page/2/index.html", "https://example.org/page/2/"),
        ("forces/index.html", "https://example.org/forces/"),
        ("forces/kent-police/page/2/index.html", "https://example.org/forces/kent-police/page/2/"),
    ]:
        soup = parse(output / page)
        assert soup.find("meta", property="og:type")["content"] == "website"
        assert soup.find("meta", property="og:url")["content"] == url
        assert soup.find("link", rel="canonical")["href"] == url
        json.loads(soup.find("script", type="application/ld+json").string)


def test_forces_index_lists_each_force_once_with_counts(site) -> None:
    output, _ = site
    rows = parse(output / "forces/index.html").select("table.forces tbody tr")
    counts = {row.th.get_text(strip=True): int(row.td.get_text()) for row in rows}
    assert counts["Metropolitan Police"] == 1 + 5  # the seed, and "Met Police" synthetic releases
    assert sum(counts.values()) == 24
    assert len(counts) == 4


def test_sub_path_base_url_changes_absolute_urls_only(write_content, build_site) -> None:
    output, _ = build_site(
        write_content({SEED.name: SEED.read_bytes()}), base_url="https://example.org/county-lines-archive"
    )
    soup = parse(output / SEED_URL)
    assert soup.find("link", rel="canonical")["href"] == (
        "https://example.org/county-lines-archive/articles/more-than-1000-charges-secured-for-county-lines-offending/"
    )
    assert crawl(output).broken == [] and crawl(output).escaped == []


def test_failed_build_lists_every_bad_file_and_leaves_output_untouched(write_content, build_site, tmp_path) -> None:
    content = write_content({SEED.name: SEED.read_bytes()})
    output, _ = build_site(content)
    before = snapshot(output)
    write_content(
        {
            "bad-yaml.txt": "```yaml\ntitle: x\n\tog: y\n```\nbody\n",
            "no-front-matter.md": "Just text.\n",
            "no-title.md": "---\ndate: 2021-01-01\n---\nbody\n",
            "bad-date.md": "---\ntitle: x\ndate: 2021-02-30\n---\nbody\n",
        }
    )
    with pytest.raises(BuildError) as caught:
        build_site(content)
    lines = {(d.path.name, d.line) for d in caught.value.diagnostics if d.severity == "error"}
    assert lines == {("bad-yaml.txt", 3), ("no-front-matter.md", 1), ("no-title.md", 1), ("bad-date.md", 3)}
    assert snapshot(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache", "content", "output", "site.yaml"]


def test_template_error_names_template_and_line_and_keeps_output(write_content, build_site, tmp_path) -> None:
    content = write_content({SEED.name: SEED.read_bytes()})
    output, _ = build_site(content)
    before = snapshot(output)
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    article = templates / "article.html"
    lines = article.read_text().splitlines()
    lines.insert(4, "{{ entry.artcle.title }}")
    article.write_text("\n".join(lines) + "\n")
    (tmp_path / "site.yaml").write_text(f"templates: {templates}\n")
    with pytest.raises(TemplateError) as caught:
        build_site(content)
    assert caught.value.diagnostic.path == article
    assert caught.value.diagnostic.line == 5
    assert "artcle" in caught.value.diagnostic.message
    (templates / "home.html").write_text("{% extends 'base.html' %}\n{% block content %}\n{% if %}\n")
    article.write_text((ROOT / "templates/article.html").read_text())
    with pytest.raises(TemplateError) as caught:
        build_site(content)
    assert (caught.value.diagnostic.path.name, caught.value.diagnostic.line) == ("home.html", 3)
    assert snapshot(output) == before


def test_drafts_are_left_out_unless_asked_for(write_content, build_site) -> None:
    content = write_content({"draft.md": synthetic.authored(title="Synthetic draft", extra_yaml="draft: true")})
    output, report = build_site(content)
    assert report.articles == 0 and not (output / "articles").exists()
    assert parse(output / "index.html").select_one(".empty") is not None
    output, report = build_site(content, drafts=True)
    assert (output / "articles/draft/index.html").is_file()


def test_hostile_title_is_escaped_everywhere(write_content, build_site) -> None:
    title = 'Synthetic </script><script>alert("x")</script> & <b>bold</b>'
    output, _ = build_site(write_content({"x.md": synthetic.authored(title=title)}))
    page = next((output / "articles").iterdir()) / "index.html"
    soup = parse(page)
    assert soup.h1.get_text() == title
    assert len(soup.find_all("script")) == 2  # the JSON-LD block and site.js, nothing injected
    assert json.loads(soup.find("script", type="application/ld+json").string)["headline"] == title


def test_output_folder_not_made_by_a_build_is_never_replaced(write_content, tmp_path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.docx").write_text("years of work")
    with pytest.raises(GeneratorError, match="refusing to replace"):
        build(BuildOptions(content=write_content({SEED.name: SEED.read_bytes()}), output=precious))
    assert (precious / "thesis.docx").read_text() == "years of work"


def test_rebuild_replaces_stale_pages(write_content, build_site) -> None:
    content = write_content({SEED.name: SEED.read_bytes(), "x.md": synthetic.authored(title="Synthetic gone")})
    output, _ = build_site(content)
    assert (output / "articles/x/index.html").is_file() and (output / MARKER).is_file()
    os.remove(content / "x.md")
    output, _ = build_site(content)
    assert not (output / "articles/x").exists()


def test_a_site_with_some_templates_of_its_own_gets_the_rest_from_the_project(write_content, tmp_path: Path) -> None:
    content = write_content({SEED.name: SEED.read_bytes()})
    (tmp_path / "templates").mkdir()
    base = (ROOT / "templates" / "base.html").read_text()
    (tmp_path / "templates" / "base.html").write_text(base.replace("Skip to content", "Skip to the synthetic content"))
    (tmp_path / "site.yaml").write_text("title: Synthetic Test Archive\n")
    options = BuildOptions(content=content, output=tmp_path / "output", config=tmp_path / "site.yaml")
    build(options)
    assert "Skip to the synthetic content" in (tmp_path / "output" / "archive" / "index.html").read_text()
    assert (tmp_path / "output" / "search" / "index.html").is_file()


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("£350,000 of cocaine seized in Sampletown", "350000-of-cocaine-seized-in-sampletown"),
        ("Drugs & cash seized", "drugs-and-cash-seized"),
        ("40% rise in county lines arrests", "40-percent-rise-in-county-lines-arrests"),
        ("€5m haul: 3 men jailed", "5m-haul-3-men-jailed"),
    ],
)
def test_addresses_read_as_the_title_does(write_content, build_site, title: str, slug: str) -> None:
    """A pinned slug, and a source URL's words, read signs as words."""
    files = {
        "x.md": synthetic.authored(title="Synthetic x", extra_yaml=f"slug: 'Synthetic: {title}'"),
        "y.txt": synthetic.scraped(title="Synthetic y", url=f"https://example.org/news/{quote(f'synthetic-{title}')}"),
    }
    output, _ = build_site(write_content(files))
    assert (output / "articles" / f"synthetic-{slug}" / "index.html").is_file()
    (other,) = [page.parent.name for page in release_pages(output) if page.parent.name != f"synthetic-{slug}"]
    assert re.fullmatch(rf"synthetic-{slug}-[0-9a-f]{{6}}", other)  # the same words: told apart by its source


def test_the_open_data_encodes_again_only_the_releases_that_changed(
    write_content, build_site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each release's open-data record is kept in the build cache, one by one: a later build (a
    new process, with none in memory) that writes the open data again for a new title encodes
    that release alone, keeps its record and forgets the old one, and its data equals a cold
    build's."""
    from generator.cache import Cache
    from generator.commands.build import OPEN_DATA
    from generator.output import opendata

    monkeypatch.setattr(opendata, "ENCODED_RATHER", 0)  # read the kept records for any release missing
    files = {
        f"r{n}.txt": synthetic.scraped(title=f"Synthetic release {n}", url=f"https://example.org/n/{n}")
        for n in range(6)
    }
    content = write_content(files)
    output, _ = build_site(content)
    encoded: list[str] = []
    real = opendata._encode
    monkeypatch.setattr(
        opendata, "_encode", lambda article, config: encoded.append(article.title) or real(article, config)
    )
    (content / "r3.txt").write_text(files["r3.txt"].replace("Synthetic release 3", "Synthetic release 3, retitled"))
    opendata._encoded.clear()  # as a new process starts
    build_site(content)
    assert encoded == ["Synthetic release 3, retitled"]
    again = json.loads((output / "data/releases.json").read_text(encoding="utf-8"))
    cache = Cache(output.parent / ".cache")
    kept = [json.loads(record)["title"] for _, record in cache.pieces(OPEN_DATA).values()]
    cache.close()
    assert sorted(kept) == sorted(release["title"] for release in again["releases"])
    shutil.rmtree(output.parent / ".cache", ignore_errors=True)
    opendata._encoded.clear()
    cold, _ = build_site(content, force=True)
    assert json.loads((cold / "data/releases.json").read_text(encoding="utf-8")) == again


def test_the_open_data_records_encoded_by_workers_are_kept(
    write_content, build_site, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A large site's pages are rendered by forked workers, and the open data's records are encoded
    there: they come back to the build, which keeps every one, so that the next build (a new
    process) reads them all back and encodes none again. The JSON and the CSV, made of the same
    records, go to one worker, which encodes each record once."""
    from generator.cache import Cache
    from generator.commands.build import OPEN_DATA
    from generator.output import opendata, produce

    monkeypatch.setattr(produce, "POOL_THRESHOLD", 1)
    monkeypatch.setattr(produce, "HEAVY", 2)  # the open data, which shows every release, is a task of its own
    monkeypatch.setattr(opendata, "ENCODED_RATHER", 0)
    encodings = tmp_path / "encodings.txt"
    real = opendata._encode

    def counted(article, config):  # workers are other processes: they count in a file
        with encodings.open("a", encoding="utf-8") as file:
            file.write(article.title + "\n")
        return real(article, config)

    monkeypatch.setattr(opendata, "_encode", counted)
    files = {
        f"r{n}.txt": synthetic.scraped(title=f"Synthetic release {n}", url=f"https://example.org/n/{n}")
        for n in range(6)
    }
    content = write_content(files)
    opendata._encoded.clear()
    output, _ = build_site(content, workers=2)
    made = encodings.read_text(encoding="utf-8").splitlines()
    assert sorted(made) == sorted(f"Synthetic release {n}" for n in range(6))  # once each, JSON and CSV alike
    cache = Cache(output.parent / ".cache")
    kept = sorted(json.loads(record)["title"] for _, record in cache.pieces(OPEN_DATA).values())
    cache.close()
    assert kept == sorted(made)
    encodings.unlink()
    (content / "r3.txt").write_text(files["r3.txt"].replace("Synthetic release 3", "Synthetic release 3, retitled"))
    opendata._encoded.clear()  # as a new process starts
    build_site(content, workers=2)
    assert encodings.read_text(encoding="utf-8").splitlines() == ["Synthetic release 3, retitled"]
    encodings.unlink()
    data = json.loads((output / "data/releases.json").read_text(encoding="utf-8"))
    assert "Synthetic release 3, retitled" in [release["title"] for release in data["releases"]]
