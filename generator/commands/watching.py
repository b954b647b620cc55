"""The preview's file watcher: livereload's, told of changes by the file system's own events.

livereload's watcher looks at the time of every watched file every 0.8 s: ten thousand
stats a look at 10,000 releases, and a save seen up to 0.8 s late. watchdog (inotify on
Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows) reports each change as it is
made; the events of one save (an editor writes, renames, touches) are gathered for a few
milliseconds, then the task of every watched path they touch runs once.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from livereload.watcher import Watcher
from tornado.ioloop import IOLoop
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from generator.reading.sources import Listing

# How long the events of one save are gathered before the rebuild starts.
SETTLE_SECONDS = 0.03


class EventWatcher(Watcher):  # type: ignore[misc]  # livereload has no type hints
    def __init__(self, listing: Listing | None = None) -> None:
        """`listing` is told of every path seen to change, and when watching starts."""
        super().__init__()
        self.listing = listing
        self._observer = Observer()
        self._observer.daemon = True
        self._lock = threading.Lock()
        self._changed: set[str] = set()
        self._wake: Callable[[], None] | None = None

    def watch(self, path: str, func: Callable[[str], None] | None = None, delay: Any = 0, ignore: Any = None) -> None:
        """Watch a folder (and everything in it) or a single file; `func` is given the path changed."""
        super().watch(path, func, delay, ignore)
        target = Path(path)
        folder = target if target.is_dir() else target.parent
        self._observer.schedule(_Events(self._event), str(folder), recursive=target.is_dir())

    def start(self, callback: Callable[[], None]) -> bool:
        """Run `callback` (livereload's, which calls `examine`) once the events of a change are in."""
        loop = IOLoop.current()
        pending: list[Any] = []

        def settle() -> None:
            for timeout in pending:
                loop.remove_timeout(timeout)
            pending[:] = [loop.call_later(SETTLE_SECONDS, callback)]

        self._wake = lambda: loop.add_callback(settle)
        self._observer.start()
        if self.listing:
            self.listing.watched()
        return True  # livereload polls only when this is False

    def stop(self) -> None:
        if self._observer.is_alive():
            self._observer.stop()
            self._observer.join(timeout=5)

    def examine(self) -> tuple[str | None, float | None]:
        """Give the task of the watched paths a change touched (one task: the preview's) the path
        changed. It builds on a thread of its own and reloads the browser when done, so
        livereload is told of no change to reload for now."""
        self._changes.clear()  # livereload's own first "change", made when it starts: nothing to build
        with self._lock:
            changed, self._changed = self._changed, set()
        tasks = [task["func"] for path, task in self._tasks.items() if any(_within(name, path) for name in changed)]
        touched = sorted(name for name in changed if any(_within(name, path) for path in self._tasks))
        if tasks and tasks[0]:
            # A stylesheet's styles are swapped in place; anything else reloads the page.
            tasks[0](next((name for name in touched if not name.endswith(".css")), touched[0]))
        self.filepath = None
        return None, None

    def _event(self, path: str) -> None:
        """On watchdog's thread: note the path, and wake the server's loop."""
        if self.listing:
            self.listing.note(path)
        if self.ignore(path) or Path(path).name.startswith(".#"):  # editors' swap and lock files
            return
        with self._lock:
            self._changed.add(path)
        if self._wake:
            self._wake()


class _Events(FileSystemEventHandler):
    def __init__(self, note: Callable[[str], None]) -> None:
        self.note = note

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or (event.is_directory and event.event_type == "modified"):
            return  # reading a file, or a folder whose list changed (its files say which)
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if path:
                self.note(os.fsdecode(path))


def _within(name: str, watched: str) -> bool:
    return name == watched or name.startswith(watched.rstrip(os.sep) + os.sep)
