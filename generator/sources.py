"""Finding the content files, with the size and time that tell a rebuild what changed."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import NamedTuple

SUFFIXES = (".txt", ".md", ".markdown")


class Source(NamedTuple):
    """A tuple, not a dataclass: an archive has many files, and tuples are made and sorted in C."""

    path: str  # as found under the content folder (strings: a large archive has many)
    size: int
    mtime_ns: int


def find_content(
    folder: Path, suffixes: tuple[str, ...] | None = SUFFIXES, outside: list[str] | None = None
) -> list[Source]:
    """Every file under `folder` with one of `suffixes` (None: any), in a stable order.

    Hidden files and folders are skipped, and so are links to files outside `folder` (their
    paths are added to `outside`): a content folder cannot publish what lies beyond it.
    """
    found: list[Source] = []
    _walk(str(folder), suffixes, found, folder.resolve(), outside if outside is not None else [])
    return sorted(found)  # by path, then (never needed) size and time


def _walk(folder: str, suffixes: tuple[str, ...] | None, found: list[Source], root: Path, outside: list[str]) -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):  # a linked folder could loop forever
                _walk(entry.path, suffixes, found, root, outside)
            elif entry.is_symlink() and not Path(entry.path).resolve().is_relative_to(root):
                outside.append(entry.path)
            elif (suffixes is None or entry.name.lower().endswith(suffixes)) and entry.is_file():
                stat = entry.stat()
                found.append(Source(entry.path, stat.st_size, stat.st_mtime_ns))


def fingerprint(path: str | Path, data: bytes) -> str:
    """A file's identity for caches: its path and its bytes."""
    return hashlib.blake2b(os.fsencode(path) + b"\0" + data, digest_size=16).hexdigest()
