import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator.errors import ContentError, Diagnostic
from generator.model import Article, Parsed, Precision
from generator.reading.content import read_article
from generator.reading.forces import Registry
from generator.reading.sources import find_content

from . import synthetic
from .conftest import SEED


def parse(text: str | bytes, registry: Registry, name: str = "release.txt") -> Parsed:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_article(Path(name), data, registry)


def read(text: str | bytes, registry: Registry, name: str = "release.txt") -> tuple[Article, list[Diagnostic]]:
    parsed = parse(text, registry, name)
    return parsed.article, list(parsed.warnings)


def error_of(text: str | bytes, registry: Registry) -> ContentError:
    with pytest.raises(ContentError) as caught:
        read(text, registry)
    return caught.value


def test_seed_parses_to_the_release_it_is(registry: Registry) -> None:
    parsed = read_article(SEED, SEED.read_bytes(), registry)
    article, warnings, body = parsed.article, parsed.warnings, parsed.body_html
    assert article.title == "More than 1,000 charges secured for county lines offending"
    assert article.published == datetime(2021, 2, 24, 7, 0, tzinfo=UTC)
    assert article.precision is Precision.MINUTE
    assert article.force is not None and article.force.name == "Metropolitan Police"
    assert article.force.slug == "metropolitan-police"
    assert article.area == "Metropolitan"
    assert article.summary.startswith("Between Nov 2019 and Jan 2021, 587 county line lineholders")
    assert article.image == "https://resources.mynewsdesk.com/image/upload/t_open_graph_image/k5wpmba3updzsr8pgygi.jpg"
    assert article.source_url == (
        "https://news.met.police.uk/news/more-than-1000-charges-secured-for-county-lines-offending-421863"
    )
    assert article.fb_app_id == "164521400263620"
    assert "Feb 24, 2021" not in body
    assert "07:00 GMT" not in body
    assert body.startswith("<p><strong>Officers in the Metropolitan Police Service (MPS)")
    assert "Commissioner Cressida Dick said:" in body
    assert article.slug == "more-than-1000-charges-secured-for-county-lines-offending"
    assert warnings == ()


def test_authored_form_with_iso_date(registry: Registry) -> None:
    text = synthetic.authored(
        title="Synthetic & authored",
        extra_yaml="summary: Synthetic summary.\nimage: https://example.org/i.png\nsource: https://example.org/r\ntags: [synthetic, test]",
    )
    article, warnings = read(text, registry, "release.md")
    assert article.title == "Synthetic & authored"
    assert article.published == datetime(2023, 5, 1, 8, 0, tzinfo=UTC)
    assert article.force is not None and article.force.slug == "essex-police"
    assert (article.summary, article.image, article.source_url) == (
        "Synthetic summary.",
        "https://example.org/i.png",
        "https://example.org/r",
    )
    assert article.tags == ("synthetic", "test")
    assert warnings == []


def test_bom_and_crlf_parse_like_plain_utf8(registry: Registry) -> None:
    plain = parse(SEED.read_bytes(), registry)
    crlf = parse(b"\xef\xbb\xbf" + SEED.read_bytes().replace(b"\n", b"\r\n"), registry)
    assert crlf.body_html == plain.body_html
    assert dataclasses.replace(crlf.article, fingerprint="") == dataclasses.replace(plain.article, fingerprint="")


def test_title_falls_back_to_page_title_without_force_suffix(registry: Registry) -> None:
    article, _ = read(synthetic.scraped(title="Synthetic - with a dash", force="Kent Police", og_title=False), registry)
    assert article.title == "Synthetic - with a dash"


def test_title_suffix_of_an_alias_is_removed(registry: Registry) -> None:
    text = synthetic.scraped(title="Synthetic arrests", force=None, og_title=False).replace(
        'title: "Synthetic arrests"', 'title: "Synthetic arrests - Met Police"'
    )
    article, _ = read(text, registry)
    assert article.title == "Synthetic arrests"
    assert article.force is not None and article.force.slug == "metropolitan-police"


def test_date_from_url_when_no_other_date(registry: Registry) -> None:
    text = synthetic.scraped(date_line=None, url="https://example.org/news/2021/june/synthetic")
    article, warnings = read(text, registry)
    assert article.precision is Precision.MONTH
    assert article.published is not None and article.published.astimezone().strftime("%Y-%m") in ("2021-06", "2021-05")
    assert warnings == []


def test_release_with_no_date_anywhere_is_undated_with_a_warning(registry: Registry) -> None:
    article, warnings = read(synthetic.scraped(date_line=None, url="https://example.org/news/synthetic"), registry)
    assert article.published is None and article.precision is None
    assert [w.severity for w in warnings] == ["warning"]
    assert "undated" in warnings[0].message


def test_date_line_without_time(registry: Registry) -> None:
    article, _ = read(synthetic.scraped(date_line="Jan 29, 2019"), registry)
    assert (article.published, article.precision) == (datetime(2019, 1, 29, tzinfo=UTC), Precision.DAY)


def test_unknown_force_gets_its_own_entity_and_a_warning(registry: Registry) -> None:
    article, warnings = read(synthetic.scraped(force="Synthetic Borough Constabulary"), registry)
    assert article.force is not None and article.force.slug == "synthetic-borough-constabulary"
    assert not article.force.registered
    assert any("unknown force" in w.message for w in warnings)


