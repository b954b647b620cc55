from datetime import UTC, datetime

import pytest

from generator.model import Precision
from generator.reading.dates import (
    DateError,
    date_from_url,
    display_date,
    iso_datetime,
    looks_like_date_line,
    machine_date,
    parse_date_line,
    parse_date_value,
)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_gmt_date_line_is_utc() -> None:
    assert parse_date_line("Feb 24, 2021 07:00 GMT") == (utc(2021, 2, 24, 7, 0), Precision.MINUTE)


def test_bst_date_line_is_utc_plus_one() -> None:
    assert parse_date_line("Jun 3, 2021 14:30 BST") == (utc(2021, 6, 3, 13, 30), Precision.MINUTE)


def test_date_line_without_time_has_day_precision() -> None:
    assert parse_date_line("Jan 29, 2019") == (utc(2019, 1, 29), Precision.DAY)


def test_date_line_without_zone_is_uk_local_time() -> None:
    assert parse_date_line("July 4, 2022 09:00")[0] == utc(2022, 7, 4, 8, 0)
    assert parse_date_line("December 4, 2022 09:00")[0] == utc(2022, 12, 4, 9, 0)


@pytest.mark.parametrize(
    "line",
    [
        "24 February 2021 07:00 GMT",
        "Wednesday, 24 February 2021 07:00 GMT",
        "24th Feb 2021, 7:00am GMT",
        "Feb. 24, 2021 07.00 GMT",
        "*Feb 24, 2021 07:00 GMT*",
    ],
)
def test_other_common_date_line_shapes(line: str) -> None:
    assert parse_date_line(line)[0] == utc(2021, 2, 24, 7, 0)


@pytest.mark.parametrize(
    "line", ["Feb 30, 2021 07:00 GMT", "Fob 24, 2021", "Feb 24, 2021 25:00 GMT", "Feb 24, 2021 07:00 XYZ"]
)
def test_impossible_date_lines_are_errors(line: str) -> None:
    assert looks_like_date_line(line)
    with pytest.raises(DateError):
        parse_date_line(line)


@pytest.mark.parametrize("line", ["On 12 March 2021, officers arrested", "**Officers in Kent**", "March 2021 saw", ""])
def test_body_text_is_not_a_date_line(line: str) -> None:
    assert not looks_like_date_line(line)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-02-24T07:00:00Z", (utc(2021, 2, 24, 7), Precision.MINUTE)),
        ("2021-06-01T09:00:00+01:00", (utc(2021, 6, 1, 8), Precision.MINUTE)),
        ("2021-06-01 09:00", (utc(2021, 6, 1, 8), Precision.MINUTE)),
        ("2021-02-24", (utc(2021, 2, 24), Precision.DAY)),
        ("2001-12-14 21:59:43.10 -5", (datetime(2001, 12, 15, 2, 59, 43, 100000, tzinfo=UTC), Precision.MINUTE)),
        ("2021-02-24 07:00:00 +0000", (utc(2021, 2, 24, 7), Precision.MINUTE)),
        ("2021-06", (utc(2021, 5, 31, 23), Precision.MONTH)),
        ("Feb 24, 2021 07:00 GMT", (utc(2021, 2, 24, 7), Precision.MINUTE)),
    ],
)
def test_front_matter_dates(value: str, expected: tuple[datetime, Precision]) -> None:
    assert parse_date_value(value) == expected


@pytest.mark.parametrize("value", ["2021-02-30", "yesterday", "2021-13", 2021, "", ["2021-01-01"]])
def test_unparseable_front_matter_dates_are_errors(value: object) -> None:
    with pytest.raises(DateError):
        parse_date_value(value)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.kent.police.uk/news/2021/06/synthetic-story/", (utc(2021, 5, 31, 23), Precision.MONTH)),
        ("https://example.org/news/2021/june/synthetic-story", (utc(2021, 5, 31, 23), Precision.MONTH)),
        ("https://example.org/2020/1/15/synthetic", (utc(2020, 1, 15), Precision.DAY)),
        ("https://example.org/2021/06/421863", (utc(2021, 5, 31, 23), Precision.MONTH)),
    ],
)
def test_dates_in_source_urls(url: str, expected: tuple[datetime, Precision]) -> None:
    assert date_from_url(url) == expected


@pytest.mark.parametrize(
    "url",
    ["https://example.org/news/synthetic-421863", "https://example.org/2021/13/x", "https://example.org/3021/06/x"],
)
def test_urls_without_dates(url: str) -> None:
    assert date_from_url(url) is None


def test_display_is_only_as_precise_as_the_source() -> None:
    moment = utc(2021, 6, 3, 13, 30)
    assert display_date(moment, Precision.MINUTE) == "3 June 2021, 14:30 BST"
    assert display_date(moment, Precision.DAY) == "3 June 2021"
    assert display_date(moment, Precision.MONTH) == "June 2021"
    assert display_date(None, None) == "Undated"
    assert machine_date(moment, Precision.MONTH) == "2021-06"
    assert machine_date(moment, Precision.DAY) == "2021-06-03"
    assert machine_date(moment, Precision.MINUTE) == "2021-06-03T14:30:00+01:00"
    assert iso_datetime(utc(2021, 2, 24, 7)) == "2021-02-24T07:00:00+00:00"
