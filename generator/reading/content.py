"""Reading press-release files into `Article`s.

Two forms, one model: the scraped form opens with a fenced ```yaml block and a
date line (`Feb 24, 2021 07:00 GMT`); the authored form has `---` front matter
with an ISO `date:`. Everything here is a pure function of the file's bytes,
so files can be parsed in any order, in parallel, or from a cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import nh3

from generator.errors import ContentError, Diagnostic
from generator.model import Article, Force, Parsed, PlainPage, Precision
from generator.reading.body import MarkdownBudgetError, render_markdown
from generator.reading.dates import (
    DateError,
    DateLine,
    date_from_url,
    looks_like_date_line,
    parse_date_value,
    read_date_line,
)
from generator.reading.figures import BY_NAME, body_text, by_hand, extract, largest
from generator.reading.forces import Registry, unregistered_force
from generator.reading.numbers import MAX_VALUE
from generator.reading.slugs import address_slug, alias_slug, slug_of
from generator.reading.sources import fingerprint
from generator.reading.yamlmap import load_mapping
from generator.words import did_you_mean

SUMMARY_LENGTH = 200
# The front matter a release may have, by its first part (`og` covers `og.title`, `og:title`, …).
KNOWN_KEYS = frozenset(
    "title url area pressroom og fb date force summary description image source tags draft slug figures aliases withdrawn archived sha256".split()
)

_FENCE_OPEN = re.compile(r"```\s*(?:ya?ml)?\s*", re.I)
_FENCE_CLOSE = re.compile(r"```\s*")
_DASHES = re.compile(r"---\s*")
_DASHES_CLOSE = re.compile(r"(?:---|\.\.\.)\s*")
_TITLE_SEPARATORS = (" - ", " – ", " — ", " | ")
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
# Control characters and Unicode noncharacters: scraped text carries them now and then, and no
# HTML page, feed or search index may (an HTML parser reports each as an error).
# (The noncharacters beyond the first plane have a class of their own: in one class with the
# rest they made every character's test slow, a third of a millisecond a release.)
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
_UNPRINTABLE_ASTRAL = re.compile(
    "[" + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)) + "]"
)


# What reads as "no" in YAML 1.1: a release marked `withdrawn: no` is not withdrawn "because no".
_NO = frozenset({"no", "n", "off", "false"})
_YES = frozenset({"yes", "y", "on", "true"})


def _printable(text: str) -> str:
    """`text` without control characters and noncharacters."""
    text = _UNPRINTABLE.sub("", text)
    return text if text.isascii() else _UNPRINTABLE_ASTRAL.sub("", text)


@dataclass
class _FrontMatter:
    """Front matter with the lines of its keys, collecting warnings and errors as values are read
    (every problem of a file is reported in one run, not only the first)."""

    path: Path
    data: dict[str, Any]
    lines: dict[str, int]
    start: int
    warnings: list[Diagnostic] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)

    def line(self, key: str) -> int:
        return self.lines.get(key.split(".")[0], self.start)

    def raw(self, key: str) -> Any:
        """`og.title` is found nested (`og: {title: …}`) or flat (`og.title:` or `og:title:`)."""
        for flat in (key, key.replace(".", ":")):
            if flat in self.data:
                return self.data[flat]
        value: Any = self.data
        for part in key.split("."):
            if not isinstance(value, dict):
                return None
            value = value.get(part)
        return value

    def text(self, *keys: str) -> str | None:
        """The first of `keys` with a non-empty scalar value, as stripped text."""
        for key in keys:
            value = self.raw(key)
            if value is None:
                continue
            if isinstance(value, (dict, list)):
                self.fail(key, f"'{key}' must be text, not a {type(value).__name__}")
                continue
            text = " ".join(_printable(str(value)).split())
            if text:
                return text
        return None

    def url(self, *keys: str) -> str | None:
        for key in keys:
            value = self.text(key)
            if value is None:
                continue
            if urlsplit(value).scheme.lower() in ("http", "https") and urlsplit(value).netloc:
                return value
            self.warn(key, f"'{key}' ignored: {value!r} is not an http(s) URL")
        return None

    def warn(self, key: str, message: str) -> None:
        self.warnings.append(Diagnostic(self.path, self.line(key), message, "warning"))

    def fail(self, key: str, message: str, line: int | None = None) -> None:
        """An error at `key`'s line (or `line`): reading goes on, so the file's other problems are found too."""
        self.errors.append(Diagnostic(self.path, line or self.line(key), message))

    def failed(self, error: ContentError) -> None:
        self.errors += error.diagnostics

    def check(self) -> None:
        """Raise the errors found, all in one."""
        if self.errors:
            first, *others = sorted(dict.fromkeys(self.errors), key=lambda diagnostic: diagnostic.line)
            raise ContentError(first.path, first.line, first.message, tuple(others))


def read_article(path: Path, data: bytes, registry: Registry) -> Parsed:
    """Parse one file's bytes; raises `ContentError` naming the line."""
    text = _decode(path, data)
    head, head_line, body, body_line = _split(path, text)
    mapping, key_lines = load_mapping(head, path, head_line, ContentError)
    meta = _FrontMatter(path, mapping, key_lines, head_line - 1)
    _warn_unknown_keys(meta)
    body, line_date = _printable(body), None
    try:
        body, line_date = _take_date_line(path, body, body_line)
    except ContentError as error:
        meta.failed(error)

    source_url = meta.url("url", "source", "og.url")
    force = _force(meta, registry)
    title = _title(meta, force, registry)
    published, precision = _date(meta, line_date, source_url)
    body_html = ""
    try:
        body_html = _render(path, body, text.count("\n") - body.count("\n") + 1)  # its first line, after the date line
    except ContentError as error:
        meta.failed(error)
    tags, draft, entered = _tags(meta), _flag(meta, "draft"), _figures(meta)
    pinned = meta.text("slug")
    aliases, withdrawn = _aliases(meta), _withdrawn(meta)
    archived, sha256 = _archived(meta), _sha256(meta)
    meta.check()
    return Parsed(
        _with_details(
            Article(
                source_path=str(path),
                fingerprint=fingerprint(path, data),
                slug=address_slug(pinned, source_url, path.stem),
                title=title,
                summary=meta.text("og.description", "summary", "description") or _summary(body_html),
                published=published,
                precision=precision,
                force=force,
                area=meta.text("area"),
                image=meta.url("og.image", "image"),
                source_url=source_url,
                fb_app_id=meta.text("fb.app.id", "fb_app_id"),
                tags=tags,
                draft=draft,
                figures=by_hand(extract(body_text(body_html)), entered),
                pinned=pinned is not None,
                aliases=aliases,
                withdrawn=withdrawn,
                press_room=meta.text("pressroom.name"),
                platform=meta.text("og.site.name", "og.site_name"),
                archived=archived,
                sha256=sha256,
            )
        ),
        body_html,
        tuple(meta.warnings),
    )