@pytest.mark.parametrize(
    "name", ["Metropolitan Police Service", "Met Police", "MPS", "Heddlu Gogledd Cymru / North Wales Police"]
)
def test_force_aliases_resolve(registry: Registry, name: str) -> None:
    article, warnings = read(synthetic.authored(force=name), registry, "r.md")
    assert article.force is not None and article.force.registered
    assert warnings == []


def test_summary_falls_back_to_first_paragraph(registry: Registry) -> None:
    body = "First " + "word " * 80 + "\n\nSecond paragraph."
    article, _ = read(synthetic.scraped(description=None, body=body), registry)
    assert article.summary.startswith("First word")
    assert article.summary.endswith("…") and len(article.summary) <= 201


def test_raw_html_in_body_is_sanitised(registry: Registry) -> None:
    body = '<script>alert(1)</script>\n\n<p onclick="x()">Hi <a href="javascript:alert(1)">there</a></p>'
    html = parse(synthetic.scraped(body=body), registry).body_html
    assert "<script" not in html
    assert "onclick" not in html
    assert "javascript:" not in html


def test_non_http_urls_are_dropped_with_a_warning(registry: Registry) -> None:
    article, warnings = read(synthetic.scraped(image="javascript:alert(1)"), registry)
    assert article.image is None
    assert any("og.image" in w.message for w in warnings)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("```yaml\ntitle: x\n\tog: y\n```\nbody\n", 3, "not valid YAML"),
        ('```yaml\ntitle: "unclosed\nurl: x\n```\nbody\n', 3, "not valid YAML"),
        ("---\ntitle: [a, b\n---\nbody\n", 3, "not valid YAML"),
        ("```yaml\ntitle: x\nbody without closing fence\n", 1, "never closed"),
        ("Just a body, no front matter.\n", 1, "no front matter"),
        ("\n\n  \n", 1, "empty"),
        ("```yaml\n- a list\n```\nbody\n", 2, "mapping"),
        ("```yaml\nurl: https://example.org/x\n```\n\nFeb 24, 2021\n", 1, "missing title"),
        ("---\ntitle: x\ndate: 2021-02-30\n---\nbody\n", 3, "30 February 2021 does not exist"),
        ("---\ntitle: x\ndate: next tuesday\n---\nbody\n", 3, "date"),
        ("```yaml\ntitle: x\n```\n\nFeb 30, 2021 07:00 GMT\n\nbody\n", 5, "impossible date"),
        ("---\ntitle: [a, b]\n---\nbody\n", 2, "must be text"),
    ],
)
def test_bad_files_name_the_line(registry: Registry, text: str, line: int, words: str) -> None:
    error = error_of(text, registry)
    assert error.diagnostic.line == line
    assert words in error.diagnostic.message
    assert str(error).startswith(f"release.txt:{line}: error: ")


def test_invalid_utf8_names_the_line(registry: Registry) -> None:
    error = error_of(b"---\ntitle: ok\n---\nfine\n\xff\xfe broken\n", registry)
    assert error.diagnostic.line == 5
    assert "UTF-8" in error.diagnostic.message


def test_find_content_skips_hidden_and_other_files(tmp_path: Path) -> None:
    for name in ("a.txt", "b.md", "sub/c.markdown", ".hidden.md", ".git/d.md", "notes.html", "image.png"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = [Path(source.path).relative_to(tmp_path).as_posix() for source in find_content(tmp_path)]
    assert found == ["a.txt", "b.md", "sub/c.markdown"]


def test_yes_and_no_titles_stay_text(registry: Registry) -> None:
    article, _ = read(synthetic.authored(title="x").replace('title: "x"', "title: No"), registry, "r.md")
    assert article.title == "No"


def test_force_from_site_name_when_no_press_room(registry: Registry) -> None:
    text = synthetic.scraped(force=None, extra_yaml="og.site.name: Kent Police")
    article, warnings = read(text, registry)
    assert article.force is not None and article.force.slug == "kent-police"
    assert warnings == []


def test_body_headings_are_demoted_below_the_title(registry: Registry) -> None:
    html = parse(synthetic.scraped(body="# Background\n\nText.\n\n## Detail\n\nMore."), registry).body_html
    assert "<h2>Background</h2>" in html and "<h3>Detail</h3>" in html
    assert "<h1" not in html
    html = parse(synthetic.scraped(body="## Background\n\nText.\n\n#### Detail\n\nMore."), registry).body_html
    assert "<h2>Background</h2>" in html and "<h4>Detail</h4>" in html  # already below the title: kept


def test_find_content_does_not_follow_folder_links(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("x")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert [Path(source.path).name for source in find_content(tmp_path)] == ["a.md"]


def test_every_problem_of_a_file_is_reported_in_one_run(registry: Registry) -> None:
    text = (
        "---\ntitle: Synthetic\ndate: 2021-02-30\ntags: {a: 1}\ndraft: maybe\n"
        "figures:\n  arests: 3\n  cash_seized: lots\n---\n\nBody.\n"
    )
    error = error_of(text, registry)
    said = [(diagnostic.line, diagnostic.message) for diagnostic in error.diagnostics]
    assert said == [
        (3, "30 February 2021 does not exist (February 2021 has 28 days)"),
        (4, "'tags' must be a list of words or a comma-separated string"),
        (5, "'draft' must be true or false, not 'maybe'"),
        (6, "'figures' has an unknown kind 'arests' (did you mean 'arrests'?)"),
        (6, "figure 'cash_seized' must be a number from 0 to 1,000,000,000,000 (or null), not 'lots'"),
    ]
