"""Numbers in a sentence as press releases write them ("1,135", "£1.2m", "2kg", "twenty-three",
"between 20 and 30"), each typed as a count, a sum of money or a weight, and the numbers that
count nothing (dates, years, times, ages, percentages, phone and reference numbers) set aside.
Matched in lower case: case-insensitive matching is several times slower."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

# No release reports a trillion of anything: beyond this a "number" is noise (and sums of such
# would reach infinity, which JSON cannot hold).
MAX_VALUE = 1e12

_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_WORDS = {word: n for n, word in enumerate(_ONES)} | {word: 20 + 10 * n for n, word in enumerate(_TENS)}


def _alternatives(words: list[str]) -> str:
    """`words` as a regular expression, grouped by first letter: Python's `re` tries each
    alternative in turn, at every place in the text, so fewer of them is faster."""
    groups: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        groups.setdefault(word[0], []).append(re.escape(word[1:]))
    return "(?:" + "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items()) + ")"


_FIRST_LETTERS = "".join(sorted({word[0] for word in [*_ONES, *_TENS, "a"]}))
WORD_NUMBER = (
    rf"(?=[{_FIRST_LETTERS}])(?:(?:a|one) hundred|a dozen|{_alternatives(_TENS)}(?:[- ]{_alternatives(_ONES[1:10])})?|"
    rf"{_alternatives(_ONES)})"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:\s?(?:million|m|bn|billion|k|thousand)\b)"
_MASS = r"(?:\s?(?:tonnes?|tons?|kilogra(?:m|mme)s?|kilos?|kgs?|gra(?:m|mme)s?|g)\b)"
_ONE = rf"(?:£\s?)?(?:{_DIGITS}|\b{WORD_NUMBER}\b){_SCALE}?"
_QUALIFIERS = "more than|over|at least|in excess of|almost|nearly|around|about|approximately|an estimated|up to|some"
# Matched against the sentence in lower case (case-insensitive matching is several times slower):
# a number, then what comes before it that belongs to it.
_VALUE = re.compile(
    rf"(?=[£\d]|\b[{_FIRST_LETTERS}])(?P<low>{_ONE})(?:(?P<to>\s?[-–]\s?|\s(?:to|and)\s)(?P<high>{_ONE}))?(?P<mass>{_MASS})?(?![\w£])"
)
_BEFORE = re.compile(rf"(?:\b(?P<qualifier>{_QUALIFIERS})\s+)?(?P<between>\bbetween\s+)?$")
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_MONTH_AFTER = re.compile(rf"\s?(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b")
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s+$")
_NOT_A_COUNT_AFTER = re.compile(r"(?:\s?%|\s?per\s?cent|-year-old|\s?years? old|\s?(?:am|pm)\b|[:/]\d|\s\d)")
_NOT_A_COUNT_BEFORE = re.compile(
    r"(?:\b(?:aged|age|call|dial|ring|quoting|quote|reference|ref|number|no|log|operation|op|room|page|"
    r"junction|section|class|category|cat)\.?\s+$|[/:#]$|\d\s$)"
)
AGES = re.compile(r"\baged \d+(?:(?:,| and| to) \d+)*")  # "two men aged 19 and 22": not figures
_AGE = re.compile(r",\s$")  # "Smith, 24, of Luton": an age between commas
_MASS_KG = {"t": 1000.0, "k": 1.0, "g": 0.001}
_SCALES = {"m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9, "k": 1e3, "thousand": 1e3}


@dataclass(frozen=True)
class Mention:
    """A number in a sentence: what it counts is still to be read from the words around it."""

    start: int
    end: int
    value: float
    high: float | None
    qualifier: str
    kind: str  # "c" a count, "m" money (£), "k" a weight in kg


def _number(text: str) -> float:
    text = text.lower().replace("£", "").strip()
    scale = 1.0
    if match := re.search(rf"{_SCALE}$", text):
        scale = _SCALES[match[0].strip()]
        text = text[: match.start()].strip()
    if text in ("a hundred", "one hundred"):
        return 100 * scale
    if text == "a dozen":
        return 12 * scale
    if text[0].isdigit():
        return float(text.replace(",", "")) * scale
    tens, _, ones = text.replace(" ", "-").partition("-")
    return (_WORDS[tens] + (_WORDS[ones] if ones else 0)) * scale


def find_numbers(lowered: str) -> list[Mention]:
    found = []
    for match in _VALUE.finditer(lowered):
        low, high = match["low"], match["high"]
        start = match.start()
        before = _BEFORE.search(lowered, max(0, start - 40), start)
        qualifier, between = (before["qualifier"], before["between"]) if before else (None, None)
        if not _is_count(lowered, match, bool(qualifier)) or (between and not high):
            continue
        if high and match["to"].strip() == "and" and not between:
            found += find_numbers(lowered[: match.end("low")]) + _shifted(
                find_numbers(lowered[match.start("high") :]), match.start("high")
            )
            continue
        mass = (match["mass"] or "").strip()
        money = low.startswith("£") or bool(high and high.startswith("£"))
        factor = _MASS_KG[mass[0]] if mass else 1.0
        value = _number(low) * factor
        if value > MAX_VALUE or (high and _number(high) * factor > MAX_VALUE):
            continue
        found.append(
            Mention(
                before.start() if before and (qualifier or between) else start,
                match.end(),
                value,
                _number(high) * factor if high else None,
                qualifier or "",
                "k" if mass else "m" if money else "c",
            )
        )
    return found


def _shifted(mentions: list[Mention], offset: int) -> list[Mention]:
    return [dataclasses.replace(m, start=m.start + offset, end=m.end + offset) for m in mentions]


def _is_count(lowered: str, match: re.Match[str], qualified: bool) -> bool:
    """Not a date, a year, a time, an age, a percentage, or a phone or reference number."""
    start, end = match.start(), match.end()
    if re.fullmatch(r"(?:19|20)\d\d|0\d+", match["low"].lstrip("£ ")):
        return False  # a year, or a phone number's leading zero
    before, after = lowered[max(0, start - 40) : start], lowered[end : end + 40]
    if _MONTH_AFTER.match(after) or _MONTH_BEFORE.search(before):
        return False
    if _NOT_A_COUNT_AFTER.match(after) and not match["mass"]:
        return False
    if _AGE.search(before) and after.startswith((",", " from", " of")):
        return False
    return qualified or not _NOT_A_COUNT_BEFORE.search(before)


def lower_in_place(text: str) -> str:
    """`text` in lower case, character for character (so places in one are places in the other)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char.lower() if len(char.lower()) == 1 else char for char in text)
