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
from functools import lru_cache
from typing import NamedTuple

from generator.model import Figure
from generator.reading.figure_tables import Row, kind_of_label, labelled_figures, table_figures
from generator.reading.numbers import AGES, Mention, find_numbers, lower_in_place, may_hold_number, number_words


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

_NAMES = tuple(kind.name for kind in KINDS)


def _grouped(alternatives: str) -> str:
    """An alternation of words regrouped by first letter: Python's `re` tries alternatives in
    turn, at every place, so a first letter that rules most of them out at once is much faster."""
    groups: dict[str, list[str]] = {}
    depth, start = 0, 0
    for index, char in enumerate(f"{alternatives}|"):
        depth += (char == "(") - (char == ")")
        if char == "|" and depth == 0:
            word = alternatives[start:index]
            groups.setdefault(word[0] if word[0].isalpha() else word, []).append(word[1:] if word[0].isalpha() else "")
            start = index + 1
    return (
        "(?:"
        + "|".join(f"{first}(?:{'|'.join(rests)})" if rests != [""] else first for first, rests in groups.items())
        + ")"
    )


_PEOPLE = _grouped(
    "people|persons?|men|women|man|woman|males?|females?|suspects?|individuals?|adults?|children|child|"
    "teenagers?|teens|boys?|girls?|youths?|young people|juveniles?|minors?|defendants?|offenders?|dealers?|"
    "line ?holders?|line-holders?|runners?|members?|associates?|others|criminals?|victims?|gang members?|"
    "nominals?|users?|peers|brothers|siblings|residents"
)
_DRUG = _grouped(
    "drugs?|cocaine|crack|heroin|cannabis|amphetamines?|ketamine|mdma|ecstasy|spice|diamorphine|"
    "methamphetamine|class [abc]|skunk|herbal|narcotics?|substances?"
)
_WEAPON = _grouped(
    "weapons?|firearms?|guns?|handguns?|shotguns?|rifles?|pistols?|knives|knife(?! crime)|machetes?|swords?|"
    "blades?|knuckle-?dusters?|crossbows?|tasers?|axes|hammers|bats|zombie knives"
)
_W = r"(?:['‘\"“]?[^\W\d_][\w'’-]*['’\"”]?,? )"  # a word, not a number
_LINKED_W = rf"(?:(?!and\b|but\b|while\b|as\b){_W})"  # a word within one clause
_NOT_PEOPLE_W = rf"(?:(?!{_PEOPLE}\b|with\b|carrying\b|and\b|of\b|in\b){_W})"
# The words between a number and its noun ("14 further arrests", "9 more deal lines"), not a clause's.
_MODIFIER = (
    rf"(?:(?!(?:and|but|or|no|not|while|as|after|before|with|of|in|at|from|by|were|was|have|has)\b|[a-z]+ed\b){_W})"
)
_AUX = rf"(?:{_grouped('have|has|had|were|was|are|is|been|being|now|also|since|subsequently|later|all|so far|then')} )*"


# "500 men and 86 women were arrested": the people of a list are added up.
_LISTED_AFTER = rf"(?:c\d+⟩ {_W}{{0,3}}?{_PEOPLE},? (?:and |as well as )?⟨)*c(?P<v>\d+)⟩"
_LISTED = f"⟨{_LISTED_AFTER}"
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


# A number with no noun is the people a verb tells of ("the four were jailed") unless it belongs
# to the words before it ("for 4 were", "of 12 have").
# (Looking back from after the number's first mark, so that every pattern starts with that mark,
# which `re` finds many times faster than it tries a pattern at each place.)
_NOT_AN_OBJECT = "".join(
    rf"(?<!{before}⟨)"
    for before in ("⟩ ", r"\bof ", r"\bto ", r"\bfor ", r"\bwith ", r"\bby ", r"\bat ", r"\bon ", r"[£\d\w]")
)


