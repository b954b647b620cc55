"""`python -m generator import`: saved press-release pages in, content files in the scraped form out.

The fixture pages in tests/data/import/ are synthetic, shaped like real press-room pages (with
navigation, share widgets, cookie banners, scripts and related news around the release).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from lxml import html

from generator.commands import importer
from generator.commands.build import BuildReport
from generator.commands.cli import main
from generator.commands.importer import MAX_PAGE_MB, date_line, file_name, render
from generator.errors import display_path
from generator.model import Force, Parsed, Precision
from generator.reading.body import render_markdown
from generator.reading.content import read_article
from generator.reading.forces import Registry
from generator.reading.saved_page import ExtractedPage, read_page, visible_date

from . import corpus, synthetic
from .conftest import ROOT, SEED
from .crawl import release_pages
from .test_cli import run

PAGES = ROOT / "tests" / "data" / "import"
UK = ZoneInfo("Europe/London")
# Words of what surrounds the releases in the fixtures: none may reach a body.
JUNK = ["cookie", "Share on", "TRACKING", "SCRIPT TEXT", "Related", "Another synthetic", "Powered by", "Home",
        "newsletter", "sidebar text", "Synthetic footer", "social media", "Press release", "By the synthetic"]  # fmt: skip

# page → (file name, force, date line)
EXPECTED = {
    "mynewsdesk.html": (
        "metropolitan-police-2021-02-24-synthetic-more-than-1000-charges-in-operation.txt",
        "Metropolitan Police",
        "Feb 24, 2021 07:00 GMT",
    ),
    "force-site.html": (
        "kent-police-2022-07-14-synthetic-warrants-executed-in-marshbury.txt",
        "Kent Police",
        "Jul 14, 2022 16:45 BST",
    ),
    "visible-date.html": (
        "essex-police-2020-03-03-synthetic-cuckooing-closure-order-fernleigh.txt",
        "Essex Police",
        "Mar 3, 2020",
    ),
    "bst.html": (
        "greater-manchester-police-2021-07-05-synthetic-county-line-dismantled-rookford.txt",
        "Greater Manchester Police",
        "Jul 5, 2021 10:15 BST",
    ),
    "json-ld.html": (
        "west-midlands-police-2023-11-02-synthetic-teenagers-rescued.txt",
        "West Midlands Police",
        "Nov 2, 2023 14:30 GMT",
    ),
    "windows-1252.html": (
        "sussex-police-2019-10-27-synthetic-cafe-raid.txt",
        "Sussex Police",
        "Oct 27, 2019 01:30 BST",
    ),
}


def read_back(path: Path, registry: Registry) -> Parsed:
    parsed = read_article(path, path.read_bytes(), registry)
    assert parsed.warnings == (), [str(warning) for warning in parsed.warnings]
    return parsed


def body_of(text: str) -> str:
    """What follows the front matter and the date line."""
    return text.split("```\n", 1)[1].strip().split("\n", 1)[1]


def page_html(body: str, date: str = "2022-01-05T10:00:00Z", title: str = "Synthetic page", head: str = "") -> str:
    """A small page Kent Police published on `date`."""
    return (
        f'<html><head><title>{title} - Kent Police</title><meta property="article:published_time" '
        f'content="{date}">{head}</head><body><article>{body}</article></body></html>'
    )


def body_text(parsed: Parsed) -> str:
    """What a reader sees of the release's body."""
    return str(html.fragment_fromstring(parsed.body_html, create_parent="div").text_content())


# Pages


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_fixture_page_imports_cleanly_without_its_surroundings(
    name: str, tmp_path: Path, registry: Registry
) -> None:
    expected_name, force, line = EXPECTED[name]
    assert main(["import", str(PAGES / name), "--content", str(tmp_path), "-q"]) == 0
    path = tmp_path / expected_name
    text = path.read_text(encoding="utf-8")
    assert text.startswith("```yaml\n") and f"\n```\n\n{line}\n\n" in text
    parsed = read_back(path, registry)
    assert parsed.article.force is not None and parsed.article.force.name == force
    body = body_of(text)
    assert not [word for word in JUNK if word.lower() in body.lower()]
    assert parsed.article.title not in body  # the title is in the front matter only
    assert line not in body and "<time" not in parsed.body_html
    assert len(parsed.body_html) > 100


