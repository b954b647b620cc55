"""Writing a build: only the files whose bytes changed, and nothing until the build succeeded.

New and changed files are written to a staging folder beside the output. Only
when every page has rendered are they moved into place (one rename each) and
files that no longer belong are removed; a failed build removes the staging
folder and leaves the output exactly as it was. A first build renames the whole
staging folder into place.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from .cache import OutputState
from .errors import GeneratorError

# Left in every build, so that a later build knows the folder is its own to replace.
MARKER = ".generator-build"


class Output:
    def __init__(self, folder: Path, previous: OutputState) -> None:
        _check_replaceable(folder)
        self.folder = folder
        self.exists = folder.is_dir()
        self.previous = previous if self.exists and _token(folder) == previous.token else OutputState()
        self.files: dict[str, tuple[str, str]] = {}  # what this build leaves: path → (signature, hash)
        self.changed: list[str] = []
        folder.parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned_stages(folder)
        prefix = f".{folder.name}.staging-{os.getpid()}-"
        self.stage = Path(tempfile.mkdtemp(prefix=prefix, dir=folder.parent))

    def unchanged(self, path: str, signature: str) -> bool:
        """Keep the file if the last build wrote it from the same inputs."""
        old = self.previous.files.get(path)
        if old is None or old[0] != signature:
            return False
        if path in self.files:  # the path itself was checked when the last build wrote it
            raise GeneratorError(f"two files would be written to {path}; refusing to overwrite")
        self.files[path] = old
        return True

    def put(self, path: str, data: bytes, signature: str = "") -> None:
        """Stage `data` for `path` unless the output already holds exactly these bytes."""
        self._claim(path)
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        self.files[path] = (signature, digest)
        old = self.previous.files.get(path)
        if (old[1] == digest) if old else self._same_on_disk(path, data):
            return
        self.changed.append(path)
        staged = self.stage / path
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_bytes(data)

    def adopt(self, files: dict[str, tuple[str, str]], changed: list[str]) -> None:
        """Take in what a worker process staged (its files are already in the staging folder)."""
        for path in files:
            self._claim(path)
        self.files.update(files)
        self.changed.extend(changed)

    def commit(self, inputs: str) -> OutputState:
        """Move the staged files into place and remove what no longer belongs."""
        token = secrets.token_hex(16)
        (self.stage / MARKER).write_text(
            f"Built by the county-lines archive generator; replaced by each build.\n{token}\n"
        )
        if not self.exists:
            os.chmod(self.stage, 0o755)
            self.stage.rename(self.folder)
        else:
            for path in self.changed:
                target = self.folder / path
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.stage / path, target)
            self._remove_stale()
            os.replace(self.stage / MARKER, self.folder / MARKER)
            shutil.rmtree(self.stage, ignore_errors=True)
        return OutputState(token, inputs, self.files)

    def abandon(self) -> None:
        shutil.rmtree(self.stage, ignore_errors=True)

    def _claim(self, path: str) -> None:
        parts = path.split("/")
        if not path or path.startswith("/") or "\\" in path or {"", ".", ".."} & set(parts) or path == MARKER:
            raise GeneratorError(f"refusing to write {path!r}: outside the output folder")
        if path in self.files:
            raise GeneratorError(f"two files would be written to {path}; refusing to overwrite")

    def _same_on_disk(self, path: str, data: bytes) -> bool:
        """Without a record of the last build, compare with the file itself (keeps its time)."""
        try:
            return self.exists and (self.folder / path).read_bytes() == data
        except OSError:
            return False

    def _remove_stale(self) -> None:
        known = self.previous.files.keys() or {
            p.relative_to(self.folder).as_posix() for p in self.folder.rglob("*") if p.is_file()
        }
        stale = sorted(path for path in known if path not in self.files and path != MARKER)
        for path in stale:
            target = self.folder / path
            target.unlink(missing_ok=True)
            for parent in target.parents:
                if parent == self.folder or any(parent.iterdir()):
                    break
                parent.rmdir()


def is_current(folder: Path, state: OutputState, inputs: str) -> bool:
    """True when the folder holds what the last build wrote, from exactly these inputs, and no
    release it held back as future-dated has fallen due since."""
    return (
        bool(state.inputs) and state.inputs == inputs and time.time() < state.expires and _token(folder) == state.token
    )


def _token(folder: Path) -> str:
    try:
        return (folder / MARKER).read_text().split()[-1]
    except (OSError, IndexError):
        return ""


def _remove_abandoned_stages(output: Path) -> None:
    """Staging folders of builds that were killed (their process is gone) are removed; the output
    itself was never touched by them."""
    for stage in output.parent.glob(f".{output.name}.staging-*"):
        pid = stage.name.removeprefix(f".{output.name}.staging-").split("-")[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(stage, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _check_replaceable(output: Path) -> None:
    if output.exists() and not output.is_dir():
        raise GeneratorError(f"{output} is a file, not a folder; choose another --output")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).exists():
        raise GeneratorError(
            f"{output} holds files that no build of this generator wrote; refusing to replace it "
            "(choose a new or empty folder with --output)"
        )