def _people_then(verbs: str, part_of: bool = True) -> str:
    """People counted, then what was done to them: "23 people were detained", "the four were jailed";
    `part_of`: also some of a group ("four of those arrested were charged"), as no arrest can be."""
    part = r"(?: of (?:them|those|whom)(?: arrested| detained| held)?)?" if part_of else r"(?! of )"
    return (
        rf"⟨(?:(?<!ed ⟨){_LISTED_AFTER} {_W}{{0,3}}?{_PEOPLE},? {_W}{{0,8}}?|{_NOT_AN_OBJECT}c(?P<bare>\d+)⟩"
        rf"{part},? ){_AUX}(?<!will be )(?<!to be ){_grouped(verbs)}\b"
    )


def _verb_then_people(*verbs: str) -> str:
    """What was done, then to whom: "arrested 214 people", "safeguarded 61 vulnerable adults"."""
    return rf"{_word(*verbs)} {_LINKED_W}{{0,3}}?{_n('v')} {_W}{{0,3}}?{_PEOPLE}\b{_MORE}"


_AND_MONTHS = rf"(?:,? (?:and )?{_n('months')} months?\b)?"  # "six years and four months", "8 years 4 months"


# Words one of which a sentence must hold (lower case) for a pattern to be tried on it: most
# sentences hold none, and a substring test is much cheaper than a pattern.
_CHARGED, _ARRESTED, _LINES = ("charg", "summons"), ("arrest", "detain", "custody", "held", "apprehend"), ("line",)
_CASH, _MONEY, _WARRANTS = ("cash", "money", "pounds", "notes"), ("£", "pounds"), ("warrant",)
_SAFEGUARDED = ("safeguard", "rescu", "protect", "referr", "support")
_SENTENCED, _TERMS = ("sentenc", "jail", "impris", "behind bars", "prison"), ("year", "month")
_DRUGS = tuple(
    "drug cocaine crack heroin cannabis amphetamine ketamine mdma ecstasy spice diamorphine class skunk herbal "
    "narcotic substance".split()
)
_WEAPONS = tuple(
    "weapon firearm gun rifle pistol kni machete sword blade knuckle crossbow taser axe hammer bat".split()
)
_DRUG_WORD = rf"(?=[{''.join(sorted({word[0] for word in _DRUGS}))}])\b{_DRUG}"
_KEYWORD_GROUPS = (
    _CHARGED,
    _ARRESTED,
    _LINES,
    _CASH,
    _MONEY,
    _WARRANTS,
    _SAFEGUARDED,
    _SENTENCED,
    _TERMS,
    _DRUGS,
    _WEAPONS,
)
# The numbers a kind's patterns read: counts, sums of money (£) or weights (kg).
_NUMBER_KINDS = {kind.name: {"m"} if kind.unit == "GBP" else {"k"} if kind.unit == "kg" else {"c"} for kind in KINDS}
_KEYWORDS = frozenset(word for words in _KEYWORD_GROUPS for word in words)
_CLOSED = (
    "deactivated|closed|shut down|shut|dismantled|taken down|taken out|disrupted|intercepted|put out of action|terminated|"
    "brought down|stopped"
)
_SAFE = (
    "safeguarded|rescued|protected|safeguarding|given protection|given (?:[a-z]+ )?support|referred|supported|"
    "engaged with (?:[a-z]+ )?support|helped to safety"
)
_JAILED = "sentenced|jailed|imprisoned|locked up|behind bars|put behind bars"
_ADDRESSES = "addresses|properties|premises|homes|houses|flats|locations"

# "Warrants at 12 addresses" counts the warrants only where the sentence gives no count of its own.
_WARRANTS_AT = rf"\bwarrants? {_W}{{0,5}}?(?:at|across|on) {_n('v')} {_W}{{0,2}}?(?:{_ADDRESSES})\b"

