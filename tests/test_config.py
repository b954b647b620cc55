from pathlib import Path

import pytest

from generator.config import PROJECT_ROOT, Config, load_config
from generator.errors import ConfigError


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
