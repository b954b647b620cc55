"""Dates as UK press offices write them, and as pages show them.

Every date is kept as an aware UTC datetime plus a `Precision`, because
releases give anything from a minute ("Feb 24, 2021 07:00 GMT") to a month
(a URL path such as `/2021/june/`), and a page must not claim more than it knows.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import NamedTuple
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from generator.model import Precision

UK = ZoneInfo("Europe/London")
# The years a date may name. The calendar's own edges (year 1, year 9999) overflow as soon as a
# time zone moves them, and such a year is a typo in any release; a date past today is held
# back until it falls due, so the last year is generous.
FIRST_YEAR, LAST_YEAR = 1800, 2999

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed", "weds"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for name in names
}
_ZONES = {"GMT": UTC, "UTC": UTC, "Z": UTC, "BST": timezone(timedelta(hours=1))}


def _one_of(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


# A date line as UK press rooms print it: `Feb 24, 2021 07:00 GMT`, `Published: 09:45 20/11/2025`,
# `Tuesday 5th March 2024, 2.15pm`. Spaces are single (see `_words`).
_LABEL = (
    r"(?:(?P<label>(?:date )?(?:first |last )?(?:published|posted|updated|released|issued)(?: (?:date|on))?"
    r"|(?:release|publication) date|date)(?: ?[:\-–—] ?| ))?"
)
_BEFORE_DATE = r"(?: ?[,|·\-–—] ?| )(?:on )?"
_AFTER_DATE = r"(?: ?[,|·\-–—@] ?| )(?:at )?"
_WEEKDAY_PREFIXES = "mon|tue|wed|thu|fri|sat|sun"
_OFFSET = r"[+-]\d{2}:?\d{2}"


def _date_pattern(month: str, weekday: str, zone: str) -> str:
    """[label] [time] [weekday] date [time]: the date day first, month first or numeric (day/month/year),
    with one time at most. Each group's name ends in where it is (`_dmy`, `_after`): see `_fields`."""
    dates = (
        rf"(?:the )?(?P<day_dmy>\d{{1,2}})(?:st|nd|rd|th)?(?: of)? (?P<month_dmy>{month})\.?,? (?P<year_dmy>\d{{4}})"
        rf"|(?P<month_mdy>{month})\.? (?P<day_mdy>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<year_mdy>\d{{4}})"
        r"|(?P<day_num>\d{1,2})(?P<separator>[/.-])(?P<month_num>\d{1,2})(?P=separator)(?P<year_num>\d{4})"
    )
    before, after = _time_pattern("before", zone), _time_pattern("after", zone)
    return (
        rf"{_LABEL}(?P<before>{before}{_BEFORE_DATE})?(?:(?P<weekday>{weekday})\.?,? )?(?:{dates})"
        rf"(?(before)|(?:{_AFTER_DATE}{after})?)"
    )


def _time_pattern(side: str, zone: str) -> str:
    """`14:30`, `14.30`, `11:09:00`, `2.15pm`, `2 p.m.`, `17:35hrs`, `12 noon`, `midday`; then perhaps a
    zone (`GMT`, `(BST)`)."""
    return (
        rf"(?:(?=\d{{1,2}}(?:[:.]\d{{2}}| ?[ap]\.? ?m\b))"  # a bare number is not a time
        rf"(?P<hour_{side}>\d{{1,2}})(?:[:.](?P<minute_{side}>\d{{2}})(?::(?P<second_{side}>\d{{2}}))?)?"
        rf"(?: ?(?P<ampm_{side}>[ap]\.? ?m\b\.?))?(?: ?hrs?\b)?|(?:12 )?(?P<noon_{side}>noon|midday))"
        rf"(?: ?\(?(?P<zone_{side}>{zone})\)?)?"
    )