def _aliases(meta: _FrontMatter) -> tuple[str, ...]:
    """`aliases:`, the addresses a release had before (a slug, `articles/<slug>/` or a full URL)."""
    value = meta.raw("aliases")
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or any(isinstance(item, (dict, list)) for item in items):
        meta.fail("aliases", "'aliases' must be a list of former addresses, e.g. [articles/old-slug/]")
        return ()
    slugs = []
    for item in items:
        slug = alias_slug(str(item))
        if slug is None:
            meta.fail("aliases", f"'aliases' has {str(item)!r}, which is no release's address: write articles/<slug>/")
        else:
            slugs.append(slug)
    return tuple(dict.fromkeys(slugs))


def _withdrawn(meta: _FrontMatter) -> str | None:
    """`withdrawn:` with the reason (or `true`, the reason unsaid); `false` or absent: published."""
    value = meta.raw("withdrawn")
    if value is None or value is False:
        return None
    if value is True or (isinstance(value, str) and value.strip().lower() in _YES):
        return ""
    reason = "" if isinstance(value, (dict, list, int, float)) else " ".join(_printable(str(value)).split())
    if not reason or reason.lower() in _NO:
        example = "give the reason (quoted if it holds a colon), e.g. withdrawn: 'Published in error', or true"
        meta.fail("withdrawn", f"'withdrawn' must {example}; not {value!r}")
        return None
    return reason


def _archived(meta: _FrontMatter) -> datetime | None:
    """`archived:`, when the release was fetched from its press room (ISO 8601, as `import` writes it)."""
    value = meta.raw("archived")
    if value is None:
        return None
    try:
        return parse_date_value(value)[0]
    except DateError as error:
        meta.fail("archived", f"'archived': {error}")
        return None


def _sha256(meta: _FrontMatter) -> str | None:
    """`sha256:`, the fingerprint of what was fetched: 64 hexadecimal digits, else ignored with a warning."""
    raw = meta.raw("sha256")
    if raw is None:
        return None
    value = str(raw).strip()
    if isinstance(raw, str) and re.fullmatch(r"[0-9a-fA-F]{64}", value):
        return value.lower()
    meta.warn("sha256", f"'sha256' ignored: {value!r} is not 64 hexadecimal digits")
    return None