def test_mynewsdesk_page_keeps_emphasis_links_lists_and_quotes(registry: Registry) -> None:
    page = read_page((PAGES / "mynewsdesk.html").read_bytes(), registry)
    assert page.body.startswith("**Officers in the synthetic borough of Eastbrook")
    assert "587 *synthetic* lineholders" in page.body
    assert "[earlier release](https://news.example-pressroom.test/news/synthetic-earlier-release)" in page.body
    assert "- 324 invented lines closed\n- 154 synthetic people safeguarded" in page.body
    assert "> “This is invented test text,” said Detective Inspector Morwenna Kittle." in page.body
    assert page.fb_app_id == "164521400263620" and page.og["site_name"] == "Mynewsdesk"
    front = render(page).split("```", 2)[1]
    assert "    id: '164521400263620'\n" in front  # an id stays a string, quoted as the seed quotes it


def test_force_website_page_without_article_uses_the_largest_text_block(registry: Registry) -> None:
    page = read_page((PAGES / "force-site.html").read_bytes(), registry)
    assert page.body.startswith("Officers investigating invented drug dealing in Marshbury")
    assert "1. Cash seized\n2. Phones seized" in page.body
    assert "13 July 2022" in page.body  # a date in the text is the text's
    assert page.title == "Synthetic warrants executed in Marshbury - Kent Police"


def test_json_ld_only_page_gives_title_date_force_summary_image_and_url(registry: Registry) -> None:
    page = read_page((PAGES / "json-ld.html").read_bytes(), registry)
    assert page.headline == "Synthetic teenagers rescued from an invented county line"
    assert page.published == datetime(2023, 11, 2, 14, 30, tzinfo=UTC)
    assert page.og == {
        "description": "Synthetic: two invented teenagers were rescued.",
        "image": "https://www.example-force.test/images/synthetic-rescue.jpg",
    }
    assert page.source_url == "https://www.example-force.test/news/2023/11/synthetic-teenagers-rescued"


def test_windows_1252_page_is_decoded_by_its_meta_charset(tmp_path: Path, registry: Registry) -> None:
    main(["import", str(PAGES / "windows-1252.html"), "--content", str(tmp_path), "-q"])
    parsed = read_back(tmp_path / EXPECTED["windows-1252.html"][0], registry)
    assert parsed.article.title == "Synthetic café raid nets £20,000"
    assert "£20,000 in cash – the ‘synthetic’ operation’s" in parsed.body_html
    # 01:30 BST on the night the clocks go back: the zone on the date line settles which 01:30
    assert parsed.article.published == datetime(2019, 10, 27, 0, 30, tzinfo=UTC)


def test_a_byte_order_mark_wins_over_the_declared_charset(registry: Registry) -> None:
    utf8 = (PAGES / "mynewsdesk.html").read_bytes()
    utf16 = utf8.decode("utf-8").encode("utf-16")  # with a BOM; the page still says utf-8
    assert read_page(utf16, registry) == read_page(utf8, registry)


def test_file_written_in_the_seeds_shape(registry: Registry) -> None:
    seed = SEED.read_text(encoding="utf-8")
    page = ExtractedPage(
        title="More than 1,000 charges secured for county lines offending - Metropolitan Police",
        headline="More than 1,000 charges secured for county lines offending",
        force=registry.resolve("Metropolitan Police"),  # type: ignore[arg-type]
        published=datetime(2021, 2, 24, 7, 0, tzinfo=UTC),
        precision=Precision.MINUTE,
        source_url="https://news.met.police.uk/news/more-than-1000-charges-secured-for-county-lines-offending-421863",
        body=body_of(seed).strip(),
        og={
            "description": "Between Nov 2019 and Jan 2021, 587 county line lineholders and their associates have been charged with 1,135 offences.",
            "image": "https://resources.mynewsdesk.com/image/upload/t_open_graph_image/k5wpmba3updzsr8pgygi.jpg",
            "site_name": "Mynewsdesk",
            "title": "More than 1,000 charges secured for county lines offending",
            "type": "article",
            "url": "https://news.met.police.uk/news/more-than-1000-charges-secured-for-county-lines-offending-421863",
        },
        fb_app_id="164521400263620",
    )
    without_area = seed.replace("area: Metropolitan\n", "")  # an area is not on the page
    assert render(page).split("\n\n", 2)[:2] == without_area.split("\n\n", 2)[:2]
    assert file_name(page) == "metropolitan-police-2021-02-24-more-than-1000-charges-secured-for-county-lines.txt"


# Dates and names


