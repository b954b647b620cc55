"""The figures a release reports: people charged, lines closed, drugs seized, sentences, …

Press releases state their results in a few set phrasings ("587 … have been charged with
1,135 offences", "closed 324 lines", "sentenced to 401 years' imprisonment"). So the text is
read a sentence at a time: first every number in it is found and typed (a count, a sum of
money, a weight) or set aside (a date, a year, a time, an age, a phone or reference number);
then each kind of figure is a pattern over the numbers and the words around them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from generator.model import Figure
from generator.reading.numbers import AGES, WORD_NUMBER, find_numbers, lower_in_place


@dataclass(frozen=True)
class Kind:
    name: str  # the column in the open data
    label: str  # "people charged": what a figure of this kind counts
    unit: str
    phrase: str  # how one figure reads, `{}` standing for the number: "{} people charged"


KINDS = (
    Kind("people_charged", "people charged", "people", "{} people charged"),
    Kind("offences_charged", "offences charged", "offences", "{} offences charged"),
    Kind("arrests", "arrests", "people", "{} arrests"),
    Kind("lines_closed", "lines closed", "lines", "{} lines closed"),
    Kind(
        "safeguarded",
        "vulnerable people safeguarded or rescued",
        "people",
        "{} vulnerable people safeguarded or rescued",
    ),
    Kind("drugs_kg", "drugs seized", "kg", "{} of drugs seized"),
    Kind("drugs_value", "value of drugs seized", "GBP", "{} worth of drugs seized"),
    Kind("cash_seized", "cash seized", "GBP", "{} in cash seized"),
    Kind("weapons_seized", "weapons seized", "weapons", "{} weapons seized"),
    Kind("people_sentenced", "people sentenced", "people", "{} people sentenced"),
    Kind("sentence_years", "years of imprisonment", "years", "{} of imprisonment"),
    Kind("warrants", "warrants executed", "warrants", "{} warrants executed"),
)
BY_NAME = {kind.name: kind for kind in KINDS}
# -- patterns ----------------------------------------------------------------------------------

_PEOPLE = (
    r"(?:people|persons?|men|women|man|woman|males?|females?|suspects?|individuals?|adults?|children|child|"
    r"teenagers?|teens|boys?|girls?|youths?|young people|juveniles?|minors?|defendants?|offenders?|dealers?|"
    r"line ?holders?|line-holders?|runners?|members?|associates?|others|criminals?|victims?|gang members?|"
    r"nominals?|users?|peers|brothers|siblings|residents)"
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


# "500 men and 86 women were arrested": the people of a list are added up.
_LISTED = rf"⟨(?:c\d+⟩ {_W}{{0,3}}?{_PEOPLE},? (?:and |as well as )?⟨)*c(?P<v>\d+)⟩"
_COUNTS_PEOPLE = frozenset(("people_charged", "arrests", "safeguarded", "people_sentenced"))
_TOKEN = re.compile(r"⟨c(\d+)⟩")
_MORE = rf"(?P<more>(?:,? (?:and |as well as )⟨c\d+⟩ {_W}{{0,3}}?{_PEOPLE}\b)*)"


def _word(*words: str) -> str:
    """One of `words`, at a word's start; the look-ahead at their first letters lets `re` pass
    over most places in a sentence without trying each word."""
    return rf"(?=[{''.join(sorted({word[0] for word in words}))}])\b(?:{'|'.join(words)})"


def _n(name: str, kinds: str = "c") -> str:
    """A number of the given type, captured as `name`."""
    return rf"⟨[{kinds}](?P<{name}>\d+)⟩"


# Words one of which a sentence must hold (lower case) for a pattern to be tried on it: most
# sentences hold none, and a substring test is much cheaper than a pattern.
_CHARGED, _ARRESTED, _LINES, _CASH, _MONEY = ("charg",), ("arrest",), ("lines",), ("cash",), ("£",)
_SAFEGUARDED = ("safeguard", "rescu", "protect")
_SENTENCED, _TERMS = ("sentenc", "jail", "impris"), ("year", "month")
_DRUGS = tuple(
    "drug cocaine crack heroin cannabis amphetamine ketamine mdma ecstasy spice diamorphine class skunk herbal "
    "narcotic substance".split()
)
_WEAPONS = tuple(
    "weapon firearm gun rifle pistol kni machete sword blade knuckle crossbow taser axe hammer bat".split()
)
_DRUG_WORD = rf"(?=[{''.join(sorted({word[0] for word in _DRUGS}))}])\b{_DRUG}"
_KEYWORD_GROUPS = (_CHARGED, _ARRESTED, _LINES, _CASH, _MONEY, _SAFEGUARDED, _SENTENCED, _TERMS, _DRUGS, _WEAPONS)
# The numbers a kind's patterns read: counts, sums of money (£) or weights (kg).
_NUMBER_KINDS = {kind.name: {"m"} if kind.unit == "GBP" else {"k"} if kind.unit == "kg" else {"c"} for kind in KINDS}
_KEYWORDS = frozenset(
    (*_CHARGED, *_ARRESTED, *_LINES, *_CASH, *_MONEY, *_SAFEGUARDED, *_SENTENCED, *_TERMS, *_DRUGS, *_WEAPONS)
)
_NUMBER_HINT = re.compile(rf"[\d£]|\b{WORD_NUMBER}\b")


_PATTERNS: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = tuple(
    (kind, keywords, re.compile(pattern))  # matched against the sentence in lower case
    for kind, keywords, pattern in (
        ("people_charged", _CHARGED, rf"{_LISTED} {_W}{{0,3}}?{_PEOPLE} {_W}{{0,7}}?{_AUX}charged\b"),
        ("people_charged", _CHARGED, rf"{_word('charged')} {_LINKED_W}{{0,3}}?{_n('v')} {_W}{{0,3}}?{_PEOPLE}\b"),
        (
            "offences_charged",
            _CHARGED,
            rf"{_word('charged with')} {_W}{{0,3}}?{_n('v')} {_W}{{0,3}}?(?:offences|counts|charges|crimes)\b",
        ),
        ("offences_charged", _CHARGED, rf"{_n('v')} {_W}{{0,3}}?(?:charges|offences charged)\b"),
        ("arrests", _ARRESTED, rf"{_n('v')} {_W}{{0,3}}?arrests\b"),
        ("arrests", _ARRESTED, rf"{_word('arrested')} {_LINKED_W}{{0,3}}?{_n('v')} {_W}{{0,3}}?{_PEOPLE}\b{_MORE}"),
        ("arrests", _ARRESTED, rf"{_LISTED} {_W}{{0,3}}?{_PEOPLE} {_W}{{0,6}}?{_AUX}arrested\b"),
        (
            "lines_closed",
            _LINES,
            rf"{_word('closed', 'shut', 'dismantled', 'taken', 'took', 'closing', 'shutting', 'dismantling', 'closure of')} (?:down )?{_LINKED_W}{{0,3}}?{_n('v')} {_W}{{0,3}}?lines\b",
        ),
        (
            "lines_closed",
            _LINES,
            rf"{_n('v')} {_W}{{0,3}}?lines {_W}{{0,5}}?{_AUX}(?:closed|shut down|dismantled|taken down|taken out)\b",
        ),
        (
            "safeguarded",
            _SAFEGUARDED,
            rf"{_LISTED} {_W}{{0,3}}?{_PEOPLE} {_W}{{0,6}}?{_AUX}(?:safeguarded|rescued|protected|safeguarding)\b",
        ),
        (
            "safeguarded",
            _SAFEGUARDED,
            rf"{_word('safeguarded', 'rescued', 'safeguarding', 'safeguard', 'rescue')} {_LINKED_W}{{0,3}}?{_n('v')} {_W}{{0,3}}?{_PEOPLE}\b",
        ),
        ("drugs_kg", _DRUGS, rf"{_n('v', 'k')} {_W}{{0,2}}?of {_W}{{0,3}}?{_DRUG}\b"),
        ("drugs_kg", _DRUGS, rf"{_n('v', 'k')} {_W}{{0,1}}?{_DRUG}\b"),
        ("drugs_kg", _DRUGS, rf"{_DRUG_WORD} {_W}{{0,3}}?(?:weighing|totalling) {_W}{{0,2}}?{_n('v', 'k')}"),
        (
            "drugs_value",
            _MONEY,
            rf"{_DRUG_WORD},? {_W}{{0,5}}?(?:worth|valued at|value of|value at) {_W}{{0,2}}?{_n('v', 'm')}",
        ),
        ("drugs_value", _MONEY, rf"{_n('v', 'm')} {_W}{{0,2}}?(?:worth of|of) {_W}{{0,3}}?{_DRUG}\b"),
        ("cash_seized", _CASH, rf"{_n('v', 'm')} {_W}{{0,3}}?cash\b"),
        (
            "cash_seized",
            _CASH,
            rf"{_word('cash')} {_W}{{0,5}}?(?:worth|totalling|of|amounting to|to the value of) {_W}{{0,2}}?{_n('v', 'm')}",
        ),
        ("weapons_seized", _WEAPONS, rf"{_n('v')} {_NOT_PEOPLE_W}{{0,2}}{_WEAPON}\b"),
        (
            "people_sentenced",
            _SENTENCED,
            rf"{_LISTED} {_W}{{0,3}}?{_PEOPLE} {_W}{{0,6}}?{_AUX}(?:sentenced|jailed|imprisoned)\b",
        ),
        (
            "sentence_years",
            _TERMS,
            rf"{_word('sentenced', 'jailed', 'imprisoned', 'locked up', 'given', 'handed', 'received', 'receiving', 'behind bars')} {_W}{{0,6}}?{_n('v')} years?\b(?: and {_n('months')} months?\b)?",
        ),
        (
            "sentence_years",
            _TERMS,
            rf"{_n('v')} years?['’]? (?:and {_n('months')} months?['’]? )?(?:imprisonment|in prison|behind bars|in jail|in custody|custod|detention|jail)",
        ),
        (
            "sentence_years",
            _TERMS,
            rf"{_word('sentenced', 'jailed', 'imprisoned', 'locked up')} {_W}{{0,6}}?{_n('m2')} months?\b",
        ),
    )
)
# Lower bounds that a precise figure of the same kind makes redundant.
_LOWER_BOUNDS = ("more than", "over", "at least", "in excess of")
_WEAPON_CONTEXT = re.compile(
    r"seiz|recover|found|confiscat|handed|surrender|discover|haul|includ|along with|remov", re.I
)
# A full stop (or ! or ?) and space before what starts a sentence, or a line break.
_SENTENCE_END = re.compile(r"(?P<stop>[.!?])[”\"’']?\s+(?=[“\"‘(]?[A-Z0-9£])|\n+")


def body_text(body_html: str) -> str:
    """The text figures are read from: the body's blocks, a line each, without markup."""
    text = re.sub(r"</(?:p|li|h\d|blockquote|tr|div|pre)>|<br\s*/?>", "\n", body_html)
    return html.unescape(re.sub(r"<[^>]*>", "", text))


