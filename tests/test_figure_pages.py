"""Figures read the way a journalist reads them: not reported is a dash and 0 is a zero; sentences
in years and months; undated releases in a row of their own, so the rows add up to all releases;
a release saved twice counted once; every table as CSV and every chart as SVG to download; and,
in Chromium, tables that fit a desktop's width, a row's name that stays in view on a phone,
chart text inside its chart and a key figures panel that leaves the story on the first screen."""

from __future__ import annotations

import csv
import io
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag

from generator.commands.build import BuildOptions, build
from generator.output.charts import amount
from generator.reading.figures import KINDS

from . import corpus, synthetic
from .browsing import served
from .crawl import release_pages
from .test_browser import AXE

SVG = "{http://www.w3.org/2000/svg}"
UNITS = {kind.name: kind.unit for kind in KINDS}
KENT = """**Synthetic test content.** Five men were jailed for a total of 479 years and four months.

Officers executed 14 warrants across the county. Police arrested 12 people and seized £25,000 in cash.
"""
MANY = "\n\n".join(
    [
        "**Synthetic test content.** Between 1 May and 30 June a total of 587 people were charged with 1,135 offences.",
        "Officers executed 214 warrants and 406 people were arrested.",
        "They closed 324 lines and 154 vulnerable people were safeguarded.",
        "Officers seized 2,400kg of cocaine, drugs worth £12,250,000 and £3,456,789 in cash.",
        "Detectives seized 61 weapons, including knives and firearms.",
        "In all, 92 people were sentenced to a total of 1,401 years and seven months in prison.",
    ]
)
LONG_TITLE = (
    "Synthetic release: a regional county lines week of action ends with hundreds of arrests, charges and seizures"
)


def _releases() -> dict[str, str]:
    """Releases whose figures test each rule: a zero, years and months, warrants, an undated
    release, one saved twice (the copy with a figure entered by hand wins), a force whose name a
    spreadsheet would read as a formula, and a release with no figures."""
    kent = "source: https://example.org/synthetic/kent-1"
    return {
        "kent.md": synthetic.authored("Synthetic Kent sentencing", "2021-03-01", "Kent Police", kent, KENT),
        "kent-copy.md": synthetic.authored(
            "Synthetic Kent sentencing", "2021-03-01", "Kent Police", f"{kent}\nfigures:\n  weapons_seized: 2", KENT
        ),
        "essex.md": synthetic.authored(
            "Synthetic Essex seizure",
            "2022-06-01",
            "Essex Police",
            "figures:\n  arrests: 0",
            "**Synthetic test content.** Officers seized 3kg of cocaine.",
        ),
        "undated.md": synthetic.authored(
            "Synthetic undated warrants",
            None,
            "Kent Police",
            body="**Synthetic test content.** 19 warrants were executed and 31 people were arrested.",
        ),
        "formula.md": synthetic.authored(
            "Synthetic formula force",
            "2022-07-01",
            "=SUM(1) Synthetic Force",
            body="**Synthetic test content.** Officers executed one warrant.",
        ),
        "quiet.md": synthetic.authored("Synthetic quiet release", "2022-08-01", "Durham Constabulary"),
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("figure-pages")
    content = root / "content"
    content.mkdir()
    for name, text in _releases().items():
        (content / name).write_text(text, encoding="utf-8")
    build(BuildOptions(content=content, output=root / "output", base_url="https://example.org/", cache=root / "cache"))
    return root / "output"


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_bytes(), "html5lib")


def _text(cell: Tag) -> str | None:
    """A cell's value as read aloud; None where it says "not reported"."""
    hidden = cell.select_one(".visually-hidden")
    if hidden is not None and hidden.get_text() == "not reported":
        assert cell.select_one("[aria-hidden=true]").get_text() == "—"
        return None
    return cell.get_text(" ", strip=True).replace("\xa0", " ")


def _table(page: BeautifulSoup, caption: str) -> tuple[list[str], list[list[str | None]]]:
    """A table's columns (a kind by its full label, given as its abbreviation's title) and rows, the foot last."""
    table = next(t for t in page.select("table.totals") if t.caption.get_text().startswith(caption))
    columns = [th.abbr["title"] if th.abbr else th.get_text(strip=True) for th in table.thead.find_all("th")]
    rows = [[_text(cell) for cell in tr.find_all(["th", "td"])] for tr in table.select("tbody tr, tfoot tr")]
    return columns, rows


def _kind(column: str) -> str:
    return next(kind.name for kind in KINDS if column.lower().startswith(kind.label))


