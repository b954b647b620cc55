"""The quick paths (plain paragraphs set aside, plain inline text returned at once) give exactly
Python-Markdown's own output."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.extensions import Extension

from generator.reading.body import _MARKDOWN, _convert, _DemoteHeadings

from .conftest import SEED


class _Demote(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_DemoteHeadings(md), "demote_headings", 5)


STOCK = markdown.Markdown(extensions=["tables", "sane_lists", _Demote()], output_format="html")

SAMPLES = [
    SEED.read_text(encoding="utf-8"),
    "Plain words only, a long press release paragraph.\n\nAnother one.",
    "**Bold** and *em* and _under_ and __strong__ and snake_case_word and 2 * 3 * 4.",
    'A [link](https://example.org) and ![image](https://example.org/i.png "t") and [ref][r].\n\n[r]: https://e.org',
    "Autolink <https://example.org> and <mail@example.org> and &amp; &copy; & alone.",
    "Line with two spaces  \nbreak, `code`, and \\*escaped\\*.",
    "Raw <span>html</span> inline and <b>bold</b>.\n\n<div>block</div>",
    "Footnote[^1].\n\n[^1]: The note.",
    "*[HTML]: Hyper Text Markup Language\n\nThe HTML spec.",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "# Heading\n\n## Sub {#id}\n\nTerm\n:   Definition",
    "> quoted **text**\n\n1. one\n2. two\n\n- a\n- b",
    "Curly ‘quotes’ – dashes — and £5,000 seized; 10% up.",
    # one sample for each character that can start an inline pattern, alone in its paragraph
    "Only `code` here.",
    "Only \\# an escape.",
    "Only [a link](https://example.org) here.",
    "Only <https://example.org> here.",
    "Only &copy; here.",
    "Only *emphasis* here.",
    "Only _emphasis_ here.",
    "Only a line  \nbreak.",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_quick_inline_path_matches_markdown(text: str) -> None:
    assert _MARKDOWN.reset().convert(text) == STOCK.reset().convert(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \n*_`[]()!<>&#\\:-=|{}^~.1\t\"'/")), max_size=80))
def test_quick_inline_path_matches_markdown_on_any_text(text: str) -> None:
    assert _MARKDOWN.reset().convert(text) == STOCK.reset().convert(text)


# Documents made of the blocks press releases have, joined by the separators that decide where a
# Markdown block ends: plain paragraphs next to everything that could change how they are read.
_WORDS = st.sampled_from(["Police", "said", "£1.2m", "2,000", "“quote”", "it’s", "a", "(x)", "–", "2.5", "Mr.", "end."])
_PLAIN = st.lists(_WORDS, min_size=1, max_size=6).map(" ".join)
_BLOCK_STARTS = st.sampled_from(
    [
        "",
        "",
        "",
        " ",
        "    ",
        "\t",
        "# ",
        "> ",
        "- ",
        "* ",
        "+ ",
        "1. ",
        "2) ",
        "**",
        "_",
        "|",
        "===",
        "---",
        "<div>",
        "[r]: ",
    ]
)
_LINE = st.builds(
    lambda start, text, end: start + text + end,
    _BLOCK_STARTS,
    _PLAIN,
    st.sampled_from(["", "", " ", "  ", "**", "|", " &", "\\"]),
)
_SEPARATORS = st.sampled_from(["\n", "\n\n", "\n\n", "\n\n\n", "\n  \n", "\n\t\n", "\n\u00a0\n", "\n\x02\n"])


@st.composite
def _documents(draw: st.DrawFn) -> str:
    lines = draw(st.lists(_LINE, min_size=1, max_size=12))
    text = lines[0]
    for line in lines[1:]:
        text += draw(_SEPARATORS) + line
    return draw(st.sampled_from(["", "\n", "  \n", "    \n\n"])) + text + draw(st.sampled_from(["", "\n", "\n\n  "]))


@settings(max_examples=500, deadline=None)
@given(_documents())
def test_plain_paragraphs_set_aside_match_markdown(text: str) -> None:
    assert _convert(text) == STOCK.reset().convert(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \n\n\n*_`[]<>&#:-=|.1\t\u00a0")), max_size=80))
def test_plain_paragraphs_set_aside_match_markdown_on_any_text(text: str) -> None:
    assert _convert(text) == STOCK.reset().convert(text)


@pytest.mark.parametrize("text", SAMPLES)
def test_plain_paragraphs_set_aside_match_markdown_on_samples(text: str) -> None:
    assert _convert(text) == STOCK.reset().convert(text)