@pytest.mark.parametrize(
    ("moment", "precision", "line"),
    [
        (datetime(2021, 2, 24, 7, 0, tzinfo=UTC), Precision.MINUTE, "Feb 24, 2021 07:00 GMT"),
        (datetime(2021, 7, 5, 9, 15, tzinfo=UTC), Precision.MINUTE, "Jul 5, 2021 10:15 BST"),
        (datetime(2021, 3, 28, 0, 59, tzinfo=UTC), Precision.MINUTE, "Mar 28, 2021 00:59 GMT"),
        (datetime(2021, 3, 28, 1, 0, tzinfo=UTC), Precision.MINUTE, "Mar 28, 2021 02:00 BST"),
        (datetime(2021, 10, 31, 1, 0, tzinfo=UTC), Precision.MINUTE, "Oct 31, 2021 01:00 GMT"),
        (datetime(2020, 6, 30, 23, 0, tzinfo=UTC), Precision.DAY, "Jul 1, 2020"),
    ],
)
def test_date_line_is_gmt_or_bst_by_uk_rules(moment: datetime, precision: Precision, line: str) -> None:
    assert date_line(moment, precision) == line


@pytest.mark.parametrize(
    ("text", "local", "precision"),
    [
        ("Published: 24 February 2021", (2021, 2, 24, 0, 0), Precision.DAY),
        ("Feb 24, 2021 07:00 by the press office", (2021, 2, 24, 7, 0), Precision.MINUTE),
        ("Posted 24/02/2021", (2021, 2, 24, 0, 0), Precision.DAY),
        ("14/07/2022 16:45", (2022, 7, 14, 16, 45), Precision.MINUTE),
        ("Thursday 3rd June 2021 at 2.30pm", (2021, 6, 3, 14, 30), Precision.MINUTE),
        ("30 February 2021, then 1 March 2021", (2021, 3, 1, 0, 0), Precision.DAY),
    ],
)
def test_visible_dates_in_common_forms_are_uk_time(text: str, local: tuple[int, ...], precision: Precision) -> None:
    assert visible_date(text) == (datetime(*local, tzinfo=UK).astimezone(UTC), precision)


def test_no_visible_date_is_none() -> None:
    assert visible_date("© 2021 Synthetic force. Call 101.") is None


def _page(url: str | None, headline: str = "Synthetic: 1,000 arrests made") -> ExtractedPage:
    force = Force("Kent Police", "kent-police", "territorial")
    moment = datetime(2021, 6, 30, 23, 30, tzinfo=UTC)  # 1 July in the UK
    return ExtractedPage(headline, headline, force, moment, Precision.MINUTE, url, "Body.")


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://example.test/news/synthetic-arrests-in-oakhollow-5123", "synthetic-arrests-in-oakhollow-5123"),
        ("https://example.test/news/synthetic-arrests/index.html", "synthetic-arrests"),
        ("https://example.test/news/Synthetic_Arrests.aspx?id=3", "synthetic-arrests"),
        ("https://example.test/news/item/48213", "synthetic-1000-arrests-made"),  # a bare id: the title
        (None, "synthetic-1000-arrests-made"),
        ("https://example.test/" + "-".join(["word"] * 30), "-".join(["word"] * 10)),
    ],
)
def test_file_names_are_force_uk_date_and_slug(url: str | None, name: str) -> None:
    assert file_name(_page(url)) == f"kent-police-2021-07-01-{name}.txt"


# The command


