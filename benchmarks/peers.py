"""The same synthetic corpus as a Hugo site and a Pelican site, with comparable page sets:
an article page each, a paginated home page (20 a page), a paginated page per force and
feeds (Hugo and Pelican write Atom/RSS feeds; this generator writes none until feeds land).

Hugo's article pages are marked up for Pagefind as this generator's search documents are
(generator/output/search.py): the title and body indexed, the force and year as filters, the
title, force and date as metadata; so `pagefind --site public` after Hugo indexes what ours does
(and skips the pages without `data-pagefind-body`, the listings)."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

_FRONT = re.compile(r"```yaml\n(?P<yaml>.*?)\n```\n\n(?P<date>[^\n]+)\n\n(?P<body>.*)", re.S)
_TITLE = re.compile(r"^  title: '(?P<title>.*)'$", re.M)
_FORCE = re.compile(r"^pressroom:\n  name: (?P<force>.*)$", re.M)
_SUMMARY = re.compile(r"^  description: '(?P<summary>.*)'$", re.M)

HUGO_CONFIG = """\
baseURL = "https://example.org/"
title = "Synthetic benchmark"
disableKinds = ["section", "taxonomy"]
[pagination]
  pagerSize = 20
[taxonomies]
  force = "forces"
[outputs]
  home = ["html", "rss"]
  term = ["html", "rss"]
"""
HUGO_LAYOUTS = {
    "baseof.html": '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>'
    '<link rel="canonical" href="{{ .Permalink }}"></head><body>{{ block "main" . }}{{ end }}</body></html>',
    "single.html": '{{ define "main" }}<article data-pagefind-body>'
    '<meta data-pagefind-filter="year[content]" content="{{ .Date.Year }}">'
    '<meta data-pagefind-meta="date[content]" content="{{ .Date.Format "2 January 2006, 15:04 MST" }}">'
    '<h1 data-pagefind-meta="title">{{ .Title }}</h1>'
    '<time data-pagefind-ignore>{{ .Date.Format "2 January 2006" }}</time>'
    "{{ range .Params.forces }}"
    '<meta data-pagefind-filter="force[content]" data-pagefind-meta="force[content]" content="{{ . }}">'
    "<p data-pagefind-ignore>{{ . }}</p>{{ end }}{{ .Content }}</article>{{ end }}",
    "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ $pager := .Paginate .Pages.ByDate.Reverse }}'
    '{{ range $pager.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>'
    "<p>{{ .Summary }}</p></article>{{ end }}"
    '{{ with $pager.Next }}<a href="{{ .URL }}">Older</a>{{ end }}{{ end }}',
}
PELICAN_CONFIG = """\
SITENAME = "Synthetic benchmark"
SITEURL = ""
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 20
PATH = "content"
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
"""


def _releases(corpus: Path) -> list[tuple[str, str, str, str, str, str]]:
    """(stem, title, force, summary, date line, body) for each seed-form file."""
    releases = []
    for path in sorted(corpus.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        match = _FRONT.match(text)
        assert match, path
        head = match["yaml"]
        title, force, summary = (pattern.search(head) for pattern in (_TITLE, _FORCE, _SUMMARY))
        assert title and force and summary, path
        releases.append((path.stem, title["title"], force["force"], summary["summary"], match["date"], match["body"]))
    return releases


def _iso(date_line: str) -> str:
    from datetime import datetime, timedelta, timezone

    moment = datetime.strptime(date_line[:-4], "%b %d, %Y %H:%M")
    offset = timedelta(hours=1) if date_line.endswith("BST") else timedelta(0)
    return moment.replace(tzinfo=timezone(offset)).isoformat()


def pagefind_executable() -> str | None:
    """The Pagefind binary this generator runs (the `pagefind[bin]` dependency), for indexing Hugo's site."""
    try:
        from pagefind import service
    except ImportError:
        return None
    executable = service.get_executable()
    return str(executable) if executable else None


def hugo_site(corpus: Path, site: Path) -> None:
    shutil.rmtree(site, ignore_errors=True)
    (site / "content" / "articles").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        (site / "layouts" / "_default" / name).write_text(text)
    for stem, title, force, summary, date_line, body in _releases(corpus):
        front = f'---\ntitle: "{title}"\ndate: {_iso(date_line)}\nforces: ["{force}"]\nsummary: "{summary}"\n---\n\n'
        (site / "content" / "articles" / f"{stem}.md").write_text(front + body, encoding="utf-8")


def pelican_site(corpus: Path, site: Path) -> None:
    shutil.rmtree(site, ignore_errors=True)
    (site / "content").mkdir(parents=True)
    (site / "pelicanconf.py").write_text(PELICAN_CONFIG)
    for stem, title, force, summary, date_line, body in _releases(corpus):
        front = textwrap.dedent(f"""\
            Title: {title}
            Date: {_iso(date_line)[:16].replace("T", " ")}
            Category: {force}
            Summary: {summary}

            """)
        (site / "content" / f"{stem}.md").write_text(front + body, encoding="utf-8")
