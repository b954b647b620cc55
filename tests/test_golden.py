"""The golden fixture site builds to exactly the committed output, file by file; each broken
input gives exactly its committed lines. After a deliberate change: `python -m tests.golden`."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import golden


def test_the_fixture_site_builds_to_the_committed_output(tmp_path: Path) -> None:
    golden.build(tmp_path / "output")
    built, expected = golden.files(tmp_path / "output"), golden.files(golden.EXPECTED)
    assert sorted(built) == sorted(expected), "files added or missing: run `python -m tests.golden` and review"
    changed = [name for name in built if built[name] != expected[name]]
    assert not changed, f"changed: {changed[:10]}; run `python -m tests.golden` and review the diff"


@pytest.mark.parametrize("case", golden.broken_cases(), ids=lambda case: case.name)
def test_a_broken_input_gives_exactly_its_lines(case: Path) -> None:
    expected = case.with_suffix(".expected").read_text()
    assert expected, f"{case.name} must give at least one line"
    assert golden.problems(case) == expected
