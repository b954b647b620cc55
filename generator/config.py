"""`site.yaml`: the archive's settings, with defaults and validation."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .errors import ConfigError
from .yamlmap import load_mapping

DEFAULT_CONFIG = Path("site.yaml")
_HOSTNAME = re.compile(r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}", re.I)
# Where this checkout keeps its templates and static files: the fallback when the
# site folder has none of its own, so `--config elsewhere/site.yaml` still builds.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Config:
    title: str = "County Lines Press Release Archive"
    description: str = "An archive of UK police press releases about county lines drug supply and exploitation."
    base_url: str = "http://127.0.0.1:8000/"
    language: str = "en-GB"
    per_page: int = 20
    feed_size: int = 20  # releases in each Atom feed
    default_image: str = "static/share.png"
    default_image_alt: str = "County Lines Press Release Archive"
    fb_app_id: str | None = None
    twitter_site: str | None = None
    domain: str | None = None  # a custom domain, written to CNAME for a branch deploy
    templates: str = "templates"
    static: str = "static"
    root: Path = field(default=Path("."), metadata={"internal": True})

    @property
    def base_path(self) -> str:
        """The path part of `base_url`: `/` at a domain root, `/<repo>/` on a project site."""
        return urlsplit(self.base_url).path

    @property
    def locale(self) -> str:
        """OpenGraph's form of the language: en-GB → en_GB."""
        return self.language.replace("-", "_")

    @property
    def templates_dir(self) -> Path:
        return self._folder(self.templates)

    @property
    def template_dirs(self) -> list[Path]:
        """Where templates are looked up: the site's own first, then the project's, so a site
        that overrides some templates still has the ones it does not (new page kinds among them)."""
        default = PROJECT_ROOT / "templates"
        own = self.templates_dir
        return [own] if own.resolve() == default.resolve() else [own, default]

    @property
    def static_dir(self) -> Path:
        return self._folder(self.static)

    def absolute_url(self, url: str) -> str:
        """A site-relative URL (`articles/x/`) made absolute under `base_url`."""
        return self.base_url + url

    def _folder(self, name: str) -> Path:
        own = self.root / name
        return own if own.is_dir() or Path(name).is_absolute() else PROJECT_ROOT / name


_FIELDS = {f.name: f for f in dataclasses.fields(Config) if not f.metadata.get("internal")}


def load_config(path: Path | None = None, base_url: str | None = None) -> Config:
    """Read `path` (default `site.yaml`, optional); `base_url` overrides the file's."""
    config_path = path or DEFAULT_CONFIG
    values: dict[str, object] = {}
    if config_path.is_file():
        try:
            text = config_path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(config_path, 1, f"cannot read the configuration: {error}") from None
        mapping, lines = load_mapping(text, config_path, 1, ConfigError)
        values = {key: _check(config_path, lines.get(key, 1), key, value) for key, value in mapping.items()}
    elif path is not None:
        raise ConfigError(config_path, 1, "configuration file not found")
    if base_url is not None:
        values["base_url"] = base_url
    values["base_url"] = _normal_base_url(config_path, str(values.get("base_url", Config.base_url)))
    values["domain"] = _check_domain(config_path, values.get("domain"))  # type: ignore[arg-type]
    return Config(root=config_path.resolve().parent, **values)  # type: ignore[arg-type]


def _check(path: Path, line: int, key: str, value: object) -> object:
    spec = _FIELDS.get(key)
    if spec is None:
        known = ", ".join(sorted(_FIELDS))
        raise ConfigError(path, line, f"unknown setting '{key}' (known settings: {known})")
    if key in ("per_page", "feed_size"):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigError(path, line, f"'{key}' must be a whole number of at least 1, not {value!r}")
        return value
    if value is None and spec.default is None:
        return None
    if isinstance(value, (dict, list, bool)) or value is None:
        raise ConfigError(path, line, f"'{key}' must be text, not {value!r}")
    return str(value)


def _check_domain(path: Path, domain: str | None) -> str | None:
    if domain is not None and not _HOSTNAME.fullmatch(domain):
        raise ConfigError(path, 1, f"domain must be a host name such as archive.example.org, not {domain!r}")
    return domain


def _normal_base_url(path: Path, url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            path, 1, f"base_url must be an absolute http(s) URL such as https://example.org/archive/, not {url!r}"
        )
    return url if url.endswith("/") else url + "/"