def _with_details(article: Article) -> Article:
    """The article with what is worked out of its fields once, when its file is read: its largest
    figures, its `details` hash and its `frame` hash."""
    skipped = ("fingerprint", "largest", "details", "frame")
    shown = [getattr(article, one.name) for one in dataclasses.fields(article) if one.name not in skipped]
    details = hashlib.blake2b(repr(shown).encode(), digest_size=12).hexdigest()
    most = largest(article.figures)
    force = article.force
    where = (force.name, force.slug, force.website) if force else None
    placed = (article.published, article.precision, where, article.tags, most)
    frame = hashlib.blake2b(repr(placed).encode(), digest_size=12).hexdigest()
    return dataclasses.replace(article, largest=most, details=details, frame=frame)


def _render(path: Path, body: str, first_line: int) -> str:
    """The body's HTML; a body Markdown cannot read in time is an error at the line it starts."""
    try:
        return render_markdown(body)
    except MarkdownBudgetError as error:
        raise ContentError(path, first_line + error.line, error.message) from None


def _warn_unknown_keys(meta: _FrontMatter) -> None:
    """A key no release uses is probably a typo (`tittle:`): it is ignored, with a warning."""
    for key in meta.data:
        if re.split(r"[.:]", key, maxsplit=1)[0] not in KNOWN_KEYS:
            meta.warn(key, f"unknown key {key!r} ignored (known keys: {', '.join(sorted(KNOWN_KEYS))})")


def read_plain_page(path: Path, data: bytes) -> PlainPage:
    """A page of the site's own (`content/pages/about.md`): front matter with a `title`, then Markdown."""
    head, head_line, body, body_line = _split(path, _decode(path, data))
    mapping, key_lines = load_mapping(head, path, head_line, ContentError)
    meta = _FrontMatter(path, mapping, key_lines, head_line - 1)
    title = meta.text("title")
    if title is None and not isinstance(meta.raw("title"), (dict, list)):
        meta.fail("title", "missing title: give 'title' in the front matter", meta.start)
    order = meta.raw("order") or 0
    if not isinstance(order, int) or isinstance(order, bool):
        meta.fail("order", f"'order' must be a whole number, not {order!r}")
    slug, description = meta.text("slug"), meta.text("description", "summary")
    meta.check()
    body_html = _render(path, _printable(body), body_line)
    return PlainPage(
        source_path=str(path),
        fingerprint=fingerprint(path, data),
        slug=slug_of(slug or path.stem),
        title=title or "",
        description=description or _summary(body_html) or title or "",
        body_html=body_html,
        order=order,
    )


