"""The output as GitHub Pages serves it: under a sub-path, with its 404 page at any depth."""

from __future__ import annotations

import functools
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from . import synthetic
from .conftest import SEED
from .crawl import links

PREFIX = "/county-lines-archive/"


class PagesHandler(SimpleHTTPRequestHandler):
    """Like GitHub Pages: a missing path gets the site's own 404.html, with status 404."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / PREFIX.strip("/") / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site(write_content, build_site, tmp_path: Path) -> Iterator[str]:
    files = {SEED.name: SEED.read_bytes(), **synthetic.corpus(12, ["Kent Police", "Essex Police"])}
    output, _ = build_site(write_content(files), base_url=f"https://example.org{PREFIX}")
    root = tmp_path / "pages"
    root.mkdir()
    (root / PREFIX.strip("/")).symlink_to(output, target_is_directory=True)
    handler = functools.partial(PagesHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def check_links(page_url: str, html: str, host: str) -> tuple[list[str], list[str]]:
    """Links from one served page that are broken, and links that leave the prefix."""
    broken, escaping = [], []
    for link in links(BeautifulSoup(html, "html5lib")):
        if link.startswith("#"):  # a place on the page itself
            continue
        target = urldefrag(urljoin(page_url, link))[0]
        if not target.startswith(host):
            continue
        if not urlsplit(target).path.startswith(PREFIX):
            escaping.append(f"{page_url} → {link}")
        elif fetch(target)[0] != 200:
            broken.append(f"{page_url} → {link}")
    return broken, escaping


def test_every_link_works_under_the_sub_path(site: str) -> None:
    start = site + PREFIX
    seen, queue, broken, escaping = set(), [start], [], []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        status, html = fetch(url)
        assert status == 200, url
        soup = BeautifulSoup(html, "html5lib")
        canonical = soup.find("link", rel="canonical")
        if urlsplit(url).path.endswith("/search/"):  # not for search engines: no canonical URL
            assert canonical is None and soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        else:
            assert canonical["href"] == "https://example.org" + urlsplit(url).path
        bad, out = check_links(url, html, site)
        broken += bad
        escaping += out
        for link in links(soup):
            target = urldefrag(urljoin(url, link))[0]
            if target.startswith(site + PREFIX) and target.endswith("/"):
                queue.append(target)
    assert broken == [] and escaping == []
    assert len(seen) > 15


@pytest.mark.parametrize("missing", ["nope", "articles/no-such-release/", "forces/kent-police/page/99/deeper/"])
def test_404_page_works_at_any_depth(site: str, missing: str) -> None:
    url = f"{site}{PREFIX}{missing}"
    status, html = fetch(url)
    assert status == 404 and "Page not found" in html
    soup = BeautifulSoup(html, "html5lib")
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert soup.find("link", rel="canonical") is None
    broken, escaping = check_links(url, html, site)
    assert broken == [] and escaping == []


def test_build_writes_nojekyll_and_cname_for_a_custom_domain(write_content, build_site, tmp_path: Path) -> None:
    content = write_content({SEED.name: SEED.read_bytes()})
    output, _ = build_site(content)
    assert (output / ".nojekyll").read_bytes() == b""
    assert not (output / "CNAME").exists()
    (tmp_path / "site.yaml").write_text("domain: archive.example.org\n")
    output, _ = build_site(content)
    assert (output / "CNAME").read_text() == "archive.example.org\n"
