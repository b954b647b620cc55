"""The figures a release reports: people charged, lines closed, drugs seized, sentences, …

Press releases state their results in a few set phrasings ("587 … have been charged with
1,135 offences", "closed 324 lines", "sentenced to 401 years' imprisonment"). So the text is
read a sentence at a time: first every number in it is found and typed (a count, a sum of
money, a weight) or set aside (a date, a year, a time, an age, a phone or reference number);
then each kind of figure is a pattern over the numbers and the words around them.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from .model import Figure


@dataclass(frozen=True)
class Kind:
    name: str  # the column in the open data
    label: str  # "people charged": what a figure of this kind counts
    unit: str


KINDS = (
    Kind("people_charged", "people charged", "people"),
    Kind("offences_charged", "offences charged", "offences"),
    Kind("arrests", "arrests", "people"),
    Kind("lines_closed", "lines closed", "lines"),
    Kind("safeguarded", "vulnerable people safeguarded or rescued", "people"),
    Kind("drugs_kg", "drugs seized", "kg"),
    Kind("drugs_value", "value of drugs seized", "GBP"),
    Kind("cash_seized", "cash seized", "GBP"),
    Kind("weapons_seized", "weapons seized", "weapons"),
    Kind("people_sentenced", "people sentenced", "people"),
    Kind("sentence_years", "years of imprisonment", "years"),
)
BY_NAME = {kind.name: kind for kind in KINDS}

# -- numbers -----------------------------------------------------------------------------------

_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_WORDS = {word: n for n, word in enumerate(_ONES)} | {word: 20 + 10 * n for n, word in enumerate(_TENS)}
_WORD_NUMBER = (
    rf"(?:(?:a|one) hundred|a dozen|(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(_ONES[1:10])}))?|"
    rf"{'|'.join(sorted(_ONES, key=len, reverse=True))})"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:\s?(?:million|m|bn|billion|k|thousand)\b)"
_MASS = r"(?:\s?(?:tonnes?|tons?|kilogra(?:m|mme)s?|kilos?|kgs?|gra(?:m|mme)s?|g)\b)"
_ONE = rf"(?:£\s?)?(?:{_DIGITS}|\b{_WORD_NUMBER}\b){_SCALE}?"
_QUALIFIERS = "more than|over|at least|in excess of|almost|nearly|around|about|approximately|an estimated|up to|some"
_MENTION = re.compile(
    rf"(?:\b(?P<qualifier>{_QUALIFIERS})\s+)?(?P<between>\bbetween\s+)?"
    rf"(?P<low>{_ONE})(?:(?P<to>\s?[-–]\s?|\s(?:to|and)\s)(?P<high>{_ONE}))?(?P<mass>{_MASS})?(?![\w£])",
    re.I,
)
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_MONTH_AFTER = re.compile(rf"\s?(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b", re.I)
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s+$", re.I)
_NOT_A_COUNT_AFTER = re.compile(r"(?:\s?%|\s?per\s?cent|-year-old|\s?years? old|\s?(?:am|pm)\b|[:/]\d|\s\d)", re.I)
_NOT_A_COUNT_BEFORE = re.compile(
    r"(?:\b(?:aged|age|call|dial|ring|quoting|quote|reference|ref|number|no|log|operation|op|room|page|"
    r"junction|section|class|category|cat)\.?\s+$|[/:#]$|\d\s$)",
    re.I,
)
_AGES = re.compile(r"\baged \d+(?:(?:,| and| to) \d+)*", re.I)  # "two men aged 19 and 22": not figures
_AGE = re.compile(r",\s$")  # "Smith, 24, of Luton": an age between commas
_MASS_KG = {"t": 1000.0, "k": 1.0, "g": 0.001}
_SCALES = {"m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9, "k": 1e3, "thousand": 1e3}


@dataclass(frozen=True)
class _Mention:
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


def _mentions(sentence: str) -> list[_Mention]:
    found = []
    for match in _MENTION.finditer(sentence):
        low, high = match["low"], match["high"]
        if not _is_count(sentence, match, low):
            continue
        if match["between"] and not high:
            continue
        if high and match["to"].strip() == "and" and not match["between"]:
            found += _mentions(sentence[: match.end("low")]) + _shifted(
                _mentions(sentence[match.start("high") :]), match.start("high")
            )
            continue
        mass = (match["mass"] or "").strip().lower()
        money = low.startswith("£") or bool(high and high.startswith("£"))
        factor = _MASS_KG[mass[0]] if mass else 1.0
        kind = "k" if mass else "m" if money else "c"
        value = _number(low) * factor
        found.append(
            _Mention(
                match.start(),
                match.end(),
                value,
                _number(high) * factor if high else None,
                (match["qualifier"] or "").lower(),
                kind,
            )
        )
    return found


def _shifted(mentions: list[_Mention], offset: int) -> list[_Mention]:
    return [dataclasses.replace(m, start=m.start + offset, end=m.end + offset) for m in mentions]


def _is_count(sentence: str, match: re.Match[str], low: str) -> bool:
    """Not a date, a year, a time, an age, a percentage, or a phone or reference number."""
    start, end = match.start("low"), match.end()
    digits = low.lstrip("£ ")
    if re.fullmatch(r"(?:19|20)\d\d|0\d+", digits):
        return False  # a year, or a phone number's leading zero
    before, after = sentence[:start], sentence[end:]
    if _MONTH_AFTER.match(after) or _MONTH_BEFORE.search(before):
        return False
    if _NOT_A_COUNT_AFTER.match(after) and not match["mass"]:
        return False
    if _AGE.search(before) and after.startswith((",", " from", " of")):
        return False
    return not _NOT_A_COUNT_BEFORE.search(before)


# -- patterns ----------------------------------------------------------------------------------

_PEOPLE = (
    r"(?:people|persons?|men|women|man|woman|males?|females?|suspects?|individuals?|adults?|children|child|"
    r"teenagers?|teens|boys?|girls?|youths?|young people|juveniles?|minors?|defendants?|offenders?|dealers?|"
    r"line ?holders?|line-holders?|runners?|members?|associates?|others|criminals?|victims?|gang members?|"
    r"nominals?|users?|peers|brothers|siblings|residents|persons)"
)
_DRUG = (
    r"(?:drugs?|cocaine|crack|heroin|cannabis|amphetamines?|ketamine|mdma|ecstasy|spice|diamorphine|"
    r"methamphetamine|class [abc]|skunk|herbal|narcotics?|substances?)"
)
_WEAPON = (
    r"(?:weapons?|firearms?|guns?|handguns?|shotguns?|rifles?|pistols?|knives|knife(?! crime)|machetes?|swords?|"
    r"blades?|knuckle-?dusters?|crossbows?|tasers?|axes|hammers|bats|zombie knives)"
)
_W = r"(?:[^\W\d_][\w'’-]*,? )"  # a word, not a number
_LINKED_W = rf"(?:(?!and\b|but\b|while\b|as\b){_W})"  # a word within one clause
_NOT_PEOPLE_W = rf"(?:(?!{_PEOPLE}\b|with\b|carrying\b|and\b|of\b|in\b){_W})"
_AUX = r"(?:(?:have|has|had|were|was|are|is|been|being|now|also|since|subsequently|later|all|so far|then) )*"


def _n(name: str, kinds: str = "c") -> str:
    """A number of the given type, captured as `name`."""
    return rf"⟨[{kinds}](?P<{name}>\d+)⟩"


_PATTERNS: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (kind, keyword, re.compile(pattern, re.I))
    for kind, keyword, pattern in (
        ("people_charged", "charg", rf"{_n('v')} {_W}{{0,3}}?{_PEOPLE} {_W}{{0,7}}?{_AUX}charged\b"),
        ("people_charged", "charg", rf"\bcharged {_LINKED_W}{{0,3}}?{_n('v')} {_W}{{0,3}}?{_PEOPLE}\b"),
        (
            "offences_charged",
            "charg",
            rf"\bcharged with {_W}{{0,3}}?{_n('v')} {_W}{{0,3}}?(?:offences|counts|charges|crimes)\b",
        ),
        ("offences_charged", "charg", rf"{_n('v')} {_W}{{0,3}}?(?:charges|offences charged)\b"),
        ("arrests", "arrest", rf"{_n('v')} {_W}{{0,3}}?arrests\b"),
        ("arrests", "arrest", rf"\barrested {_LINKED_W}{{0,3}}?{_n('v')} {_W}{{0,3}}?{_PEOPLE}\b"),
        ("arrests", "arrest", rf"{_n('v')} {_W}{{0,3}}?{_PEOPLE} {_W}{{0,6}}?{_AUX}arrested\b"),
        (
            "lines_closed",
            "line",
            rf"\b(?:closed|shut|dismantled|taken|took|closing|shutting|dismantling|closure of) (?:down )?{_LINKED_W}{{0,3}}?{_n('v')} {_W}{{0,3}}?lines\b",
        ),
        (
            "lines_closed",
            "line",
            rf"{_n('v')} {_W}{{0,3}}?lines {_W}{{0,5}}?{_AUX}(?:closed|shut down|dismantled|taken down|taken out)\b",
        ),
        (
            "safeguarded",
            "safeguard|rescu|protect",
            rf"{_n('v')} {_W}{{0,3}}?{_PEOPLE} {_W}{{0,6}}?{_AUX}(?:safeguarded|rescued|protected)\b",
        ),
        (
            "safeguarded",
            "safeguard|rescu",
            rf"\b(?:safeguarded|rescued|safeguarding|safeguard|rescue) {_LINKED_W}{{0,3}}?{_n('v')} {_W}{{0,3}}?{_PEOPLE}\b",
        ),
        ("drugs_kg", "", rf"{_n('v', 'k')} {_W}{{0,2}}?of {_W}{{0,3}}?{_DRUG}\b"),
        ("drugs_kg", "", rf"{_n('v', 'k')} {_W}{{0,1}}?{_DRUG}\b"),
        ("drugs_kg", "", rf"\b{_DRUG} {_W}{{0,3}}?(?:weighing|totalling) {_W}{{0,2}}?{_n('v', 'k')}"),
        (
            "drugs_value",
            "£",
            rf"\b{_DRUG},? {_W}{{0,5}}?(?:worth|valued at|value of|value at) {_W}{{0,2}}?{_n('v', 'm')}",
        ),
        ("drugs_value", "£", rf"{_n('v', 'm')} {_W}{{0,2}}?(?:worth of|of) {_W}{{0,3}}?{_DRUG}\b"),
        ("cash_seized", "cash", rf"{_n('v', 'm')} {_W}{{0,3}}?cash\b"),
        (
            "cash_seized",
            "cash",
            rf"\bcash {_W}{{0,5}}?(?:worth|totalling|of|amounting to|to the value of) {_W}{{0,2}}?{_n('v', 'm')}",
        ),
        ("weapons_seized", "", rf"{_n('v')} {_NOT_PEOPLE_W}{{0,2}}{_WEAPON}\b"),
        (
            "people_sentenced",
            "sentenc|jail|impris",
            rf"{_n('v')} {_W}{{0,3}}?{_PEOPLE} {_W}{{0,6}}?{_AUX}(?:sentenced|jailed|imprisoned)\b",
        ),
        (
            "sentence_years",
            "",
            rf"\b(?:sentenced|jailed|imprisoned|locked up|given|handed|received|receiving) {_W}{{0,6}}?{_n('v')} years?\b(?: and {_n('months')} months?\b)?",
        ),
        (
            "sentence_years",
            "",
            rf"{_n('v')} years?['’]? (?:and {_n('months')} months?['’]? )?(?:imprisonment|in prison|behind bars|in jail|in custody|custod|detention|jail)",
        ),
        ("sentence_years", "", rf"\b(?:sentenced|jailed|imprisoned|locked up) {_W}{{0,6}}?{_n('m2')} months?\b"),
    )
)
# Lower bounds that a precise figure of the same kind makes redundant.
_LOWER_BOUNDS = ("more than", "over", "at least", "in excess of")
_WEAPON_CONTEXT = re.compile(
    r"seiz|recover|found|confiscat|handed|surrender|discover|haul|includ|along with|remov", re.I
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[”\"’']?\s+(?=[“\"‘(]?[A-Z0-9£])|\n+")


def body_text(body_html: str) -> str:
    """The text figures are read from: the body's blocks, a line each, without markup."""
    text = re.sub(r"</(?:p|li|h\d|blockquote|tr|div|pre)>|<br\s*/?>", "\n", body_html)
    return html.unescape(re.sub(r"<[^>]*>", "", text))


