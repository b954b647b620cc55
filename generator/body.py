"""A release's body: Markdown to sanitised HTML.

Python-Markdown is most of the cost of reading a release, and most of a press
release is plain paragraphs that Markdown can only wrap in `<p>`. So each run of
plain paragraphs is handed to Markdown as one short placeholder paragraph and put
back afterwards; everything else goes through Markdown as written. The output is
the same as Markdown's own (`tests/test_markdown.py` checks it on generated text),
and the whole of it is sanitised by nh3 either way.
"""

from __future__ import annotations

import re
from itertools import groupby
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.extensions import Extension
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
# the conversion time and serve no release we have seen.
_MARKDOWN = markdown.Markdown(extensions=["tables", "sane_lists", _PressReleaseMarkdown()], output_format="html")


def render_markdown(body: str) -> str:
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
