"""Hostile and broken circumstances: a build killed part-way, and requests for files outside
the output folder."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import html5lib
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.commands.build import BuildOptions, build
from generator.errors import BuildError, ContentError, GeneratorError
from generator.output.writer import MARKER, Output, OutputState
from generator.reading.content import read_article
from generator.reading.dates import DateError, looks_like_date_line, parse_date_line, parse_date_value
from generator.reading.forces import Registry

from . import corpus, synthetic
from .conftest import ROOT
from .crawl import release_pages


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_a_build_killed_part_way_leaves_the_last_site_and_the_next_build_cleans_up(tmp_path: Path) -> None:
    first = corpus.write(tmp_path / "first", corpus.corpus(20))
    second = corpus.write(tmp_path / "second", corpus.corpus(600, seed=8))
    output = tmp_path / "output"
    build(BuildOptions(content=first, output=output, base_url="https://example.org/"))
    before = tree(output)

    command = [sys.executable, "-m", "generator", "build", "--content", str(second), "--output", str(output)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not any(stage.glob("articles/*/index.html") for stage in tmp_path.glob(".output.staging-*")):
        assert process.poll() is None, "the build ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    assert tree(output) == before  # the last complete site, marker and all
    assert list(tmp_path.glob(".output.staging-*"))  # what the killed build left
    build(BuildOptions(content=second, output=output, base_url="https://example.org/"))
    assert not list(tmp_path.glob(".output.staging-*"))
    assert len(list((output / "articles").iterdir())) == len([r for r in corpus.corpus(600, seed=8) if not r.draft])
    assert (output / MARKER).exists()


# Broken and unusual files: each a clear warning or error, naming the file and line


def test_an_unknown_key_is_a_warning_at_its_line(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    text = synthetic.authored(title="Synthetic typo", extra_yaml="tittle: Synthetic typo")
    (content / "typo.md").write_text(text)
    report = build(BuildOptions(content=content, output=tmp_path / "output"))
    [warning] = [w for w in report.warnings if "unknown key" in w.message]
    assert warning.path.name == "typo.md" and warning.severity == "warning"
    assert warning.line == text.splitlines().index("tittle: Synthetic typo") + 1
    assert report.articles == 1


def test_a_link_to_a_file_outside_the_content_folder_is_skipped_with_a_warning(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "inside.md").write_text(synthetic.authored(title="Synthetic inside"))
    secret = tmp_path / "secret.md"
    secret.write_text(synthetic.authored(title="Synthetic secret outside"))
    (content / "escape.md").symlink_to(secret)
    (content / "alias.md").symlink_to(content / "inside.md")  # inside: read as a file of its own
    report = build(BuildOptions(content=content, output=tmp_path / "output"))
    [warning] = [w for w in report.warnings if "outside the content folder" in w.message]
    assert warning.path.name == "escape.md"
    pages = " ".join(p.read_text() for p in (tmp_path / "output").rglob("*.html"))
    assert "Synthetic secret outside" not in pages and "Synthetic inside" in pages


def test_the_same_release_twice_is_one_release_with_a_note(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    text = synthetic.scraped(title="Synthetic saved twice")
    (content / "a.txt").write_text(text)
    (content / "b.txt").write_text(text)
    report = build(BuildOptions(content=content, output=tmp_path / "output"))
    messages = [str(w) for w in report.warnings]
    assert any("b.txt:1: note: left out: the same release as" in m and "a.txt" in m for m in messages)
    assert any("b.txt:1: warning: the same release as" in m and "a.txt" in m for m in messages)
    assert report.articles == 1
    assert [page.parent.name for page in release_pages(tmp_path / "output")] == ["synthetic-release-1"]


@pytest.mark.slow
def test_a_release_of_several_megabytes_is_built(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    paragraph = "A synthetic sentence about county lines, repeated to make a very long release. " * 40
    body = "\n\n".join([paragraph] * 1500)  # about 5 MB
    (content / "big.txt").write_text(synthetic.scraped(title="Synthetic very long release", body=body))
    report = build(BuildOptions(content=content, output=tmp_path / "output"))
    (page,) = (tmp_path / "output" / "articles").glob("*/index.html")
    assert report.articles == 1 and page.stat().st_size > 4_500_000


# For any text at all: a release or the project's own error, never another exception


FENCED = st.builds(
    lambda head, body: f"```yaml\n{head}\n```\n\n{body}",
    st.text(alphabet=st.sampled_from(list("title: x\n-'\"[]{}#&*!|>%@`\t")), max_size=60),
    st.text(max_size=200),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=300), FENCED, st.binary(max_size=200)))
def test_any_file_gives_a_release_or_a_content_error(registry: Registry, data: str | bytes) -> None:
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
    try:
        parsed = read_article(Path("hypothesis.txt"), raw, registry)
    except ContentError as error:
        assert error.diagnostic.path.name == "hypothesis.txt" and error.diagnostic.line >= 1
        return
    assert parsed.article.title and parsed.article.slug
    assert "/" not in parsed.article.slug and ".." not in parsed.article.slug


@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.text(max_size=40), st.from_regex(r"[A-Z][a-z]{2} \d{1,2}, \d{4} \d{2}:\d{2} (GMT|BST)", fullmatch=True)
    )
)
def test_any_date_line_gives_a_date_or_a_date_error(line: str) -> None:
    if not looks_like_date_line(line):
        return
    try:
        moment, _ = parse_date_line(line)
    except DateError:
        return
    assert moment.tzinfo is not None


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=30), st.integers(), st.dates().map(str), st.datetimes().map(str), st.none()))
def test_any_date_value_gives_a_date_or_a_date_error(value: object) -> None:
    try:
        moment, _ = parse_date_value(value)
    except DateError:
        return
    assert moment.tzinfo is not None


BODIES = st.lists(
    st.sampled_from([*"ab <>&\"'/=*_`[]()!#\n-:;", "<script>", "</p>", "<a href=", "javascript:", "]]>", "</script>"]),
    max_size=60,
).map("".join)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(min_size=1, max_size=40).filter(lambda t: t.strip() and "\x00" not in t), body=BODIES)
def test_whatever_a_release_says_its_page_is_well_formed_and_holds_no_script(
    tmp_path_factory: pytest.TempPathFactory, title: str, body: str
) -> None:
    root = tmp_path_factory.mktemp("any")
    (root / "content").mkdir()
    quoted = json.dumps(title)  # a YAML double-quoted string
    (root / "content" / "any.md").write_text(f"---\ntitle: {quoted}\ndate: 2024-01-02\n---\n\n{body}\n")
    try:
        build(BuildOptions(content=root / "content", output=root / "output"))
    except BuildError:
        return  # the release was refused with the project's own error
    (page,) = (root / "output" / "articles").glob("*/index.html")
    html = page.read_text()
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)
    scripts = BeautifulSoup(html, "html5lib").find_all("script")
    assert [s.get("type") or s.get("src", "").rsplit("/", 1)[-1] for s in scripts] == ["application/ld+json", "site.js"]
    assert not BeautifulSoup(html, "html5lib").select("[onclick], [onerror], a[href^=javascript]")


@pytest.mark.parametrize("path", ["../escape.html", "/etc/passwd", "a/../../b.html", "a\\..\\b.html", "", "a//b.html"])
def test_nothing_is_ever_written_outside_the_output_folder(tmp_path: Path, path: str) -> None:
    output = Output(tmp_path / "output", OutputState())
    with pytest.raises(GeneratorError, match="outside the output folder"):
        output.put(path, b"synthetic")
    output.abandon()
    assert not (tmp_path / "escape.html").exists() and not (tmp_path / "output").exists()


def test_data_and_script_urls_and_handlers_are_removed_from_bodies(registry: Registry) -> None:
    body = (
        '<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="x"> <a href="data:text/html,hi">d</a> '
        '<a href=" JaVaScRiPt:alert(1)">j</a> <svg onload="x()"></svg> <iframe src="https://e.org"></iframe> '
        '<a href="https://example.org/ok" onmouseover="x()">ok</a>'
    )
    html = read_article(Path("x.txt"), synthetic.scraped(body=body).encode(), registry).body_html
    assert "data:" not in html and "javascript" not in html.lower()
    assert "onload" not in html and "onmouseover" not in html and "<iframe" not in html and "<svg" not in html
    assert '<a href="https://example.org/ok" rel="noopener noreferrer">ok</a>' in html