_PATTERNS: tuple[tuple[str, tuple[str, ...], str], ...] = tuple(
    (kind, keywords, pattern)  # matched against the sentence in lower case, a number's group named
    # v (the number), bare (a number without its noun) or m2 (a number of months)
    for kind, keywords, pattern in (
        (
            "people_charged",
            _CHARGED,
            _people_then(
                r"charged|summonsed|summoned|(?:now )?fac(?:e|ed|ing) charges|(?:arrested|detained) and charged"
            ),
        ),
        ("people_charged", _CHARGED, _verb_then_people("charged", "summonsed", "charging")),
        (
            "people_charged",
            ("charges",),
            _people_then(
                r"(?:now |jointly )?fac(?:e|ed|ing) (?:(?:a total of|a combined) )?(?:⟨c\d+⟩ )?(?:[a-z]+ )?charges"
            ),
        ),
        (
            "people_charged",
            ("against",),
            rf"\bcharges? (?:{_W}){{0,4}}?against {_W}{{0,2}}?{_n('v')} {_W}{{0,2}}?{_PEOPLE}\b",
        ),
        (
            "offences_charged",
            (" with ",),
            rf"{_word('charged', 'charging')} {_W}{{0,5}}?with {_W}{{0,5}}?{_n('v')} {_W}{{0,3}}?(?:offences?|counts?|charges?|crimes?)\b",
        ),
        (
            "offences_charged",
            ("admit", "guilty to", "convicted of", "faces", "facing", "denies", "denied"),
            rf"{_word('admitted', 'admitting', 'admits', 'pleaded guilty to', 'pleading guilty to', 'convicted of', 'faces', 'facing', 'denies', 'denied')} {_W}{{0,2}}?{_n('v')} {_W}{{0,2}}?(?:offences?|counts?|charges?)\b",
        ),
        (
            "offences_charged",
            ("count", "offence"),
            rf"\b(?:counts?|offences?) of {_W}{{1,8}}?and {_n('v')} (?:further |more |other )?(?:counts?|offences?) of\b",
        ),
        (
            "offences_charged",
            ("charges", "offences charged"),
            rf"{_n('v')} {_NOT_PEOPLE_W}{{0,3}}?(?:charges|offences charged)\b",
        ),
        (
            "offences_charged",
            ("offences", "counts", "crimes"),
            rf"{_n('v')} {_W}{{0,2}}?(?:offences|counts|crimes) {_W}{{0,3}}?{_AUX}(?:been )?charged\b",
        ),
        ("arrests", ("arrests",), rf"{_n('v')} {_MODIFIER}{{0,3}}?arrests\b"),
        ("arrests", (" in total", " in all"), rf"\barrests\W{{1,4}}{_n('v')} in (?:total|all)\b"),
        (
            "arrests",
            _ARRESTED,
            _verb_then_people("arrested", "arresting", "detained", "detaining", "apprehended", "held", "holding"),
        ),
        (
            "arrests",
            _ARRESTED,
            _people_then(
                r"arrested|detained|held|apprehended|taken into (?:police )?custody|arrested and charged", part_of=False
            ),
        ),
        (
            "arrests",
            (" in total", " in all"),
            rf"{_word('arrested', 'detained', 'held')},? {_n('v')} in (?:total|all)\b",
        ),
        (
            "arrests",
            ("custody",),
            rf"{_word('took', 'taken', 'taking')} {_LINKED_W}{{0,3}}?{_n('v')} {_W}{{0,3}}?{_PEOPLE} into (?:police )?custody\b",
        ),
        (
            "lines_closed",
            _LINES,
            rf"{_word('closed', 'shut', 'dismantled', 'taken', 'took', 'closing', 'shutting', 'dismantling', 'closure of', 'cut', 'deactivated', 'disrupted', 'disrupting', 'intercepted', 'intercepting', 'put', 'terminated', 'terminating', 'brought', 'bringing')} (?:down |out of action )?{_LINKED_W}{{0,3}}?{_n('v')} {_MODIFIER}{{0,3}}?lines?\b(?! of enquiry)",
        ),
        ("lines_closed", _LINES, rf"{_n('v')} {_MODIFIER}{{0,3}}?lines? {_W}{{0,7}}?{_AUX}(?:{_CLOSED})\b"),
        ("safeguarded", _SAFEGUARDED, _people_then(_SAFE)),
        (
            "safeguarded",
            _SAFEGUARDED,
            _verb_then_people("safeguarded", "rescued", "safeguarding", "safeguard", "rescue", "referred", "protected"),
        ),
        ("safeguarded", ("safeguarding referral",), rf"{_n('v')} {_W}{{0,2}}?safeguarding referrals\b"),
        (
            "warrants",
            _WARRANTS,
            rf"{_n('v')} (?:(?!{_PEOPLE}\b){_W}){{0,4}}?warrants?\b(?! {_AUX}(?:issued|obtained|granted|outstanding))",
        ),
        ("warrants", _WARRANTS, _WARRANTS_AT),
        ("drugs_kg", _DRUGS, rf"{_n('v', 'k')} {_W}{{0,2}}?of {_W}{{0,3}}?{_DRUG}\b"),
        ("drugs_kg", _DRUGS, rf"{_n('v', 'k')} {_W}{{0,1}}?{_DRUG}\b"),
        (
            "drugs_kg",
            ("weighing", "totalling"),
            rf"{_DRUG_WORD} {_W}{{0,3}}?(?:weighing|totalling) {_W}{{0,2}}?{_n('v', 'k')}",
        ),
        ("drugs_kg", _DRUGS, rf"{_DRUG_WORD} ?[-–—:] ?{_n('v', 'k')}"),
        ("drugs_kg", ("weigh",), rf"\bweigh(?:ed|ing|s)? {_W}{{0,2}}?{_n('v', 'k')}"),
        (
            "drugs_value",
            ("worth", "value", "sold for", "fetch"),
            rf"{_DRUG_WORD},? (?:[-–—:] )?(?:{_W}|⟨[ck]\d+⟩,? ){{0,8}}?\(?(?:worth|valued at|value of|value at|value|sold for|fetch(?:ed)?) {_W}{{0,3}}?{_n('v', 'm')}",
        ),
        ("drugs_value", ("(",), rf"{_DRUG_WORD},? \({_W}{{0,4}}?{_n('v', 'm')}"),
        (
            "drugs_value",
            _MONEY,
            rf"{_n('v', 'm')} {_W}{{0,2}}?(?:worth of|of|in) (?:(?!and\b|cash\b|money\b){_W}){{0,3}}?{_DRUG}\b",
        ),
        ("cash_seized", _CASH, rf"{_n('v', 'm')} (?:(?!and\b){_W}){{0,3}}?(?:cash|money|(?:bank ?)?notes)\b"),
        (
            "cash_seized",
            _CASH,
            rf"{_word('cash', 'money')} (?:(?!{_DRUG}\b){_LINKED_W}){{0,5}}?(?:worth|totalling|of|amounting to|to the value of) {_W}{{0,2}}?{_n('v', 'm')}",
        ),
        ("weapons_seized", _WEAPONS, rf"{_n('v')} {_NOT_PEOPLE_W}{{0,2}}{_WEAPON}\b"),
        ("people_sentenced", _SENTENCED, _people_then(_JAILED)),
        ("people_sentenced", (" of ",), rf"\b(?:gang|group|network|crew|team) of {_n('v')} {_AUX}(?:{_JAILED})\b"),
        (
            "people_sentenced",
            ("sentences", "terms"),
            rf"{_LISTED} {_W}{{0,3}}?{_PEOPLE} {_W}{{0,2}}?(?:received|were given|have received|have been given|were handed|handed) {_W}{{0,3}}?(?:sentences|terms)\b",
        ),
        (
            "sentence_years",
            _TERMS,
            rf"{_word('sentenced', 'jailed', 'imprisoned', 'locked up', 'given', 'handed', 'received', 'receiving', 'behind bars')} {_W}{{0,6}}?{_n('v')} years?\b{_AND_MONTHS}",
        ),
        (
            "sentence_years",
            _TERMS,
            rf"{_n('v')} years?['’]?{_AND_MONTHS}['’]? (?:imprisonment|in prison|behind bars|in jail|in custody|custod|detention|jail|(?:was|is) the (?:term|sentence))",
        ),
        (
            "sentence_years",
            _TERMS,
            rf"{_word('sentenced', 'jailed', 'imprisoned', 'locked up', 'received', 'given', 'handed')} {_W}{{0,6}}?{_n('m2')} months?\b",
        ),
        ("sentence_years", _SENTENCED, rf"\bfor {_n('v')} years?\b{_AND_MONTHS}"),
        (
            "sentence_years",
            ("sentence",),
            rf"\bsentences? (?:totalling|of|amounting to|adding up to) {_W}{{0,2}}?{_n('v')} years?\b{_AND_MONTHS}",
        ),
    )
)


