"""`site.yaml`: the archive's settings, with defaults and validation."""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from generator.errors import ConfigError, OptionError
from generator.reading.yamlmap import load_mapping
from generator.words import did_you_mean

DEFAULT_CONFIG = Path("site.yaml")
_HOSTNAME = re.compile(r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}", re.I)
# Where this checkout keeps its templates and static files: the fallback when the
# site folder has none of its own, so `--config elsewhere/site.yaml` still builds.
PROJECT_ROOT = Path(__file__).resolve().parents[2]


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
    # Release addresses taken down for good (a legal takedown): no page, and `check` expects them gone.
    forget: tuple[str, ...] = ()
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
        for key, value in mapping.items():
            problem, values[key] = _check(key, value)
            if problem:
                raise ConfigError(config_path, lines.get(key, 1), problem)
    elif path is not None:
        raise OptionError("--config", f"{config_path} not found")
    if base_url is not None:
        problem, values["base_url"] = _check("base_url", base_url)
        if problem:
            raise OptionError("--base-url", problem.removeprefix("'base_url' "))
    values.setdefault("base_url", _normal_base_url(Config.base_url))
    if "forget" in values:
        values["forget"] = _forgotten(values["forget"], str(values["base_url"]))  # type: ignore[arg-type]
    return Config(root=config_path.resolve().parent, **values)  # type: ignore[arg-type]


def _check(key: str, value: object) -> tuple[str | None, object]:
    """What is wrong with `value` for `key` (None if nothing), and the value to use."""
    spec = _FIELDS.get(key)
    if spec is None:
        suggestion = did_you_mean(key, _FIELDS)
        return f"unknown setting '{key}'{suggestion or f' (known settings: {chr(44).join(sorted(_FIELDS))})'}", None
    if key in ("per_page", "feed_size"):
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 10_000:
            return f"'{key}' must be a whole number from 1 to 10000, not {value!r}", None
        return None, value
    if key == "forget":
        return _forget(value)
    if value is None and spec.default is None:
        return None, None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return f"'{key}' must be text, not {_kind(value)}", None
    text = str(value)
    rule = _RULES.get(key, _plain_text)
    problem = rule(text)
    return (f"'{key}' {problem}", None) if problem else (None, _normal_base_url(text) if key == "base_url" else text)


def _forget(value: object) -> tuple[str | None, object]:
    """`forget:`, a list of release addresses (`articles/<slug>/`, a slug, or the site's full URL)
    and source URLs (the press room's page: a copy imported again is left out too)."""
    from generator.reading.slugs import alias_slug  # python-slugify loads only when needed

    items = [] if value is None else value if isinstance(value, list) else [value]
    forgotten = []
    for item in items:
        text = str(item).strip() if isinstance(item, (str, int)) else ""
        if text.startswith(("http://", "https://")):
            forgotten.append(f"url:{text}")  # the site's address or a source: told apart by `_forgotten`
        elif slug := alias_slug(text):
            forgotten.append(slug)
        else:
            return f"'forget' must list release addresses (articles/<slug>/) or source URLs, not {item!r}", None
    return None, tuple(forgotten)


def _forgotten(items: tuple[str, ...], base_url: str) -> tuple[str, ...]:
    """`forget:` as slugs (`x`) and source keys (`source:<key>`): a full URL on the site's own
    host names an address, any other a press room's page."""
    from generator.reading.slugs import alias_slug, source_key

    site = urlsplit(base_url).netloc.lower()
    read = []
    for item in items:
        url = item.removeprefix("url:")
        slug = alias_slug(url) if url != item and urlsplit(url).netloc.lower() == site else None
        read.append(slug or (f"source:{source_key(url)}" if url != item else item))
    return tuple(read)


def _kind(value: object) -> str:
    return {dict: "a mapping", list: "a list", bool: "true or false", type(None): "empty"}.get(
        type(value), f"a YAML {type(value).__name__}"
    )


def _plain_text(text: str) -> str | None:
    """Titles and descriptions are shown on every page and in every feed: printable text, though
    a description may run over several lines."""
    if _CONTROL.search(text.replace("\n", "")):
        return "must be printable text, without control characters"
    return None if text.strip() else "must not be empty"


def _base_url(url: str) -> str | None:
    """Every absolute URL of the site is made from it, and it reaches robots.txt and the sitemap."""
    example = "an absolute http(s) URL such as https://example.org/archive/"
    if _CONTROL.search(url) or any(character.isspace() for character in url):
        return f"must be {example}, without spaces or control characters: {url!r}"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        return f"must be {example}, not {url!r}"
    if parts.scheme not in ("http", "https") or not _host(parts.hostname or "") or not _URL_PATH.fullmatch(parts.path):
        return f"must be {example}, not {url!r}"
    if parts.username is not None or parts.password is not None:
        return f"must not hold a user name or password (they would be published on every page): {url!r}"
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        return f"must be {example}, without a ?query or #fragment: {url!r}"
    return None


def _host(host: str) -> bool:
    """A host name (a single label such as localhost included), or an IP address."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return bool(_HOSTNAME.fullmatch(host) or _LABEL.fullmatch(host))
    return True


def _language(tag: str) -> str | None:
    """It names files of the search index and is every page's `lang`: a registered BCP 47 tag."""
    import language_tags

    if not _TAG.fullmatch(tag) or not language_tags.tags.check(tag):
        return f"must be a BCP 47 language tag such as en-GB or cy, not {tag!r}"
    return None


def _domain(domain: str) -> str | None:
    return None if _HOSTNAME.fullmatch(domain) else f"must be a host name such as archive.example.org, not {domain!r}"


def _site_path(path: str) -> str | None:
    """A file of the built site, by its path from the site's root (it is made an absolute URL)."""
    parts = path.split("/")
    if not _SITE_PATH.fullmatch(path) or {"", ".", ".."} & set(parts):
        return f"must be a path in the built site such as static/share.png, not {path!r}"
    return None


def _folder(path: str) -> str | None:
    return "must be a folder name, without control characters" if _CONTROL.search(path) or not path.strip() else None


def _pattern(pattern: re.Pattern[str], example: str) -> Callable[[str], str | None]:
    return lambda text: None if pattern.fullmatch(text) else f"must be {example}, not {text!r}"


def _normal_base_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_TAG = re.compile(r"[A-Za-z0-9]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", re.I)
_URL_PATH = re.compile(r"(?:/[A-Za-z0-9._~!$&'()*+,;=:@%-]*)*")  # RFC 3986's path characters
_SITE_PATH = re.compile(r"[A-Za-z0-9._~/-]+")
_RULES: dict[str, Callable[[str], str | None]] = {
    "base_url": _base_url,
    "language": _language,
    "domain": _domain,
    "default_image": _site_path,
    "templates": _folder,
    "static": _folder,
    "fb_app_id": _pattern(re.compile(r"[0-9]{1,20}"), "a Facebook app id (digits)"),
    "twitter_site": _pattern(re.compile(r"@[A-Za-z0-9_]{1,15}"), "an X (Twitter) handle such as @archive"),
}