# The shape of a date line, with any word for a month, weekday or zone: a line of this shape that
# does not name a real moment is an error, never silently part of the body.
_DATE_LINE = re.compile(
    _date_pattern(
        month=r"[a-z]+",
        weekday=rf"(?:{_WEEKDAY_PREFIXES})[a-z]*",
        zone=rf"(?!(?:at|on|{_WEEKDAY_PREFIXES})[a-z]*\b)[a-z]{{1,5}}\b|{_OFFSET}",
    ),
    re.I | re.A,
)
# The same dates within running text (a saved page's), with only real names, so that the words
# after a date are not taken for its zone.
_DATE_IN_TEXT = re.compile(
    rf"(?<![\w/:.-]){_date_pattern(_one_of(_MONTHS), _one_of(_WEEKDAYS), f'GMT|BST|UTC|Z|{_OFFSET}')}(?![\w:/])",
    re.I | re.A,
)
_DECORATION = re.compile(r"[*_]|\\(?=[^\w\s])")  # Markdown emphasis and escapes
_ISO_MONTH = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# YAML 1.1 timestamps may end in an hours-only offset: `2001-12-14 21:59:43.10 -5`.
_SHORT_OFFSET = re.compile(r"(:\d\d(?:\.\d+)?)\s*([+-])(\d{1,2})$")
# `/2021/06/`, `/2021/june/`, `/2024/march-2024/`, `/2019/05-may/`, `/2023/02/28/`; a lookahead, to try every year.
_URL_DATE = re.compile(
    r"(?=/(?P<year>(?:19|20)\d{2})/(?P<month>[a-z0-9]+(?:[-_][a-z0-9]+)?)(?:/(?P<day>0?[1-9]|[12]\d|3[01]))?(?:/|$))"
)


class DateError(ValueError):
    """A date that is present but names no real moment."""


class DateLine(NamedTuple):
    """What a date line says, and what in it contradicts itself (a weekday, a zone): it is read as
    the date and offset it gives, but a person should look."""

    moment: datetime
    precision: Precision
    cautions: tuple[str, ...]


def looks_like_date_line(line: str) -> bool:
    return _match_date_line(line) is not None


def _words(text: str) -> str:
    """The text without Markdown decoration, its spaces single, without a closing full stop or comma."""
    return " ".join(_DECORATION.sub("", text).split()).rstrip(" .,;")


def _match_date_line(line: str) -> dict[str, str] | None:
    match = _DATE_LINE.fullmatch(_words(line))
    return _fields(match) if match else None


def _fields(match: re.Match[str]) -> dict[str, str]:
    """The groups that matched, by the name before their place: `day_dmy` and `day_num` are both `day`."""
    return {name.partition("_")[0]: value for name, value in match.groupdict().items() if value is not None}


def parse_date_line(line: str) -> tuple[datetime, Precision]:
    """`Feb 24, 2021 07:00 GMT`, `03/06/2021 14:30`, `Published: 09:45 20/11/2025`; no zone means UK time."""
    found = read_date_line(line)
    return found.moment, found.precision


def read_date_line(line: str) -> DateLine:
    """A date line with what it says against itself; numeric dates are day first, as in the UK."""
    fields = _match_date_line(line)
    shown = line.strip()
    if fields is None:
        raise DateError(f"not a date: {shown!r}")
    month, zone = _month(fields["month"], shown), _zone(fields.get("zone"), shown)
    hour, minute, second = _time_of(fields, shown)
    try:
        local = datetime(int(fields["year"]), month, int(fields["day"]), hour, minute, second)
    except ValueError as error:
        said = _impossible_day(f"{int(fields['year']):04d}-{month:02d}-{int(fields['day']):02d}") or str(error)
        raise DateError(f"impossible date {shown!r}: {said}") from None
    moment = _to_utc(local, zone)
    precision = Precision.MINUTE if "hour" in fields or "noon" in fields else Precision.DAY
    cautions = (
        _weekday_caution(fields.get("weekday"), local, shown),
        _zone_caution(fields.get("zone"), local, moment, shown),
    )
    return DateLine(moment, precision, tuple(filter(None, cautions)))


def find_dates(text: str) -> list[str]:
    """The dates in running text, those labelled as the publication date first: a page's
    `Published: 09:45 20/11/2025` is its own, while a date in its text may be an incident's."""
    found = sorted(
        _DATE_IN_TEXT.finditer(" ".join(text.split())), key=lambda match: (_label_rank(match["label"]), match.start())
    )
    return [match[0] for match in found]


