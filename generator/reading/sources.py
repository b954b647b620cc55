"""Finding the content files, with the size and time that tell a rebuild what changed."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import NamedTuple

from generator.errors import Diagnostic

SUFFIXES = (".txt", ".md", ".markdown")


class Source(NamedTuple):
    """A tuple, not a dataclass: an archive has many files, and tuples are made and sorted in C."""

    path: str  # as found under the content folder (strings: a large archive has many)
    size: int
    mtime_ns: int


def find_content(
    folder: Path, suffixes: tuple[str, ...] | None = SUFFIXES, problems: list[Diagnostic] | None = None
) -> list[Source]:
    """Every file under `folder` with one of `suffixes` (None: any), in a stable order.

    Hidden files and folders are skipped. So are, each with a warning added to `problems`, links
    to files outside `folder` (a content folder cannot publish what lies beyond it), links that
    lead nowhere, and what is not a file (a named pipe would block the build); a folder that
    cannot be read is an error there, since its releases would be missing without a word.
    """
    found: list[Source] = []
    _walk(str(folder), suffixes, found, folder.resolve(), problems if problems is not None else [])
    return sorted(found)  # by path, then (never needed) size and time


def _walk(
    folder: str, suffixes: tuple[str, ...] | None, found: list[Source], root: Path, problems: list[Diagnostic]
) -> None:
    try:
        with os.scandir(folder) as scan:
            entries = list(scan)
    except OSError as error:
        problems.append(Diagnostic(Path(folder), 1, f"cannot read the folder: {error.strerror}"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_file(follow_symlinks=False):  # the usual case, told by the folder listing alone
                if suffixes is None or entry.name.lower().endswith(suffixes):
                    stat = entry.stat(follow_symlinks=False)
                    found.append(Source(entry.path, stat.st_size, stat.st_mtime_ns))
                continue
            if entry.is_dir(follow_symlinks=False):  # a linked folder could loop forever
                _walk(entry.path, suffixes, found, root, problems)
                continue
            skipped = _skipped(entry, root)
            if skipped:
                problems.append(Diagnostic(Path(entry.path), 1, f"skipped: {skipped}", "warning"))
            elif (suffixes is None or entry.name.lower().endswith(suffixes)) and entry.is_file():
                stat = entry.stat()
                found.append(Source(entry.path, stat.st_size, stat.st_mtime_ns))
        except OSError as error:
            problems.append(Diagnostic(Path(entry.path), 1, f"cannot read the file: {error.strerror}"))


def _skipped(entry: os.DirEntry[str], root: Path) -> str | None:
    """Why a folder entry that is not a plain file or folder is left out, if it is."""
    if entry.is_symlink():
        try:
            target = Path(entry.path).resolve(strict=True)
        except (OSError, RuntimeError):  # RuntimeError: a loop, before Python 3.13
            return "a link that leads nowhere (its target is missing, or it loops)"
        if not target.is_relative_to(root):
            return "a link to a file outside the content folder"
        if target.is_dir():
            return "a link to a folder (links to folders are not followed)"
    mode = entry.stat().st_mode
    if stat.S_ISREG(mode):
        return None
    kinds = {
        stat.S_IFIFO: "a named pipe",
        stat.S_IFSOCK: "a socket",
        stat.S_IFCHR: "a device",
        stat.S_IFBLK: "a device",
    }
    return f"not a file ({kinds.get(stat.S_IFMT(mode), 'not a regular file')})"


def fingerprint(path: str | Path, data: bytes) -> str:
    """A file's identity for caches: its path and its bytes."""
    return hashlib.blake2b(os.fsencode(path) + b"\0" + data, digest_size=16).hexdigest()