def test_cli_imports_a_folder_one_line_per_page_then_builds(
    tmp_path: Path,
    registry: Registry,
    build_site: Callable[..., tuple[Path, BuildReport]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = run("import", str(PAGES), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    monkeypatch.chdir(tmp_path)  # where the command ran, for display_path
    content = Path("content")
    assert lines == [
        f"{display_path(PAGES / page)}: written {content / EXPECTED[page][0]}" for page in sorted(EXPECTED)
    ]
    assert result.stderr == ""
    for path in (tmp_path / "content").iterdir():
        read_back(path, registry)
    output, report = build_site(tmp_path / "content")
    assert report.articles == len(EXPECTED) and report.warnings == []
    assert (output / "articles" / "synthetic-warrants-executed-in-marshbury" / "index.html").is_file()


def test_importing_twice_is_a_no_op_even_after_a_rename(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page, content = PAGES / "bst.html", tmp_path / "content"
    assert main(["import", str(page), "--content", str(content)]) == 0
    written = content / EXPECTED["bst.html"][0]
    assert capsys.readouterr().out == f"{display_path(page)}: written {display_path(written)}\n"
    renamed = content / "2021" / "rookford.txt"
    renamed.parent.mkdir()
    written.rename(renamed)
    assert main(["import", str(page), "--content", str(content)]) == 0
    assert capsys.readouterr().out == f"{display_path(page)}: skipped: already imported as {display_path(renamed)}\n"
    assert not written.exists()


def test_an_earlier_import_is_replaced_only_when_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = PAGES / "json-ld.html"
    main(["import", str(page), "--content", str(tmp_path)])
    path = tmp_path / EXPECTED["json-ld.html"][0]
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("Two invented teenagers", "Two edited teenagers"), encoding="utf-8")
    main(["import", str(page), "--content", str(tmp_path)])
    assert "Two edited teenagers" in path.read_text(encoding="utf-8")
    assert "skipped: already imported" in capsys.readouterr().out
    assert main(["import", str(page), "--content", str(tmp_path), "--force-overwrite"]) == 0
    assert path.read_text(encoding="utf-8") == original
    assert capsys.readouterr().out == f"{display_path(page)}: written {display_path(path)}\n"
    assert sorted(tmp_path.iterdir()) == [path]  # no temporary files left behind


def test_a_different_release_with_the_same_name_is_never_replaced(tmp_path: Path) -> None:
    html = (PAGES / "bst.html").read_text(encoding="utf-8")
    other = tmp_path / "other.html"
    other.write_text(html.replace("www.example-force.test", "mirror.example-force.test"), encoding="utf-8")
    content = tmp_path / "content"
    assert main(["import", str(PAGES / "bst.html"), str(other), "--content", str(content), "--force-overwrite"]) == 0
    first = content / EXPECTED["bst.html"][0]
    second = first.with_name(first.stem + "-2.txt")
    assert "www.example-force.test" in first.read_text() and "mirror.example-force.test" in second.read_text()


def test_bad_pages_are_reported_by_name_and_do_not_stop_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], registry: Registry
) -> None:
    head = "<html><head><title>Synthetic page - Kent Police</title>"
    dated = '<meta property="article:published_time" content="2022-01-05T10:00:00Z">'
    bad = {
        "empty.html": b"",
        "picture.html": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        "notes.html": b"Just some notes about a release, not a page.\n",
        "control.html": bytes(range(1, 9)) * 200 + b"<html>",
        "garbled.html": b"<html><title>x</title>" + bytes(range(128, 256)) * 20,
        "untitled.html": b"<html><body><p>Officers made synthetic arrests.</p></body></html>",
        "empty-body.html": f"{head}{dated}</head><body><nav><a href='/'>Home</a></nav></body></html>".encode(),
        "no-date.html": f"{head}</head><body><article><p>Synthetic text.</p></article></body></html>".encode(),
        "no-force.html": f"<html><head><title>Synthetic page</title>{dated}</head><body><p>Text.</p></body></html>".encode(),
    }
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "empty-folder").mkdir()
    pages = [tmp_path / name for name in bad] + [
        tmp_path / "missing.html",
        tmp_path / "empty-folder",
        PAGES / "bst.html",
    ]
    assert main(["import", *map(str, pages), "--content", str(tmp_path / "content")]) == 1
    captured = capsys.readouterr()
    reasons = {
        "empty.html": "empty file",
        "picture.html": "not a text file (binary data)",
        "notes.html": "not an HTML page",
        "control.html": "cannot decode",
        "garbled.html": "cannot decode",
        "untitled.html": "no title",
        "empty-body.html": "no body text found",
        "no-force.html": "no force named on the page; give --publisher NAME",
        "missing.html": "file not found",
        "empty-folder": "no .html or .htm files in this folder",
    }
    failures = [line for line in captured.err.splitlines() if ": warning: " not in line]
    assert len(failures) == len(reasons)
    for line, (name, reason) in zip(failures, reasons.items(), strict=True):
        assert line.startswith(f"{display_path(tmp_path / name)}: failed: ") and reason in line, line
    written = tmp_path / "content" / EXPECTED["bst.html"][0]
    undated = tmp_path / "content" / "kent-police-undated-synthetic-page.txt"
    assert captured.out.splitlines() == [
        f"{display_path(tmp_path / 'no-date.html')}: written {display_path(undated)}",
        f"{display_path(PAGES / 'bst.html')}: written {display_path(written)}",
    ]
    warning = f"{display_path(tmp_path / 'no-date.html')}: warning: the page shows no date, so the release is undated"
    assert any(line.startswith(warning) for line in captured.err.splitlines())  # how to give its date, on stderr
    dated = tmp_path / "dated"
    assert main(["import", str(tmp_path / "no-date.html"), "--content", str(dated), "--date", "2022-01-05"]) == 0
    parsed = read_back(dated / "kent-police-2022-01-05-synthetic-page.txt", registry)
    assert parsed.article.published is not None and parsed.article.published.date().isoformat() == "2022-01-05"


