"""The figures extractor on text nobody here wrote: the blind development sets' scores, and the
families of phrasing the issue names, in sentences written for these tests (synthetic: invented
people and places). The held-out test halves are scored by `benchmarks/figures.py`, not here."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.figures import DATA, score
from generator.reading.body import render_markdown
from generator.reading.content import read_article
from generator.reading.figures import body_text, extract
from generator.reading.forces import Registry


def read(text: str) -> list[tuple[str, float]]:
    """The figures of `text` read as a release's body is (Markdown, HTML, text)."""
    return [(figure.kind, figure.value) for figure in extract(body_text(render_markdown(text)))]


@pytest.mark.parametrize(
    "name", ["figures_labelled.yaml", "figures_eval_dev.yaml", "figures_eval2_dev.yaml", "figures_eval3_dev.yaml"]
)
def test_precision_and_recall_where_the_extractor_was_tuned(name: str) -> None:
    result = score(DATA / name)
    assert result.precision() >= 0.97
    assert result.recall() >= 0.90


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Other verbs for the same fact.
        ("Nine men were detained in the early hours at a flat in Lowmarsh.", [("arrests", 9)]),
        ("Police took 17 people into custody during the operation.", [("arrests", 17)]),
        ("Eight young people were given protection after officers found them at a trap house.", [("safeguarded", 8)]),
        ("Over the week, 26 deal lines were dismantled and a further 4 intercepted.", [("lines_closed", 26)]),
        ("Officers disrupted 12 county lines during the week.", [("lines_closed", 12)]),
        ("Eleven people have faced charges since the investigation began.", [("people_charged", 11)]),
        # A number as a word at a sentence's start, two facts, and never the ages.
        (
            "Three women, aged 19, 22 and 31, have been arrested and charged with supplying heroin.",
            [("arrests", 3), ("people_charged", 3)],
        ),
        # Several drugs, each with its weight and value in brackets.
        (
            "Officers found 250 grams of crack cocaine (valued at £25,000) and 1.1kg of heroin (worth £90,000).",
            [("drugs_kg", 0.25), ("drugs_value", 25000), ("drugs_kg", 1.1), ("drugs_value", 90000)],
        ),
        # A drug's value is never cash; cash is cash when the sentence says so.
        ("Cocaine valued at £60,000 was found in a holdall.", [("drugs_value", 60000)]),
        ("Officers also seized £4,250 in cash and cannabis worth £800.", [("cash_seized", 4250), ("drugs_value", 800)]),
        # A total and its breakdown.
        ("Five weapons, among them three knives, were recovered from the car.", [("weapons_seized", 5)]),
        ("Seven people, four of them children, were safeguarded.", [("safeguarded", 7)]),
        (
            "During the week 47 people were arrested, 26 of whom have been charged.",
            [("arrests", 47), ("people_charged", 26)],
        ),
        # Warrants executed.
        ("Officers executed 31 warrants across the county.", [("warrants", 31)]),
        ("Misuse of Drugs Act warrants were executed at 14 addresses.", [("warrants", 14)]),
        ("Officers executed 15 warrants at 12 addresses.", [("warrants", 15)]),
        # Results given as a table, and as labelled lines.
        (
            "| Result | Total |\n| --- | --- |\n| Arrests | 71 |\n| Cash | £18,405.60 |\n| Warrants executed | 22 |\n"
            "| Stop searches | 140 |\n| Officers deployed | 300 |",
            [("arrests", 71), ("cash_seized", 18405.6), ("warrants", 22)],
        ),
        (
            "| Area | Arrests | Warrants |\n| --- | --- | --- |\n| North | 24 | 7 |\n| South | 18 | 5 |\n"
            "| Total | 42 | 12 |",
            [("arrests", 42), ("warrants", 12)],
        ),
        (
            "| Drug | Weight | Street value |\n| --- | --- | --- |\n| Cocaine | 1.2kg | £96,000 |\n| Heroin | 450g | £22,500 |",
            [("drugs_kg", 1.2), ("drugs_value", 96000), ("drugs_kg", 0.45), ("drugs_value", 22500)],
        ),
        ("- Arrests: 38\n- Vehicles seized: 6\n- Deal lines closed – 9", [("arrests", 38), ("lines_closed", 9)]),
    ],
)
def test_phrasings_of_the_families_the_archive_meets(text: str, expected: list[tuple[str, float]]) -> None:
    assert read(text) == [(kind, pytest.approx(value)) for kind, value in expected]


@pytest.mark.parametrize(
    "text",
    [
        "Officers from 14 forces and 30 partner agencies took part in the week of action.",
        "Arrests rose by 40 per cent compared with 2022.",
        "A 16-year-old boy was arrested at 5.30am on 12 March and later released on bail until 9 April.",
        "Anyone with information should call 101, quoting reference 0412 of 23 June.",
        "Operation 2714 ran for two weeks across 3 districts.",
        "He was arrested under section 23 of the Misuse of Drugs Act.",
        "Officers seized 14 mobile phones, 3 cars and 250 cannabis plants.",
        "A number of warrants were executed at addresses in the town.",
    ],
)
def test_numbers_that_count_nothing_of_a_kind_are_left_alone(text: str) -> None:
    assert read(text) == []


def test_a_tables_figures_point_at_their_numbers_in_the_body_text(tmp_path: Path, registry: Registry) -> None:
    body = "Results of the week:\n\n| Result | Total |\n| --- | --- |\n| Warrants executed | 22 |\n| Arrests | 71 |\n"
    path = tmp_path / "week.md"
    path.write_text(f"---\ntitle: Synthetic week of action\ndate: 2024-03-01\n---\n\n{body}", encoding="utf-8")
    parsed = read_article(path, path.read_bytes(), registry)
    text = body_text(parsed.body_html)
    figures = {figure.kind: figure for figure in parsed.article.figures}
    assert set(figures) == {"warrants", "arrests"}
    for figure in figures.values():
        assert figure.span is not None
        start, end = figure.span
        assert text[start:end] == str(int(figure.value))
        assert "|" in figure.sentence
