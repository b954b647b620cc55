"""A release's body: Markdown to sanitised HTML, within a time budget.

Python-Markdown is most of the cost of reading a release, and most of a press
release is plain paragraphs that Markdown can only wrap in `<p>`. So each run of
plain paragraphs is handed to Markdown as one short placeholder paragraph and put
back afterwards; everything else goes through Markdown as written. The output is
the same as Markdown's own (`tests/test_markdown.py` checks it on generated text),
and the whole of it is sanitised by nh3 either way.

Markdown's time is not linear in its input: one scraped file of a few kilobytes could stall a
build for minutes (30 KB of `[` took 148 s, 16 KB of `![` 17 s, 8,000 `[x](` 13 s, 64 KB of
`# a` lines 11 s) or crash it (600 list markers on a line raise RecursionError, and leave the
shared converter broken for the releases after it). So `check_budget` estimates, before any
conversion, the time Markdown would take, from what the body makes it read again, and refuses a
body over `BUDGET_NS` (a second) with the line where the trouble starts. What each re-read
costs, measured on the build machine (2 shared cores, Python-Markdown 3.11, 4–192 KB of 165
shapes of repeated markup), rounded up:

- each inline match (emphasis, code, link, entity, escape, line break, raw HTML) makes Markdown
  rebuild and search its paragraph's text again: 8 ns a character, for each piece of markup;
- a heading, rule or setext underline splits its paragraph, and the rest is parsed again: 80 ns
  a character, for each such line;
- the link patterns scan in Python from a `[` to its matching `]`, and from a link's `](` to its
  `)`, through the 14-character placeholders of what was matched before: 1 µs a character while
  one is open (to the end of the paragraph when it never closes: the quadratic cases above);
- the HTML parser scans from a `<` that starts a tag to the next `>`, across paragraphs: 200 ns
  a character;
- and each piece of markup costs 120 µs once (elements made, serialised, sanitised): the budget
  holds about 8,000 of them.

Over most of those shapes the estimate is 1.3 to 30 times the real time (30 for raw HTML blocks,
which Markdown sets aside whole), so any body read takes about a second at most; a few kinds of
garbage (thousands of `*` in a row, parentheses nested in a link's address) are estimated
hundreds of times too high, and refused though Markdown would read them quickly. Ordinary
releases are far below: the seed is estimated at 1 ms, a 120-row table of links at 40 ms. Most
are not even estimated: a count of their marks (`_bound`: four C-speed passes, 15 µs for the
seed, 3–5% of its conversion) shows they cannot reach the budget. Lists and quotes nested more
than `MAX_NESTING` deep are refused too (Markdown recurses once a level; press releases nest two
or three). Plain text costs Markdown nothing (it is set aside), so a body of several megabytes
of paragraphs is still read.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from itertools import groupby
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import InlineProcessor, Treeprocessor

# Raw HTML in a release body is sanitised to what a press release needs.
_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li",
    "mark", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
_SANITISER = nh3.Cleaner(
    tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto", "tel"}
)

# A character that can start one of Python-Markdown's inline patterns (code, escapes, links,
# images, autolinks, raw HTML, entities, emphasis, footnotes, line breaks) or its placeholders.
_INLINE_MARKUP = re.compile(r"[`\\\[!<&*_\x02\x03]|  \n")

# A line Markdown can only treat as paragraph text: nothing that starts a block (headings,
# quotes, lists, rules, setext underlines, indented code, tables), no inline markup, nothing
# the serialiser escapes, no tabs or control characters, no space at either end.
_MARKUP = r"*_`\\\[\]<>&|~\x00-\x1f\x7f"
_PLAIN_LINE = re.compile(rf"(?![#>+\-=]|\d+[.)])[^\s{_MARKUP}](?:[^{_MARKUP}]*[^\s{_MARKUP}])?")
_PLACEHOLDER = "plainparagraphs{}x"  # a paragraph Markdown leaves as it is


class _DemoteHeadings(Treeprocessor):
    """The page's title is its only <h1>: a body's headings move down so that its highest is an
    <h2> (`# A` → <h2>, and `## B` stays <h2> in a body with no `#`), keeping their order."""

    def run(self, root: Element) -> None:
        headings = [element for element in root.iter() if element.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
        if not headings:
            return
        shift = max(0, 2 - min(int(element.tag[1]) for element in headings))
        for element in headings:
            element.tag = f"h{min(6, int(element.tag[1]) + shift)}"


class _QuickInlineProcessor(InlineProcessor):
    """Python-Markdown tries each of its inline patterns on each run of text, a Python call each.
    A run with no character that can start a pattern cannot match one, so it is returned at once.
    (If a future Markdown renames the method, this override is simply not used: slower, still
    right; `tests/test_markdown.py` checks the output is the same as Markdown's own.)"""

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if patternIndex == 0 and not _INLINE_MARKUP.search(data):
            return data
        handled: str = super()._InlineProcessor__handleInline(data, patternIndex)  # type: ignore[misc]
        return handled


class _PressReleaseMarkdown(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_DemoteHeadings(md), "demote_headings", 5)
        md.treeprocessors.register(_QuickInlineProcessor(md), "inline", 20)


# Press releases are paragraphs, emphasis, links, lists, quotes and now and then a table:
# "extra"'s footnotes, definition lists, abbreviations and attribute lists cost a third of
# the conversion time and serve no release we have seen. Given as instances, not names: a name
# makes Markdown read every installed package's entry points (30 ms of every edit's rebuild).
_MARKDOWN = markdown.Markdown(
    extensions=[TableExtension(), SaneListExtension(), _PressReleaseMarkdown()], output_format="html"
)


def render_markdown(body: str) -> str:
    """Sanitised HTML; raises `MarkdownBudgetError` for a body Markdown cannot read in time."""
    check_budget(body)
    return _SANITISER.clean(_convert(body))


def _convert(body: str) -> str:
    if "<" in body or "plainparagraphs" in body:  # raw HTML blocks can span blank lines
        return _MARKDOWN.reset().convert(body)
    text, runs = _set_aside_plain_runs(body)
    if not runs:
        return _MARKDOWN.reset().convert(body)
    converted = _MARKDOWN.reset().convert(text)
    pieces: list[str] = []
    for number, run in enumerate(runs):
        before, found, converted = converted.partition(f"<p>{_PLACEHOLDER.format(number)}</p>")
        if not found:  # Markdown read a placeholder as something else: convert as written
            return _MARKDOWN.reset().convert(body)
        pieces += (before, run)
    return "".join(pieces) + converted


def _set_aside_plain_runs(body: str) -> tuple[str, list[str]]:
    """The body with each run of plain paragraphs replaced by a placeholder line, and the runs' HTML."""
    kept: list[str] = []
    runs: list[list[str]] = []
    blanks_after_run: list[str] | None = None  # None: not in a run
    for is_blank, group in groupby(enumerate(body.split("\n")), key=_is_blank):
        lines = [line for _, line in group]
        if is_blank:
            (kept if blanks_after_run is None else blanks_after_run).extend(lines)
        elif all(_PLAIN_LINE.fullmatch(line) for line in lines):
            if blanks_after_run is None:
                kept.append(_PLACEHOLDER.format(len(runs)))
                runs.append([])
            runs[-1].append("\n".join(lines))
            blanks_after_run = []
        else:
            kept += (blanks_after_run or []) + lines
            blanks_after_run = None
    kept += blanks_after_run or []
    return "\n".join(kept), ["\n".join(f"<p>{paragraph}</p>" for paragraph in run) for run in runs]


def _is_blank(numbered: tuple[int, str]) -> bool:
    """Blank as Markdown sees it: it empties lines of spaces and tabs, except the first."""
    index, line = numbered
    return not line or (index > 0 and not line.strip(" \t"))


# The budget, and what each kind of work costs Markdown, in nanoseconds (see the docstring).
BUDGET_NS = 1_000_000_000
MAX_NESTING = 20
_MARKUP_NS = 120_000  # each piece of markup, once (its element made, serialised, sanitised)
_REREAD_NS = 8  # a character of a paragraph re-searched after an inline match
_SPLIT_NS = 80  # a character of a paragraph parsed again after a heading or rule splits it
_BRACKET_NS = 1_000  # a character scanned while a '[' or a link's '](' is open
_TAG_NS = 200  # a character scanned while a '<' that starts a tag is open

# The patterns read "\n" + body, so that every line starts after a "\n".
_PARAGRAPH_START = re.compile(r"\n[ \t]*(?=\n)")  # ends at the "\n" before a paragraph's first line
# A line that may start or split a block, with the markers and indentation it starts with.
_LINE_START = re.compile(rb"\n([ \t]*[-+*>|#=\d][ \t>*+.)\d-]*)")
# A line that splits its paragraph (heading, rule, underline), one that starts a list item,
# quote or table row, and what starts an inline pattern (an escape is one piece).
_PIECES = re.compile(
    r"\n(?: {0,3}(?P<split>#|[=-][-= \t]*(?=\n|$))|[ \t]*(?P<block>[-+>|]|\d+[.)]))"
    r"|\\.|[\[<&`*_\\]|  (?=\n)"
)
# Brackets and parentheses, and what Markdown replaces by a placeholder before it reads links.
_BRACKETS = re.compile(r"\\.|\]\(|[\[\]()<&`*_]")
_PLACEHOLDER_CHARS = 14  # "\x02klzzwxh:0001\x03", for an escape, a code span, an entity, ...
_TAGS = re.compile(r"<[A-Za-z]|>")
_INLINE_MARKS = b"[(<&`*_\\"
# A line opening lists or quotes, not a rule (dashes or stars alone, at most two spaces apart once
# tabs are spaces; one mark at a time, so that the pattern never backtracks over a long line).
_NESTED_LINE = re.compile(
    r"\n(?! {0,3}(?:-(?: {0,2}-)*|\*(?: {0,2}\*)*) *(?:\n|$))"
    r"((?:[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t])))+)"
)
_LEVEL = re.compile(r">|[-*+]|\d+[.)]")
_ESCAPES = {"'['": " (or escape them as \\[)", "'<'": " (or write them as &lt;)"}


class MarkdownBudgetError(Exception):
    """A body Markdown cannot read within the budget; `line` counts from 0, the body's first line.
    Picklable, so it crosses from a worker process intact."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message

    def __reduce__(self) -> tuple[type[MarkdownBudgetError], tuple[int, str]]:
        return type(self), (self.line, self.message)


def check_budget(body: str) -> None:
    """Refuse a body nested too deep for Markdown, or whose estimated time is over the budget."""
    if "\r" in body:  # Markdown reads "\r\n" and "\r" as "\n"
        body = body.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n" + body
    data = text.encode("utf-8", "surrogatepass")  # bytes: counted at C speed
    line_starts = _LINE_START.findall(data)
    if max(map(len, line_starts), default=0) > MAX_NESTING:  # a level takes at least one character
        _check_nesting(text)
    if _bound(data, len(line_starts)) <= BUDGET_NS:  # nearly every release: too few marks to matter
        return
    starts = [0] + [match.end() for match in _PARAGRAPH_START.finditer(text)]
    costs = [0.0] * len(starts)
    for add in (_add_markup, _add_brackets, _add_tags):
        add(text, starts, costs)
    if sum(costs) > BUDGET_NS:
        raise _over_budget(text, starts, costs)


def _check_nesting(text: str) -> None:
    for match in _NESTED_LINE.finditer(text):
        prefix = match[1].expandtabs(4)  # as Markdown reads it
        levels = len(_LEVEL.findall(prefix))  # and one for each 4 columns indented past the markers
        depth = levels + max(prefix.count(" ") - 4 * levels, 0) // 4
        if depth > MAX_NESTING:
            raise MarkdownBudgetError(
                _line(text, match.start()),
                f"lists or quotes nested {depth} deep: Markdown reads at most {MAX_NESTING} levels "
                "(deeper, it runs out of stack); remove some of the '>', '-', '*', '+' or '1.' "
                "markers, or the indentation, at the start of the line",
            )


def _bound(data: bytes, lines: int) -> float:
    """The estimate's upper bound from counts alone: each mark as if it were a '[' open to the
    end of the body, and each line that may be a block's as if it split a paragraph as long."""
    marks = len(data) - len(data.translate(None, _INLINE_MARKS)) + data.count(b"  \n")
    per_mark = _MARKUP_NS + (len(data) + marks * _PLACEHOLDER_CHARS) * (_BRACKET_NS + _REREAD_NS)
    per_line = _MARKUP_NS + len(data) * _SPLIT_NS
    return marks * per_mark + lines * per_line


def _add_markup(text: str, starts: list[int], costs: list[float]) -> None:
    """Each piece of markup once; and but for a block's start, a re-read of its whole paragraph."""
    ends = [*starts[1:], len(text)]
    for match in _PIECES.finditer(text):
        paragraph = bisect_right(starts, match.start()) - 1
        reread = _SPLIT_NS if match["split"] else 0 if match["block"] else _REREAD_NS
        costs[paragraph] += _MARKUP_NS + (ends[paragraph] - starts[paragraph]) * reread


def _add_brackets(text: str, starts: list[int], costs: list[float]) -> None:
    """Each character the link patterns scan in Python: while a '[' or a link's address is open,
    to the end of its paragraph when it never closes (Markdown's text stays within one), and with
    the placeholders that the patterns before them leave in the text."""
    paragraph, scanned, brackets, level = 0, 0, 0, 0
    addresses: list[int] = []  # the parenthesis level at which each open address closes
    ends = [*starts[1:], len(text)]
    for match in _BRACKETS.finditer(text):
        at = match.start()
        while at >= ends[paragraph]:  # a new paragraph: what was open was scanned to the end
            costs[paragraph] += (brackets + len(addresses)) * (ends[paragraph] - scanned) * _BRACKET_NS
            paragraph, scanned, brackets, level = paragraph + 1, ends[paragraph], 0, 0
            addresses.clear()
        token = match[0]
        scanned_over = at - scanned + (_PLACEHOLDER_CHARS if token[0] in "\\<&`*_" else 0)
        costs[paragraph] += (brackets + len(addresses)) * scanned_over * _BRACKET_NS
        scanned = at
        if token in ("](", "("):
            level += 1
            if token == "](" and brackets:  # a link's address, read only after its text
                addresses.append(level)
        if token == "[":
            brackets += 1
        elif token[0] == "]":
            brackets = max(brackets - 1, 0)
        elif token == ")":
            level = max(level - 1, 0)
            while addresses and addresses[-1] > level:
                addresses.pop()
    costs[paragraph] += (brackets + len(addresses)) * (len(text) - scanned) * _BRACKET_NS


def _add_tags(text: str, starts: list[int], costs: list[float]) -> None:
    """Each character the HTML parser scans for the end of a tag, charged to the tag's paragraph."""
    opened: list[int] = []
    for match in _TAGS.finditer(text):
        if match[0] == ">":
            _charge_tags(opened, match.start(), starts, costs)
        else:
            opened.append(match.start())
    _charge_tags(opened, len(text), starts, costs)


def _charge_tags(opened: list[int], end: int, starts: list[int], costs: list[float]) -> None:
    for at in opened:
        costs[bisect_right(starts, at) - 1] += (end - at) * _TAG_NS
    opened.clear()


def _over_budget(text: str, starts: list[int], costs: list[float]) -> MarkdownBudgetError:
    """The error at the paragraph that costs most, naming its commonest piece of markup (or the
    release's, when the cost is spread over many paragraphs)."""
    total = sum(costs)
    paragraph = max(range(len(costs)), key=costs.__getitem__)
    start, end = starts[paragraph], ([*starts, len(text)])[paragraph + 1]
    in_paragraph = costs[paragraph] * 2 > total
    region = text[start:end] if in_paragraph else text
    piece, count = Counter(map(_piece_name, _PIECES.finditer(region))).most_common(1)[0]
    return MarkdownBudgetError(
        _line(text, start),
        f"Markdown cannot read this release in time (up to an estimated {total / 1e9:,.1f} s; the budget "
        f"is {BUDGET_NS / 1e9:,.0f} s): {'the paragraph starting here' if in_paragraph else 'this release'} "
        f"has {count:,} {piece} in {len(region.strip()):,} characters, and Markdown's time grows with "
        "the number of such marks times the text each makes it read again; remove most of them"
        + _ESCAPES.get(piece, "")
        + (", or split the paragraph with blank lines" if in_paragraph else ""),
    )


def _piece_name(match: re.Match[str]) -> str:
    if match["split"]:
        return "headings or rules"
    if match["block"]:
        return "list items, quotes or table rows"
    return "line breaks of two spaces" if match[0] == "  " else f"'{match[0][0]}'"


def _line(text: str, at: int) -> int:
    """The body's line (from 0) that the "\n" at `at` of "\n" + body starts."""
    return text.count("\n", 0, at)
