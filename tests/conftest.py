from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.commands.build import BuildOptions, BuildReport, build
from generator.reading.forces import Registry, load_registry

from .browsing import chromium, watched_tab

ROOT = Path(__file__).resolve().parent.parent
# The fixtures that start Chromium: a test that uses one is a browser test.
_BROWSER_FIXTURES = {"browser", "page"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the browser tests (the fast loop leaves them out with `-m "not browser"`)."""
    for item in items:
        if _BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


SEED = ROOT / "content" / "met-police-2021-02-24-more-than-1000-charges.txt"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium, started once for a module's browser tests."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A tab that fails the test on any console error or uncaught exception."""
    with watched_tab(browser) as tab:
        yield tab


@pytest.fixture
def registry() -> Registry:
    return load_registry()


@pytest.fixture
def write_content(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """Write files into a fresh content folder; str is written as UTF-8, bytes as given."""

    def write(files: dict[str, str | bytes]) -> Path:
        folder = tmp_path / "content"
        folder.mkdir(exist_ok=True)
        for name, data in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(data, encoding="utf-8")
        return folder

    return write


@pytest.fixture
def build_site(tmp_path: Path) -> Callable[..., tuple[Path, BuildReport]]:
    """Build a content folder into `tmp_path/output` with the project's templates."""

    def run(content: Path, base_url: str = "https://example.org/", **options: object) -> tuple[Path, BuildReport]:
        output = tmp_path / "output"
        config = tmp_path / "site.yaml"
        if not config.exists():
            config.write_text("title: Synthetic Test Archive\nper_page: 5\n", encoding="utf-8")
        report = build(BuildOptions(content=content, output=output, config=config, base_url=base_url, **options))  # type: ignore[arg-type]
        return output, report

    return run


@pytest.fixture
def seed_content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    return folder
