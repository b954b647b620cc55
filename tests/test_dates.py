from datetime import UTC, datetime

import pytest

from generator.model import Precision
from generator.reading.dates import (
    DateError,
    date_from_url,
    display_date,
    find_dates,
    iso_datetime,
    looks_like_date_line,
    machine_date,
    parse_date_line,
    parse_date_value,
    read_date_line,
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
    ("line", "expected"),
    [
        # numeric dates are day first, as in the UK (3 June, in BST); a first field over 12 is still the day
        ("03/06/2021 14:30", (utc(2021, 6, 3, 13, 30), Precision.MINUTE)),
        ("03/06/2021", (utc(2021, 6, 2, 23), Precision.DAY)),
        ("3/6/2021", (utc(2021, 6, 2, 23), Precision.DAY)),
        ("03.06.2021", (utc(2021, 6, 2, 23), Precision.DAY)),
        ("03-06-2021", (utc(2021, 6, 2, 23), Precision.DAY)),
        ("13/01/2021 09:00", (utc(2021, 1, 13, 9), Precision.MINUTE)),
        ("23/11/2020 11:09:00", (utc(2020, 11, 23, 11, 9), Precision.MINUTE)),
        # Single Online Home force sites: the time before the date, after a label
        ("Published: 09:45 20/11/2025", (utc(2025, 11, 20, 9, 45), Precision.MINUTE)),
        ("Published: 09:45 20/06/2025", (utc(2025, 6, 20, 8, 45), Precision.MINUTE)),
        ("Published: 20/11/2025 09:45", (utc(2025, 11, 20, 9, 45), Precision.MINUTE)),
        ("Published: 20 November 2025", (utc(2025, 11, 20), Precision.DAY)),
        ("Published 09:45 20 November 2025", (utc(2025, 11, 20, 9, 45), Precision.MINUTE)),
        ("Published on 3 June 2021", (utc(2021, 6, 2, 23), Precision.DAY)),
        ("POSTED: 14:02 3 June 2021", (utc(2021, 6, 3, 13, 2), Precision.MINUTE)),
        ("Updated: 3 June 2021 14:02", (utc(2021, 6, 3, 13, 2), Precision.MINUTE)),
        ("Date: 3 June 2021", (utc(2021, 6, 2, 23), Precision.DAY)),
        ("Published: 14:02 · 5 March 2024", (utc(2024, 3, 5, 14, 2), Precision.MINUTE)),
        ("Last updated 5 March 2024", (utc(2024, 3, 5), Precision.DAY)),
        ("Date published: 5 March 2024", (utc(2024, 3, 5), Precision.DAY)),
        ("Published Date: 25 September 2015", (utc(2015, 9, 24, 23), Precision.DAY)),
        ("Date - 17th December 2021", (utc(2021, 12, 17), Precision.DAY)),
        ("Published: Wednesday, Jan 23rd, 2019", (utc(2019, 1, 23), Precision.DAY)),
        # weekdays, ordinals, and times after or before the date
        ("Monday 27 February 2023", (utc(2023, 2, 27), Precision.DAY)),
        ("Monday, 27 February 2023", (utc(2023, 2, 27), Precision.DAY)),
        ("28th February 2023", (utc(2023, 2, 28), Precision.DAY)),
        ("Tuesday the 28th of February 2023", (utc(2023, 2, 28), Precision.DAY)),
        ("28 Feb 2023 10:15", (utc(2023, 2, 28, 10, 15), Precision.MINUTE)),
        ("28 February 2023 at 10:15am", (utc(2023, 2, 28, 10, 15), Precision.MINUTE)),
        ("10:15 28 February 2023", (utc(2023, 2, 28, 10, 15), Precision.MINUTE)),
        ("10:15 on Tuesday 28 February 2023", (utc(2023, 2, 28, 10, 15), Precision.MINUTE)),
        ("February 28th, 2023", (utc(2023, 2, 28), Precision.DAY)),
        ("5 March 2024 | 14:02", (utc(2024, 3, 5, 14, 2), Precision.MINUTE)),
        ("Tuesday 5th March 2024, 2.15pm", (utc(2024, 3, 5, 14, 15), Precision.MINUTE)),
        ("5 June 2024 14.02", (utc(2024, 6, 5, 13, 2), Precision.MINUTE)),
        ("5 June 2024 2:15 pm", (utc(2024, 6, 5, 13, 15), Precision.MINUTE)),
        ("5 June 2024, 7 a.m.", (utc(2024, 6, 5, 6), Precision.MINUTE)),
        ("5 March 2024 at noon", (utc(2024, 3, 5, 12), Precision.MINUTE)),
        ("12 midday on 5 June 2024", (utc(2024, 6, 5, 11), Precision.MINUTE)),
        ("17:35hrs 5 March 2024", (utc(2024, 3, 5, 17, 35), Precision.MINUTE)),
        ("10:15 (BST) 3 June 2021", (utc(2021, 6, 3, 9, 15), Precision.MINUTE)),
        # Markdown emphasis around the line or its label, and a closing full stop
        ("**Published:** 09:45 20/11/2025", (utc(2025, 11, 20, 9, 45), Precision.MINUTE)),
        ("*3 June 2021.*", (utc(2021, 6, 2, 23), Precision.DAY)),
    ],
)
def test_dates_as_uk_press_rooms_print_them(line: str, expected: tuple[datetime, Precision]) -> None:
    assert looks_like_date_line(line)
    assert read_date_line(line) == (*expected, ())


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("Feb 30, 2021 07:00 GMT", "impossible date"),
        ("Fob 24, 2021", "unknown month 'Fob'"),
        ("Febtember 3, 2021", "unknown month 'Febtember'"),
        ("Feb 24, 2021 25:00 GMT", "impossible time"),
        ("Feb 24, 2021 07:00 XYZ", "unknown time zone 'XYZ'"),
        ("Feb 24, 2021 07:00 +25:00", "impossible time zone"),
        ("32/01/2021", "impossible date"),
        ("06/13/2021", "impossible month 13"),
        ("Published: 25:99 20/11/2025", "impossible time"),
        ("13:00pm 5 March 2024", "impossible time"),
        ("Monday 31 February 2023", "impossible date"),
        ("Wedensday 1 March 2023", "unknown weekday 'Wedensday'"),
    ],
)
def test_lines_shaped_like_dates_that_are_not_are_errors_naming_the_line(line: str, says: str) -> None:
    assert looks_like_date_line(line)
    with pytest.raises(DateError) as error:
        read_date_line(line)
    assert says in str(error.value) and repr(line) in str(error.value)


