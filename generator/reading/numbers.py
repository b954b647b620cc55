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


_FIRST_LETTERS = "".join(sorted({word[0] for word in [*_ONES, *_TENS, "a", "half"]}))
WORD_NUMBER = (
    rf"(?=[{_FIRST_LETTERS}h])(?:(?:a|one) hundred|a dozen|half a dozen|half an?|{_alternatives(_TENS)}(?:[- ]{_alternatives(_ONES[1:10])})?|"
    rf"{_alternatives(_ONES)})"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:\s?(?:million|m|bn|billion|k|thousand)\b)"
_MASS = r"(?:\s?(?:tonnes?|tons?|kilogra(?:m|mme)s?|kilos?|kgs?|gra(?:m|mme)s?|g)\b)"
_QUALIFIERS = "more than|over|at least|in excess of|almost|nearly|around|about|approximately|an estimated|up to|some"


_AND_A_HALF = r"(?:[- ]and[- ]a[- ]half)"  # "four and a half years", "four-and-a-half years"


def _value(words: bool) -> re.Pattern[str]:
    """A number, or two as a range, with its scale and unit; `words`: spelt out too ("twenty-three").
    Matched against the sentence in lower case (case-insensitive matching is several times slower)."""
    one = (
        rf"(?:£\s?)?(?:{_DIGITS}|\b{WORD_NUMBER}\b){_AND_A_HALF}?{_SCALE}?"
        if words
        else rf"£?\s?(?:{_DIGITS}){_SCALE}?"
    )
    start = rf"(?=[£\d]|\b[{_FIRST_LETTERS}])" if words else r"(?=[£\d])"
    return re.compile(
        rf"{start}(?P<low>{one})(?:(?P<to>\s?[-–]\s?|\s(?:to|and)\s)(?P<high>{one}))?(?P<mass>{_MASS})?\+?(?![\w£])"
    )


# Most sentences spell no number out: the pattern for digits alone passes over words many times faster.
_VALUE, _DIGIT_VALUE = _value(words=True), _value(words=False)
_MONTH_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_MONTH_AFTER = re.compile(
    rf"\s?(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{'|'.join(sorted(_MONTH_WORDS, key=len, reverse=True))})\b"
)
_NOT_A_COUNT_AFTER = re.compile(
    r"(?:\s(?:in|out of)\s\d|\s?%|\s?per\s?cent|-year-old|\s?years? old|\s?(?:am|pm)\b|[:/]\d|\s\d)"
)
# The word before a number that makes it a label, not a count: "aged 24", "call 101", "Operation 27".
_NOT_A_COUNT_WORDS = frozenset(
    "aged age call dial ring quoting quote reference ref number no log operation op room page junction section "
    "class category cat".split()
)
_QUALIFIERS_BY_LAST_WORD: dict[str, list[str]] = {}
for _qualifier in _QUALIFIERS.split("|"):
    _QUALIFIERS_BY_LAST_WORD.setdefault(_qualifier.rpartition(" ")[2], []).append(_qualifier)
_OF_A_GROUP = (" of whom", " of them", " of those", " of which")  # "47 arrested, 26 of whom": no age
_YEAR_OR_PHONE = re.compile(r"(?:19|20)\d\d|0\d+")
_SCALE_AT_END = re.compile(rf"{_SCALE}$")
AGES = re.compile(r"\baged \d+(?:(?:,| and| to) \d+)*")  # "two men aged 19 and 22": not figures
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
    if text.endswith("half") and "and" in text:
        return _number(re.split(r"[- ]and[- ]", text)[0]) + 0.5
    scale = 1.0
    if match := _SCALE_AT_END.search(text):
        scale = _SCALES[match[0].strip()]
        text = text[: match.start()].strip()
    if text in ("a hundred", "one hundred"):
        return 100 * scale
    if text.endswith("dozen"):
        return (6 if text.startswith("half") else 12) * scale
    if text.startswith("half"):
        return 0.5 * scale
    if text[0].isdigit():
        return float(text.replace(",", "")) * scale
    tens, _, ones = text.replace(" ", "-").partition("-")
    return (_WORDS[tens] + (_WORDS[ones] if ones else 0)) * scale


def find_numbers(lowered: str) -> list[Mention]:
    """The numbers of a sentence (in lower case) that may count something, in order."""
    found = []
    spelt = bool(number_words(lowered))
    for match in (_VALUE if spelt else _DIGIT_VALUE).finditer(lowered):
        low, high = match["low"], match["high"]
        lead, qualifier, between = _lead(lowered, match.start())
        if not _is_count(lowered, match, bool(qualifier)) or (between and not high):
            continue
        if high and match["to"].strip() == "and" and not between:
            found += find_numbers(lowered[: match.end("low")]) + _shifted(
                find_numbers(lowered[match.start("high") :]), match.start("high")
            )
            continue
        mass = (match["mass"] or "").strip()
        money = low.startswith("£") or bool(high and high.startswith("£")) or lowered.startswith(" pounds", match.end())
        factor = _MASS_KG[mass[0]] if mass else 1.0
        value = _number(low) * factor
        if value > MAX_VALUE or (high and _number(high) * factor > MAX_VALUE):
            continue
        found.append(
            Mention(
                lead,
                match.end(),
                value,
                _number(high) * factor if high else None,
                qualifier,
                "k" if mass else "m" if money else "c",
            )
        )
    return found


