"""Unlucky content folders and hostile values: each a clear `path:line: message` from `check` and
`build` alike, never a traceback, and nothing published that should not be."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import generator.reading.sources
from generator.commands.build import BuildOptions, build
from generator.errors import BuildError

from . import synthetic
from .conftest import ROOT, SEED

pytestmark = pytest.mark.slow  # builds and commands run for real: the fast loop leaves them out


def run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in `folder`, as a user runs it; it must end (a named pipe once blocked it)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "generator", *args]
    return subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=300)


def site(tmp_path: Path, files: dict[str, str]) -> Path:
    content = tmp_path / "content"
    content.mkdir(exist_ok=True)
    (content / SEED.name).write_bytes(SEED.read_bytes())
    for name, text in files.items():
        (content / name).write_text(text)
    (tmp_path / "site.yaml").write_text("title: Synthetic unlucky archive\nbase_url: https://example.org/\n")
    return content


def assert_fails_alike(tmp_path: Path, line: str) -> None:
    """`check` fails wherever `build` would, with the same error lines, and never a traceback."""
    results = [run(tmp_path, command) for command in ("check", "build")]
    for result in results:
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert line in result.stderr.splitlines()
    errors = [[text for text in result.stderr.splitlines() if ": error: " in text] for result in results]
    assert errors[0] == errors[1]
    assert not (tmp_path / "output").exists()


EDGE_DATES = [
    ("date line", "Jan 1, 0001 00:00 GMT", 1),
    ("date line", "Dec 31, 9999 23:59 GMT", 9999),
    ("date line", "1 January 0001", 1),
    ("date", "0001-01-01T00:00:00+14:00", 1),
    ("date", "9999-12-31T23:59:59-14:00", 9999),
    ("date", "0001-01", 1),
    ("date", "9999-12", 9999),
    ("date", "'Jan 1, 0001'", 1),
    ("date", "0001-01-01", 1),
]


@pytest.mark.parametrize(("where", "value", "year"), EDGE_DATES)
def test_dates_at_the_calendars_edges_are_errors_at_their_line(
    tmp_path: Path, where: str, value: str, year: int
) -> None:
    if where == "date line":
        text = synthetic.scraped(title="Synthetic edge date", date_line=value)
        line = text.splitlines().index(value) + 1
    else:
        text = synthetic.authored(title="Synthetic edge date", date=value)
        line = text.splitlines().index(f"date: {value}") + 1
    site(tmp_path, {"edge.txt": text})
    message = f"the year {year} is out of range: a release's date must fall between 1800 and 2999"
    assert_fails_alike(tmp_path, f"content/edge.txt:{line}: error: {message}")


@pytest.mark.parametrize(
    "value",
    ["!!set {a, b}", "!!binary aGVsbG8=", "!!omap [a: 1, b: 2]", "[a, !!set {b}]", "{x: !!binary aGk=}"],
)
def test_yaml_values_that_are_not_plain_are_errors_at_their_line(tmp_path: Path, value: str) -> None:
    text = synthetic.authored(title="Synthetic odd value", extra_yaml=f"summary: {value}")
    site(tmp_path, {"odd.md": text})
    line = text.splitlines().index(f"summary: {value}") + 1
    result = run(tmp_path, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"content/odd.md:{line}: error: 'summary' holds " in result.stderr


def test_links_that_lead_nowhere_and_things_that_are_not_files_are_skipped_with_a_warning(tmp_path: Path) -> None:
    content = site(tmp_path, {})
    (content / "loop-a.md").symlink_to(content / "loop-b.md")
    (content / "loop-b.md").symlink_to(content / "loop-a.md")
    (content / "self.md").symlink_to(content / "self.md")
    (content / "broken.md").symlink_to(content / "missing.md")
    (content / "sub").mkdir()
    (content / "folder-link.md").symlink_to(content / "sub")
    os.mkfifo(content / "pipe.md")
    os.mkfifo(content / "pipe")
    result = run(tmp_path, "build")
    assert result.returncode == 0, result.stderr
    warnings = {line.split(":")[0]: line for line in result.stderr.splitlines() if ": warning: skipped: " in line}
    assert set(warnings) == {
        f"content/{name}"
        for name in ("loop-a.md", "loop-b.md", "self.md", "broken.md", "folder-link.md", "pipe.md", "pipe")
    }
    assert "a named pipe" in warnings["content/pipe.md"] and "loops" in warnings["content/self.md"]
    assert "Built 1 release" in result.stderr


def test_a_content_folder_that_cannot_be_read_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its releases would otherwise be missing without a word. (Root reads any folder whatever its
    mode, so the refusal is made by the file system call itself.)"""
    content = site(tmp_path, {})
    hidden = content / "2021"
    hidden.mkdir()
    (hidden / "release.md").write_text(synthetic.authored(title="Synthetic release in a locked folder"))
    real = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if Path(path) == hidden:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(generator.reading.sources.os, "scandir", scandir)
    options = BuildOptions(content=content, output=tmp_path / "output", config=tmp_path / "site.yaml")
    with pytest.raises(BuildError) as failure:
        build(options)
    [error] = failure.value.diagnostics
    assert error.path == hidden and error.message == "cannot read the folder: Permission denied"
    assert not (tmp_path / "output").exists()


def test_file_names_are_printed_escaped(tmp_path: Path) -> None:
    """A name cannot fake a line of the report, or clear the terminal."""
    names = ["fake\nother.md:1: error: forged.md", "clear\x1b[2J.md", "bell\x07.md"]
    site(tmp_path, dict.fromkeys(names, "---\ntitle: [unclosed\n---\n"))
    result = run(tmp_path, "build")
    assert result.returncode == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(lines) == 3 and all(line.startswith("content/") for line in lines)
    assert any(line.startswith(r"content/fake\nother.md:1: error: forged.md:3: error:") for line in lines)
    assert any(line.startswith(r"content/clear\x1b[2J.md:3: error:") for line in lines)


def test_a_title_that_is_a_spreadsheet_formula_stays_text_in_the_csv(tmp_path: Path) -> None:
    """OWASP's advice for CSV cells; the JSON keeps the text as it is."""
    titles = [
        '=HYPERLINK("https://example.org","Synthetic")',
        "+1 synthetic",
        "-cmd synthetic",
        "@SUM(A1)",
        "＝SUM(A1) full-width synthetic",
    ]
    files = {
        f"formula-{n}.md": synthetic.authored(title=title, date=f"2022-01-0{n + 1}") for n, title in enumerate(titles)
    }
    site(tmp_path, files)
    assert run(tmp_path, "build").returncode == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "output/data/releases.csv").read_text())))
    cells = {row["title"] for row in rows}
    published = {
        release["title"] for release in json.loads((tmp_path / "output/data/releases.json").read_text())["releases"]
    }
    for title in titles:
        shown = " ".join(title.split())
        assert "'" + shown in cells and shown not in cells
        assert shown in published
    assert all(not cell.startswith(("=", "+", "-", "@", "\t")) for row in rows for cell in row.values())


@pytest.mark.parametrize(("setting", "arguments"), [("static: .\n", []), ("", ["--content", "."])])
def test_an_output_folder_inside_a_folder_the_build_reads_whole_is_refused(
    tmp_path: Path, setting: str, arguments: list[str]
) -> None:
    """A static folder of `.` would copy output/ into output/static/ at every build, growing."""
    site(tmp_path, {})
    (tmp_path / "site.yaml").write_text(f"title: Synthetic folders\n{setting}")
    result = run(tmp_path, "build", *arguments)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "holds the output folder output" in result.stderr
    assert not (tmp_path / "output").exists()