def _label_rank(label: str | None) -> int:
    if label is None:
        return 2
    return 1 if "updated" in label.lower() else 0


def _month(text: str, line: str) -> int:
    if text.isdigit():
        if not 1 <= int(text) <= 12:
            raise DateError(f"impossible month {int(text)} in date {line!r}: a numeric date is day/month/year")
        return int(text)
    month = _MONTHS.get(text.lower())
    if month is None:
        raise DateError(f"unknown month {text!r} in date {line!r}")
    return month


def _time_of(fields: dict[str, str], line: str) -> tuple[int, int, int]:
    """Hour, minute and second (midnight when the line gives no time)."""
    if "noon" in fields:
        return 12, 0, 0
    hour, minute, second = (int(fields.get(name, 0)) for name in ("hour", "minute", "second"))
    if "ampm" in fields:
        if not 1 <= hour <= 12:
            raise DateError(f"impossible time in date {line!r}")
        hour = hour % 12 + (12 if fields["ampm"].lower().startswith("p") else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise DateError(f"impossible time in date {line!r}")
    return hour, minute, second


def _weekday_caution(name: str | None, local: datetime, line: str) -> str | None:
    if name is None:
        return None
    weekday = _WEEKDAYS.get(name.lower())
    if weekday is None:
        raise DateError(f"unknown weekday {name!r} in date {line!r}")
    if weekday == local.weekday():
        return None
    return f"{line!r} gives the wrong weekday: {local.day} {local:%B %Y} was a {local:%A}; the date is used"


def _zone_caution(name: str | None, local: datetime, moment: datetime, line: str) -> str | None:
    """GMT in summer or BST in winter. The zone is read as written: GMT means UTC, as it does in
    feeds and mail headers all year; but a person may have meant the time on UK clocks."""
    if name is None or name.upper() not in ("GMT", "BST"):
        return None
    uk = uk_time(moment)
    if uk.tzname() == name.upper():
        return None
    return (
        f"{line!r} says {name.upper()}, but UK clocks were on {uk.tzname()} then: read as {local:%H:%M} "
        f"{name.upper()} ({uk:%H:%M} {uk.tzname()}); if {local:%H:%M} was UK clock time, write {uk.tzname()}"
    )


def date_line(moment: datetime, precision: Precision) -> str:
    """`Feb 24, 2021 07:00 GMT` (BST in summer, by UK rules), or `Feb 24, 2021` when only the day is known."""
    local = uk_time(moment)
    if precision is Precision.MINUTE:
        return f"{local:%b} {local.day}, {local:%Y %H:%M} {local.tzname()}"
    return f"{local:%b} {local.day}, {local:%Y}"


def parse_date_value(value: object) -> tuple[datetime, Precision]:
    """A front-matter `date:`: ISO 8601 (`2021-02-24T07:00:00Z`, `2021-02-24`, `2021-06`) or a date line."""
    if not isinstance(value, str) or not value.strip():
        raise DateError(f"cannot parse date {value!r}: expected ISO 8601 such as 2021-02-24T07:00:00Z")
    text = value.strip()
    if month := _ISO_MONTH.fullmatch(text):
        return _month_start(int(month["year"]), int(month["month"]), text), Precision.MONTH
    try:
        parsed = datetime.fromisoformat(_SHORT_OFFSET.sub(lambda m: f"{m[1]}{m[2]}{int(m[3]):02d}:00", text))
    except ValueError:
        if looks_like_date_line(text):
            return parse_date_line(text)
        if impossible := _impossible_day(text):
            raise DateError(impossible) from None
        raise DateError(f"cannot parse date {text!r}: expected ISO 8601 such as 2021-02-24T07:00:00Z") from None
    precision = Precision.DAY if _ISO_DAY.fullmatch(text) else Precision.MINUTE
    return _to_utc(parsed.replace(tzinfo=None), parsed.tzinfo), precision


def _impossible_day(text: str) -> str | None:
    """What is wrong with an ISO 8601 day that is not on the calendar, in words: `2021-02-30` is
    "30 February 2021 does not exist (February 2021 has 28 days)"."""
    found = re.match(r"(\d{4})-(\d{2})-(\d{2})(?:$|[T ])", text)
    if found is None:
        return None
    year, month, day = map(int, found.groups())
    if not 1 <= month <= 12:
        return f"{text!r} names month {month}: a month is 01 to 12 (the form is year-month-day)"
    days = calendar.monthrange(year, month)[1]
    if 1 <= day <= days:
        return None  # the day is real: what is wrong is elsewhere
    name = calendar.month_name[month]
    return f"{day} {name} {year} does not exist ({name} {year} has {days} days)"


def date_from_url(url: str) -> tuple[datetime, Precision] | None:
    """The `/2021/06/`, `/2021/june/` or `/2024/march-2024/` that many press rooms put in their URLs."""
    for match in _URL_DATE.finditer(urlsplit(url).path.lower()):
        month = _url_month(match["month"], match["year"])
        if month is None:
            continue
        if match["day"]:
            try:
                return _to_utc(datetime(int(match["year"]), month, int(match["day"])), None), Precision.DAY
            except ValueError:
                pass
        return _month_start(int(match["year"]), month, url), Precision.MONTH
    return None


def _url_month(segment: str, year: str) -> int | None:
    """The month a path segment names: `06`, `june`, or one with its year or its other form
    attached (`march-2024`, `05-may`); None for anything else (`march-05`, `may-day`)."""
    months = set()
    for part in re.split(r"[-_]", segment):
        if part == year and part != segment:
            continue
        month = int(part) if part.isdigit() and len(part) <= 2 else _MONTHS.get(part)
        if month is None or not 1 <= month <= 12:
            return None
        months.add(month)
    return months.pop() if len(months) == 1 else None


def _zone(name: str | None, line: str) -> tzinfo | None:
    if name is None:
        return None
    if name.upper() in _ZONES:
        return _ZONES[name.upper()]
    if name[0] in "+-":
        digits = name[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:])
        if hours > 23 or minutes > 59:
            raise DateError(f"impossible time zone {name!r} in date {line!r}")
        offset = timedelta(hours=hours, minutes=minutes)
        return timezone(offset if name[0] == "+" else -offset)
    raise DateError(f"unknown time zone {name!r} in date {line!r} (expected GMT or BST)")


