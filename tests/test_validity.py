"""Every page type is valid HTML, and every chart's file valid SVG, by the Nu Html Checker (the
`vnu-jar` npm package, run with Java)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.commands.build import BuildOptions, build

from . import corpus, synthetic
from .conftest import ROOT, SEED
from .crawl import is_redirect

pytestmark = pytest.mark.slow  # builds and commands run for real: the fast loop leaves them out

VNU_VERSION = "26"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "county-lines-archive" / "vnu"


@pytest.fixture(scope="module")
def vnu() -> Path:
    """vnu.jar from $VNU_JAR, else from npm into a cache folder (once)."""
    if os.environ.get("VNU_JAR"):
        return Path(os.environ["VNU_JAR"])
    jar = CACHE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not jar.exists():
        if not shutil.which("npm"):
            pytest.fail("the HTML check needs npm to fetch vnu-jar (or VNU_JAR=/path/to/vnu.jar)")
        command = ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(CACHE), f"vnu-jar@{VNU_VERSION}"]
        subprocess.run(command, check=True, capture_output=True, timeout=600)
    if not shutil.which("java"):
        pytest.fail("the HTML check needs Java (apt-get install default-jre-headless; .ci/run does)")
    return jar


def test_every_page_type_is_valid_html(vnu: Path, tmp_path: Path) -> None:
    releases = corpus.corpus(40)
    content = corpus.write(tmp_path / "content", releases)
    shutil.copy(SEED, content / SEED.name)
    (content / "pages").mkdir()
    shutil.copy(ROOT / "content" / "pages" / "about.md", content / "pages" / "about.md")
    gone = "withdrawn: 'Synthetic reason: published in error'\naliases: [synthetic-old-address]"
    (content / "gone.md").write_text(synthetic.authored("Synthetic withdrawn release", extra_yaml=gone))
    fetched = f"url: https://example.org/news/a b?x=1&y=2\narchived: '2026-12-01T10:00:00Z'\nsha256: {'ab' * 32}"
    (content / "fetched.md").write_text(
        synthetic.authored("Synthetic fetched & archived <release>", extra_yaml=fetched)
    )
    output = tmp_path / "output"
    build(BuildOptions(content=content, output=output, base_url="https://example.org/repo/"))
    kinds = ["index.html", "page/2", "articles", "forces", "archive", "tags", "search", "figures", "about", "404.html"]
    assert all((output / kind).exists() for kind in kinds)
    assert is_redirect(output / "articles/synthetic-old-address/index.html")  # a former address, checked too
    assert "withdrawn" in (output / "articles/gone/index.html").read_text(encoding="utf-8")
    assert "SHA-256" in (output / "articles/news-a-b-1-2/index.html").read_text(encoding="utf-8")  # all provenance
    assert list(output.glob("figures/*.svg")) and list(output.glob("forces/*/*.svg"))  # checked as SVG
    command = ["java", "-jar", str(vnu), "--errors-only", "--skip-non-html", "--also-check-svg", "--format", "json"]
    command.append(str(output))
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    problems = [f"{m.get('url', '')}:{m.get('lastLine', '')}: {m['message']}" for m in messages]
    assert problems == []
    assert result.returncode == 0
