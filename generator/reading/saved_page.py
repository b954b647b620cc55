"""A press-release page saved from a browser, read: what it says about its release.

A saved page is mostly not the release: navigation, share buttons, cookie banners and related
news surround it. The page's metadata (the `<title>`, canonical link, OpenGraph and JSON-LD)
gives the title, source, image and date; the body is found by its wrapper (the archive's own
`release-body`, an `articleBody`, an `<article>` or `<main>`) or else as the largest block of
paragraph text, cleared of what is not the release, and converted to Markdown with markdownify.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from bs4 import BeautifulSoup, Tag, UnicodeDammit
from bs4.element import Comment, NavigableString
from markdownify import MarkdownConverter

from generator.model import Force, Precision
from generator.reading.content import split_title
from generator.reading.dates import (
    DateError,
    date_line,
    find_dates,
    looks_like_date_line,
    parse_date_line,
    parse_date_value,
    uk_time,
)
from generator.reading.forces import Registry

# Elements that are never part of a release's text.
_DROPPED_TAGS = frozenset(
    "script style noscript template iframe form button input select textarea label svg canvas "
    "nav header footer aside dialog object embed audio video map link meta".split()
)
# Class and id words of what surrounds a release; a word may also start a longer one ("navbar").
_JUNK_WORDS = frozenset(
    "share sharing social cookie cookies consent gdpr banner breadcrumb breadcrumbs related newsletter "
    "subscribe nav menu sidebar skip advert advertisement ad ads promo popup modal pagination pager "
    "comments tags print toolbar widget masthead header footer".split()
)
_JUNK_PREFIXES = ("share", "social", "cookie", "consent", "breadcrumb", "newsletter", "navbar", "navigation", "sidebar")
# Class and id words of the visible date and byline, which belong on the date line, not in the body.
_DATE_WORDS = frozenset("date dateline byline published timestamp posted pubdate meta author".split())
# Class names (lowercased, punctuation removed) that mark the body itself, by their ending.
_BODY_MARKERS = (
    "releasebody",
    "articlebody",
    "articlecontent",
    "articletext",
    "entrycontent",
    "postcontent",
    "postbody",
    "storybody",
    "newsbody",
    "bodytext",
    "bodycontent",
    "contentbody",
)
_LAYOUT = re.compile(r"(?:has|with|no|is|l|layout|page|template)[-_]", re.I)  # `has-sidebar` describes a layout
_NEVER_JUNK = frozenset({"html", "body", "main", "article"})  # a "has-sidebar" layout class is not junk
_BLOCKS = frozenset("p div li dd dt section blockquote h1 h2 h3 h4 h5 h6 span small".split())
# Nesting: markdownify recurses a few frames an element, Markdown once a list or quote level, and
# a hostile page nests thousands deep. Real pages nest some 30 elements, and lists two or three.
_MAX_DEPTH = 100  # elements from <html>; what lies deeper is kept as text
_MAX_NESTING = 8  # lists and quotes; deeper ones become plain blocks
_NESTS = frozenset("ul ol dl blockquote".split())
_NEST_PARTS = _NESTS | {"li", "dd", "dt"}
# A Markdown table cell holds one line: a table within one becomes plain blocks, or its text is lost.
_TABLE_PARTS = frozenset("table thead tbody tfoot tr th td caption".split())
# What starts a paragraph of the text kept from below _MAX_DEPTH.
_TEXT_BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure h1 h2 h3 h4 h5 h6 hr li main ol p pre "
    "section table td th tr ul".split()
)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_HTML_TAG = re.compile(r"<\s*(?:!doctype\s+html|html|head|body|title|meta|p|div|article|main|h1)\b", re.I)
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(https?://\S+?)\s*-->", re.I)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# What Python-Markdown reads as markup in running text, each escaped with a backslash (all are in
# its ESCAPED_CHARS; `|` is there with the tables extension). `<` and `&` cannot be: they become
# entities, `&` only where it would start one (a lone `&` is Markdown's to escape).
_SPECIAL = re.compile(r"[\\`*_\[\]|]")
_ENTITY_START = re.compile(r"&(?=#[0-9]+;|#[xX][0-9a-fA-F]+;|[a-zA-Z0-9]+;)")
# What starts a heading, quote, list item, rule or underline at the start of a line, where any text may fall.
_LINE_START = re.compile(r"^(\s*)([#>]|[-+=](?=[-=\s]|$)|\d+(?=\.(?:\s|$)))")
_URL_UNSAFE = re.compile(r"[\s()<>]")  # ends a Markdown link's address, or begins HTML
# Undecodable bytes are reported as the page's failure; bs4's own warning must not reach stderr besides.
logging.getLogger("bs4.dammit").addHandler(logging.NullHandler())


class PageError(ValueError):
    """A page that cannot be imported; the message is the reason, for the user."""


class _Converter(MarkdownConverter):
    """markdownify, writing Markdown that Python-Markdown reads back as the page's text. Left to
    itself it escapes only `*` and `_`, so a `&lt;b&gt;` shown on a page came back as a <b> tag (and
    a shown `<script>` was deleted, text and all, by the sanitiser); and its ``` fences are not
    Python-Markdown's, which read the code between them as Markdown and HTML."""

    def escape(self, text: str, parent_tags: set[str]) -> str:
        return _escape(text)

    def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """An indented code block: Markdown shows what it holds as it is."""
        if not text.strip():
            return ""
        return "\n\n" + "\n".join(f"    {line}" for line in text.strip("\n").split("\n")) + "\n\n"


_CONVERTER = _Converter(heading_style="ATX", bullets="-", strong_em_symbol="*", autolinks=True)


@dataclass(frozen=True)
class ExtractedPage:
    """What a saved page says about its release, ready to be written as a content file."""

    title: str  # the front matter's `title`: the page's <title>, or the headline and force
    headline: str  # the release's own title, as the archive shows it
    force: Force
    published: datetime | None  # aware, UTC; None: the page shows no date, and none was given
    precision: Precision | None
    source_url: str | None
    body: str  # Markdown
    og: dict[str, str] = field(default_factory=dict)  # description, image, site_name, title, type, url
    fb_app_id: str | None = None


@dataclass
class _Head:
    """The page's metadata: meta tags by name, JSON-LD objects, canonical link, <title>."""

    meta: dict[str, str]
    json_ld: list[dict[str, Any]]
    canonical: str | None
    title: str | None

    def ld(self, key: str) -> Any:
        """The first JSON-LD object's value for `key`."""
        return next((item[key] for item in self.json_ld if item.get(key) not in (None, "", [])), None)


# Reading a page


def read_page(
    data: bytes, registry: Registry, force: Force | None = None, date: tuple[datetime, Precision] | None = None
) -> ExtractedPage:
    """Extract a release from a saved page's bytes; raises `PageError` saying what is missing.
    `date` is the one to give a page that shows none (a page that shows one keeps its own)."""
    text = _decode(data)
    soup = BeautifulSoup(text, "lxml")
    _limit_nesting(soup)
    head = _head(soup)
    headline = _headline(soup, head)
    force = force or _force(head, registry)
    title, suffix = split_title(headline)
    if suffix and registry.resolve(suffix) == force:
        headline = title  # og:title as `Headline - Kent Police`
    published, precision = _published(soup, head) or date or (None, None)
    source_url = _source_url(head, text)
    root = _body_root(soup)
    _clean(root, headline)
    body = _markdown(root, _base_url(soup, head, source_url))
    if not body:
        raise PageError("no body text found")
    og = _og(head, source_url)
    page_title = _one_line(head.title) if head.title and "title" in og else f"{headline} - {force.name}"
    return ExtractedPage(
        title=page_title,
        headline=headline,
        force=force,
        published=published,
        precision=precision,
        source_url=source_url,
        body=body,
        og=og,
        fb_app_id=head.meta.get("fb:app_id"),
    )


def _decode(data: bytes) -> str:
    """Honour a BOM and <meta charset>, then guess; refuse binary files and text that is not HTML."""
    if not data.strip():
        raise PageError("empty file")
    has_bom = data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))
    if not has_bom and b"\0" in data[:8192]:
        raise PageError("not a text file (binary data)")
    # UTF-8, then the web's legacy default, before any statistical guess (which reads noise as UTF-16).
    text = UnicodeDammit(data, user_encodings=["utf-8", "windows-1252"], is_html=True).unicode_markup
    if text is None:
        raise PageError("cannot decode the file's text (unknown encoding)")
    unreadable = sum(1 for char in text if char == "\ufffd" or (char < " " and char not in "\t\n\r\f"))
    if unreadable > max(8, len(text) // 100):
        raise PageError("cannot decode the file's text (binary or unknown encoding)")
    if not _HTML_TAG.search(text):
        raise PageError("not an HTML page (no HTML elements)")
    return text


def _head(soup: BeautifulSoup) -> _Head:
    meta: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = _attr(tag, "property") or _attr(tag, "name") or _attr(tag, "itemprop")
        value = _one_line(_attr(tag, "content"))
        if key and value:
            meta.setdefault(key.lower(), value)
    canonical = next(
        (_attr(link, "href") for link in soup.find_all("link") if "canonical" in _attr(link, "rel").lower().split()),
        None,
    )
    title = soup.title.get_text() if soup.title else None
    return _Head(meta, _json_ld(soup), _http_url(canonical), _one_line(title) or None)


def _json_ld(soup: BeautifulSoup) -> list[dict[str, Any]]:
    """The page's JSON-LD articles (a `@graph` flattened), or all its objects if none is an article:
    a WebSite's `url` or `name` must not stand in for the release's."""
    found: list[dict[str, Any]] = []
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.get_text())
        except (ValueError, RecursionError):
            continue  # a broken block is common and says nothing we need; one nested thousands deep is hostile
        stack = data if isinstance(data, list) else [data]
        for item in stack:
            if isinstance(item, dict):
                found.append(item)
                stack.extend(graph for graph in item.get("@graph", []) if isinstance(graph, dict))
    articles = [item for item in found if re.search(r"Article|Posting|Report", str(item.get("@type", "")))]
    return articles or found


def _headline(soup: BeautifulSoup, head: _Head) -> str:
    """The release's title: og:title, JSON-LD headline, the first <h1>, or the <title> without its suffix."""
    h1s = soup.find_all("h1")
    h1 = next((tag for tag in h1s if tag.find_parent(["article", "main"])), None) or next(
        (tag for tag in h1s if not tag.find_parent(["header", "nav", "footer", "aside"])), None
    )
    candidates = (head.meta.get("og:title"), _ld_text(head.ld("headline")), h1.get_text() if h1 else None)
    headline = next((_one_line(text) for text in candidates if text and _one_line(text)), None)
    if headline is None and head.title:
        headline = split_title(head.title)[0]
    if not headline:
        raise PageError("no title (no <title>, og:title, JSON-LD headline or <h1>)")
    return headline


def _force(head: _Head, registry: Registry) -> Force:
    """The first name the page gives its publisher that the registry knows; never a guess."""
    names = [
        _ld_text(head.ld("publisher")),
        _ld_text(head.ld("author")),
        head.meta.get("author"),
        head.meta.get("article:section"),
        head.meta.get("og:site_name"),
        split_title(head.title or "")[1],
        split_title(head.meta.get("og:title", ""))[1],
        _ld_text(head.ld("articleSection")),
    ]
    for name in filter(None, names):
        if force := registry.resolve(name):
            return force
    hosts = {
        urlsplit(url).netloc.lower().removeprefix("www.") for url in (head.canonical, head.meta.get("og:url")) if url
    }
    for force in registry.forces:
        if force.website and urlsplit(force.website).netloc.lower().removeprefix("www.") in hosts:
            return force
    publisher = next(filter(None, names[:3]), None)
    if publisher:
        raise PageError(f"publisher {publisher!r} is not a force in the registry; give --publisher NAME")
    raise PageError("no force named on the page; give --publisher NAME")


def _published(soup: BeautifulSoup, head: _Head) -> tuple[datetime, Precision] | None:
    """Published-time metadata first, then a visible date; a date-only <time> keeps only the day;
    None when the page shows no date at all."""
    times = [tag for tag in soup.find_all("time") if not _in_sidebar(tag)]
    stamps = [
        head.meta.get("article:published_time"),
        head.meta.get("og:article:published_time"),
        head.meta.get("datepublished"),
        _ld_text(head.ld("datePublished")),
        *(_attr(tag, "datetime") for tag in times),
    ]
    rejected: DateError | None = None
    for stamp in filter(None, stamps):
        try:
            moment, precision = _writable_date(parse_date_value, stamp)
        except DateError as error:
            rejected = rejected or error
            continue
        day_only = next((_attr(tag, "datetime") for tag in times if _ISO_DAY.fullmatch(_attr(tag, "datetime"))), "")
        if precision is Precision.MINUTE and uk_time(moment).strftime("%Y-%m-%dT%H:%M") == f"{day_only}T00:00":
            precision = Precision.DAY
        return moment, precision
    texts = [tag.get_text(" ") for tag in soup.find_all(True) if _has_word(tag, _DATE_WORDS) and not _in_sidebar(tag)]
    texts += [tag.get_text(" ") for tag in times]
    container = soup.find(["article", "main"])
    texts += [container.get_text(" ") if isinstance(container, Tag) else "", soup.get_text(" ")]
    for text in texts:
        if found := visible_date(text):
            return found
    if rejected:
        raise PageError(f"no usable publication date: {rejected}")
    return None


def visible_date(text: str) -> tuple[datetime, Precision] | None:
    """The first date written as UK press rooms write them, one labelled `Published` first:
    `Published: 09:45 20/11/2025`, `24 February 2021`, `Feb 24, 2021 07:00`, `24/02/2021`."""
    for found in find_dates(text):
        try:
            return _writable_date(parse_date_line, found)
        except DateError:
            continue
    return None


def _writable_date(parse: Callable[[str], tuple[datetime, Precision]], text: str) -> tuple[datetime, Precision]:
    """`parse(text)`, if the content file's date line can say it and be read back: the calendar's
    edges overflow once a time zone moves them (year 1, year 9999), and before 1847 London kept a
    local mean time that no date line names."""
    out_of_range = DateError(f"the date {_one_line(text)!r} is out of range")
    try:
        found = parse(text)
    except OverflowError:
        raise out_of_range from None
    try:
        parse_date_line(date_line(*found))
    except (DateError, OverflowError):
        raise out_of_range from None
    return found


def _source_url(head: _Head, text: str) -> str | None:
    """The original release: what an archive copy is based on, else the page's own canonical address."""
    saved_from = _SAVED_FROM.search(text[:4096])
    candidates = (
        _ld_text(head.ld("isBasedOn")),
        head.canonical,
        head.meta.get("og:url"),
        _ld_text(head.ld("url")),
        _ld_text(head.ld("mainEntityOfPage")),
        saved_from[1] if saved_from else None,
    )
    return next(filter(None, map(_http_url, candidates)), None)


def _og(head: _Head, source_url: str | None) -> dict[str, str]:
    """OpenGraph values, falling back to JSON-LD's and the description meta tag."""
    og = {
        "description": head.meta.get("og:description")
        or _ld_text(head.ld("description"))
        or head.meta.get("description"),
        "image": _http_url(head.meta.get("og:image") or _ld_text(head.ld("image"))),
        "site_name": head.meta.get("og:site_name"),
        "title": head.meta.get("og:title"),
        "type": head.meta.get("og:type"),
        "url": _http_url(head.meta.get("og:url")),
    }
    if og["image"] and _is_site_image(og["image"], head, source_url):
        og["image"] = None
    return {key: value for key, value in og.items() if value}


def _is_site_image(image: str, head: _Head, source_url: str | None) -> bool:
    """An archive copy's share image on its own host, with fixed dimensions, is the archive's
    fallback picture (this generator's pages use one for releases without an image), not the release's."""
    own_host = urlsplit(head.canonical or head.meta.get("og:url") or "").netloc
    is_copy = bool(source_url and head.canonical and source_url != head.canonical)
    return is_copy and "og:image:width" in head.meta and urlsplit(image).netloc == own_host


# Finding and cleaning the body


def _limit_nesting(soup: BeautifulSoup) -> None:
    """Lists and quotes nested deeper than `_MAX_NESTING`, and tables within tables, become plain
    blocks, and what lies deeper than `_MAX_DEPTH` elements becomes its text, so that a page nested
    thousands deep is still read."""
    depths: dict[int, tuple[int, int, int]] = {id(soup): (0, 0, 0)}  # elements, lists or quotes, tables
    too_deep: list[Tag] = []
    for tag in soup.find_all(True):
        elements, nests, tables = depths[id(tag.parent)]
        elements, nests, tables = elements + 1, nests + (tag.name in _NESTS), tables + (tag.name == "table")
        depths[id(tag)] = elements, nests, tables
        if (nests > _MAX_NESTING and tag.name in _NEST_PARTS) or (tables > 1 and tag.name in _TABLE_PARTS):
            tag.name = "div"
        if elements == _MAX_DEPTH and tag.find(True) is not None:
            too_deep.append(tag)
    for tag in too_deep:
        _flatten(soup, tag)


def _flatten(soup: BeautifulSoup, tag: Tag) -> None:
    """Replace what the tag holds by its text: a paragraph for each run of text within one block."""
    blocks: dict[int, Tag | None] = {id(tag): tag}  # each element's block; None within a dropped one
    runs: list[tuple[Tag, list[str]]] = []
    for node in tag.descendants:
        if isinstance(node, Tag):
            blocks[id(node)] = _block(node, blocks[id(node.parent)])
        elif type(node) is NavigableString and (block := blocks[id(node.parent)]) is not None:
            if runs and runs[-1][0] is block:
                runs[-1][1].append(node)
            else:
                runs.append((block, [node]))
    tag.clear(decompose=True)
    for _, strings in runs:
        if text := _one_line("".join(strings)):
            paragraph = soup.new_tag("p")
            paragraph.string = text
            tag.append(paragraph)


def _block(tag: Tag, outer: Tag | None) -> Tag | None:
    """The block the tag's text belongs to, given its parent's: its own if it starts one; None if dropped."""
    if outer is None or tag.name in _DROPPED_TAGS:
        return None
    return tag if tag.name in _TEXT_BLOCKS else outer


def _body_root(soup: BeautifulSoup) -> Tag:
    """The body's wrapper: a marked body element, an <article>, <main>, or the largest text block."""
    markers = [tag for tag in soup.find_all(True) if _is_body_marker(tag) and not _in_junk(tag)]
    articles = [tag for tag in soup.find_all("article") if not _in_junk(tag)]
    mains: list[Tag] = [*soup.find_all("main"), *soup.find_all(True, attrs={"role": "main"})]
    for group in (markers, articles, mains):
        best = max(group, key=_paragraph_text, default=None)
        if best is not None and _paragraph_text(best):
            return best
    return _largest_text_block(soup)


def _is_body_marker(tag: Tag) -> bool:
    if _attr(tag, "itemprop").lower() == "articlebody":
        return True
    return any(re.sub(r"[^a-z]", "", name.lower()).endswith(_BODY_MARKERS) for name in _attr(tag, "class").split())


def _largest_text_block(soup: BeautifulSoup) -> Tag:
    """The element whose own paragraphs (and loose text) hold the most text: where a page without
    an <article> keeps its release."""
    best: Tag | None = None
    best_score = 0
    for tag in soup.find_all(["div", "section", "td", "body", "main", "article", "blockquote"]):
        score = sum(_own_text_length(child) for child in tag.children)
        if score > best_score and not _in_junk(tag):
            best, best_score = tag, score
    if best is None:
        raise PageError("no body text found")
    return best


def _own_text_length(child: Any) -> int:
    if isinstance(child, Comment):
        return 0
    if isinstance(child, NavigableString):
        return len(child.strip())
    return len(child.get_text(strip=True)) if isinstance(child, Tag) and child.name == "p" else 0


def _paragraph_text(tag: Tag) -> int:
    return sum(len(p.get_text(strip=True)) for p in tag.find_all("p") if not _in_junk(p, tag))


def _clean(root: Tag, headline: str) -> None:
    """Remove from the body what surrounds the release, its title and its date, in place."""
    paragraphs = len(root.find_all("p"))
    for tag in root.find_all(True):
        if not tag.decomposed and _is_junk(tag) and not _holds_body(tag, paragraphs):
            tag.decompose()
    wanted = _words(headline)
    for tag in root.find_all(True):
        if tag.decomposed:
            continue
        is_title = tag.name == "h1" or (tag.name in ("h2", "h3") and _words(tag.get_text()) == wanted)
        if is_title or (_has_word(tag, _DATE_WORDS) and not _holds_body(tag, paragraphs)):
            tag.decompose()
    for time in root.find_all("time"):
        block = next((parent for parent in time.parents if parent.name in _BLOCKS), None)
        if block is not None and block is not root and len(block.get_text(strip=True)) <= 100:
            block.decompose()
    _drop_leading_dates(root)
    for tag in root.find_all(["a", "img"]):
        if tag.name == "a" and _attr(tag, "href").lower().startswith("javascript:"):
            tag.unwrap()


def _holds_body(tag: Tag, paragraphs: int) -> bool:
    """Most of the body's paragraphs: a wrapper with an unlucky class name (`published-content`), kept."""
    return paragraphs >= 2 and len(tag.find_all("p")) * 2 > paragraphs


def _drop_leading_dates(root: Tag) -> None:
    """A date standing alone before the first paragraph is the visible date, already on the date line."""
    for tag in root.find_all(["p", "div", "span", "h2", "h3", "h4", "h5", "h6"]):
        if tag.decomposed or tag.find(["p", "div"]):
            continue
        text = " ".join(tag.get_text(" ").split())
        if not text:
            continue
        if not looks_like_date_line(text):
            return
        tag.decompose()


def _markdown(root: Tag, base: str | None) -> str:
    """Markdown for the cleaned body, links made absolute so a saved page's relative ones still work
    (and their spaces and brackets encoded, which would end a Markdown link early)."""
    for tag, name in [(a, "href") for a in root.find_all("a")] + [(img, "src") for img in root.find_all("img")]:
        if value := _attr(tag, name).strip():
            tag[name] = _URL_UNSAFE.sub(lambda unsafe: quote(unsafe[0]), urljoin(base or "", value))
    for image in root.find_all("img", alt=True):
        image["alt"] = _escape(_attr(image, "alt"))  # markdownify writes it as it is, as text in a link
    text = _CONVERTER.convert_soup(root)
    lines = [line if line.strip() else "" for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _escape(text: str) -> str:
    """Text that Python-Markdown reads back as the same text, not as markup."""
    text = _ENTITY_START.sub("&amp;", _SPECIAL.sub(r"\\\g<0>", text)).replace("<", "&lt;")
    return _LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match[str]) -> str:
    space, mark = match.groups()
    if mark.isdigit():
        return f"{space}{mark}\\"  # before its `.`
    return f"{space}&#61;" if mark == "=" else f"{space}\\{mark}"  # `=` has no backslash escape


def _base_url(soup: BeautifulSoup, head: _Head, source_url: str | None) -> str | None:
    base = soup.find("base", href=True)
    own = head.canonical or head.meta.get("og:url") or source_url
    return urljoin(own or "", _attr(base, "href")) if isinstance(base, Tag) else own


def _is_junk(tag: Tag) -> bool:
    """Navigation, banners, share widgets, asides, related news, hidden elements."""
    if tag.name in _DROPPED_TAGS or tag.has_attr("hidden") or _attr(tag, "aria-hidden") == "true":
        return True
    if re.search(r"display\s*:\s*none", _attr(tag, "style")):
        return True
    return tag.name not in _NEVER_JUNK and _has_word(tag, _JUNK_WORDS, _JUNK_PREFIXES)


def _in_junk(tag: Tag, stop: Tag | None = None) -> bool:
    """Whether `tag` or an ancestor below `stop` is junk (a <form> may wrap a whole ASP.NET page)."""
    for element in (tag, *tag.parents):
        if element is stop or element.name in ("html", "[document]"):
            return False
        if _is_junk(element) and element.name != "form":
            return True
    return False


def _in_sidebar(tag: Tag) -> bool:
    """In related news or navigation, where other releases' dates are."""
    return any(
        parent.name in ("aside", "nav") or _has_word(parent, {"related", "sidebar"}) for parent in (tag, *tag.parents)
    )


def _has_word(tag: Tag, words: Iterable[str], prefixes: tuple[str, ...] = ()) -> bool:
    """Whether the tag's class or id holds one of `words` (`share-buttons`, `shareBar`, `cookie_banner`)."""
    names = " ".join(name for name in f"{_attr(tag, 'class')} {_attr(tag, 'id')}".split() if not _LAYOUT.match(name))
    tokens = set(re.split(r"[^a-z0-9]+", _CAMEL.sub(" ", names).lower())) - {""}
    return not tokens.isdisjoint(words) or any(token.startswith(prefixes) for token in tokens if prefixes)


# Writing content files


# Small helpers


def _attr(tag: Any, name: str) -> str:
    """An attribute as text (bs4 gives `class` and `rel` as lists), empty when absent."""
    value = tag.get(name) if isinstance(tag, Tag) else None
    if isinstance(value, list):
        return " ".join(value)
    return value or ""


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _ld_text(value: Any) -> str | None:
    """A JSON-LD value as text: a string, an object's name or URL, or a list's first."""
    if isinstance(value, list):
        return next(filter(None, map(_ld_text, value)), None)
    if isinstance(value, dict):
        return _ld_text(value.get("name") or value.get("url") or value.get("@id"))
    if isinstance(value, (str, int, float)):
        return _one_line(str(value)) or None
    return None


def _http_url(value: str | None) -> str | None:
    text = (value or "").strip()
    parts = urlsplit(text)
    return text if parts.scheme.lower() in ("http", "https") and parts.netloc else None
