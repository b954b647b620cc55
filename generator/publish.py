"""`python -m generator publish`: the built site as the whole tree of a branch, pushed.

ghp-import writes the commit with `git fast-import` straight into the branch, so the
user's working tree, index and current branch are never touched, and the branch
keeps its history (one commit per publish).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .build import BuildOptions, build
from .errors import GeneratorError
from .writer import MARKER


def publish(options: BuildOptions, remote: str, branch: str, message: str | None) -> str:
    """Build, then commit `options.output` as `branch` and push it to `remote`; returns the commit."""
    import ghp_import

    _git("rev-parse", "--show-toplevel", failure="this folder is not in a git repository; publish needs one")
    _git("remote", "get-url", remote, failure=f"there is no git remote named {remote!r} (see `git remote -v`)")
    current = _git("rev-parse", "--abbrev-ref", "HEAD", failure="cannot read the current branch")
    if current == branch:
        raise GeneratorError(f"you are on the {branch!r} branch; publish from your source branch instead")
    build(options)
    with _site_only(options.output) as site:
        try:
            ghp_import.ghp_import(
                str(site), remote=remote, branch=branch, push=True, mesg=message or "Publish the archive"
            )
        except ghp_import.GhpError as error:
            raise GeneratorError(f"publishing failed: {error.message}") from None
        except subprocess.CalledProcessError as error:
            raise GeneratorError(
                f"publishing failed: git {' '.join(error.cmd[1:])} exited {error.returncode}"
            ) from None
    return _git("rev-parse", f"refs/heads/{branch}", failure=f"the {branch!r} branch was not written")


@contextmanager
def _site_only(output: Path) -> Iterator[Path]:
    """The output without the build's own marker, as hard links (no copy of the files' bytes)."""
    folder = Path(tempfile.mkdtemp(prefix=f".{output.name}.publish-", dir=output.parent))
    try:
        for path in output.rglob("*"):
            target = folder / path.relative_to(output)
            if path.is_dir():
                target.mkdir(exist_ok=True)
            elif path != output / MARKER:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.link(path, target)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _git(*args: str, failure: str) -> str:
    result = subprocess.run(["git", *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise GeneratorError(failure)
    return result.stdout.strip()