def test_force_option_names_the_publisher(
    tmp_path: Path, registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Synthetic line closed</title>"
        '<meta property="article:published_time" content="2022-01-05T10:00:00Z"></head>'
        "<body><main><p>A synthetic line was closed in Oakhollow.</p></main></body></html>",
        encoding="utf-8",
    )
    assert main(["import", str(page), "--content", str(tmp_path / "c"), "--publisher", "kent"]) == 0
    parsed = read_back(tmp_path / "c" / "kent-police-2022-01-05-synthetic-line-closed.txt", registry)
    assert parsed.article.force is not None and parsed.article.force.slug == "kent-police"
    assert parsed.article.source_url is None
    main(["import", str(page), "--content", str(tmp_path / "c"), "--force", "kent"])
    assert "skipped: already imported as" in capsys.readouterr().out  # no URL: known by its file name


def test_usage_errors_exit_two(tmp_path: Path) -> None:
    assert run("import", cwd=tmp_path).returncode == 2
    date = run("import", str(PAGES / "bst.html"), "--date", "2021-02-30", cwd=tmp_path)
    assert date.returncode == 2 and "--date: 30 February 2021 does not exist" in date.stderr
    old = run("import", str(PAGES / "bst.html"), "--force", "kent", "--content", "old", cwd=tmp_path)
    assert old.returncode == 0 and "warning: import's --force is now --publisher" in old.stderr
    near = run("import", str(PAGES / "bst.html"), "--publisher", "Kent Polise", cwd=tmp_path)
    assert near.returncode == 2 and "(did you mean 'Kent Police'?)" in near.stderr
    unknown = run("import", str(PAGES / "bst.html"), "--force", "Atlantis Constabulary", cwd=tmp_path)
    assert unknown.returncode == 2 and "unknown force 'Atlantis Constabulary'" in unknown.stderr
    (tmp_path / "file").write_text("x")
    assert run("import", str(PAGES / "bst.html"), "--content", "file", cwd=tmp_path).returncode == 2
    assert not (tmp_path / "content").exists()


def test_quiet_prints_failures_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(PAGES / "bst.html"), str(tmp_path / "gone.html"), "--content", str(tmp_path), "-q"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == f"{display_path(tmp_path / 'gone.html')}: failed: file not found\n"


# One page's trouble is that page's alone

NESTED = {
    "div": ("<div>", "</div>"),
    "span": ("<span>", "</span>"),
    "blockquote": ("<blockquote>", "</blockquote>"),
    "list": ("<ul><li>", "</li></ul>"),
    "table": ("<table><tr><td>", "</td></tr></table>"),
    "emphasis": ("<b><i>", "</i></b>"),
}


@pytest.mark.parametrize("depth", [400, 5000])
@pytest.mark.parametrize("kind", sorted(NESTED))
def test_a_page_nested_thousands_deep_is_imported_with_all_its_text(
    kind: str, depth: int, tmp_path: Path, registry: Registry
) -> None:
    opening, closing = NESTED[kind]
    page = tmp_path / "deep.html"
    page.write_text(page_html(f"<p>Synthetic opening words.</p>{opening * depth}Synthetic deep words{closing * depth}"))
    assert main(["import", str(page), "--content", str(tmp_path / "content"), "-q"]) == 0
    (written,) = (tmp_path / "content").iterdir()
    text = body_text(read_back(written, registry))
    assert "Synthetic opening words." in text and "Synthetic deep words" in text


