"""How a release is cited and traced: where it came from, the citation a reader copies, its BibTeX,
its CSL-JSON item (the open data's), and the Highwire tags reference managers read.

Everything is made from the release's own data and the site's address: the Internet Archive
link is built from the source URL alone, so a build never goes to the network.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

from generator.model import Article, Precision
from generator.reading.config import Config
from generator.reading.dates import display_date, uk_time
from generator.site.urls import article_url

GENRE = "Press release"
WAYBACK = "https://web.archive.org/web/*/"  # the Internet Archive's calendar of its copies of the URL after it
# What may stay as it is in a URL put inside another: the reserved and unreserved characters.
_URL_SAFE = ":/?&=%;,+@!$'()*~[]"
# BibTeX's special characters, each as LaTeX writes it in running text.
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_SPECIAL = re.compile("|".join(map(re.escape, _BIBTEX_ESCAPES)))
_ORDER = (Precision.MONTH, Precision.DAY, Precision.MINUTE)  # least precise first
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()


@dataclass(frozen=True)
class Provenance:
    """Where a release came from and when the archive took it."""

    source_url: str | None
    source_host: str | None  # "news.met.police.uk"
    wayback_url: str | None  # the Internet Archive's list of its copies of the source
    press_room: str | None  # the press office the scraped form names
    platform: str | None  # the service hosting the press room, if it is not the force's own
    archived_text: str | None  # "1 December 2026"; None: not recorded
    archived_attr: str | None  # "2026-12-01T15:04:05Z", for <time datetime>
    sha256: str | None


@dataclass(frozen=True)
class Citation:
    """The release as a reader cites it (Harvard, as Cite Them Right gives a press release)."""

    publisher: str | None  # the force; None when no one is named
    year: str  # "2021", or "n.d." when undated
    title: str
    stop: str  # after the title: "." unless the title ends a sentence itself ("… exploited?")
    date_text: str | None  # "24 February 2021", as precise as the release
    url: str  # the original's address, or the archive's page when there is none
    accessed: str | None  # the archived date: when the original was last seen
    archived_copy: str | None  # the release's page in this archive, when the original is elsewhere
    bibtex: str


def wayback_url(source_url: str) -> str:
    """The Internet Archive's calendar of its copies of `source_url`. A fragment is the reader's,
    not the server's, so it is left out."""
    return WAYBACK + escaped(source_url.split("#", 1)[0])


def escaped(url: str) -> str:
    """`url` as a link must give it: a space, a quote or a letter beyond ASCII percent-encoded (a
    press room's URL as scraped may hold them), what is already encoded left as it is."""
    return quote(url, safe=_URL_SAFE + "#")


def provenance(article: Article) -> Provenance:
    source = article.source_url
    archived = article.archived
    return Provenance(
        source_url=escaped(source) if source else None,
        source_host=urlsplit(source).hostname if source else None,
        wayback_url=wayback_url(source) if source else None,
        press_room=article.press_room,
        platform=article.platform if article.platform and article.platform != article.press_room else None,
        archived_text=display_date(archived, Precision.DAY) if archived else None,
        archived_attr=f"{archived:%Y-%m-%dT%H:%M:%SZ}" if archived else None,
        sha256=article.sha256,
    )


def citation(article: Article, config: Config) -> Citation:
    """The visible citation and its BibTeX."""
    page = config.absolute_url(article_url(article.slug))
    published, precision = article.published, article.precision
    # a citation gives the day, not the hour
    day = display_date(published, min(precision, Precision.DAY, key=_ORDER.index)) if published and precision else None
    cited = Citation(
        publisher=_publisher(article),
        year=f"{uk_time(published):%Y}" if published else "n.d.",
        title=article.title,
        stop="" if article.title.endswith((".", "?", "!", "…")) else ".",
        date_text=day,
        url=escaped(article.source_url) if article.source_url else page,
        accessed=display_date(article.archived, Precision.DAY) if article.archived and article.source_url else None,
        archived_copy=page if article.source_url else None,
        bibtex="",
    )
    return dataclasses.replace(cited, bibtex=_bibtex(article, cited))


