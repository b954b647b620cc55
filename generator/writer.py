"""Writing a build: into a staging folder, swapped in whole only when it succeeds."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from .errors import GeneratorError

# Left in every build so that a later build knows the folder is its own to replace.
MARKER = ".generator-build"


class Writer:
    """Writes files under one root, never outside it and never twice to the same path."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.written: set[str] = set()

    def write(self, relative_path: str, text: str) -> None:
        self._claim(relative_path).write_text(text, encoding="utf-8", newline="\n")

    def copy_tree(self, source: Path, relative_path: str) -> None:
        """Copy a folder of static files, skipping hidden ones."""
        for file in sorted(p for p in source.rglob("*") if p.is_file()):
            parts = file.relative_to(source).parts
            if any(part.startswith(".") for part in parts):
                continue
            shutil.copyfile(file, self._claim("/".join((relative_path, *parts))))

    def _claim(self, relative_path: str) -> Path:
        """The target path, once checked to lie inside the root and not to be written yet."""
        path = PurePosixPath(relative_path)
        if path.is_absolute() or ".." in path.parts or not path.parts:
            raise GeneratorError(f"refusing to write {relative_path!r}: outside the output folder")
        if relative_path in self.written:
            raise GeneratorError(f"two files would be written to {relative_path}; refusing to overwrite")
        self.written.add(relative_path)
        target = self.root.joinpath(*path.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        return target


@contextmanager
def staged_output(output: Path) -> Iterator[Path]:
    """Yield an empty staging folder beside `output`; on success it replaces `output` whole."""
    _check_replaceable(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{output.name}.staging-", dir=output.parent))
    try:
        yield stage
        (stage / MARKER).write_text("Built by the county-lines archive generator; replaced by each build.\n")
        os.chmod(stage, 0o755)
        _swap(stage, output)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def _check_replaceable(output: Path) -> None:
    if output.exists() and not output.is_dir():
        raise GeneratorError(f"{output} is a file, not a folder; choose another --output")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).exists():
        raise GeneratorError(
            f"{output} holds files that no build of this generator wrote; refusing to replace it "
            "(choose a new or empty folder with --output)"
        )


def _swap(stage: Path, output: Path) -> None:
    """Two renames on one file system: readers see the old site or the new one, never half of each."""
    if not output.exists():
        stage.rename(output)
        return
    old = output.with_name(f".{output.name}.old-{uuid.uuid4().hex}")
    output.rename(old)
    stage.rename(output)
    shutil.rmtree(old, ignore_errors=True)
