from datetime import UTC, datetime
from pathlib import Path

from generator.collect import collect
from generator.config import Config
from generator.content import read_article
from generator.context import page_context
from generator.forces import Registry
from generator.pages import plan, signature
from generator.urls import relative

from . import synthetic

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_relative_links_work_from_any_depth() -> None:
    assert relative("", "articles/x/") == "articles/x/"
    assert relative("articles/x/", "") == "../../"
    assert relative("articles/x/", "static/style.css") == "../../static/style.css"
    assert relative("forces/kent-police/page/2/", "forces/kent-police/") == "../../../../forces/kent-police/"
    assert relative("page/2/", "page/3/") == "../../page/3/"
    assert relative("", "") == "./"
    assert relative("404.html", "forces/") == "forces/"


def test_plan_is_pure_and_complete(registry: Registry) -> None:
    articles = [
        read_article(Path(name), text.encode(), registry).article
        for name, text in synthetic.corpus(12, ["Kent Police", "Essex Police"]).items()
    ]
    site, _ = collect(articles, NOW)
    pages = plan(site, 5, 20)
    assert pages == plan(site, 5, 20)
    assert [signature(page, "s") for page in pages] == [signature(page, "s") for page in plan(site, 5, 20)]
    assert len({signature(page, "s") for page in pages}) == len(pages)
    urls = [page.url for page in pages]
    assert len(urls) == len(set(urls))
    assert urls[:3] == ["", "page/2/", "page/3/"]
    assert "forces/" in urls and "forces/kent-police/" in urls and "forces/kent-police/page/2/" in urls
    assert sum(url.startswith("articles/") for url in urls) == 12
    assert {page.kind for page in pages} == {
        *("home", "article", "forces", "force", "archives", "year", "search", "figures", "404"),
        *("feed", "sitemap", "robots", "releases-json", "releases-csv", "releases-schema"),
    }
    assert "feed.xml" in urls and "forces/kent-police/feed.xml" in urls and "sitemap.xml" in urls
    home = page_context(pages[0], Config(per_page=5), lambda fingerprint: "")["pagination"]
    assert [n for n, _ in home.pages] == [1, 2, 3]


def test_long_pagination_is_windowed(registry: Registry) -> None:
    articles = [
        read_article(Path(name), text.encode(), registry).article
        for name, text in synthetic.corpus(40, ["Kent Police"]).items()
    ]
    site, _ = collect(articles, NOW)
    pages = [page for page in plan(site, 2, 20) if page.template == "home.html"]
    assert len(pages) == 20
    pagination = page_context(pages[9], Config(per_page=2), lambda fingerprint: "")["pagination"]
    assert [n for n, _ in pagination.pages] == [1, None, 8, 9, 10, 11, 12, None, 20]
