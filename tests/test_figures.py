"""County-lines figures: the extractor (on the seed and generated text full of dates and phone
numbers; the labelled sets are scored in test_figure_extraction.py), figures entered by hand, the figures page and
force pages (parsed, their totals checked against the releases), and the open data."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.commands.build import BuildOptions, build
from generator.errors import BuildError, ContentError
from generator.output.figure_views import key_figures
from generator.output.kinds import KINDS as PAGE_KINDS
from generator.output.opendata import COLUMNS, schema_text
from generator.reading.content import read_article
from generator.reading.figures import KINDS, body_text, extract
from generator.reading.forces import Registry

from . import corpus
from .conftest import ROOT, SEED
from .crawl import release_pages

BASE = "https://example.org/"


def found(text: str) -> list[tuple[str, float]]:
    return [(figure.kind, figure.value) for figure in extract(text)]


# -- the extractor -------------------------------------------------------------------------------


def test_the_seed_release_gives_its_figures(registry: Registry) -> None:
    parsed = read_article(SEED, SEED.read_bytes(), registry)
    figures = parsed.article.figures
    got = {(figure.kind, figure.value) for figure in figures}
    assert {
        ("people_charged", 587),
        ("offences_charged", 1135),
        ("people_charged", 20),
        ("offences_charged", 37),
        ("safeguarded", 154),
        ("lines_closed", 324),
        ("people_sentenced", 92),
        ("sentence_years", 401),
        ("people_sentenced", 13),
        ("sentence_years", 37),
        ("drugs_kg", 2000),
    } <= got
    # "Between 1 November 2019 and 31 January 2021", "Over the past 18 months", "20 other forces"
    assert not {value for _, value in got} & {1, 31, 2019, 2021, 18, 7}
    text = body_text(parsed.body_html)
    for figure in figures:
        assert figure.span is not None
        quoted = text[figure.span[0] : figure.span[1]]
        assert quoted in figure.sentence and figure.sentence in " ".join(text.split())
    cocaine = next(figure for figure in figures if figure.kind == "drugs_kg")
    assert (cocaine.qualifier, text[cocaine.span[0] : cocaine.span[1]]) == ("more than", "more than two tonnes")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Police charged 1,135 people.", [("people_charged", 1135)]),
        ("More than 1,000 people were arrested.", [("arrests", 1000)]),
        ("Officers seized two tonnes of cannabis.", [("drugs_kg", 2000)]),
        ("Officers seized £1.2m in cash.", [("cash_seized", 1_200_000)]),
        ("Cash totalling £250k was seized.", [("cash_seized", 250_000)]),
        ("The men were sentenced to 401 years' imprisonment.", [("sentence_years", 401)]),
        ("20 people have been charged with 37 offences.", [("people_charged", 20), ("offences_charged", 37)]),
        ("Ninety-nine people were arrested.", [("arrests", 99)]),
        ("A hundred vulnerable people were safeguarded.", [("safeguarded", 100)]),
        ("Officers made forty seven arrests.", [("arrests", 47)]),
        ("Eleven weapons were seized.", [("weapons_seized", 11)]),
        ("He was jailed for six years and six months.", [("sentence_years", 6.5)]),
        ("500 men and 86 women were arrested.", [("arrests", 586)]),
        ("Officers arrested 15 men and one woman, as well as three boys.", [("arrests", 19)]),
    ],
)
def test_phrasings(text: str, expected: list[tuple[str, float]]) -> None:
    assert found(text) == expected


def test_absurd_numbers_are_not_figures() -> None:
    """A run of digits is noise, and a sum of such would be infinite, which JSON cannot hold."""
    assert found("Police seized £" + "9" * 500 + " in cash and " + "9" * 400 + " people were arrested.") == []


def test_a_range_is_kept_whole() -> None:
    (figure,) = extract("Between 40 and 50 people were arrested in the raids.")
    assert (figure.kind, figure.value, figure.high) == ("arrests", 40, 50)
    (figure,) = extract("Officers arrested 20-30 people.")
    assert (figure.value, figure.high) == (20, 30)


MONTHS = ["January", "February", "March", "June", "September", "December"]


@settings(max_examples=150, deadline=None)
@given(
    day=st.integers(1, 31),
    month=st.sampled_from(MONTHS),
    year=st.integers(1990, 2030),
    phone=st.sampled_from(["101", "999", "0800 555 111", "01234 567890", "07700 900123", "0300 123 4567"]),
    age=st.integers(14, 70),
    count=st.integers(2, 5000),
)
def test_dates_years_ages_and_phone_numbers_are_never_figures(
    day: int, month: str, year: int, phone: str, age: int, count: int
) -> None:
    text = (
        f"On {day} {month} {year}, officers arrested {count:,} people. Between {month} {year} and {month} {year + 1} "
        f"the line ran. A man, {age}, of Sampletown, and a {age}-year-old woman were charged on {month} {day}, {year}.\n"
        f"Anyone with information should call {phone} or quote reference {day}/{year % 100}.\n"
        f"Operation Example{day} began in {year} at {day % 12 + 1}.30pm."
    )
    assert found(text) == [("arrests", count)]


def test_one_reads_in_the_singular(registry: Registry) -> None:
    text = "---\ntitle: Synthetic singular\ndate: 2022-01-02\n---\n\nOne man was charged and one knife was seized.\n"
    article = read_article(Path("one.md"), text.encode(), registry).article
    assert [figure.text for quote in key_figures(article) for figure in quote.figures] == [
        "1 person charged",
        "1 weapon seized",
    ]


# -- figures entered by hand ---------------------------------------------------------------------

HAND = """---
title: Synthetic hand-entered figures
date: 2023-05-04
force: Kent Police
figures:
  arrests: 12
  cash_seized: 5000
  people_charged: null