def _month_start(year: int, month: int, source: str) -> datetime:
    if not 1 <= month <= 12:
        raise DateError(f"impossible month in date {source!r}")
    return _to_utc(datetime(year, month, 1), None)


def _to_utc(local: datetime, zone: tzinfo | None) -> datetime:
    """Naive times are UK local time (GMT or BST as the date falls)."""
    if not FIRST_YEAR <= local.year <= LAST_YEAR:
        raise DateError(
            f"the year {local.year} is out of range: a release's date must fall between {FIRST_YEAR} and {LAST_YEAR}"
        )
    return local.replace(tzinfo=zone or UK).astimezone(UTC)


def uk_time(moment: datetime) -> datetime:
    return moment.astimezone(UK)


def display_date(moment: datetime | None, precision: Precision | None) -> str:
    """What a reader sees: `24 February 2021, 07:00 GMT`, `24 February 2021`, `June 2021` or `Undated`."""
    if moment is None or precision is None:
        return "Undated"
    local = uk_time(moment)
    if precision is Precision.MONTH:
        return f"{local:%B %Y}"
    if precision is Precision.DAY:
        return f"{local.day} {local:%B %Y}"
    return f"{local.day} {local:%B %Y, %H:%M} {local.tzname()}"


def machine_date(moment: datetime | None, precision: Precision | None) -> str | None:
    """The value of a `<time datetime>`: only as precise as the source."""
    if moment is None or precision is None:
        return None
    local = uk_time(moment)
    if precision is Precision.MONTH:
        return f"{local:%Y-%m}"
    if precision is Precision.DAY:
        return f"{local:%Y-%m-%d}"
    return local.isoformat()


def iso_datetime(moment: datetime | None) -> str | None:
    """ISO 8601 with the UK offset, as OpenGraph and JSON-LD expect."""
    return uk_time(moment).isoformat() if moment else None
