"""The golden fixture: a small synthetic site built and compared file by file with what is
committed in `expected/`, and broken inputs with the exact lines each must produce.

Regenerate both after a deliberate change to the output, and review the diff in the commit:

    .venv/bin/python -m tests.golden

Left out of the comparison: `pagefind/`, the search index. It is the Pagefind binary's output,
not ours: its bytes change with Pagefind's version (a range in pyproject.toml, not a pin), and it
writes each index's filters in a random order, so its filter files, the `.pf_meta` files and
`pagefind-entry.json` that name them differ between two runs over the same releases. Search is
tested in a real browser instead (tests/test_search.py). Also left out: the `.generator-build`
marker, which holds each build's random token.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SITE = HERE / "site"
EXPECTED = HERE / "expected"
BROKEN = HERE / "broken"
ROOT = HERE.parent.parent
_SKIPPED = ("pagefind/", ".generator-build")


def build(output: Path) -> None:
    """Build a copy of the fixture site (its cache goes with it) into `output` with the CLI."""
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch, "site")
        shutil.copytree(SITE, site)
        _cli(site, "build", "--output", str(output), "--quiet")


def files(folder: Path) -> dict[str, bytes]:
    """Every compared file of a built site, by its path."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.relative_to(folder).as_posix().startswith(_SKIPPED)
    }


def broken_cases() -> list[Path]:
    return sorted(path for path in BROKEN.iterdir() if path.suffix in (".md", ".txt"))


def problems(case: Path) -> str:
    """What `check` prints for a content folder holding only `case`: its `path:line:` lines."""
    with tempfile.TemporaryDirectory() as scratch:
        content = Path(scratch, "content")
        content.mkdir()
        shutil.copy(case, content / case.name)
        result = _cli(Path(scratch), "check", "--content", "content", check=False)
    return "".join(line + "\n" for line in result.stderr.splitlines() if line.startswith("content/"))


def regenerate() -> None:
    shutil.rmtree(EXPECTED, ignore_errors=True)
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch, "output")
        build(output)
        for name, data in files(output).items():
            target = EXPECTED / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    for case in broken_cases():
        case.with_suffix(".expected").write_text(problems(case))


def _cli(folder: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8", "HOME": str(folder)}
    command = [sys.executable, "-m", "generator", *args]
    return subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, check=check, timeout=300)
