from datetime import UTC, datetime
from pathlib import Path

from generator.output.context import home
from generator.output.kinds import KINDS, plan, reserved, signature
from generator.reading.config import Config
from generator.reading.content import read_article
from generator.reading.forces import Registry
from generator.site.collect import collect
from generator.site.pages import Settings
from generator.site.urls import relative

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
    pages = plan(site, Settings(5, 20)).pages
    assert pages == plan(site, Settings(5, 20)).pages
    assert [signature(page, "s") for page in pages] == [
        signature(page, "s") for page in plan(site, Settings(5, 20)).pages
    ]
    assert len({signature(page, "s") for page in pages}) == len(pages)
    urls = [page.url for page in pages]
    assert len(urls) == len(set(urls))
    assert urls[:3] == ["", "page/2/", "page/3/"]
    assert "forces/" in urls and "forces/kent-police/" in urls and "forces/kent-police/page/2/" in urls
    assert sum(url.startswith("articles/") for url in urls) == 12
    assert {page.kind for page in pages} == {
        *("home", "article", "forces", "force", "archives", "year", "search", "figures", "404", "tags"),
        *("feed", "sitemap", "robots", "releases-json", "releases-csv", "releases-schema"),
        *("figures-table", "figures-chart"),
    }
    assert "feed.xml" in urls and "forces/kent-police/feed.xml" in urls and "sitemap.xml" in urls
    first = home(pages[0], Config(per_page=5), lambda fingerprint: "")["pagination"]
    assert [n for n, _ in first.pages] == [1, 2, 3]


def test_long_pagination_is_windowed(registry: Registry) -> None:
    articles = [
        read_article(Path(name), text.encode(), registry).article
        for name, text in synthetic.corpus(40, ["Kent Police"]).items()
    ]
    site, _ = collect(articles, NOW)
    pages = [page for page in plan(site, Settings(2, 20)).pages if page.kind == "home"]
    assert len(pages) == 20
    pagination = home(pages[9], Config(per_page=2), lambda fingerprint: "")["pagination"]
    assert [n for n, _ in pagination.pages] == [1, None, 8, 9, 10, 11, 12, None, 20]


def test_every_kind_is_declared_whole_and_its_pages_keep_to_its_urls(registry: Registry) -> None:
    """One record per kind: a template with its context builder, or a writer; the URLs its pages
    take are the names it declares, and those are what a page of the site's own may not take."""
    from generator.reading.config import PROJECT_ROOT

    articles = [
        read_article(Path(name), text.encode(), registry).article
        for name, text in synthetic.corpus(12, ["Kent Police", "Essex Police"]).items()
    ]
    tagged = read_article(Path("t.md"), synthetic.authored(extra_yaml="tags: [cuckooing]").encode(), registry)
    gone = synthetic.authored("Synthetic gone", extra_yaml="withdrawn: Synthetic reason\naliases: [synthetic-old]")
    withdrawn = read_article(Path("gone.md"), gone.encode(), registry)
    site, _ = collect([*articles, tagged.article, withdrawn.article], NOW)
    pages = plan(site, Settings(5, 20)).pages
    assert {page.kind for page in pages} == set(KINDS) - {"page"}  # no own pages in this site
    for kind in KINDS.values():
        assert (kind.context is None) != (kind.write is None), kind.name
        if kind.context:
            assert (PROJECT_ROOT / "templates" / kind.template).is_file(), kind.name
    for page in pages:
        assert page.url.split("/")[0] in KINDS[page.kind].owns or page.url == "", page
    assert {"articles", "forces", "archive", "tags", "search", "figures", "data", "pagefind", "static"} <= reserved()


def test_a_new_kind_is_one_record_a_planner_a_context_and_a_template(tmp_path: Path) -> None:
    """The example of docs/internals.md: the page is rendered, in the sitemap, and its name is
    one an own page may not take."""
    from typing import Any

    from generator.commands.build import BuildOptions, build
    from generator.model import Page
    from generator.output import context, kinds
    from generator.output.meta import listing_meta

    def seizures(site: Any, settings: Settings, listed: Any) -> list[Page]:
        found = tuple(a for a in site.articles if any(f.kind.endswith("seized") for f in a.figures))
        return [Page("seizures", "seizures/", found)]

    def seizures_context(page: Page, config: Config, body: Any) -> dict[str, Any]:
        meta = listing_meta("Seizures", "Releases that report a seizure.", page.url, config)
        entries = [context.entry(article) for article in page.articles]
        return {
            "nav": None,
            "meta": meta,
            "entries": entries,
            "pagination": context.pagination(1, 1, lambda n: page.url),
        }

    content = tmp_path / "content"
    content.mkdir()
    seizure = "Officers seized £4,500 in cash. SYNTHETIC TEST CONTENT."
    (content / "a.md").write_text(synthetic.authored(title="Synthetic seizure", body=seizure))
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "seizures.html").write_text('{% extends "listing.html" %}\n')
    (tmp_path / "site.yaml").write_text("title: Synthetic kinds\n")
    saved = dict(kinds.KINDS)
    kinds.KINDS.clear()
    for name, kind in saved.items():
        if name == "page":
            kinds.KINDS["seizures"] = kinds.PageKind("seizures", seizures, ("seizures",), seizures_context)
        kinds.KINDS[name] = kind
    try:
        build(BuildOptions(content=content, output=tmp_path / "output", config=tmp_path / "site.yaml"))
        assert "seizures" in reserved()
    finally:
        kinds.KINDS.clear()
        kinds.KINDS.update(saved)
    page = (tmp_path / "output" / "seizures" / "index.html").read_text()
    assert "Synthetic seizure" in page and "<title>Seizures" in page
    assert "/seizures/</loc>" in (tmp_path / "output" / "sitemap.xml").read_text()
