from pathlib import Path

import pytest

from generator.errors import ConfigError
from generator.reading.config import PROJECT_ROOT, Config, load_config


def test_defaults_without_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = load_config()
    assert config.per_page == Config.per_page
    assert config.templates_dir == PROJECT_ROOT / "templates"


def test_base_url_override_gets_a_trailing_slash(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_text("base_url: https://example.org/\n")
    config = load_config(path, "https://user.github.io/county-lines-archive")
    assert config.base_url == "https://user.github.io/county-lines-archive/"
    assert config.base_path == "/county-lines-archive/"
    assert config.absolute_url("forces/") == "https://user.github.io/county-lines-archive/forces/"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("title: x\nper_page: 0\n", 2, "per_page"),
        ("title: x\nper_page: ten\n", 2, "per_page"),
        ("title: [x]\n", 1, "must be text"),
        ("colour: red\n", 1, "unknown setting 'colour'"),
        ("base_url: ftp://example.org/\n", 1, "base_url"),
        ("title: 'unclosed\n", 2, "not valid YAML"),
    ],
)
def test_bad_settings_name_the_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = tmp_path / "site.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.diagnostic.line == line
    assert words in caught.value.diagnostic.message


def test_site_folder_templates_win_over_the_projects(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "site.yaml").write_text("title: Mine\n")
    assert load_config(tmp_path / "site.yaml").templates_dir == tmp_path / "templates"


# Every value that reaches a file name, a command line or a URL is checked against what it may be.
HOSTILE = [
    ("language", '"../../../../../tmp/pwned"'),
    ("language", "en_GB"),
    ("language", "english"),
    ("language", '"en-GB\\n"'),
    ("language", '"en GB"'),
    ("language", "xx-YY"),
    ("base_url", '"https://example.org/\\nDisallow: /"'),
    ("base_url", '"https://example.org/archive /"'),
    ("base_url", '"https://user:secret@example.org/"'),
    ("base_url", '"https://token@example.org/"'),
    ("base_url", "javascript:alert(1)"),
    ("base_url", "file:///etc/"),
    ("base_url", "https:///no-host/"),
    ("base_url", '"https://example.org/?q=1"'),
    ("base_url", '"https://example.org/#top"'),
    ("base_url", '"https://example.org:99999/"'),
    ("base_url", '"https://exa<mple.org/"'),
    ("base_url", "'https://example.org/a\"b/'"),
    ("base_url", '"https://example.org/\\u0000/"'),
    ("domain", '"archive.example.org/../x"'),
    ("domain", '"archive.example.org\\n"'),
    ("domain", "-x.org"),
    ("default_image", "../../etc/passwd"),
    ("default_image", "/static/share.png"),
    ("default_image", "https://example.org/share.png"),
    ("default_image", '"static/share.png\\nx"'),
    ("fb_app_id", "12ab"),
    ("twitter_site", '"@a b"'),
    ("twitter_site", "archive"),
    ("templates", '"x\\ny"'),
    ("static", '"\\u001b[2J"'),
    ("title", '"A title\\u001b[31m"'),
    ("title", "!!set {a, b}"),
    ("title", "!!binary aGVsbG8="),
    ("description", "!!python/name:os.system"),
    ("per_page", "100000000"),
    ("feed_size", "2.5"),
]


@pytest.mark.parametrize(("key", "value"), HOSTILE)
def test_hostile_settings_are_refused_at_their_line(tmp_path: Path, key: str, value: str) -> None:
    path = tmp_path / "site.yaml"
    path.write_text(f"title: Synthetic settings\n# a comment\n{key}: {value}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.diagnostic.path == path and caught.value.diagnostic.line == 3
    assert key in caught.value.diagnostic.message or "YAML" in caught.value.diagnostic.message


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("language", "cy"),
        ("language", "en-GB"),
        ("language", "zh-Hant-TW"),
        ("base_url", "https://user.github.io/county-lines-archive"),
        ("base_url", "http://localhost:8000/"),
        ("base_url", "https://[::1]:8443/a/"),
        ("base_url", "https://example.org/caf%C3%A9/"),
        ("domain", "archive.example.org"),
        ("default_image", "static/images/share-1.png"),
        ("fb_app_id", "'164521400263620'"),
        ("twitter_site", "'@county_lines'"),
        ("description", "'Two lines\\nof description'"),
    ],
)
def test_ordinary_settings_are_accepted(tmp_path: Path, key: str, value: str) -> None:
    path = tmp_path / "site.yaml"
    path.write_text(f"{key}: {value}\n")
    load_config(path)


def test_a_language_cannot_write_outside_the_output(tmp_path: Path) -> None:
    """The review's case, end to end: Pagefind used the language in file names."""
    import os
    import subprocess
    import sys

    from .conftest import ROOT, SEED

    target = tmp_path / "pwned"
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / SEED.name).write_bytes(SEED.read_bytes())
    (tmp_path / "site.yaml").write_text(f'language: "../../../../../../../../..{target}"\n')
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and result.stderr.startswith("site.yaml:1: error: 'language' must be")
    assert not list(tmp_path.glob("pwned*")) and not (tmp_path / "output").exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--base-url", "ftp://example.org/"], "error: --base-url: must be an absolute http(s) URL"),
        (["--base-url", "https://example.org/\nDisallow: /"], "error: --base-url: must be"),
        (["--config", "missing.yaml"], "error: --config: missing.yaml not found"),
    ],
)
def test_bad_options_are_blamed_on_the_option(tmp_path: Path, arguments: list[str], message: str) -> None:
    import os
    import subprocess
    import sys

    from .conftest import ROOT

    (tmp_path / "content").mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", *arguments],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and result.stderr.startswith(message), result.stderr