class _Pattern:
    """A pattern compiled when first tried: a build that reads one release (an edit) compiles
    the few its sentences open, not all (compiling them all was a twentieth of a second)."""

    __slots__ = ("_compiled", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.source)
        return self._compiled


class _Entry(NamedTuple):
    """A pattern as `_from_sentence` tries it: the words it needs (by their place in `_GATES`) and
    the groups that may hold its number, or a number of months."""

    kind: str
    gate: int
    pattern: _Pattern
    names: tuple[str, ...]
    months: tuple[str, ...]


_GATES = tuple(dict.fromkeys(keywords for _, keywords, _ in _PATTERNS))
_ENTRIES = tuple(
    _Entry(
        kind,
        _GATES.index(keywords),
        _Pattern(pattern),
        tuple(name for name in ("v", "bare", "m2") if f"(?P<{name}>" in pattern),
        tuple(name for name in ("m2", "months") if f"(?P<{name}>" in pattern),
    )
    for kind, keywords, pattern in _PATTERNS
)


@lru_cache(maxsize=8)
def _candidates(numbers: frozenset[str]) -> tuple[_Entry, ...]:
    """The patterns that read a sentence holding numbers of these types (counts, money, weights)."""
    return tuple(entry for entry in _ENTRIES if _NUMBER_KINDS[entry.kind] & numbers)