def _value(text: str | None, kind: str) -> float:
    """What a cell holds, back as a number (a sentence's years and months as decimal years)."""
    if text is None:
        return 0.0
    if UNITS[kind] == "years":
        words = text.replace(",", "").split()
        return sum(
            float(n) / (1 if unit.startswith("year") else 12) for n, unit in zip(words[::2], words[1::2], strict=True)
        )
    return float(text.replace(",", ""))


def test_not_reported_is_a_dash_and_a_zero_is_a_zero(site: Path) -> None:
    columns, rows = _table(_soup(site / "figures/index.html"), "Figures per year")
    by_year = {row[0]: dict(zip(columns, row, strict=True)) for row in rows}
    assert by_year["2022"]["Arrests"] == "0"  # Essex said zero, by hand
    assert by_year["2022"]["warrants executed"] == "1"
    assert by_year["2021"]["drugs seized (kg)"] is None  # no release of 2021 reports drugs
    assert by_year["2022"]["years of imprisonment"] is None
    # kinds no release reports have no column at all
    assert "people charged" not in columns and "Lines closed" not in columns


def test_sentences_read_in_years_and_months_and_never_as_decimals(site: Path) -> None:
    figures = _soup(site / "figures/index.html")
    columns, rows = _table(figures, "Figures per year")
    prison = columns.index("years of imprisonment")
    assert rows[0][0] == "2021" and rows[0][prison] == "479 years 4 months"
    chart = figures.select_one("#sentence-years-per-year")
    values = [t.get_text().replace("\xa0", " ") for t in chart.select("text.chart-value")]
    assert "479 years 4 months" in values
    article = _soup(site / "articles/kent-1/index.html")  # its source URL's
    panel = [s.get_text().replace("\xa0", " ") for s in article.select(".key-figures strong.figure")]
    assert "479 years 4 months of imprisonment" in panel
    for page in (site / "figures/index.html", site / "forces/kent-police/index.html", *site.glob("articles/*/*.html")):
        shown = _soup(page).select_one("main").get_text()
        assert "479.3" not in shown and ".33" not in shown, page
    assert "479.33" in (site / "data/releases.csv").read_text(encoding="utf-8")  # the open data keeps decimals


def test_undated_releases_have_a_row_and_the_rows_add_up_to_all_releases(site: Path) -> None:
    figures = _soup(site / "figures/index.html")
    for caption in ("Figures per year", "Figures per force"):
        columns, rows = _table(figures, caption)
        *groups, whole = rows
        assert whole[0] == "All releases"
        assert sum(int(row[1] or 0) for row in groups) == int(whole[1] or 0) == 5
        for index, column in enumerate(columns[2:], start=2):
            kind = _kind(column)
            total = sum(_value(row[index], kind) for row in groups)
            assert total == pytest.approx(_value(whole[index], kind), abs=len(groups) / 24), column
    columns, rows = _table(figures, "Figures per year")
    assert [row[0] for row in rows] == ["2021", "2022", "Undated", "All releases"]
    assert rows[2][columns.index("warrants executed")] == "19"
    assert "1 undated release has a row of its own" in figures.select_one(".note").get_text()
    releases = figures.select_one("#releases-per-year")
    assert [t.get_text() for t in releases.select(".chart-data th[scope=row]")] == ["2021", "2022", "Undated"]


def test_a_release_saved_twice_is_one_release_and_its_hand_corrected_copy_wins(site: Path) -> None:
    figures = _soup(site / "figures/index.html")
    columns, rows = _table(figures, "Figures per force")
    kent = dict(zip(columns, next(row for row in rows if row[0] == "Kent Police"), strict=True))
    assert kent["Releases"] == "2"  # the release and the undated one; its copy is not counted again
    assert kent["Arrests"] == "43"  # 12 + 31, not 12 + 12 + 31
    assert kent["weapons seized"] == "2"  # from the copy with a figure entered by hand
    force_columns, force_rows = _table(_soup(site / "forces/kent-police/index.html"), "Kent Police: figures per year")
    assert force_rows[-1][force_columns.index("Arrests")] == "43"
    kept = [page.parent for page in release_pages(site) if page.parent.name.startswith("kent-1")]
    assert len(kept) == 1  # one release: the copy is left out (with a note), so listed once too
    assert "weapons seized" in (kept[0] / "index.html").read_text(encoding="utf-8")