def test_whatever_goes_wrong_with_a_page_is_its_one_line_and_the_others_are_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], registry: Registry
) -> None:
    text = "<p>Synthetic text about an invented line.</p>"
    failing = {
        "year-one.html": (page_html(text, "Jan 1, 0001 00:00 GMT").encode(), "no usable publication date"),
        "year-one-ahead.html": (page_html(text, "Jan 1, 0001 00:30 +01:00").encode(), "no usable publication date"),
        "last-minute.html": (page_html(text, "Dec 31, 9999 23:59 GMT").encode(), "no usable publication date"),
        "garbage.html": (random.Random(7).randbytes(50_000), "not a text file"),
        "huge.html": (page_html(text).encode(), f"over {MAX_PAGE_MB} MB"),
    }
    importing = {
        "deep.html": page_html("<div>" * 100_000 + text + "</div>" * 100_000, title="Deep").encode(),
        "deep-json-ld.html": page_html(
            text, title="JSON", head=f'<script type="application/ld+json">{"[" * 50_000}</script>'
        ).encode(),
        "shift-jis.html": page_html(
            "<p>合成の文章です。</p>", title="Shift JIS", head='<meta charset="shift_jis">'
        ).encode("shift_jis"),
        "latin-1.html": page_html("<p>A synthetic café raid.</p>", title="Latin").encode("latin-1"),
    }
    for name, (data, _) in failing.items():
        (tmp_path / name).write_bytes(data)
    for name, data in importing.items():
        (tmp_path / name).write_bytes(data)
    with (tmp_path / "huge.html").open("r+b") as huge:
        huge.truncate(MAX_PAGE_MB * 2**20 + 1)
    (tmp_path / "loop.html").symlink_to("loop.html")
    (tmp_path / "folder.html").mkdir()
    (tmp_path / "folder.html" / "not-a-page.html").mkdir()
    failing |= {"loop.html": (b"", "cannot read the file"), "folder.html": (b"", "no .html or .htm files")}
    pages = [tmp_path / name for name in [*failing, *importing]]
    assert main(["import", *map(str, pages), "--content", str(tmp_path / "content")]) == 1
    captured = capsys.readouterr()
    failures = captured.err.splitlines()
    assert len(failures) == len(failing), failures
    for line, (name, (_, reason)) in zip(failures, failing.items(), strict=True):
        assert line.startswith(f"{display_path(tmp_path / name)}: failed: ") and reason in line, line
    assert [line.partition(": written ")[0] for line in captured.out.splitlines()] == [
        display_path(tmp_path / name) for name in importing
    ]
    bodies = " ".join(body_text(read_back(path, registry)) for path in (tmp_path / "content").iterdir())
    assert "合成の文章です。" in bodies and "A synthetic café raid." in bodies


@pytest.mark.parametrize(
    "date",
    [
        "Jan 1, 0001 00:00 GMT",
        "Jan 1, 0001 00:30 +01:00",
        "0001-01-01T00:00:00Z",  # an unset date, in some systems
        "Jan 1, 1800 00:00 GMT",  # in range, but London's clocks then kept local mean time
        "Dec 31, 2999 23:59 -01:00",  # in range, but 3000 in UTC
        "Dec 31, 9999 23:59 GMT",
        "9999-12-31T23:59:59-01:00",
    ],
)
def test_a_date_out_of_range_gives_way_to_the_visible_date_or_is_the_pages_failure(
    date: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], registry: Registry
) -> None:
    only = tmp_path / "only.html"
    only.write_text(page_html("<p>Synthetic text.</p>", date))
    visible = tmp_path / "visible.html"
    visible.write_text(page_html('<p class="date">5 January 2022</p><p>Synthetic text.</p>', date, title="Visible"))
    assert main(["import", str(only), str(visible), "--content", str(tmp_path / "content"), "-q"]) == 1
    line = capsys.readouterr().err
    assert line.startswith(f"{display_path(only)}: failed: no usable publication date: ") and "out of range" in line
    assert line.count("\n") == 1
    (written,) = (tmp_path / "content").iterdir()
    assert read_back(written, registry).article.published == datetime(2022, 1, 5, tzinfo=UTC)


def test_an_unforeseen_error_is_the_pages_failure_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    read_page = importer.read_page

    def fragile(data: bytes, registry: Registry, force: Force | None = None, date: Any = None) -> ExtractedPage:
        if b"Fragile" in data:
            raise RecursionError("maximum recursion depth exceeded")
        return read_page(data, registry, force, date)

    monkeypatch.setattr(importer, "read_page", fragile)
    fragile_page = tmp_path / "fragile.html"
    fragile_page.write_text(page_html("<p>Fragile synthetic text.</p>"))
    assert main(["import", str(fragile_page), str(PAGES / "bst.html"), "--content", str(tmp_path / "c")]) == 1
    captured = capsys.readouterr()
    assert captured.err == (
        f"{display_path(fragile_page)}: failed: unexpected error: RecursionError: maximum recursion depth exceeded\n"
    )
    assert captured.out.startswith(f"{display_path(PAGES / 'bst.html')}: written ")