_STATING = (
    "totalled|totaled|totals|stood at|stands at|reached|has reached|have reached|has now reached|came to|comes to|"
    "rose to|has risen to|climbed to|now numbers?|numbered|numbers?|now exceeds?|exceeds?|exceeded|amounted to|amounts to"
)
_STATING_WORDS = (
    ":",
    "total",
    "stood",
    "stands",
    "reach",
    "came to",
    "comes to",
    "rose",
    "risen",
    "climbed",
    "number",
    "exceed",
    "amount",
)
_STATED = re.compile(
    rf"(?:\b{_grouped(_STATING)}|(?<=[a-z]):)(?: now)? (?:(?:a total of|in total|in all) )?⟨(?P<type>[cmk])(?P<v>\d+)⟩"
)
# A sentence about prison, where a length of time is a term served.
_CUSTODY = (
    "jail",
    "sentenc",
    "prison",
    "impris",
    "custod",
    "young offender",
    "detention",
    "behind bars",
    "locked",
    "serve",
)
_DURATION = re.compile(
    r"⟨c(?P<v>\d+)⟩(?P<unit> years?\b| months?\b|-years? (?:[a-z]+ ){0,2}?(?:sentence|term|stretch)|"
    r"-months? (?:[a-z]+ ){0,2}?(?:sentence|term|stretch))(?:,? (?:and )?⟨c(?P<months>\d+)⟩ months?\b)?"
)
_NOT_A_TERM_BEFORE = re.compile(
    r"\b(?:over|across|during|within|last|past|since|aged|suspended|banned|disqualified|lasting|investigation|"
    r"period|spanning|ran|run|running|operating|operated|dealing|dealt|worked|working|lived|living|ago)"
    r"(?: (?:sentence|term|of|for|a|an|the|at least|more than)){0,3} $|"
    r"\b(?:maximum|up to|no more than|or face|in default|licence|license|order)\b"  # anywhere before it
)
_NOT_A_TERM_AFTER = re.compile(
    r"(?: years?| months?|-years?|-months?)?(?: old| ago| earlier| later| on (?:extended )?licence|"
    r"(?: [a-z]+){0,2}?,? suspended| investigation| operation| ban| of (?:his|her|their) (?:life|lives))"
)
_BREAKDOWN_REACH = 40  # characters after "including" where its breakdown's numbers are
_BREAKDOWN_WORDS = (":", "includ", "among", " of wh", " of them", "such as", "compris", "made up")
_BREAKDOWN = re.compile(
    r"\b(?:including|among them|among whom|of whom|of which|such as|comprising|made up of)\b|(?<=[a-z]):|"
    r"(?=⟨c\d+⟩ of (?:them|whom)\b)"
)
# Lower bounds that a precise figure of the same kind makes redundant.
_LOWER_BOUNDS = ("more than", "over", "at least", "in excess of")
# A line this short is a list's item ("29 firearms" under "Seized:"), where the seizure goes unsaid.
_LIST_ITEM = 40
_WEAPON_CONTEXT = re.compile(
    r"seiz|recover|found|confiscat|handed|surrender|discover|uncover|haul|includ|along with|remov|off the street|"
    r"taken|taking",
    re.I,
)
_TABLE_SPACE = re.compile(r"\s*(</?(?:table|thead|tbody|tfoot|tr|td|th)\b[^>]*>)\s*")
_BLOCK_END = re.compile(r"</(?:p|li|h\d|blockquote|tr|div|pre|td|th)>|<br\s*/?>")
_TAG = re.compile(r"<[^>]*>")
# A full stop (or ! or ?) and space before what starts a sentence, or a line break.
_SENTENCE_END = re.compile(r"(?P<stop>[.!?])[”\"’']?\s+(?=[“\"‘(]?[A-Z0-9£])|\n+")