def extract(text: str) -> tuple[Figure, ...]:
    """Every figure in `text`, in order of appearance; a figure restated is kept once."""
    figures: list[Figure] = []
    for start, sentence in _sentences(text):
        if any(char.isdigit() for char in sentence) or _MENTION.search(sentence):
            figures += _from_sentence(sentence, start)
    return _distinct(figures)


def _sentences(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if text[start : match.start()].strip():
            yield start, text[start : match.start()]
        start = match.end()
    if text[start:].strip():
        yield start, text[start:]


def _from_sentence(sentence: str, offset: int) -> list[Figure]:
    mentions = _mentions(sentence)
    if not mentions:
        return []
    shape, position = [], 0
    for number, mention in enumerate(mentions):
        shape.append(_AGES.sub("aged", sentence[position : mention.start]) + f"⟨{mention.kind}{number}⟩")
        position = mention.end
    shaped = " ".join(("".join(shape) + _AGES.sub("aged", sentence[position:])).split())
    lowered = sentence.lower()
    found: dict[tuple[str, int], Figure] = {}
    for kind, keyword, pattern in _PATTERNS:
        if keyword and not re.search(keyword, lowered):
            continue
        if kind == "weapons_seized" and not _WEAPON_CONTEXT.search(sentence):
            continue
        for match in pattern.finditer(shaped):
            number = int(match["v"] if "v" in pattern.groupindex and match["v"] else match["m2"])
            if (kind, number) in found:
                continue
            mention = mentions[number]
            value, high = mention.value, mention.high
            if "m2" in pattern.groupindex and match["m2"]:
                value, high = value / 12, high / 12 if high else None
            elif "months" in pattern.groupindex and match["months"]:
                value += mentions[int(match["months"])].value / 12
            found[(kind, number)] = Figure(
                kind=kind,
                value=round(value, 2),
                unit=BY_NAME[kind].unit,
                sentence=" ".join(sentence.split()),
                span=(offset + mention.start, offset + mention.end),
                high=round(high, 2) if high else None,
                qualifier=mention.qualifier,
            )
    return sorted(found.values(), key=lambda figure: (figure.span or (0, 0), figure.kind))


def _distinct(figures: list[Figure]) -> tuple[Figure, ...]:
    """A figure restated (1,135 in the lead and again below) once; a lower bound ("more than
    1,000") dropped when the release gives a figure of that kind at least as large."""
    kept: list[Figure] = []
    seen: set[tuple[str, float, float | None]] = set()
    for figure in figures:
        key = (figure.kind, figure.value, figure.high)
        if key in seen:
            continue
        if figure.qualifier in _LOWER_BOUNDS and any(
            other.kind == figure.kind and other.value >= figure.value and not other.qualifier for other in figures
        ):
            continue
        seen.add(key)
        kept.append(figure)
    return tuple(kept)


def by_hand(found: tuple[Figure, ...], entered: Mapping[str, float | None]) -> tuple[Figure, ...]:
    """Front matter's `figures:` replaces what was found of each kind it names (`null` removes
    it: the extractor was wrong) and adds what was not found."""
    kept = [figure for figure in found if figure.kind not in entered]
    added = [
        Figure(kind=kind, value=value, unit=BY_NAME[kind].unit, sentence="", span=None, by_hand=True)
        for kind, value in entered.items()
        if value is not None
    ]
    return tuple(kept + added)


def release_value(figures: tuple[Figure, ...], kind: str) -> float | None:
    """A release's figure of one kind: the largest it reports. A release often restates or
    breaks down its headline figure, so adding its figures up would count some twice."""
    values = [figure.value for figure in figures if figure.kind == kind]
    return max(values) if values else None