def extract(text: str) -> tuple[Figure, ...]:
    """Every figure in `text`, in order of appearance; a figure restated is kept once.

    Only sentences with both a number and a word some pattern needs are read closely; most
    paragraphs of a release have neither, and are passed over whole."""
    lowered = lower_in_place(text)
    figures: list[Figure] = []
    start = 0
    for paragraph in lowered.split("\n"):
        end = start + len(paragraph)
        if _worth_reading(paragraph):
            for first, last in _sentences(text, start, end):
                if _worth_reading(lowered[first:last]):
                    figures += _from_sentence(text[first:last], lowered[first:last], first)
        start = end + 1
    return _distinct(figures)


def _worth_reading(lowered: str) -> bool:
    return any(word in lowered for word in _KEYWORDS) and _NUMBER_HINT.search(lowered) is not None


def _sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The sentences of `text[start:end]`, as places in `text`."""
    for match in _SENTENCE_END.finditer(text, start, end):
        stop = match.end("stop") if match["stop"] else match.start()
        if text[start:stop].strip():
            yield start, stop
        start = match.end()
    if text[start:end].strip():
        yield start, end


def _from_sentence(sentence: str, lowered: str, offset: int) -> list[Figure]:
    mentions = find_numbers(lowered)
    if not mentions:
        return []
    shape, position = [], 0
    for number, mention in enumerate(mentions):
        shape.append(AGES.sub("aged", lowered[position : mention.start]) + f"⟨{mention.kind}{number}⟩")
        position = mention.end
    shaped = " ".join(("".join(shape) + AGES.sub("aged", lowered[position:])).split())
    found: dict[tuple[str, int], Figure] = {}
    present = {id(words) for words in _KEYWORD_GROUPS if any(word in lowered for word in words)}
    numbers = {mention.kind for mention in mentions}
    for kind, keywords, pattern in _PATTERNS:
        if id(keywords) not in present or not numbers & _NUMBER_KINDS[kind]:
            continue
        if kind == "weapons_seized" and not _WEAPON_CONTEXT.search(sentence):
            continue
        for match in pattern.finditer(shaped):
            number = int(match["v"] if "v" in pattern.groupindex and match["v"] else match["m2"])
            if (kind, number) in found:
                continue
            mention = mentions[number]
            value, high = mention.value, mention.high
            start, end = mention.start, mention.end
            listed = [mentions[int(n)] for n in _TOKEN.findall(match[0]) if int(n) != number and kind in _COUNTS_PEOPLE]
            if listed:
                value, high = value + sum(other.value for other in listed), None
                start, end = min(start, listed[0].start), max(end, listed[-1].end)
            if "m2" in pattern.groupindex and match["m2"]:
                value, high = value / 12, high / 12 if high else None
            elif "months" in pattern.groupindex and match["months"]:
                value += mentions[int(match["months"])].value / 12
            found[(kind, number)] = Figure(
                kind=kind,
                value=round(value, 2),
                unit=BY_NAME[kind].unit,
                sentence=" ".join(sentence.split()),
                span=(offset + start, offset + end),
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