def body_text(body_html: str) -> str:
    """The text figures are read from: the body's blocks, a line each, without markup; a table's
    row is a line of its own with a tab after each cell."""
    text = _TABLE_SPACE.sub(r"\1", body_html) if "<table" in body_html else body_html
    text = _BLOCK_END.sub(lambda end: "\t" if end[0] in ("</td>", "</th>") else "\n", text)
    return html.unescape(_TAG.sub("", text))


def extract(text: str) -> tuple[Figure, ...]:
    """Every figure in `text`, in order of appearance; a figure restated is kept once.

    Only sentences with both a number and a word some pattern needs are read closely; most
    paragraphs of a release have neither, and are passed over whole. A table's rows are read
    together, a table at a time."""
    lowered = lower_in_place(text)
    words = number_words(lowered)
    figures: list[Figure] = []
    table: list[Row] = []
    start = 0
    for paragraph in lowered.split("\n"):
        end = start + len(paragraph)
        if "\t" in paragraph:
            table.append(Row(start, text[start:end], paragraph))
        else:
            if table:
                figures += [_figure(*found) for found in table_figures(table)]
                table = []
            if (":" in paragraph or " –" in paragraph or " -" in paragraph) and (
                labelled := labelled_figures(Row(start, text[start:end], paragraph))
            ):
                figures += [_figure(*found) for found in labelled]
            elif _worth_reading(paragraph, words):
                for first, last in _sentences(text, start, end):
                    if _worth_reading(lowered[first:last], words):
                        figures += _from_sentence(text[first:last], lowered[first:last], first)
        start = end + 1
    if table:
        figures += [_figure(*found) for found in table_figures(table)]
    return _distinct(figures)


