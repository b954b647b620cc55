"""A body Markdown cannot read in time is refused at its line, and every other body renders as
Markdown renders it.

Each shape of the family below stalled Python-Markdown for 4 s to minutes (on the 2-core build
machine) or crashed it with RecursionError before the budget; each is now refused in a fraction of
a second. Tests do not time anything: a deadline fails a test that is still reading rather than
let it hang.
"""

from __future__ import annotations

import pickle
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import ContentError
from generator.reading.body import (
    _SANITISER,
    BUDGET_NS,
    MAX_NESTING,
    MarkdownBudgetError,
    check_budget,
    render_markdown,
)
from generator.reading.content import read_article, read_plain_page
from generator.reading.forces import Registry

from . import synthetic
from .conftest import ROOT, SEED
from .test_markdown import STOCK

DEADLINE = 60  # seconds: generous, for a test that would otherwise read for minutes
INTRO = "Synthetic introduction, a paragraph before the trouble."

# Shapes at a size that took seconds or more before: Markdown re-read them again and again.
COSTLY = {
    "30,000 [": "[" * 30_000,
    "8,000 ![": "![" * 8_000,
    "8,000 [x](": "[x](" * 8_000,
    "20,000 nested links": "[" * 20_000 + "x" + "](https://example.org)" * 20_000,
    "[x][ references": "[x][" * 4_000,
    "[^ notes": "[^" * 8_000,
    "[( alternating": "[(" * 8_000,
    "[a]( addresses never closed": "[a]( " * 4_000,
    "[a](< addresses never closed": "[a](<" * 4_000,
    "[[[x]]] nested brackets": "[" * 5_000 + "x" + "]" * 5_000,
    "<![CDATA[": "<![CDATA[" * 2_000,
    "<a tags never closed": "<a " * 6_000,
    "<a tags never closed, a paragraph each": "<a\n\n" * 6_000,
    "<a href=' quotes never closed": "<a href='" * 8_000,
    "headings in one paragraph": "# a\n" * 16_000,
    "setext underlines in one paragraph": "a\n=\n" * 8_000,
    "rules in one paragraph": "---\n" * 16_000,
    "emphasis in one paragraph": "*a* " * 48_000,
    "nested emphasis": "*_" * 48_000 + "a" + "_*" * 48_000,
    "code spans in one paragraph": "`a` " * 48_000,
    "escapes in one paragraph": "\\* " * 66_000,
    "line breaks in one paragraph": "a  \n" * 48_000,
    "inline HTML in one paragraph": "<b>a</b> " * 24_000,
    "40,000 paragraphs of emphasis": "*a*\n\n" * 40_000,
}
# (shape, the line of the shape the error names): Markdown recursed until it ran out of stack.
NESTED = {
    "600 nested - lists": ("- " * 600 + "x", 0),
    "600 nested * lists": ("* " * 600 + "x", 0),
    "600 nested 1. lists": ("1. " * 600 + "x", 0),
    "600 nested - 1. lists": ("- 1. " * 600 + "x", 0),
    "600 nested + lists, a tab apart": ("+\t" * 600 + "x", 0),
    "lists nested by indentation": ("".join("    " * i + "- a\n" for i in range(320)), MAX_NESTING + 1),
    "quotes nested a paragraph each": ("".join(">" * i + " a\n\n" for i in range(1, 600)), 2 * MAX_NESTING),
}

ORDINARY = [
    SEED.read_text(encoding="utf-8").split("```", 2)[2],
    (ROOT / "content" / "pages" / "about.md").read_text(encoding="utf-8").split("---", 2)[2],
    '**Bold** and *em*, a [link](https://example.org "title") and ![an image](https://example.org/i.png).\n\n'
    "A [reference][r], <https://example.org>, `code`, &amp; and snake_case_words.\n\n[r]: https://example.org/r",
    "- one\n- two\n    - two a\n        - two a i\n        - two a ii\n    - two b\n- three\n\n1. first\n2. second",
    "> A quote from a *detective*:\n>\n> > nested once\n\n## Background\n\nText.\n\n---\n\nMore text.",
    "| Force | Arrests |\n|---|---|\n"
    + "".join(f"| [Force {i}](https://example.org/{i}) | {i * 7} |\n" for i in range(120)),
    "Those sentenced:\n\n"
    + "".join(f"- **Name {i}**, 2{i % 10}, of [Town](https://example.org/t{i}), jailed\n" for i in range(80)),
    ("A long paragraph with *some emphasis*, a [link](https://example.org) and (brackets) " * 60).strip(),
    "<p>Raw <b>HTML</b> and a <a href='https://example.org'>link</a>.</p>\n\nThen Markdown.<br>\nAnd a break.",
]


@contextmanager
def deadline(seconds: float = DEADLINE) -> Iterator[None]:
    """Fails the test instead of hanging: Markdown's loops are Python code, which the alarm interrupts."""

    def fail(signum: int, frame: object) -> None:
        pytest.fail(f"still reading after {seconds:.0f} s", pytrace=False)

    previous = signal.signal(signal.SIGALRM, fail)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def release(shape: str) -> tuple[str, int]:
    """A scraped release whose body is an introduction and `shape`, and the line the shape starts on."""
    text = synthetic.scraped(title="Synthetic costly body", body=f"{INTRO}\n\n{shape}")
    return text, text[: text.index(INTRO)].count("\n") + 3