def test_a_folder_nested_deeper_than_pythons_stack_is_walked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folders = [tmp_path / "pages"]
    while len(folders) < 1200:
        folders.append(folders[-1] / "a")
    for folder in folders:
        folder.mkdir()
    page = folders[-1] / "bst.html"
    shutil.copy(PAGES / "bst.html", page)
    try:
        assert main(["import", str(folders[0]), "--content", str(tmp_path / "content")]) == 0
        assert capsys.readouterr().out.startswith(f"{display_path(page)}: written ")
    finally:  # pytest's own clean-up recurses, and would fail on these
        page.unlink()
        for folder in reversed(folders):
            folder.rmdir()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_named_pipe_is_refused_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.html")
    command = [sys.executable, "-m", "generator", "import", "pipe.html", str(PAGES / "bst.html")]
    result = subprocess.run(
        command, cwd=tmp_path, env={"PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert result.stderr == "pipe.html: failed: not a file (a device, named pipe or socket)\n"
    assert len(list((tmp_path / "content").iterdir())) == 1


def test_a_content_file_the_importer_cannot_read_does_not_stop_it(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "bad-date.md").write_text("---\ntitle: Synthetic\ndate: 2021-02-30\n---\n\nText.\n")
    (content / "deep.md").write_text(f"---\ntitle: {'[' * 5000}\n---\n\nText.\n")
    assert main(["import", str(PAGES / "bst.html"), "--content", str(content), "-q"]) == 0
    assert (content / EXPECTED["bst.html"][0]).is_file()


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_imported_files_are_created_with_the_users_umask(umask: int, mode: int, tmp_path: Path) -> None:
    previous = os.umask(umask)
    try:
        assert main(["import", str(PAGES / "bst.html"), "--content", str(tmp_path), "-q"]) == 0
        assert main(["import", str(PAGES / "bst.html"), "--content", str(tmp_path), "-q", "--force-overwrite"]) == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / EXPECTED["bst.html"][0]).stat().st_mode) == mode


def test_text_that_looks_like_markup_stays_text_through_import_and_rendering(tmp_path: Path) -> None:
    shown = [
        "<script>alert(1)</script>",
        "a <b>bold</b> claim",
        "&copy; &#169; &amp;",
        "[not a link](https://example.test/)",
        "![not an image](https://example.test/i.png)",
        "*not emphasis* and _not either_",
        "`not code`",
        "C:\\temp\\*.txt",
        "a | table? | no",
        "<!-- not a comment -->",
        "<https://example.test/>",
    ]
    starts = ["# not a heading", "#hashtag", "- not a list", "+ not a list", "2021. Not a list", "> not a quote", "==="]
    body = (
        "".join(f"<p>{escape(text)}</p>" for text in shown)
        + "<p>Synthetic text.<br>"
        + "<br>".join(map(escape, starts))
    )
    page = tmp_path / "page.html"
    page.write_text(page_html(body + "</p><pre>&lt;script&gt;alert(2)&lt;/script&gt;\n  # kept</pre>"))
    assert main(["import", str(page), "--content", str(tmp_path / "content"), "-q"]) == 0
    (written,) = (tmp_path / "content").iterdir()
    rendered = render_markdown(body_of(written.read_text(encoding="utf-8")))
    tree = html.fragment_fromstring(rendered, create_parent="div")
    assert not tree.xpath("//script | //b")
    assert tree.xpath("count(//*)") == 1 + len(shown) + len(starts) + 3  # the <p>s and <br>s, <pre>, <code>
    text = str(tree.text_content())
    assert [part for part in [*shown, *starts, "<script>alert(2)</script>\n  # kept"] if part not in text] == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered


