"""Dates as UK press offices write them, and as pages show them.

Every date is kept as an aware UTC datetime plus a `Precision`, because
releases give anything from a minute ("Feb 24, 2021 07:00 GMT") to a month
(a URL path such as `/2021/june/`), and a page must not claim more than it knows.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
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
_ZONES = {"GMT": UTC, "UTC": UTC, "Z": UTC, "BST": timezone(timedelta(hours=1))}

_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_MONTH = r"(?P<month>[a-z]+)\.?"
_TIME = r"(?:,?\s+(?:at\s+)?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?)?"
_ZONE = r"(?:\s*(?P<zone>[a-z]{1,5}|[+-]\d{2}:?\d{2}))?"
# The shape of a date line, month-first or day-first. A line of this shape that
# does not name a real date is an error, never silently part of the body.
_DATE_LINE = [
    re.compile(rf"{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+(?P<year>\d{{4}}){_TIME}{_ZONE}", re.I),
    re.compile(rf"{_WEEKDAY}{_DAY}\s+{_MONTH},?\s+(?P<year>\d{{4}}){_TIME}{_ZONE}", re.I),
]
_ISO_MONTH = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# YAML 1.1 timestamps may end in an hours-only offset: `2001-12-14 21:59:43.10 -5`.
_SHORT_OFFSET = re.compile(r"(:\d\d(?:\.\d+)?)\s*([+-])(\d{1,2})$")
_URL_DATE = re.compile(
    r"/(?P<year>(?:19|20)\d{2})/(?P<month>0?[1-9]|1[0-2]|[a-z]{3,9})(?:/(?P<day>0?[1-9]|[12]\d|3[01]))?(?=/|$)"
)


class DateError(ValueError):
    """A date that is present but names no real moment."""


def looks_like_date_line(line: str) -> bool:
    return _match_date_line(line) is not None


def _match_date_line(line: str) -> re.Match[str] | None:
    """Match a whole line, ignoring Markdown emphasis around it (`*Feb 24, 2021*`)."""
    text = line.strip().strip("*_").strip()
    return next(filter(None, (pattern.fullmatch(text) for pattern in _DATE_LINE)), None)


def parse_date_line(line: str) -> tuple[datetime, Precision]:
    """`Feb 24, 2021 07:00 GMT`, `Jan 29, 2019`, `3 June 2021 14:30 BST`; no zone means UK time."""
    match = _match_date_line(line)
    if match is None:
        raise DateError(f"not a date: {line.strip()!r}")
    month = _MONTHS.get(match["month"].lower())
    if month is None:
        raise DateError(f"unknown month {match['month']!r} in date {line.strip()!r}")
    hour, minute = int(match["hour"] or 0), int(match["minute"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise DateError(f"impossible time in date {line.strip()!r}")
        hour = hour % 12 + (12 if match["ampm"].lower().startswith("p") else 0)
    zone = _zone(match["zone"], line)
    try:
        local = datetime(int(match["year"]), month, int(match["day"]), hour, minute)
    except ValueError as error:
        raise DateError(f"impossible date {line.strip()!r}: {error}") from None
    precision = Precision.MINUTE if match["hour"] else Precision.DAY
    return _to_utc(local, zone), precision


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
        raise DateError(f"cannot parse date {text!r}: expected ISO 8601 such as 2021-02-24T07:00:00Z") from None
    precision = Precision.DAY if _ISO_DAY.fullmatch(text) else Precision.MINUTE
    return _to_utc(parsed.replace(tzinfo=None), parsed.tzinfo), precision


def date_from_url(url: str) -> tuple[datetime, Precision] | None:
    """The `/2021/06/` or `/2021/june/` that many press rooms put in their URLs."""
    match = _URL_DATE.search(urlsplit(url).path.lower())
    if match is None:
        return None
    month_text = match["month"]
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text)
    if month is None:
        return None
    if match["day"]:
        try:
            return _to_utc(datetime(int(match["year"]), month, int(match["day"])), None), Precision.DAY
        except ValueError:
            pass
    return _month_start(int(match["year"]), month, url), Precision.MONTH


def _zone(name: str | None, line: str) -> tzinfo | None:
    if name is None:
        return None
    if name.upper() in _ZONES:
        return _ZONES[name.upper()]
    if name[0] in "+-":
        digits = name[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        return timezone(offset if name[0] == "+" else -offset)
    raise DateError(f"unknown time zone {name!r} in date {line.strip()!r} (expected GMT or BST)")


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