def _worth_reading(lowered: str, words: frozenset[str]) -> bool:
    return may_hold_number(lowered, words) and any(word in lowered for word in _KEYWORDS)


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
        shape.append(f"{lowered[position : mention.start]}⟨{mention.kind}{number}⟩")
        position = mention.end
    shaped = "".join(shape) + lowered[position:]
    shaped = " ".join((AGES.sub("aged", shaped) if "aged" in shaped else shaped).split())
    found: dict[tuple[str, int], Figure] = {}
    said = " ".join(sentence.split())
    gates: list[bool | None] = [None] * len(_GATES)  # patterns share their words: each test made once
    for kind, gate, pattern, names, months in _candidates(frozenset(mention.kind for mention in mentions)):
        opened = gates[gate]
        if opened is None:
            opened = gates[gate] = any(word in lowered for word in _GATES[gate])
        if not opened:
            continue
        if kind == "weapons_seized" and not _WEAPON_CONTEXT.search(sentence) and len(sentence) > _LIST_ITEM:
            continue
        if pattern.source == _WARRANTS_AT and any(found_kind == kind for found_kind, _ in found):
            continue
        for match in pattern.compiled.finditer(shaped):
            number = int(next(match[name] for name in names if match[name]))
            if (kind, number) in found:
                continue
            mention = mentions[number]
            value, high = mention.value, mention.high
            start, end = mention.start, mention.end
            listed = [mentions[int(n)] for n in _listed(match, number)] if kind in _COUNTS_PEOPLE else []
            if listed:
                value, high = value + sum(other.value for other in listed), None
                start, end = min(start, listed[0].start), max(end, listed[-1].end)
            if "m2" in months and match["m2"]:
                value, high = value / 12, high / 12 if high else None
            elif "months" in months and match["months"]:
                value += mentions[int(match["months"])].value / 12
            found[(kind, number)] = _figure(
                kind, Mention(start, end, value, high, mention.qualifier, mention.kind), said, offset
            )
    for kind, number in _stated(shaped, mentions, {number for _, number in found}):
        found[(kind, number)] = _figure(kind, mentions[number], said, offset)
    if any(word in lowered for word in _CUSTODY):
        found |= {
            (kind, number): _figure(kind, term, said, offset) for kind, number, term in _terms(shaped, mentions, found)
        }
    found = {key: figure for key, figure in found.items() if key[0] != "sentence_years" or _custodial(shaped, key[1])}
    return sorted(_totals_kept(found, shaped, mentions).values(), key=lambda f: (f.span or (0, 0), f.kind))


def _terms(
    shaped: str, mentions: list[Mention], found: dict[tuple[str, int], Figure]
) -> Iterator[tuple[str, int, Mention]]:
    """Lengths of time in a sentence about prison, as terms of imprisonment in years: "jailed for
    five years, Holt for 40 months and Rawle for three", "a 10-year sentence", "six years and
    four months apiece". Numbers already read as another figure are left alone."""
    taken = {number for _, number in found}
    for match in _DURATION.finditer(shaped):
        number = int(match["v"])
        if number in taken:
            continue
        term = mentions[number]
        value = term.value / 12 if "month" in match["unit"] else term.value
        if match["months"]:
            value += mentions[int(match["months"])].value / 12
        yield "sentence_years", number, dataclasses.replace(term, value=value, high=None)


def _custodial(shaped: str, number: int) -> bool:
    """Whether a length of time is a term of imprisonment, not a suspended sentence, a licence, an
    order, a legal maximum or a time something went on for."""
    token = f"⟨c{number}⟩"
    place = shaped.find(token)
    before, after = shaped[max(0, place - 60) : place], shaped[place + len(token) :]
    adverbial = not before.strip(" ,") and shaped.find("⟨") == place  # "Over 12 months, …"
    return not (_NOT_A_TERM_BEFORE.search(before) or _NOT_A_TERM_AFTER.match(after) or adverbial)


def _stated(shaped: str, mentions: list[Mention], taken: set[int]) -> Iterator[tuple[str, int]]:
    """Figures named before their number, as a table's row would name them: "arrests totalled 47",
    "the number of vulnerable people safeguarded stood at 41", "Warrants: 14 executed"."""
    if not any(word in shaped for word in _STATING_WORDS):
        return
    for match in _STATED.finditer(shaped):
        number = int(match["v"])
        label = " ".join(shaped[max(0, match.start() - 80) : match.start()].rpartition("⟩")[2].split()[-6:])
        kind = None if number in taken or not label else kind_of_label(label, shaped[match.end() :], mentions[number])
        if kind:
            yield kind, number