def stock(body: str) -> str:
    """What the body was before the budget: Markdown's own conversion, sanitised."""
    return _SANITISER.clean(STOCK.reset().convert(body))


@pytest.mark.parametrize("shape", COSTLY.values(), ids=COSTLY.keys())
def test_a_costly_body_is_an_error_at_its_line(registry: Registry, shape: str) -> None:
    message = refused(registry, shape, 0)
    assert message.startswith("Markdown cannot read this release in time (up to an estimated ")
    assert "; remove most of them" in message


@pytest.mark.parametrize(("shape", "offset"), NESTED.values(), ids=NESTED.keys())
def test_a_body_nested_too_deep_is_an_error_at_its_line(registry: Registry, shape: str, offset: int) -> None:
    message = refused(registry, shape, offset)
    assert message.startswith("lists or quotes nested ") and f"at most {MAX_NESTING} levels" in message


def refused(registry: Registry, shape: str, offset: int) -> str:
    """The message of the error reading a release with `shape` gives, at the line `offset` into it."""
    text, first_line = release(shape)
    with deadline(), pytest.raises(ContentError) as raised:
        read_article(Path("costly.txt"), text.encode(), registry)
    assert str(raised.value).startswith(f"costly.txt:{first_line + offset}: error: ")
    return raised.value.diagnostic.message


@pytest.mark.parametrize(
    "shape",
    [shape[:300] for shape in COSTLY.values()] + [shape[: 2 * MAX_NESTING] for shape, _ in NESTED.values()],
    ids=[*COSTLY, *NESTED],
)
def test_a_short_run_of_each_shape_renders_as_markdown_does(shape: str) -> None:
    with deadline():
        assert render_markdown(shape) == stock(shape)


@pytest.mark.parametrize("body", ORDINARY)
def test_ordinary_bodies_render_as_markdown_does(body: str) -> None:
    assert render_markdown(body) == stock(body)


def test_the_seed_release_reads_as_before(registry: Registry) -> None:
    body = SEED.read_text(encoding="utf-8").split("```", 2)[2].split("\n", 3)[3]  # after the date line
    assert read_article(SEED, SEED.read_bytes(), registry).body_html == stock(body)


@pytest.mark.parametrize("line", ["-" * 60 + ":", "*" * 60 + ":", "- " * 10 + "-" * 40 + ":", "1." * 30 + ")"])
def test_a_long_line_of_marks_is_read_in_time(line: str) -> None:
    """The guard's own patterns never backtrack over a line (one once took hours over 60 dashes)."""
    body = f"{INTRO}\n\n{line}\n{line}\n\n> {line}"
    with deadline():
        assert render_markdown(body) == stock(body)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.text(alphabet=st.sampled_from(list("[]()!<>*_`\\&|#-+=:'\"/a1. \t\n")), min_size=1, max_size=6),
    st.sampled_from([4_000, 16_000]),
)
def test_any_repeated_run_renders_or_is_an_error_in_time(registry: Registry, unit: str, size: int) -> None:
    """Shapes of the family not listed above: a run of any few characters, repeated."""
    shape = unit * (size // len(unit))
    text, first_line = release(shape)
    try:
        with deadline():
            parsed = read_article(Path("run.txt"), text.encode(), registry)
    except ContentError as error:
        assert first_line <= error.diagnostic.line <= first_line + shape.count("\n")
        return
    assert INTRO in parsed.body_html


def test_a_site_page_is_refused_at_its_line_too() -> None:
    text = "---\ntitle: Synthetic page\n---\n\nIntroduction.\n\n" + "1. " * 600 + "x\n"
    with pytest.raises(ContentError) as raised:
        read_plain_page(Path("about.md"), text.encode())
    assert raised.value.diagnostic.line == 7 and "nested 600 deep" in raised.value.diagnostic.message


def test_the_error_names_the_mark_and_says_how_to_fix_it() -> None:
    with pytest.raises(MarkdownBudgetError) as raised:
        check_budget(f"{INTRO}\n\n{'[' * 30_000}")
    assert raised.value.line == 2
    message = raised.value.message
    assert "the paragraph starting here has 30,000 '[' in 30,000 characters" in message
    assert "escape them as \\[" in message and "split the paragraph with blank lines" in message
    assert f"the budget is {BUDGET_NS / 1e9:.0f} s" in message


def test_the_error_crosses_process_boundaries_intact() -> None:
    error = pickle.loads(pickle.dumps(MarkdownBudgetError(3, "too costly")))
    assert (error.line, error.message, str(error)) == (3, "too costly", "too costly")


def test_check_reports_costly_releases_with_their_lines(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "good.txt").write_text(synthetic.scraped(title="Synthetic good"))
    for name, shape in (("brackets", COSTLY["30,000 ["]), ("lists", NESTED["600 nested - lists"][0])):
        text, line = release(shape)
        (content / f"{name}.txt").write_text(text)
    command = [sys.executable, "-m", "generator", "check", "--content", "content"]
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=DEADLINE)
    assert result.returncode == 1
    assert f"content/brackets.txt:{line}: error: Markdown cannot read this release in time" in result.stderr
    assert f"content/lists.txt:{line}: error: lists or quotes nested 600 deep" in result.stderr