def test_each_table_downloads_as_csv_with_the_tables_rows_and_columns(site: Path) -> None:
    pages = {"figures/index.html": ("Figures per year", "Figures per force")}
    pages["forces/kent-police/index.html"] = ("Kent Police: figures per year",)
    for page_path, captions in pages.items():
        page = _soup(site / page_path)
        links = page.select("p.download a[href$='.csv']")
        assert len(links) == len(captions)
        for link, caption in zip(links, captions, strict=True):
            assert link.has_attr("download") and caption in link.get_text()
            columns, rows = _table(page, caption)
            file = (site / page_path).parent / link["href"]
            header, *records = list(csv.reader(io.StringIO(file.read_text(encoding="utf-8"))))
            assert header[:2] == [columns[0].lower(), "releases"]
            assert header[2:] == [_kind(column) for column in columns[2:]]
            assert len(records) == len(rows)
            for record, row in zip(records, rows, strict=True):
                assert record[0].removeprefix("'") == row[0]
                assert record[1] == row[1]
                for kind, value, cell in zip(header[2:], record[2:], row[2:], strict=True):
                    unit = "years" if UNITS[kind] == "years" else ""
                    assert cell == (amount(float(value), unit).replace("\xa0", " ") if value else None)
    forces = (site / "figures/per-force.csv").read_text(encoding="utf-8")
    assert "'=SUM(1) Synthetic Force" in forces  # a spreadsheet reads it as text, not a formula
    assert "479.33" in (site / "figures/per-year.csv").read_text(encoding="utf-8")


def test_each_chart_downloads_as_a_standalone_svg(site: Path) -> None:
    for page_path in ("figures/index.html", "forces/kent-police/index.html"):
        page = _soup(site / page_path)
        charts = page.select("figure.chart")
        assert charts
        for chart in charts:
            link = chart.select_one("p.download a")
            assert link.has_attr("download") and link["href"].endswith(".svg")
            root = ET.parse((site / page_path).parent / link["href"]).getroot()
            assert root.tag == f"{SVG}svg"
            assert root.find(f"{SVG}title").text == chart.figcaption.get_text()
            drawn = ["".join(t.itertext()) for t in root.iter(f"{SVG}text") if "chart-value" in t.get("class", "")]
            assert drawn == [t.get_text() for t in chart.svg.select("text.chart-value")]
    assert (site / "figures/warrants-per-year.svg").is_file()
    assert (site / "figures/releases-per-force.svg").is_file()


def test_warrants_appear_wherever_the_other_kinds_do(site: Path) -> None:
    figures = _soup(site / "figures/index.html")
    for caption in ("Figures per year", "Figures per force"):
        assert "warrants executed" in _table(figures, caption)[0]
    assert figures.select_one("#warrants-per-year figcaption").get_text().startswith("Warrants executed per year")
    panel = _soup(site / "articles/formula/index.html").select_one(".key-figures").get_text()
    assert "1 warrant executed" in panel
    assert "warrants" in next(csv.reader(io.StringIO((site / "data/releases.csv").read_text(encoding="utf-8"))))


def test_the_sitemap_lists_no_download(site: Path) -> None:
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "figures/" in sitemap and ".csv" not in sitemap and ".svg" not in sitemap


def test_the_key_figures_panel_gives_a_line_per_sentence_and_the_sentence_a_click_away(
    write_content: Any, build_site: Any
) -> None:
    output, _ = build_site(write_content({"many.md": synthetic.authored("Synthetic many figures", body=MANY)}))
    panel = _soup(output / "articles/many/index.html").select_one("section.key-figures")
    first = panel.select(":scope > ul > li")
    assert len(first) == 3
    for item in first:
        assert item.details.summary.select("strong.figure") and item.details.blockquote.get_text()
    more = panel.select_one(":scope > details.more-figures")
    assert more.summary.get_text() == "3 more"
    assert len(more.select("li")) == 3
    assert len(panel.select("strong.figure")) == 12


