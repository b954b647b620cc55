"""Date lines in release files, and visible dates on saved pages, as UK press rooms print them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator.commands.importer import render
from generator.errors import ContentError, Diagnostic
from generator.model import Parsed, Precision
from generator.reading.content import read_article
from generator.reading.forces import Registry
from generator.reading.saved_page import read_page, visible_date

from . import synthetic

PATH = Path("release.txt")
DATE_LINE_AT = 14  # the line `synthetic.scraped` puts the date line on, after its front matter


def release(date_line: str | None, registry: Registry, **fields: str | None) -> Parsed:
    return read_article(PATH, synthetic.scraped(date_line=date_line, **fields).encode(), registry)


def test_the_date_line_is_where_the_tests_say(registry: Registry) -> None:
    lines = synthetic.scraped(date_line="Synthetic date line").split("\n")
    assert lines.index("Synthetic date line") + 1 == DATE_LINE_AT


@pytest.mark.parametrize(
    ("line", "moment", "precision"),
    [
        ("03/06/2021 14:30", datetime(2021, 6, 3, 13, 30, tzinfo=UTC), Precision.MINUTE),
        ("03/02/2021 14:30", datetime(2021, 2, 3, 14, 30, tzinfo=UTC), Precision.MINUTE),
        ("Published: 09:45 20/11/2025", datetime(2025, 11, 20, 9, 45, tzinfo=UTC), Precision.MINUTE),
        ("**Published:** 20 June 2025", datetime(2025, 6, 19, 23, tzinfo=UTC), Precision.DAY),
        ("Tuesday 5th March 2024, 2.15pm", datetime(2024, 3, 5, 14, 15, tzinfo=UTC), Precision.MINUTE),
    ],
)
def test_a_date_line_in_any_form_dates_the_release_and_leaves_the_body(
    line: str, moment: datetime, precision: Precision, registry: Registry
) -> None:
    parsed = release(line, registry)
    assert (parsed.article.published, parsed.article.precision) == (moment, precision)
    assert parsed.warnings == ()
    assert parsed.body_html.startswith("<p><strong>SYNTHETIC TEST CONTENT")


@pytest.mark.parametrize(
    ("line", "moment"),
    [
        ("Jul 4, 2022 09:00 GMT", datetime(2022, 7, 4, 9, tzinfo=UTC)),
        ("Jan 5, 2021 09:00 BST", datetime(2021, 1, 5, 8, tzinfo=UTC)),
    ],
)
def test_a_zone_against_the_date_is_a_warning_at_the_date_line(line: str, moment: datetime, registry: Registry) -> None:
    parsed = release(line, registry)
    assert parsed.article.published == moment  # the offset as written
    (warning,) = parsed.warnings
    assert (warning.path, warning.line, warning.severity) == (PATH, DATE_LINE_AT, "warning")
    assert repr(line) in warning.message and "UK clocks were on" in warning.message


def test_a_date_line_the_front_matter_overrides_gives_no_warning(registry: Registry) -> None:
    parsed = release("Jul 4, 2022 09:00 GMT", registry, extra_yaml="date: 2022-07-04")
    assert (parsed.article.published, parsed.warnings) == (datetime(2022, 7, 3, 23, tzinfo=UTC), ())


def test_a_wrong_weekday_is_a_warning_at_the_date_line(registry: Registry) -> None:
    parsed = release("Monday 28 February 2023", registry)
    assert parsed.article.published == datetime(2023, 2, 28, tzinfo=UTC)
    assert [(w.line, "was a Tuesday" in w.message) for w in parsed.warnings] == [(DATE_LINE_AT, True)]


@pytest.mark.parametrize(
    "line",
    ["32/01/2021", "06/13/2021 10:00", "Published: 25:99 20/11/2025", "Febtember 3, 2021", "Monday 31 February 2023"],
)
def test_a_line_shaped_like_a_date_that_is_not_is_an_error_at_its_line(line: str, registry: Registry) -> None:
    with pytest.raises(ContentError) as caught:
        release(line, registry)
    problem = caught.value.diagnostic
    assert (problem.path, problem.line, problem.severity) == (PATH, DATE_LINE_AT, "error")
    assert repr(line) in problem.message


@pytest.mark.parametrize(
    "sentence",
    [
        "28 February 2023 was the day officers made the synthetic arrests.",
        "03/06/21 was the date of the synthetic warrant.",
        "Published: 3 June 2021, the synthetic report says more.",
    ],
)
def test_a_sentence_that_starts_with_a_date_stays_in_the_body(sentence: str, registry: Registry) -> None:
    parsed = release(None, registry, url=None, description=None, body=f"{sentence}\n\nA second paragraph.")
    assert parsed.article.summary == sentence
    assert parsed.warnings == (
        Diagnostic(
            PATH, 1, "no date in the front matter, the date line or the source URL; shown as undated", "warning"
        ),
    )


def test_a_release_dated_by_its_url_month_segment(registry: Registry) -> None:
    parsed = release(None, registry, url="https://example.org/news/2024/march-2024/synthetic-release")
    assert (parsed.article.published, parsed.article.precision) == (datetime(2024, 3, 1, tzinfo=UTC), Precision.MONTH)


def test_visible_dates_prefer_the_labelled_publication_date() -> None:
    text = "Officers were called at 9.30pm on 18 November 2025. Published: 09:45 20/11/2025"
    assert visible_date(text) == (datetime(2025, 11, 20, 9, 45, tzinfo=UTC), Precision.MINUTE)


def test_the_importer_reads_a_single_online_home_date(registry: Registry) -> None:
    page = read_page(
        b"<html><head><title>Synthetic warrant in Marshbury - Kent Police</title></head><body><article>"
        b"<h1>Synthetic warrant in Marshbury</h1><p>Published: 09:45 20/06/2025</p>"
        b"<p>Officers executed a synthetic warrant at 6am on 18 June 2025.</p>"
        b"<p>A second synthetic paragraph.</p></article></body></html>",
        registry,
    )
    assert (page.published, page.precision) == (datetime(2025, 6, 20, 8, 45, tzinfo=UTC), Precision.MINUTE)
    assert page.body.startswith("Officers executed")
    parsed = read_article(Path("imported.txt"), render(page).encode(), registry)
    assert (parsed.article.published, parsed.warnings) == (page.published, ())
