"""The preview's listing of the content files, kept up to date by the paths its watcher saw
change, finds what a walk of the folder finds, after any sequence of changes."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

from generator.reading.sources import MOST_NOTED, Listing, find_content


class Folder:
    """A content folder changed at random; each change notes the paths a watcher would see."""

    def __init__(self, root: Path, pick: random.Random, listing: Listing) -> None:
        self.root = root
        self.pick = pick
        self.listing = listing
        self.count = 0

    def note(self, path: Path) -> None:
        """As watchdog names it: in the watched folder, resolved (a link's own path, not its target's)."""
        self.listing.note(str(path.parent.resolve() / path.name))

    def files(self) -> list[Path]:
        return sorted(path for path in self.root.rglob("*") if path.is_file() and not path.is_symlink())

    def folders(self) -> list[Path]:
        return [self.root, *sorted(path for path in self.root.rglob("*") if path.is_dir() and not path.is_symlink())]

    def new_name(self) -> str:
        self.count += 1
        suffix = self.pick.choice([".md", ".txt", ".markdown", ".MD", ".html", ".md~", ""])
        return self.pick.choice(["", ".", "#"]) + f"release-{self.count}{suffix}"

    def change(self) -> None:
        kind = self.pick.choice(["add", "add", "edit", "edit", "delete", "rename", "folder", "drop folder", "link"])
        files = self.files()
        if kind == "add" or not files:
            path = self.pick.choice(self.folders()) / self.new_name()
            path.write_text("A synthetic release.\n")
            self.note(path)
        elif kind == "edit":
            path = self.pick.choice(files)
            path.write_text(path.read_text() + "More.\n" * self.pick.randint(1, 3))
            self.note(path)
        elif kind == "delete":
            path = self.pick.choice(files)
            self.note(path)
            path.unlink()
            self.note(path)
        elif kind == "rename":
            path = self.pick.choice(files)
            target = self.pick.choice(self.folders()) / self.new_name()
            self.note(path)
            path.rename(target)
            self.note(path)
            self.note(target)
        elif kind == "folder":
            folder = self.pick.choice(self.folders()) / (self.pick.choice(["", "."]) + f"folder-{self.count}")
            folder.mkdir()
            self.note(folder)
            for _ in range(self.pick.randint(0, 3)):
                path = folder / self.new_name()
                path.write_text("A synthetic release in a new folder.\n")
                self.note(path)
        elif kind == "drop folder":
            folders = self.folders()[1:]
            if folders:
                folder = self.pick.choice(folders)
                self.note(folder)
                shutil.rmtree(folder)  # a move away, or `rm -r`: only the folder's path may be seen
        else:
            self.count += 1
            link = self.pick.choice(self.folders()) / f"link-{self.count}.md"
            link.symlink_to(self.pick.choice(files))
            self.note(link)


@pytest.mark.parametrize("seed", range(10))
def test_the_listing_finds_what_a_walk_finds_after_random_changes(tmp_path: Path, seed: int) -> None:
    pick = random.Random(seed)
    root = tmp_path / "content"
    root.mkdir()
    for number in range(8):
        (root / f"first-{number}.md").write_text("A synthetic release.\n")
    listing = Listing()
    listing.watched()
    folder = Folder(root, pick, listing)
    assert listing.find(root) == (find_content(root), [])
    for _ in range(40):
        for _ in range(pick.randint(1, 3)):
            folder.change()
        problems: list = []
        assert listing.find(root) == (find_content(root, problems=problems), problems)


def test_a_path_outside_the_folder_or_many_at_once_are_handled(tmp_path: Path) -> None:
    root = tmp_path / "content"
    root.mkdir()
    (root / "one.md").write_text("A synthetic release.\n")
    listing = Listing()
    listing.watched()
    listing.find(root)
    listing.note(str(tmp_path / "templates" / "base.html"))
    listing.note(str(tmp_path))
    (root / "two.md").write_text("A synthetic release.\n")  # unseen: the listing keeps what it saw
    assert [Path(source.path).name for source in listing.find(root)[0]] == ["one.md"]
    for number in range(MOST_NOTED + 1):
        listing.note(str(tmp_path / f"elsewhere-{number}"))
    assert [Path(source.path).name for source in listing.find(root)[0]] == ["one.md", "two.md"]
    (root / "three.md").write_text("A synthetic release.\n")
    listing.watched()  # as the watcher starts again
    assert len(listing.find(root)[0]) == 3
    assert os.path.isfile(listing.find(root)[0][2].path)


def test_without_a_watcher_every_look_walks_the_folder(tmp_path: Path) -> None:
    root = tmp_path / "content"
    root.mkdir()
    listing = Listing()
    assert listing.find(root) == ([], [])
    (root / "one.md").write_text("A synthetic release.\n")
    assert [Path(source.path).name for source in listing.find(root)[0]] == ["one.md"]
