"""Every page type in Debian's Chromium at a phone's and a desktop's width (and in the dark scheme):
no sideways scrolling, no console errors, no serious or critical axe-core violations (colour
contrast among them); screenshots for people to look at. And the pages stay light."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.commands.build import BuildOptions, build

from . import corpus
from .browsing import served
from .conftest import ROOT, SEED

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "screenshots"  # git-ignored
WIDTHS = {"phone": 390, "desktop": 1280, "desktop-dark": 1280}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A build of 80 synthetic releases and the About page, served under `/repo/`; the URL of each page type."""
    www = tmp_path_factory.mktemp("www")
    releases = corpus.corpus(80)
    content = corpus.write(www / "content", releases)
    (content / "pages").mkdir()
    shutil.copy(ROOT / "content" / "pages" / "about.md", content / "pages" / "about.md")
    gone = "withdrawn: 'Synthetic reason: the release was published in error.'"
    (content / "withdrawn.md").write_text(
        f"---\ntitle: Synthetic withdrawn release\ndate: 2024-03-01\n{gone}\n---\n\nGone.\n"
    )
    build(BuildOptions(content=content, output=www / "repo", base_url="https://example.org/repo/"))
    with served(www) as base:
        yield _page_types(www / "repo", base)


def _page_types(output: Path, base: str) -> dict[str, str]:
    # a release and a force with figures, whose pages show the key figures and the charts
    article = next(
        p.name for p in sorted((output / "articles").iterdir()) if b"key-figures" in (p / "index.html").read_bytes()
    )
    force = next(p.name for p in sorted((output / "forces").iterdir()) if p.is_dir())
    year = max(p.name for p in (output / "archive").iterdir() if p.is_dir())
    return {
        "home": base,
        "article": f"{base}articles/{article}/",
        "force": f"{base}forces/{force}/",
        "forces": f"{base}forces/",
        "archive": f"{base}archive/",
        "year": f"{base}archive/{year}/",
        "tags": f"{base}tags/",
        "search": f"{base}search/?q=synthetic",
        "figures": f"{base}figures/",
        "about": f"{base}about/",
        "404": f"{base}no/such/page/",
        "withdrawn": f"{base}articles/withdrawn/",
    }


PAGES = [
    "home",
    "article",
    "force",
    "forces",
    "archive",
    "year",
    "tags",
    "search",
    "figures",
    "about",
    "404",
    "withdrawn",
]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", PAGES)
def test_page_reads_well_and_passes_axe(site: dict[str, str], browser: Any, kind: str, width: str) -> None:
    scheme = "dark" if width.endswith("dark") else "light"  # contrast is checked in both schemes
    page = browser.new_page(viewport={"width": WIDTHS[width], "height": 900}, color_scheme=scheme)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(site[kind])
    assert response.status == (404 if kind == "404" else 200)
    page.wait_for_load_state("networkidle")
    if kind == "search":
        page.wait_for_function("() => document.querySelectorAll('#search-results > li').length > 0")
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{kind} scrolls sideways by {overflow}px at {WIDTHS[width]}px"
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{kind}-{width}.png"), full_page=True)
    page.close()
    # the 404 page's console error is the browser reporting the 404 status itself
    assert [e for e in errors if not (kind == "404" and "404" in e)] == []
    assert serious == []


def test_the_axe_check_can_fail(site: dict[str, str], browser: Any) -> None:
    """The harness itself: an image without alt text planted in a page is reported as critical."""
    page = browser.new_page()
    page.goto(site["home"])
    page.evaluate("() => document.querySelector('main').append(document.createElement('img'))")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    page.close()
    assert ("image-alt", "critical") in {(v["id"], v["impact"]) for v in found}


def test_the_stylesheet_is_under_30_kb() -> None:
    assert (ROOT / "static" / "style.css").stat().st_size < 30_000


def test_a_typical_release_page_is_under_50_kb(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(SEED, content / SEED.name)
    build(BuildOptions(content=content, output=tmp_path / "output", base_url="https://example.org/"))
    (page,) = (tmp_path / "output" / "articles").glob("*/index.html")
    assert page.stat().st_size < 50_000


def test_keyboard_first_reaches_the_skip_link_which_leads_to_the_content(site: dict[str, str], browser: Any) -> None:
    page = browser.new_page()
    page.goto(site["article"])
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.className, document.activeElement.textContent]")
    assert focused == ["skip-link", "Skip to content"]
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # focus is visible
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main"
    page.close()


def test_printing_an_article_hides_the_navigation_and_shows_link_addresses(site: dict[str, str], browser: Any) -> None:
    page = browser.new_page()
    page.goto(site["article"])
    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => ['.site-nav', '.site-search', '.site-footer', '.related', '.neighbours']
            .map(s => document.querySelector(s)).filter(Boolean).map(e => getComputedStyle(e).display)"""
    )
    assert hidden and set(hidden) == {"none"}
    source = "document.querySelector('.provenance a[href^=\"http\"]')"  # the original release
    after = page.evaluate(f"() => getComputedStyle({source}, '::after').content")
    assert "https://example.org/synthetic/" in after
    page.close()


def test_the_menu_reaches_the_tags_which_it_marks_as_the_current_page(site: dict[str, str], browser: Any) -> None:
    tab = browser.new_page(viewport={"width": 1280, "height": 800})
    tab.goto(site["home"])
    tab.click(".site-nav >> text=Tags")
    assert tab.url == site["tags"]
    assert tab.locator(".site-nav [aria-current=page]").inner_text() == "Tags"
    tab.click("ul.index-list a >> nth=0")
    assert tab.locator(".site-nav [aria-current=page]").inner_text() == "Tags"  # a tag's page too
    tab.close()


def test_the_years_read_across_newest_first(site: dict[str, str], browser: Any) -> None:
    tab = browser.new_page(viewport={"width": 1280, "height": 800})
    tab.goto(site["archive"])
    boxes = tab.eval_on_selector_all(
        "ul.index-list > li",
        "items => items.map(item => { const box = item.getBoundingClientRect(); "
        "return [Number(item.querySelector('a').textContent), box.left, box.top]; })",
    )
    assert len(boxes) >= 3
    years = [year for year, _, _ in boxes]
    assert years == sorted(years, reverse=True)
    (_, left0, top0), (_, left1, top1) = boxes[:2]
    assert top1 == top0 and left1 > left0  # the second year is beside the first, not below it
    tab.close()


def test_a_very_long_title_leaves_room_on_a_phone(tmp_path: Path, browser: Any) -> None:
    words = " ".join(["county lines operation results"] * 15)  # sixty words
    content = tmp_path / "content"
    content.mkdir()
    (content / "long.md").write_text(f"---\ntitle: Synthetic {words}\ndate: 2024-03-01\n---\n\nA synthetic body.\n")
    build(BuildOptions(content=content, output=tmp_path / "repo", base_url="https://example.org/repo/"))
    with served(tmp_path) as base:
        tab = browser.new_page(viewport={"width": 390, "height": 844})
        tab.goto(f"{base}articles/long/")  # its file's name: it has no source URL
        height = tab.eval_on_selector(".release-header h1", "title => title.getBoundingClientRect().height")
        assert height < 844 * 0.6, height
        tab.close()
