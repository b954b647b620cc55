"""Finding the content files, with the size and time that tell a rebuild what changed."""

from __future__ import annotations

import hashlib
import os
import stat
import threading
from pathlib import Path
from typing import NamedTuple

from generator.errors import Diagnostic

SUFFIXES = (".txt", ".md", ".markdown")
# More paths than this at once (a checkout, a copy of a folder): walk the folder rather than look at each.
MOST_NOTED = 200


class Source(NamedTuple):
    """A tuple, not a dataclass: an archive has many files, and tuples are made and sorted in C."""

    path: str  # as found under the content folder (strings: a large archive has many)
    size: int
    mtime_ns: int


def find_content(
    folder: Path,
    suffixes: tuple[str, ...] | None = SUFFIXES,
    problems: list[Diagnostic] | None = None,
    links: list[str] | None = None,
) -> list[Source]:
    """Every file under `folder` with one of `suffixes` (None: any), in a stable order.

    Hidden files and folders are skipped. So are, each with a warning added to `problems`, links
    to files outside `folder` (a content folder cannot publish what lies beyond it), links that
    lead nowhere, and what is not a file (a named pipe would block the build); a folder that
    cannot be read is an error there, since its releases would be missing without a word.
    The paths of the links found (to files in `folder`) are added to `links`.
    """
    found: list[Source] = []
    walk = _Walk(suffixes, folder.resolve(), found, problems if problems is not None else [], links)
    walk.folder(str(folder))
    return sorted(found)  # by path, then (never needed) size and time


class _Walk(NamedTuple):
    suffixes: tuple[str, ...] | None
    root: Path
    found: list[Source]
    problems: list[Diagnostic]
    links: list[str] | None

    def folder(self, folder: str) -> None:
        suffixes, found, problems = self.suffixes, self.found, self.problems
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
                    self.folder(entry.path)
                    continue
                skipped = _skipped(entry, self.root)
                if skipped:
                    problems.append(Diagnostic(Path(entry.path), 1, f"skipped: {skipped}", "warning"))
                elif (suffixes is None or entry.name.lower().endswith(suffixes)) and entry.is_file():
                    stat = entry.stat()
                    found.append(Source(entry.path, stat.st_size, stat.st_mtime_ns))
                    if self.links is not None:
                        self.links.append(entry.path)
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


class Listing:
    """The content folder's files as last found, kept up to date by the paths a watcher saw
    change (the preview's): a save costs a look at its own file, not at each of 10,000. Until
    a watcher has started, and whenever the paths cannot tell (a folder made, moved or gone, a
    link, a great many paths at once), each look is a whole walk, as `find_content`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # paths are noted on the watcher's thread
        self._noted: set[str] = set()
        self._watched = False  # a watcher notes every change
        self._whole = True  # walk the folder at the next look
        self._folder = ""
        self._found: dict[str, Source] = {}  # by path, in the walk's order
        self._problems: list[Diagnostic] = []
        self._links: list[str] = []  # links to files in the folder: a save changes their target, unseen

    def note(self, path: str) -> None:
        """A path the watcher saw change (absolute); any, in the content folder or not."""
        with self._lock:
            self._noted.add(path)

    def watched(self) -> None:
        """A watcher has started: from the next look, which walks the whole folder (what changed
        before it started was not seen), the paths it notes say what changed."""
        with self._lock:
            self._watched = self._whole = True

    def find(self, folder: Path, suffixes: tuple[str, ...] = SUFFIXES) -> tuple[list[Source], list[Diagnostic]]:
        """`find_content(folder)`, and its problems."""
        with self._lock:
            noted, self._noted = self._noted, set()
            whole = not self._watched or self._whole or str(folder) != self._folder or len(noted) > MOST_NOTED
            self._whole = False
        if not whole:
            whole = not (self._update(folder, noted, suffixes) and self._follow_links())
        if whole:
            self._problems, self._links = [], []
            found = find_content(folder, suffixes, self._problems, self._links)
            self._found = {source.path: source for source in found}
            self._folder = str(folder)
        return list(self._found.values()), list(self._problems)

    def _update(self, folder: Path, noted: set[str], suffixes: tuple[str, ...]) -> bool:
        """Look at each noted path in `folder`; False if one needs a whole walk."""
        root = str(folder.resolve())
        added = False
        for absolute in noted:
            try:
                inside = os.path.relpath(absolute, root)
            except ValueError:  # on another drive (Windows): not in the folder
                continue
            if inside == "." or inside.startswith(".." + os.sep) or inside == "..":
                continue  # a template, the settings, or the folder itself (its list changed: its files say how)
            if any(part.startswith(".") for part in inside.split(os.sep)):
                continue  # hidden, as the walk leaves it
            path = os.path.join(self._folder, inside)
            try:
                found = os.lstat(path)
            except FileNotFoundError:
                if self._found.pop(path, None) is None and self._holds(path):
                    return False  # a folder gone or moved away, with its files
                continue
            except OSError:
                return False
            if not stat.S_ISREG(found.st_mode):
                return False  # a folder, a link or something else: the walk says what
            if path.lower().endswith(suffixes):
                added = added or path not in self._found
                self._found[path] = Source(path, found.st_size, found.st_mtime_ns)
        if added:
            self._found = dict(sorted(self._found.items()))
        return True

    def _follow_links(self) -> bool:
        """Each link's target looked at again; False if one is gone (the walk says so)."""
        for path in self._links:
            try:
                target = os.stat(path)
            except OSError:
                return False
            if path in self._found:
                self._found[path] = Source(path, target.st_size, target.st_mtime_ns)
        return True

    def _holds(self, folder: str) -> bool:
        """Whether a file found is in `folder`."""
        prefix = folder + os.sep
        return any(path.startswith(prefix) for path in self._found)


def fingerprint(path: str | Path, data: bytes) -> str:
    """A file's identity for caches: its path and its bytes."""
    return hashlib.blake2b(os.fsencode(path) + b"\0" + data, digest_size=16).hexdigest()