def _listed(match: re.Match[str], number: int) -> list[str]:
    """The other counts of people a match adds to its number: those listed before it ("500 men and
    86 women were arrested") and, after a verb, those listed after it ("arrested 500 men and 86 women")."""
    before = [n for n in _TOKEN.findall(match[0]) if int(n) < number]
    after = _TOKEN.findall(match["more"]) if "more" in match.re.groupindex and match["more"] else []
    return before + after


def _totals_kept(
    found: dict[tuple[str, int], Figure], shaped: str, mentions: list[Mention]
) -> dict[tuple[str, int], Figure]:
    """A total's breakdown is not a figure of its own: of "38 weapons, including three guns" only
    the 38 is kept, and "41 people, including 17 children, were safeguarded" is 41."""
    heads = _breakdown_heads(shaped)
    kept: dict[tuple[str, int], Figure] = {}
    for (kind, number), figure in found.items():
        head = heads.get(number)
        if head is None or any(other == head for _, other in found):
            if head is None or (kind, head) not in found:  # a breakdown of another kind's figure stands
                kept[(kind, number)] = figure
        elif kind in _COUNTS_PEOPLE or kind == "weapons_seized":  # a total no pattern read, broken down
            total = mentions[head]
            kept[(kind, head)] = figure._replace(
                value=round(total.value, 2), high=total.high, qualifier=total.qualifier
            )
    return kept


def _breakdown_heads(shaped: str) -> dict[int, int]:
    """Each count within a breakdown ("including three guns", "four of them children"), with the
    count it breaks down."""
    heads: dict[int, int] = {}
    if not any(word in shaped for word in _BREAKDOWN_WORDS):
        return heads
    for marker in _BREAKDOWN.finditer(shaped):
        before = _TOKEN.findall(shaped, 0, marker.start())
        if before:
            head = int(before[-1])
            for number in _TOKEN.findall(shaped, marker.start(), marker.end() + _BREAKDOWN_REACH):
                if int(number) != head:
                    heads[int(number)] = head
    return heads


def _figure(kind: str, mention: Mention, sentence: str, offset: int) -> Figure:
    """A figure of `kind` from a number found at `offset` + its place in the sentence (`sentence`:
    its words, single-spaced)."""
    return Figure(
        kind=kind,
        value=round(mention.value, 2),
        unit=BY_NAME[kind].unit,
        sentence=sentence,
        span=(offset + mention.start, offset + mention.end),
        high=round(mention.high, 2) if mention.high else None,
        qualifier=mention.qualifier,
    )


def _distinct(figures: list[Figure]) -> tuple[Figure, ...]:
    """A figure restated (1,135 in the lead and again below) once; a lower bound ("more than
    1,000") dropped when the release gives a figure of that kind at least as large."""
    kept: list[Figure] = []
    seen: dict[tuple[str, float, float | None], str] = {}  # the sentence that gave it first
    for figure in figures:
        key = (figure.kind, figure.value, figure.high)
        if seen.get(key, figure.sentence) != figure.sentence:  # the same value twice in one sentence is two figures
            continue
        if figure.qualifier in _LOWER_BOUNDS and any(
            other.kind == figure.kind and other.value >= figure.value and not other.qualifier for other in figures
        ):
            continue
        seen.setdefault(key, figure.sentence)
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


def largest(figures: tuple[Figure, ...]) -> tuple[float | None, ...]:
    """A release's largest figure of each kind, in the order of `KINDS`, None where it gives none:
    what the figures pages and the open data sum."""
    found: dict[str, float] = {}
    for figure in figures:
        if figure.value > found.get(figure.kind, float("-inf")):
            found[figure.kind] = figure.value
    return tuple(map(found.get, _NAMES))
