"""A release's address, from its own file alone (issue 21: permanent addresses).

The address is `articles/<slug>/`, the slug being, first found:
1. `slug:` in the front matter (pinned; `import` writes it);
2. the source URL's last part, read as words (`…/news/more-than-1000-charges-…-421863` gives
   `more-than-1000-charges-…`; the press room's own id, five digits or more, is left for telling
   apart two releases that would share an address);
3. the file's name, without its suffix (a release written by hand, with no source URL).
None of these depends on another file, on the title or on the date, so an edit to a title, a file
renamed or moved, or another release added never moves a release.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from slugify import slugify

SLUG_LENGTH = 80
# Signs a slug reads as words, or leaves out where the number says enough (python-slugify would
# spell £ as "ps" and € as "eur").
_SPOKEN = [["£", " "], ["€", " "], ["$", " "], ["&", " and "], ["%", " percent "], ["+", " plus "], ["@", " at "]]
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_EXTENSION = re.compile(r"\.(?:s?html?|php|aspx?|jsp|cfm)$", re.I)
_WORDY = re.compile(r"[^\W\d_]{2}")
# Last parts of a path that name a page's form, not the page.
_NOT_NAMES = frozenset({"index", "default", "amp", "print"})
_TRAILING_ID = re.compile(r"[-_](\d{5,})$")
# Query keys that track a click rather than name a page.
_TRACKING = re.compile(r"utm_.*|fbclid|gclid|mc_[a-z]+|at_[a-z]+", re.I)
_ALIAS = re.compile(r"(?:https?://[^/]+)?/*(?:.*?/)?articles/([^/?#]+)(?:/|/index\.html)?|/*([^/?#]+)/?")


def slug_of(text: str, length: int = SLUG_LENGTH) -> str:
    """A URL or file-name slug read as the title is: `£350,000` becomes `350000`, `&` `and`, `%`
    `percent`; cut at a word within `length`."""
    return slugify(_THOUSANDS.sub("", text), max_length=length, word_boundary=True, replacements=_SPOKEN) or "release"


def url_words(url: str) -> str:
    """What of a page's URL names it: the last part of its path, without `.html` and the like, with
    the one before it when the last is a bare number (`article/12345`), and the values of its
    query but for tracking (`news.aspx?id=12`); the site's name before numbers alone
    (`example.org/1` → `example.org-1`). Empty when the URL has no path."""
    return "-".join(_named(url))


def source_slug(url: str) -> tuple[str, str | None] | None:
    """The slug a source URL gives, and the press room's id it left out of a titled part
    (`…-offending-421863`); None when the URL names no page (a bare domain)."""
    named = _named(url)
    if not named:
        return None
    words = "-".join(named)
    found = _TRAILING_ID.search(words) if len(named) == 1 else None
    if found and _WORDY.search(words[: found.start()]):
        return slug_of(words[: found.start()]), found[1]
    return slug_of(words), None


def _named(url: str) -> list[str]:
    split = urlsplit(url)
    parts = [_EXTENSION.sub("", unquote(part)) for part in split.path.split("/") if part]
    parts = [part for part in parts if part.lower() not in _NOT_NAMES]
    wordy = [index for index, part in enumerate(parts) if _WORDY.search(part)]
    # from the last part with words in it: `…/county-lines-week`, `article/12345`, `news/2021/06/15`
    words = parts[wordy[-1] :] if wordy else parts
    words += [value for key, value in parse_qsl(split.query) if value and not _TRACKING.fullmatch(key)]
    if words and not any(_WORDY.search(word) for word in words):  # numbers only: the site's name first
        words.insert(0, (split.hostname or "").removeprefix("www."))
    return words


@lru_cache(maxsize=1 << 16)
def source_key(url: str) -> str:
    """One key for one page: `http://Example.org/a/`, `https://www.example.org/a`,
    `https://example.org/a#top` and `https://example.org/a?utm_source=rss` are the same release's
    source. (String work, not `urlsplit`, and kept: every build asks it of every release, a
    preview's again at each save.)"""
    rest = url.strip().split("#", 1)[0]
    scheme, found, after = rest.partition("://")
    host, slash, path = (after if found else scheme).partition("/")
    host, mark, query = host.partition("?") if "?" in host else (host, "", "")
    path, mark, query = (slash + path).partition("?") if not mark else ("", mark, query)
    query = _untracked(query) if query else ""
    return f"{host.lower().removeprefix('www.')}{path.rstrip('/')}{'?' + query if query else ''}"


def without_tracking(url: str) -> str:
    """`url` without the query keys that track a click (`utm_source=rss`, `fbclid`): what `import`
    records as a release's source, so the same release reached by two links is one release."""
    split = urlsplit(url)
    if not split.query:
        return url
    return urlunsplit(split._replace(query=_untracked(split.query)))


def _untracked(query: str) -> str:
    """A URL's query without the keys that track a click."""
    return "&".join(pair for pair in query.split("&") if pair and not _TRACKING.fullmatch(pair.split("=")[0]))


def alias_slug(text: str) -> str | None:
    """The slug of a former address as `aliases:` gives it: `old-slug`, `articles/old-slug/`,
    `/articles/old-slug/` or the full URL; None when it names no release's address."""
    found = _ALIAS.fullmatch(text.strip())
    if not found:
        return None
    slug = found[1] or found[2]
    return slug if slug and slug == slug_of(slug) and slug != "articles" else None


def address_slug(pinned: str | None, source_url: str | None, stem: str) -> str:
    """The slug of a release's address from its own file: pinned, else its source URL's, else its
    file name's."""
    if pinned:
        return slug_of(pinned)
    from_source = source_slug(source_url) if source_url else None
    return from_source[0] if from_source else slug_of(stem)


def id_slug(slug: str, source_url: str | None) -> str | None:
    """The slug with the press room's id after it (`…-421863`), which tells a release apart from
    another at the same address; None when its source URL has none."""
    found = source_slug(source_url) if source_url else None
    return f"{slug}-{found[1]}" if found and found[1] else None