---

**Synthetic test content.** Officers arrested 9 people and 3 people were charged.
"""


def test_front_matter_figures_override_add_and_remove(registry: Registry) -> None:
    article = read_article(Path("hand.md"), HAND.encode(), registry).article
    assert {(f.kind, f.value, f.by_hand) for f in article.figures} == {
        ("arrests", 12, True),
        ("cash_seized", 5000, True),
    }


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        ("  arests: 12", "unknown kind 'arests'"),
        ("  arrests: twelve", "must be a number"),
        ("  arrests: -3", "must be a number"),
        ("  arrests: .nan", "must be a number"),
        ("  arrests: 1.0e+300", "must be a number"),
    ],
)
def test_bad_front_matter_figures_name_the_file_and_line(registry: Registry, figures: str, message: str) -> None:
    text = HAND.replace("  arrests: 12\n  cash_seized: 5000\n  people_charged: null", figures)
    with pytest.raises(ContentError) as failure:
        read_article(Path("hand.md"), text.encode(), registry)
    assert (failure.value.diagnostic.path, failure.value.diagnostic.line) == (Path("hand.md"), 5)
    assert message in str(failure.value)


def test_hand_figures_are_marked_on_the_page(write_content: Callable, build_site: Callable) -> None:
    output, _ = build_site(write_content({"hand.md": HAND}))
    page = BeautifulSoup((output / "articles/hand/index.html").read_bytes(), "html5lib")
    panel = page.select_one("section.key-figures")
    assert panel.h2.get_text() == "Key figures"
    item = panel.li
    assert "(entered by hand)" in item.get_text()
    assert [s["data-kind"] for s in item.select("strong.figure")] == ["arrests", "cash_seized"]
    assert [s.get_text() for s in item.select("strong.figure")] == ["12 arrests", "£5,000 in cash seized"]
    assert item.blockquote is None


def test_a_bad_figures_entry_fails_the_build_and_keeps_the_site(write_content: Callable, build_site: Callable) -> None:
    content = write_content({"hand.md": HAND})
    output, _ = build_site(content)
    before = (output / "figures/index.html").read_bytes()
    (content / "hand.md").write_text(HAND.replace("arrests: 12", "arrests: lots"), encoding="utf-8")
    with pytest.raises(BuildError) as failure:
        build_site(content)
    assert any(d.path.name == "hand.md" and d.line == 5 for d in failure.value.diagnostics)
    assert (output / "figures/index.html").read_bytes() == before


def test_the_open_data_is_written_again_only_when_what_it_shows_changed(
    write_content: Callable, build_site: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[str] = []
    for kind in ("releases-json", "releases-csv"):
        record = PAGE_KINDS[kind]
        counted = dataclasses.replace(
            record, write=lambda page, *args, kind=kind, write=record.write: written.append(kind) or write(page, *args)
        )
        monkeypatch.setitem(PAGE_KINDS, kind, counted)
    summarised = HAND.replace("figures:", "summary: A synthetic summary.\nfigures:")  # not made from the body
    content = write_content({"hand.md": summarised})
    output, _ = build_site(content)
    assert sorted(written) == ["releases-csv", "releases-json"]
    written.clear()
    edited = summarised.replace("Synthetic test content.", "Synthetic test text.")
    (content / "hand.md").write_text(edited, encoding="utf-8")
    build_site(content)
    assert written == []  # the wording changed, not the figures
    (content / "hand.md").write_text(summarised.replace("arrests: 12", "arrests: 13"), encoding="utf-8")
    build_site(content)
    assert sorted(written) == ["releases-csv", "releases-json"]
    assert json.loads((output / "data/releases.json").read_text(encoding="utf-8"))["releases"][0]["arrests"] == 13


# -- the figures page, force pages and the open data -------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("figures")
    content = corpus.write(root / "content", corpus.corpus(120))
    (content / SEED.name).write_bytes(SEED.read_bytes())
    build(BuildOptions(content=content, output=root / "output", base_url=BASE, cache=root / "cache"))
    return root / "output"


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_bytes(), "html5lib")


def _number(text: str) -> float:
    """A value as a page shows it: `1,135`, `£5,000`, `3 kg`, `479 years 4 months`; not reported is 0."""
    text = text.replace("\xa0", " ")
    if "not reported" in text or not text.strip():
        return 0.0
    if parts := re.findall(r"([\d,]+) (year|month)", text):
        return sum(float(n.replace(",", "")) / (1 if unit == "year" else 12) for n, unit in parts)
    return float(text.replace(",", "").replace("£", "").removesuffix(" kg"))


def _table(table: BeautifulSoup) -> tuple[list[str], dict[str, list[str]], list[str] | None]:
    # a heading that shortens its kind's label gives it in full as its abbreviation's title
    headings = [th.abbr["title"] if th.abbr else th.get_text(" ", strip=True) for th in table.thead.find_all("th")]
    rows = {
        tr.th.get_text(strip=True): [td.get_text() for td in tr.find_all("td")] for tr in table.tbody.find_all("tr")
    }
    foot = [td.get_text() for td in table.tfoot.find_all("td")] if table.tfoot else None
    return headings, rows, foot


def _data(site: Path) -> dict:
    return json.loads((site / "data/releases.json").read_text(encoding="utf-8"))


def test_the_figures_page_totals_are_the_sums_of_the_releases(site: Path) -> None:
    releases = _data(site)["releases"]
    page = _soup(site / "figures/index.html")
    assert "as reported in releases" in page.select_one(".note").get_text()
    labels = {kind.label: kind.name for kind in KINDS}
    for caption in ("Figures per year", "Figures per force"):
        table = next(t for t in page.select("table.totals") if t.caption.get_text().startswith(caption))
        assert "as reported in releases" in table.caption.get_text()
        headings, rows, foot = _table(table)
        assert headings[1] == "Releases"
        kinds = [labels[heading.lower().removesuffix(" (kg)").removesuffix(" (£)")] for heading in headings[2:]]
        # every kind some release reports has a column, and no other
        assert set(kinds) == {name for name in labels.values() if any(r[name] for r in releases)}
        assert _number(foot[0]) == len(releases)
        for index, kind in enumerate(kinds, start=1):
            months = len(rows) / 24 if kind == "sentence_years" else 0  # each cell rounded to a month
            assert _number(foot[index]) == pytest.approx(sum(r[kind] or 0 for r in releases), abs=1 / 24)
            # undated releases have a row of their own: the rows add up to the whole
            assert sum(_number(row[index]) for row in rows.values()) == pytest.approx(
                sum(r[kind] or 0 for r in releases), abs=months + 1e-9
            )
        if caption.endswith("force"):
            for force, row in rows.items():
                mine = [r for r in releases if r["force"] == force]
                assert _number(row[0]) == len(mine)
                for index, kind in enumerate(kinds, start=1):
                    assert _number(row[index]) == pytest.approx(sum(r[kind] or 0 for r in mine), abs=1 / 24)


def test_each_release_panel_agrees_with_the_data(site: Path) -> None:
    by_slug = {release["slug"]: release for release in _data(site)["releases"]}
    panels = 0
    for slug, release in by_slug.items():
        page = _soup(site / f"articles/{slug}/index.html")
        shown: dict[str, list[float]] = {}
        for figure in page.select("section.key-figures strong.figure"):
            shown.setdefault(figure["data-kind"], []).append(float(figure.data["value"]))
        panels += bool(shown)
        assert {kind: max(values) for kind, values in shown.items()} == {
            kind.name: release[kind.name] for kind in KINDS if release[kind.name] is not None
        }
        for quote in page.select("section.key-figures blockquote"):
            assert " ".join(quote.get_text().split()) in " ".join(page.select_one(".release-body").get_text().split())
    assert panels > len(by_slug) / 2


def test_charts_are_inline_svg_with_a_description_and_a_table(site: Path) -> None:
    pages = [site / "figures/index.html"]
    pages += [p / "index.html" for p in (site / "forces").iterdir() if p.is_dir()]
    for path in pages:
        page = _soup(path)
        charts = page.select("figure.chart")
        assert charts, path
        for chart in charts:
            svg = chart.svg
            assert svg["role"] == "img"
            names = [page.find(id=ref) for ref in svg["aria-labelledby"].split()]
            assert names[0].name == "figcaption" and names[1].name == "desc"
            assert names[1].get_text().startswith(names[0].get_text())
            bars = svg.select("rect.chart-bar")
            table = chart.select_one(".chart-data table")
            rows = [(tr.th.get_text(), tr.td.get_text()) for tr in table.tbody.find_all("tr")]
            assert len(rows) == len(bars) > 0
            assert [t.get_text() for t in svg.select("text.chart-value")] == [
                value.replace("—", "") for _, value in rows
            ]
            widths = [float(bar["width"]) for bar in bars]
            values = [_number(value) for _, value in rows]
            longest = max(values)
            for width, value in zip(widths, values, strict=True):
                assert width == pytest.approx(max(widths) * value / longest, abs=0.2)


def test_a_force_page_shows_its_own_figures(site: Path) -> None:
    releases = _data(site)["releases"]
    force = "Metropolitan Police"
    page = _soup(site / "forces/metropolitan-police/index.html")
    section = page.select_one("section.force-figures")
    assert "as reported in releases" in section.h2.get_text()
    headings, rows, foot = _table(section.select_one("table.totals"))
    mine = [r for r in releases if r["force"] == force]
    assert _number(foot[0]) == len(mine)
    charged = headings.index("people charged") - 1
    assert _number(foot[charged]) == sum(r["people_charged"] or 0 for r in mine)
    assert _number(rows["2021"][charged]) >= 587


def test_the_json_follows_its_schema_and_the_csv_matches_it(site: Path) -> None:
    document = _data(site)
    schema = json.loads(schema_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)
    assert (site / "data/releases.schema.json").read_text(encoding="utf-8") == schema_text()
    releases = document["releases"]
    assert len(releases) == len(release_pages(site))
    seed = next(r for r in releases if r["slug"] == "more-than-1000-charges-secured-for-county-lines-offending")
    assert seed["url"] == f"{BASE}articles/{seed['slug']}/"
    assert (seed["force"], seed["area"], seed["date"]) == (
        "Metropolitan Police",
        "Metropolitan",
        "2021-02-24T07:00:00+00:00",
    )
    assert (seed["people_charged"], seed["offences_charged"], seed["lines_closed"]) == (587, 1135, 324)
    rows = list(csv.DictReader(io.StringIO((site / "data/releases.csv").read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == len(releases)
    for row, release in zip(rows, releases, strict=True):
        for column in COLUMNS:
            value = release[column]
            assert row[column] == ("" if value is None else str(value)), column


def test_the_schema_rejects_what_it_should(site: Path) -> None:
    document = _data(site)
    validator = jsonschema.Draft202012Validator(json.loads(schema_text()))
    broken = json.loads(json.dumps(document))
    broken["releases"][0]["arrests"] = -1
    assert not validator.is_valid(broken)
    del broken["releases"][0]["arrests"]
    assert not validator.is_valid(broken)


def test_the_readme_documents_every_column() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Open data", 1)[1].split("\n## ", 1)[0]
    assert all(f"`{column}`" in section for column in COLUMNS)
