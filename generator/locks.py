"""One build at a time: advisory locks on the folders two builds would otherwise share."""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def exclusive(folder: Path, what: str) -> Iterator[None]:
    """Hold a lock on `folder` for the block (none if it does not exist yet), saying so once when
    another process holds it. The lock goes with the process: a killed build never leaves it held,
    and it leaves no file behind."""
    try:
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:  # not there yet: there is nothing another build could be changing
        yield
        return
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another build using {what} to finish…", file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)