@pytest.mark.parametrize(
    "line",
    [
        "On 12 March 2021, officers arrested",
        "28 February 2023 was the day officers made the arrests",
        "Published: 3 June 2021, the report says more",
        "Updated 5 March 2024: a man has been charged",
        "10:15 on the M25",
        "03/06/21",  # a two-digit year is not guessed at
        "Published: 3/6/21 14:30",
        "03/06-2021",
        "**Officers in Kent**",
        "March 2021 saw",
        "",
    ],
)
def test_body_text_is_not_a_date_line(line: str) -> None:
    assert not looks_like_date_line(line)


@pytest.mark.parametrize(
    ("line", "moment", "clocks"),
    [
        ("Jul 4, 2022 09:00 GMT", utc(2022, 7, 4, 9), "BST"),  # 10:00 on UK clocks
        ("Jan 5, 2021 09:00 BST", utc(2021, 1, 5, 8), "GMT"),
        ("Mar 28, 2021 01:30 GMT", utc(2021, 3, 28, 1, 30), "BST"),  # half an hour after the clocks went forward
    ],
)
def test_a_zone_that_contradicts_the_date_is_read_as_written_with_a_caution(
    line: str, moment: datetime, clocks: str
) -> None:
    found = read_date_line(line)
    assert (found.moment, found.precision) == (moment, Precision.MINUTE)
    (caution,) = found.cautions
    assert repr(line) in caution and f"UK clocks were on {clocks}" in caution and f"write {clocks}" in caution


@pytest.mark.parametrize(
    "line", ["Mar 28, 2021 00:59 GMT", "Mar 28, 2021 02:00 BST", "Oct 31, 2021 01:00 GMT", "Jul 4, 2022 09:00 UTC"]
)
def test_zones_right_on_the_night_the_clocks_change_need_no_caution(line: str) -> None:
    assert read_date_line(line).cautions == ()


def test_a_wrong_weekday_is_a_caution_and_the_date_is_used() -> None:
    found = read_date_line("Monday 28 February 2023")
    assert (found.moment, found.precision) == (utc(2023, 2, 28), Precision.DAY)
    (caution,) = found.cautions
    assert "was a Tuesday" in caution


def test_dates_in_running_text_labelled_ones_first() -> None:
    text = "Officers were called at 9.30pm on 18 November 2025. Last updated 21/11/2025 Published: 09:45 20/11/2025"
    assert find_dates(text) == ["Published: 09:45 20/11/2025", "Last updated 21/11/2025", "9.30pm on 18 November 2025"]
    assert find_dates("Feb 24, 2021 07:00 by the press office") == ["Feb 24, 2021 07:00"]


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
        # a month segment with its year, or its other form, attached
        ("https://example.org/news/2024/march-2024/synthetic", (utc(2024, 3, 1), Precision.MONTH)),
        ("https://example.org/news/2024/2024-03/synthetic", (utc(2024, 3, 1), Precision.MONTH)),
        ("https://example.org/news/2019/05-may/synthetic", (utc(2019, 4, 30, 23), Precision.MONTH)),
        ("https://example.org/news/2019/may-05/synthetic", (utc(2019, 4, 30, 23), Precision.MONTH)),
        ("https://example.org/news/2019/05-may/28/synthetic", (utc(2019, 5, 27, 23), Precision.DAY)),
        ("https://example.org/news/2023/02/28/synthetic", (utc(2023, 2, 28), Precision.DAY)),
        ("https://example.org/archive/2019/2020/05/synthetic", (utc(2020, 4, 30, 23), Precision.MONTH)),
    ],
)
def test_dates_in_source_urls(url: str, expected: tuple[datetime, Precision]) -> None:
    assert date_from_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/news/synthetic-421863",
        "https://example.org/2021/13/x",
        "https://example.org/3021/06/x",
        "https://example.org/2019/march-05/x",  # March, or 5 May: not clearly one month
        "https://example.org/2024/march-2023/x",
        "https://example.org/2021/may-day/x",
    ],
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