# -- in Chromium ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def www(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The browser tests' corpus with every kind reported, the longest force names, large sums and
    a release with many figures and a long title, served under `/repo/`."""
    root = tmp_path_factory.mktemp("figure-www")
    content = corpus.write(root / "content", corpus.corpus(80))
    forces = ["Yorkshire and Humber Regional Organised Crime Unit", "Police Service of Northern Ireland"]
    for number, force in enumerate(forces):
        text = synthetic.authored(f"Synthetic regional release {number}", f"2024-02-0{number + 1}", force, body=MANY)
        (content / f"regional-{number}.md").write_text(text, encoding="utf-8")
    many = synthetic.authored(LONG_TITLE, "2025-03-04", "Kent Police", body=MANY)
    (content / "many.md").write_text(many, encoding="utf-8")
    undated = synthetic.authored("Synthetic undated release", None, "Kent Police", body=KENT)
    (content / "undated.md").write_text(undated, encoding="utf-8")
    build(BuildOptions(content=content, output=root / "repo", base_url="https://example.org/repo/", cache=root / "c"))
    many_page = root / "repo/articles/many"  # no source URL: its file's name
    with served(root) as base:
        yield {"figures": f"{base}figures/", "many": f"{base}articles/{many_page.name}/", "base": base}
    shutil.rmtree(root, ignore_errors=True)


def _tab(browser: Any, url: str, width: int, height: int) -> Any:
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


def test_every_table_column_is_in_view_at_desktop_width(www: dict[str, str], browser: Any) -> None:
    page = _tab(browser, www["figures"], 1280, 800)
    kinds = page.evaluate("() => document.querySelectorAll('#per-year-table-table thead th').length - 2")
    assert kinds == len(KINDS)  # every kind is reported: the widest the tables get
    found = page.evaluate(
        """() => [...document.querySelectorAll('.table-scroll')].map(box => ({
            scrolls: box.scrollWidth - box.clientWidth,
            right: Math.max(...[...box.querySelectorAll('th, td')].map(c => c.getBoundingClientRect().right)),
        }))"""
    )
    page.close()
    assert len(found) == 2
    for table in found:
        assert table["scrolls"] <= 0 and table["right"] <= 1280


def test_a_rows_name_stays_in_view_when_a_table_scrolls_on_a_phone(www: dict[str, str], browser: Any) -> None:
    page = _tab(browser, www["figures"], 390, 844)
    moved = page.evaluate(
        """async () => [...document.querySelectorAll('.table-scroll')].map(box => {
            const name = () => box.querySelector('tbody th').getBoundingClientRect().left;
            const caption = () => box.querySelector('caption span').getBoundingClientRect().left;
            const before = [name(), caption(), box.querySelector('tbody td').getBoundingClientRect().left];
            box.scrollLeft = 250;
            return {scrolled: box.scrollLeft, before, after: [name(), caption(),
                    box.querySelector('tbody td').getBoundingClientRect().left]};
        })"""
    )
    page.close()
    for table in moved:
        assert table["scrolled"] > 100  # the table is wider than a phone
        assert table["after"][:2] == pytest.approx(table["before"][:2], abs=0.5)  # the name and caption stay
        assert table["after"][2] < table["before"][2] - 100  # the figures moved


# The text of every chart on the page (or of the chart's file) that draws outside the chart's box.
OUTSIDE = """() => [...document.querySelectorAll('svg.bar-chart')].flatMap(svg => {
    const box = svg.getBoundingClientRect();
    return [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBoundingClientRect()])
        .filter(([, r]) => r.left < box.left - 0.5 || r.right > box.right + 0.5
                           || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
        .map(([text]) => text);
})"""


@pytest.mark.parametrize("width", [390, 1280])
def test_no_chart_text_runs_out_of_its_chart(www: dict[str, str], browser: Any, width: int) -> None:
    for path in ("figures/", "forces/yorkshire-and-humber-regional-organised-crime-unit/"):
        page = _tab(browser, www["base"] + path, width, 844)
        outside = page.evaluate(OUTSIDE)
        labels = page.evaluate("() => document.querySelectorAll('svg.bar-chart text.chart-label').length")
        page.close()
        assert labels > 0 and outside == [], path


def test_no_text_runs_out_of_a_charts_file(www: dict[str, str], browser: Any) -> None:
    """A chart's file draws its title too: the longest text it has."""
    page = _tab(browser, www["figures"], 1280, 800)
    files = page.evaluate("() => [...document.querySelectorAll('figure.chart p.download a')].map(a => a.href)")
    assert len(files) == len(KINDS) + 2  # every kind per year, and releases per year and per force
    for file in files:
        page.goto(file)
        assert page.evaluate(OUTSIDE) == [], file
    page.close()


# A phone's first screen is 844 px: the story's first line must be on it, below the site's
# header, the release's title (here six lines long) and the key figures, however many there are.
PHONE = (390, 844)


def test_the_key_figures_leave_the_story_on_a_phones_first_screen(www: dict[str, str], browser: Any) -> None:
    page = _tab(browser, www["many"], *PHONE)
    figures = page.evaluate("() => document.querySelectorAll('.key-figures strong.figure').length")
    top, line = page.evaluate(
        """() => { const p = document.querySelector('.release-body p');
                   return [p.getBoundingClientRect().top, parseFloat(getComputedStyle(p).lineHeight)]; }"""
    )
    page.close()
    assert figures >= 12
    assert top + line <= PHONE[1], f"the story's first line ends {top + line:.0f}px down"


@pytest.mark.parametrize("width", [390, 1280])
def test_figure_pages_pass_axe_with_every_disclosure_open(www: dict[str, str], browser: Any, width: int) -> None:
    for url in (www["figures"], www["many"], www["base"] + "forces/kent-police/"):
        page = _tab(browser, url, width, 844)
        page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
        page.add_script_tag(path=str(AXE))
        found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        page.close()
        serious = [f"{v['id']}: {v['help']}" for v in found if v["impact"] in ("serious", "critical")]
        assert serious == [], url
        assert overflow <= 0, url