def _decode(path: Path, data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ContentError(
            path, line, f"not valid UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8"
        ) from None
    if not text.strip():
        raise ContentError(path, 1, "file is empty")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _split(path: Path, text: str) -> tuple[str, int, str, int]:
    """Front matter text and body text, each with the 1-based line it starts on."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip())
    opening = lines[start].strip()
    if _FENCE_OPEN.fullmatch(opening):
        closing, name = _FENCE_CLOSE, "```yaml block"
    elif _DASHES.fullmatch(opening):
        closing, name = _DASHES_CLOSE, "--- front matter"
    else:
        raise ContentError(path, start + 1, "no front matter: a release starts with a ```yaml block or --- lines")
    end = next((i for i in range(start + 1, len(lines)) if closing.fullmatch(lines[i].strip())), None)
    if end is None:
        raise ContentError(path, start + 1, f"the {name} opened here is never closed")
    return "\n".join(lines[start + 1 : end]), start + 2, "\n".join(lines[end + 1 :]), end + 2


def _take_date_line(path: Path, body: str, first_line: int) -> tuple[str, tuple[DateLine, int] | None]:
    """Remove the scraped form's date line from the body, and read it; with the line it is on."""
    lines = body.split("\n")
    index = next((i for i, line in enumerate(lines) if line.strip()), None)
    if index is None or not looks_like_date_line(lines[index]):
        return body, None
    try:
        found = read_date_line(lines[index])
    except DateError as error:
        raise ContentError(path, first_line + index, str(error)) from None
    return "\n".join(lines[index + 1 :]), (found, first_line + index)


def _date(
    meta: _FrontMatter, line_date: tuple[DateLine, int] | None, source_url: str | None
) -> tuple[datetime | None, Precision | None]:
    """Front matter, then the date line (warning at its line of what contradicts itself in it), then
    the source URL; never today's date."""
    value = meta.raw("date")
    if value is not None:
        try:
            return parse_date_value(value)
        except DateError as error:
            meta.fail("date", str(error))
            return None, None
    if line_date:
        found, line = line_date
        meta.warnings.extend(Diagnostic(meta.path, line, caution, "warning") for caution in found.cautions)
        return found.moment, found.precision
    if source_url and (from_url := date_from_url(source_url)):
        return from_url
    meta.warn("date", "no date in the front matter, the date line or the source URL; shown as undated")
    return None, None


def _force(meta: _FrontMatter, registry: Registry) -> Force | None:
    for key in ("force", "pressroom.name"):
        name = meta.text(key)
        if name:
            force = registry.resolve(name)
            if force is None:
                near = registry.nearest(name)
                meta.warn(key, f"unknown force {name!r}{near}: not in the registry, so it gets a page of its own")
                force = unregistered_force(name)
            return force
    for candidate in (_title_suffix(meta.text("title")), meta.text("og.site.name"), meta.text("area")):
        if candidate and (force := registry.resolve(candidate)):
            return force
    meta.warn("title", "no force named (add 'force:'); the release is listed under no force")
    return None


def _title(meta: _FrontMatter, force: Force | None, registry: Registry) -> str:
    title = meta.text("og.title", "title")
    if title is None:
        if not any(isinstance(meta.raw(key), (dict, list)) for key in ("og.title", "title")):  # else said: not text
            meta.fail("title", "missing title: give 'title' (or 'og.title') in the front matter", meta.start)
        return ""
    suffix = _title_suffix(title)
    if suffix and (
        registry.resolve(suffix) or (force and suffix == force.name) or suffix == meta.text("pressroom.name", "force")
    ):
        return title[: -len(suffix)].rstrip(" -–—|")
    return title


def split_title(title: str) -> tuple[str, str | None]:
    """`Headline - Kent Police` → (`Headline`, `Kent Police`): press-room page titles end with the publisher."""
    for separator in _TITLE_SEPARATORS:
        head, found, tail = title.rpartition(separator)
        if found and head.strip() and tail.strip():
            return head.strip(), tail.strip()
    return title.strip(), None


def _title_suffix(title: str | None) -> str | None:
    return split_title(title or "")[1]


def _summary(body_html: str) -> str:
    """The first paragraph as plain text, cut at a word near `SUMMARY_LENGTH`."""
    match = _FIRST_PARAGRAPH.search(body_html)
    text = " ".join(html.unescape(nh3.clean(match[1], tags=set())).split()) if match else ""
    if len(text) <= SUMMARY_LENGTH:
        return text
    return text[:SUMMARY_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _tags(meta: _FrontMatter) -> tuple[str, ...]:
    value = meta.raw("tags")
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list) or any(isinstance(item, (dict, list)) for item in items):
        meta.fail("tags", "'tags' must be a list of words or a comma-separated string")
        return ()
    return tuple(tag for tag in (" ".join(str(item).split()) for item in items) if tag)


def _figures(meta: _FrontMatter) -> dict[str, float | None]:
    """`figures:`, a mapping of kind to number (or null, to drop a figure found wrongly)."""
    value = meta.raw("figures")
    if value is None:
        return {}
    line = meta.line("figures")
    if not isinstance(value, dict):
        meta.fail("figures", "'figures' must map kinds of figure to numbers, e.g. 'arrests: 12'")
        return {}
    entered: dict[str, float | None] = {}
    for kind, number in value.items():
        if kind not in BY_NAME:
            near = did_you_mean(str(kind), BY_NAME) or f"; the kinds are: {', '.join(BY_NAME)}"
            meta.fail("figures", f"'figures' has an unknown kind {kind!r}{near}", line)
        elif number is not None and (
            isinstance(number, bool) or not isinstance(number, (int, float)) or not 0 <= number <= MAX_VALUE
        ):
            meta.fail(
                "figures", f"figure {kind!r} must be a number from 0 to {MAX_VALUE:,.0f} (or null), not {number!r}"
            )
        else:
            entered[kind] = None if number is None else float(number)
    return entered


def _flag(meta: _FrontMatter, key: str) -> bool:
    value = meta.raw(key)
    if value is None or isinstance(value, bool):
        return bool(value)
    meta.fail(key, f"'{key}' must be true or false, not {value!r}")
    return False