def _shifted(mentions: list[Mention], offset: int) -> list[Mention]:
    return [dataclasses.replace(m, start=m.start + offset, end=m.end + offset) for m in mentions]


def _lead(lowered: str, start: int) -> tuple[int, str, bool]:
    """Where the words of a number starting at `start` start, with its qualifier ("more than"),
    and whether "between" leads it (read from the word before it: patterns would try every place)."""
    between = lowered.endswith(" between ", 0, start) or lowered.startswith("between ", max(0, start - 8))
    position = start - len("between ") if between else start
    word = lowered[max(0, position - 20) : position].rstrip().rpartition(" ")[2]
    for qualifier in _QUALIFIERS_BY_LAST_WORD.get(word, ()):
        lead = position - len(qualifier) - 1
        if lowered.endswith(f"{qualifier} ", 0, position) and (lead == 0 or not lowered[lead - 1].isalnum()):
            return lead, qualifier, between
    return position, "", between


def _is_count(lowered: str, match: re.Match[str], qualified: bool) -> bool:
    """Not a date, a year, a time, an age, a percentage, or a phone or reference number."""
    start, end = match.start(), match.end()
    if _YEAR_OR_PHONE.fullmatch(match["low"].lstrip("£ ")):
        return False  # a year, or a phone number's leading zero
    if match["low"] == "one" and lowered.startswith(" of ", end):
        return False  # "one of the men": a person, not a count
    if match["low"].startswith("half") and not match["low"].endswith("dozen") and not match["mass"]:
        return False  # "half a kilo" is a weight; half of anything else counts nothing
    if (
        lowered.endswith((" in ", " out of "), 0, start)
        and start > 2
        and lowered[start - 5 : start].strip()[:1].isdigit()
    ):
        return False  # the 5 of "1 in 5"
    before, after = lowered[max(0, start - 40) : start], lowered[end : end + 40]
    spaced = before[-1:].isspace()
    word = before.rstrip().rpartition(" ")[2].rstrip(".") if spaced else ""
    if _MONTH_AFTER.match(after) or word in _MONTH_WORDS:
        return False
    if _NOT_A_COUNT_AFTER.match(after) and not match["mass"]:
        return False
    age = spaced and before[-2:-1] == ","  # "Smith, 24, of Luton": an age between commas
    if age and after.startswith((",", " from", " of")) and not after.startswith(_OF_A_GROUP) and not match["mass"]:
        return False
    label = (
        (word in _NOT_A_COUNT_WORDS and not before.endswith("now number "))
        or before.endswith(("/", ":", "#"))
        or (spaced and before[-2:-1].isdigit())
    )
    return qualified or not label


def lower_in_place(text: str) -> str:
    """`text` in lower case, character for character (so places in one are places in the other)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char.lower() if len(char.lower()) == 1 else char for char in text)


_NUMBER_WORDS = frozenset([*_WORDS, "hundred", "dozen", "half"])
_DIGITS_AND_POUND = "0123456789£"
_WORD_ALONE = {word: re.compile(rf"\b{word}\b") for word in _NUMBER_WORDS}
# Each number word as `split` finds it, with the punctuation around it, and the word it holds:
# "three,", "(three", "twenty-three." all hold a number.
_NUMBER_TOKENS = {
    f"{before}{word}{after}": word.partition("-")[0]
    for word in [
        *_NUMBER_WORDS,
        *(f"{tens}-{ones}" for tens in _TENS for ones in _ONES[1:10]),
        *(f"{word}-{unit}" for word in _NUMBER_WORDS for unit in ("and-a-half", "year", "month", "week")),
    ]
    for before in ("", "(", "“", '"', "‘", "'")
    for after in ("", ",", ".", ";", ":", ")", "”", '"', "’", "'", "!", "?")
}
_NONE: frozenset[str] = frozenset()


def number_words(lowered: str) -> frozenset[str]:
    """The numbers `lowered` spells out ("twenty", "three"), found by splitting it into words once
    (a search for each number word's letters would be several times slower)."""
    found = _NUMBER_TOKENS.keys() & lowered.split()
    return frozenset(_NUMBER_TOKENS[token] for token in found) if found else _NONE


def may_hold_number(lowered: str, words: frozenset[str]) -> bool:
    """Whether a line of a text with `number_words` may hold a number: a cheap test that lets most
    lines be passed over."""
    return any(digit in lowered for digit in _DIGITS_AND_POUND) or any(
        word in lowered and _WORD_ALONE[word].search(lowered) for word in words
    )