def csl_item(article: Article, config: Config) -> dict[str, Any]:
    """The release as a CSL-JSON item (CSL 1.0.2), which Zotero, Pandoc and citeproc read."""
    page = config.absolute_url(article_url(article.slug))
    publisher = _publisher(article)
    item: dict[str, Any] = {
        "id": article.slug,
        "citation-key": article.slug,
        "type": "report",
        "genre": GENRE,
        "title": article.title,
        "author": [{"literal": publisher}] if publisher else None,
        "publisher": publisher,
        "issued": _date_parts(article.published, article.precision),
        "accessed": _date_parts(article.archived, Precision.DAY) if article.source_url else None,
        "URL": escaped(article.source_url) if article.source_url else page,
        "abstract": article.summary or None,
        "language": config.language,
        "archive": config.title,
        "archive_location": page,
    }
    return {key: value for key, value in item.items() if value is not None}


def highwire(article: Article, config: Config) -> tuple[tuple[str, str], ...]:
    """The `citation_*` meta tags (Highwire Press's, which Google Scholar, Zotero and Mendeley read)."""
    publisher = _publisher(article)
    published = article.published
    tags = [("citation_title", article.title)]
    if publisher:
        tags += [("citation_author", publisher), ("citation_publisher", publisher)]
    if published and article.precision:
        local = uk_time(published)
        form = {Precision.MONTH: "%Y/%m"}.get(article.precision, "%Y/%m/%d")
        tags.append(("citation_publication_date", f"{local:{form}}"))
    tags += [
        ("citation_public_url", config.absolute_url(article_url(article.slug))),
        ("citation_language", config.language),
    ]
    return tuple(tags)


def _publisher(article: Article) -> str | None:
    return article.force.name if article.force else article.press_room


def _date_parts(moment: datetime | None, precision: Precision | None) -> dict[str, Any] | None:
    """A CSL date, as precise as what is known: `[[2021, 2, 24]]` or `[[2021, 2]]`."""
    if moment is None or precision is None:
        return None
    local = uk_time(moment)
    parts = [local.year, local.month] if precision is Precision.MONTH else [local.year, local.month, local.day]
    return {"date-parts": [parts]}


def _bibtex(article: Article, cited: Citation) -> str:
    """A `@misc` entry that BibTeX and biblatex both read: the title in double braces keeps its
    capitals, the publisher in double braces is one corporate name, not a person's."""
    fields: list[tuple[str, str]] = []
    if cited.publisher:
        fields.append(("author", f"{{{_escape(cited.publisher)}}}"))
    fields.append(("title", f"{{{_escape(cited.title)}}}"))
    fields.append(("howpublished", GENRE))
    if article.published and article.precision:
        local = uk_time(article.published)
        form = "%Y-%m" if article.precision is Precision.MONTH else "%Y-%m-%d"
        fields += [("year", str(local.year)), ("month", _MONTHS[local.month - 1]), ("date", f"{local:{form}}")]
    if cited.publisher:
        fields.append(("organization", f"{{{_escape(cited.publisher)}}}"))
    fields.append(("url", _url_field(cited.url)))
    if article.archived and article.source_url:
        fields.append(("urldate", f"{uk_time(article.archived):%Y-%m-%d}"))  # the day the page shows
    if cited.archived_copy:
        fields.append(("note", f"Archived at \\url{{{_url_field(cited.archived_copy)}}}"))
    body = ",\n".join(f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{article.slug},\n{body}\n}}"


def _url_field(url: str) -> str:
    """A URL as BibTeX keeps it verbatim: only a brace, which would end the field, is encoded."""
    return url.replace("{", "%7B").replace("}", "%7D")


def _escape(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(lambda found: _BIBTEX_ESCAPES[found[0]], text)