def test_file_names_are_shown_escaped_one_line_each(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    names = ["fake\nwritten.html", "\x1b[2Jclear.html", "bell\x07.html", os.fsdecode(b"\xff-latin.html")]
    for name in names:
        (tmp_path / name).write_bytes(b"")  # empty: failed
    content = tmp_path / "content"
    content.mkdir()
    earlier = content / "earlier\r\x1b[1A.txt"  # an earlier import of bst.html, renamed
    main(["import", str(PAGES / "bst.html"), "--content", str(content), "-q"])
    (content / EXPECTED["bst.html"][0]).rename(earlier)
    pages = [str(tmp_path / name) for name in names]
    assert main(["import", *pages, str(PAGES / "bst.html"), "--content", str(content)]) == 1
    captured = capsys.readouterr()
    assert main(["import", str(PAGES / "bst.html"), "--content", pages[0]]) == 2  # not a folder
    usage = capsys.readouterr().err
    for output, count in ((captured.err, len(names)), (captured.out, 1), (usage, 1)):
        assert output.count("\n") == count and not re.search(r"[\x00-\x09\x0b-\x1f\x7f\ud800-\udfff]", output), output


# The round trip through the generator's own pages


def _body(number: int, release: corpus.Release) -> str:
    """Markdown with the inline and block elements releases use, varied by release."""
    place = release.title.partition(": ")[2]
    parts = [
        f"**{synthetic.MARKER}** Officers in {place} made {number} synthetic checks & *two* visits.",
        f"Read [the synthetic appeal](https://appeals.example.test/{number}?a=1&b=2) or "
        f'[the "guide"](https://example.test/guide "A synthetic guide"); 3 * 4 = 12, snake_case and 50% off.',
    ]
    if number % 2:
        parts.append("- Synthetic cash seized\n- Invented phones *seized*\n- A [linked](https://example.test/x) item")
    if number % 3:
        parts.append(f"> “Synthetic quote number {number},” said an invented officer.\n>\n> A second quoted line.")
    if number % 4 == 1:
        parts.append("## What happens next\n\n1. A synthetic hearing\n2. An invented sentence")
    parts.append(f"The word {release.unique_word} appears in this release only. Ends <here> & there.")
    return "\n\n".join(parts) + "\n"


def _corpus_files(count: int) -> dict[str, str]:
    """Scraped and authored synthetic releases: both zones, day-only dates, with and without images."""
    files = {}
    for release in corpus.corpus(count, seed=10):
        number, local = release.number, release.published.astimezone(UK)
        url = (
            f"https://news.example.test/releases/{number}-{release.title.partition(': ')[2].lower().replace(' ', '-')}"
        )
        body = _body(number, release)
        if number % 5 == 4:
            date = f"{local:%Y-%m-%d}" if number % 10 == 4 else local.isoformat()
            extra = f"source: {url}\nsummary: 'Synthetic summary {number}.'\nimage: https://images.example.test/{number}.jpg"
            files[f"authored-{number}.md"] = synthetic.authored(
                title=release.title, date=date, force=release.force, extra_yaml=extra, body=body
            )
        else:
            files[f"scraped-{number}.txt"] = synthetic.scraped(
                title=release.title,
                force=release.force,
                date_line=f"{local:%b} {local.day}, {local:%Y %H:%M} {local.tzname()}",
                url=url,
                description=None if number % 3 == 0 else f"Synthetic summary of release {number}.",
                image=None if number % 4 == 0 else f"https://images.example.test/{number}.jpg",
                body=body,
                extra_yaml=f"fb:\n  app:\n    id: '{100 + number}'" if number % 2 else "",
            )
    return files


def _normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", " ".join(html.split()))


def test_round_trip_through_the_generators_own_pages(
    tmp_path: Path,
    registry: Registry,
    write_content: Callable[[dict[str, str | bytes]], Path],
    build_site: Callable[..., tuple[Path, BuildReport]],
) -> None:
    files = _corpus_files(32)
    originals = {}
    for path in write_content(files).iterdir():
        parsed = read_back(path, registry)
        originals[parsed.article.source_url] = parsed
    zones = {parsed.article.published.astimezone(UK).tzname() for parsed in originals.values()}  # type: ignore[union-attr]
    assert zones == {"GMT", "BST"} and {p.article.precision for p in originals.values()} == set(Precision) - {
        Precision.MONTH
    }
    output, _ = build_site(tmp_path / "content")
    pages = release_pages(output)
    assert len(pages) == len(files)
    imported = tmp_path / "imported"
    assert main(["import", *map(str, pages), "--content", str(imported), "-q"]) == 0
    fields = ("title", "published", "precision", "force", "summary", "image", "source_url")
    for path in sorted(imported.iterdir()):
        parsed = read_back(path, registry)
        original = originals.pop(parsed.article.source_url)
        assert [getattr(parsed.article, name) for name in fields] == [
            getattr(original.article, name) for name in fields
        ]
        assert _normalised(parsed.body_html) == _normalised(original.body_html), path.name
    assert originals == {}
    shutil.rmtree(output)
    _, report = build_site(imported)
    assert report.articles == len(files) and report.warnings == []
