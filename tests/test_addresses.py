"""Permanent addresses (issue 21): a published release keeps its URL, whatever else changes.

Each test builds, changes something, builds again, and compares every release's address before
and after: release pages by their source URL, and what each former address leads to."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import feedparser
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.commands.build import BuildOptions, build
from generator.reading.forces import Registry

from . import synthetic
from .browsing import served
from .conftest import ROOT, SEED
from .crawl import is_redirect, parse, release_pages
from .test_cli import run

SEED_SLUG = "more-than-1000-charges-secured-for-county-lines-offending"
TITLE = "More than 1,000 charges secured for county lines offending"


def seed(url: str, date_line: str = "Feb 24, 2021 07:00 GMT") -> str:
    """The seed, as another release with the same title: another source URL, maybe another date."""
    text = SEED.read_text(encoding="utf-8")
    return text.replace(f"https://news.met.police.uk/news/{SEED_SLUG}-421863", url).replace(
        "Feb 24, 2021 07:00 GMT", date_line
    )


def addresses(output: Path) -> dict[str, str]:
    """Each release page's address, by the source URL its page links to."""
    found = {}
    for page in release_pages(output):
        original = parse(page).select_one(".release-source a")
        found[str(original["href"]) if original else page.parent.name] = page.parent.name
    return found


def leads(output: Path) -> dict[str, str]:
    """Each former address (a redirect page) and the address it leads to."""
    found = {}
    for page in sorted((output / "articles").glob("*/index.html")):
        if is_redirect(page):
            target = parse(page).select_one("main a")["href"]
            found[page.parent.name] = str(target).rstrip("/").rsplit("/", 1)[-1]
    return found


@pytest.fixture
def site(tmp_path: Path) -> Callable[..., tuple[Path, list[str]]]:
    """Build `tmp_path/content` into `tmp_path/output`, keeping the build's record (as a user's
    folder does); returns the output and the warnings."""

    def run_build(**options: object) -> tuple[Path, list[str]]:
        output = tmp_path / "output"
        report = build(
            BuildOptions(content=tmp_path / "content", output=output, base_url="https://example.org/", **options)  # type: ignore[arg-type]
        )
        return output, [str(warning) for warning in report.warnings]

    (tmp_path / "content").mkdir()
    return run_build


B_URL = "https://news.met.police.uk/news/synthetic-second-release-555001"
A_URL = "https://news.met.police.uk/news/synthetic-first-release-555002"


def test_the_issue_scenario_another_release_with_the_same_title_moves_nothing(tmp_path: Path, site) -> None:
    content = tmp_path / "content"
    (content / "b.txt").write_text(seed(B_URL))
    output, _ = site()
    before = addresses(output)
    assert before == {B_URL: "synthetic-second-release"}  # its source URL's words, the id left out
    (content / "a.txt").write_text(seed(A_URL, "Feb 20, 2021 07:00 GMT"))  # dated earlier, named first
    output, _ = site()
    after = addresses(output)
    assert after[B_URL] == before[B_URL]
    assert after[A_URL] == "synthetic-first-release"


@pytest.mark.parametrize("order", [("a.txt", "b.txt"), ("b.txt", "a.txt")])
def test_two_new_releases_with_the_same_address_are_placed_by_their_own_data(
    tmp_path: Path, site, order: tuple[str, str]
) -> None:
    """Two press rooms with one URL shape: the earlier dated keeps the address, the other adds
    its id; which file came first, or its name, does not matter."""
    content = tmp_path / "content"
    texts = {
        "a.txt": seed("https://one.example.org/news/synthetic-week-of-action-100001", "Mar 1, 2022 10:00 GMT"),
        "b.txt": seed("https://two.example.org/news/synthetic-week-of-action-200002", "Mar 2, 2022 10:00 GMT"),
    }
    for name in order:
        (content / name).write_text(texts[name])
        output, warnings = site()
    assert set(addresses(output).values()) == {"synthetic-week-of-action", "synthetic-week-of-action-200002"}
    assert any("b.txt" in warning and "articles/synthetic-week-of-action-200002/" in warning for warning in warnings)
    renamed = {"a.txt": "z.txt", "b.txt": "c.txt"}
    for old, new in renamed.items():
        (content / old).rename(content / new)
    assert set(addresses(site()[0]).values()) == {"synthetic-week-of-action", "synthetic-week-of-action-200002"}


def _edit_title(path: Path) -> None:
    path.write_text(path.read_text().replace("More than 1,000 charges", "Over 1,000 charges"))


def _edit_summary_and_date(path: Path) -> None:
    text = path.read_text().replace("Feb 24, 2021 07:00 GMT", "Mar 24, 2022 07:00 GMT")
    path.write_text(text.replace("description: Between Nov 2019", "description: Synthetic new summary. Between"))


def _rename(path: Path) -> None:
    path.rename(path.with_name("renamed.txt"))


def _move_to_a_folder(path: Path) -> None:
    (path.parent / "2021" / "february").mkdir(parents=True)
    path.rename(path.parent / "2021" / "february" / path.name)


@pytest.mark.parametrize("change", [_edit_title, _edit_summary_and_date, _rename, _move_to_a_folder])
def test_a_release_keeps_its_address_through_its_own_edits_and_moves(
    tmp_path: Path, site, change: Callable[[Path], None]
) -> None:
    content = tmp_path / "content"
    shutil.copy(SEED, content / SEED.name)
    (content / "other.md").write_text(synthetic.authored("Synthetic other release"))
    output, _ = site()
    before, former = addresses(output), leads(output)
    change(content / SEED.name)
    output, warnings = site()
    assert addresses(output) == before
    assert leads(output) == former
    assert not [warning for warning in warnings if "disappear" in warning or "moved" in warning]


def test_a_release_without_a_source_url_takes_its_file_name_and_keeps_it_through_a_title_edit(
    tmp_path: Path, site
) -> None:
    content = tmp_path / "content"
    (content / "county-lines-week.md").write_text(synthetic.authored("Synthetic county lines week"))
    output, _ = site()
    assert [page.parent.name for page in release_pages(output)] == ["county-lines-week"]
    assert leads(output) == {}
    path = content / "county-lines-week.md"
    path.write_text(path.read_text().replace("Synthetic county lines week", "Synthetic county lines week, updated"))
    output, _ = site()
    assert [page.parent.name for page in release_pages(output)] == ["county-lines-week"]


def test_a_pinned_slug_wins_and_two_pinned_slugs_that_clash_are_an_error_naming_both(tmp_path: Path, site) -> None:
    content = tmp_path / "content"
    (content / "b.txt").write_text(seed(B_URL))
    (content / "pinned.md").write_text(
        synthetic.authored("Synthetic pinned", extra_yaml="slug: synthetic-second-release")
    )
    output, _ = site()
    found = {page.parent.name: parse(page).h1.get_text() for page in release_pages(output)}
    assert found["synthetic-second-release"] == "Synthetic pinned"
    assert found["synthetic-second-release-555001"] == TITLE  # b.txt takes its press room's id
    (content / "clash.md").write_text(
        synthetic.authored("Synthetic clash", extra_yaml="slug: Synthetic Second Release")
    )
    result = run("check", "--content", "content", cwd=tmp_path)
    assert result.returncode == 1
    (line,) = [line for line in result.stderr.splitlines() if "pinned by" in line]
    assert "content/" in line and "clash.md" in line and "pinned.md" in line
    assert "Traceback" not in result.stderr


def test_a_slug_changed_on_purpose_is_caught_until_aliases_keep_the_old_address(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(SEED, content / SEED.name)
    assert run("build", "-q", cwd=tmp_path).returncode == 0
    path = content / SEED.name
    path.write_text(path.read_text().replace("\ntitle: More", "\nslug: synthetic-pinned-address\ntitle: More", 1))
    result = run("build", cwd=tmp_path)  # built, with a warning naming the fix
    assert result.returncode == 0
    fix = f"add 'aliases: [articles/{SEED_SLUG}/]' to its front matter"
    assert (
        f"articles/{SEED_SLUG}/ ({TITLE}) would disappear: the release is at articles/synthetic-pinned-address/"
        in result.stderr
    )
    assert fix in result.stderr
    for _ in range(2):  # the published address is owed until the content says what became of it
        result = run("check", cwd=tmp_path)
        assert result.returncode == 1 and fix in result.stderr
        assert run("build", "-q", cwd=tmp_path).returncode == 0
    path.write_text(path.read_text().replace("\nslug:", f"\naliases: [articles/{SEED_SLUG}/]\nslug:", 1))
    assert run("check", cwd=tmp_path).returncode == 0
    assert run("build", "-q", cwd=tmp_path).returncode == 0
    output = tmp_path / "output"
    assert addresses(output) == {f"https://news.met.police.uk/news/{SEED_SLUG}-421863": "synthetic-pinned-address"}
    assert leads(output) == {SEED_SLUG: "synthetic-pinned-address"}


def test_a_corrected_source_url_or_a_url_added_is_the_same_release(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.txt").write_text(seed("http://www.news.example.org/news/synthetic-raid-report-700007"))
    (content / "raid.md").write_text(synthetic.authored("Synthetic raid", extra_yaml="slug: synthetic-raid"))
    assert run("build", "-q", cwd=tmp_path).returncode == 0
    (content / "a.txt").write_text(seed("https://news.example.org/news/synthetic-raid-report-700007"))
    raid = synthetic.authored("Synthetic raid", extra_yaml="slug: synthetic-raid\nsource: https://example.org/raid")
    (content / "raid.md").write_text(raid)
    result = run("check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_the_guard_outlives_a_build_and_a_generator_upgrade(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(SEED, content / SEED.name)
    (content / "kept.md").write_text(synthetic.authored("Synthetic kept release"))
    assert run("build", "-q", cwd=tmp_path).returncode == 0
    (content / "kept.md").unlink()
    result = run("build", cwd=tmp_path)
    assert result.returncode == 0 and "articles/kept/ (Synthetic kept release) would disappear" in result.stderr
    import marshal
    import sqlite3

    with sqlite3.connect(tmp_path / ".cache" / "build.sqlite") as db:  # as a new generator version does
        db.execute("UPDATE blobs SET value = ? WHERE name = 'generator'", (marshal.dumps("an older version"),))
    result = run("check", cwd=tmp_path)
    assert result.returncode == 1 and "content/kept.md is gone" in result.stderr


def test_withdrawn_must_say_why_or_true(tmp_path: Path, registry: Registry) -> None:
    from generator.errors import ContentError
    from generator.reading.content import read_article

    for value in ("no", "off", "''", "[a, b]", "1", "0"):
        text = synthetic.authored("Synthetic", extra_yaml=f"withdrawn: {value}")
        with pytest.raises(ContentError) as failure:
            read_article(Path("w.md"), text.encode(), registry)
        assert failure.value.diagnostic.line == 5 and "'withdrawn' must give the reason" in str(failure.value)
    for value, reason in (
        ("true", ""),
        ("yes", ""),
        ("'Legal: a court order'", "Legal: a court order"),
        ("false", None),
    ):
        text = synthetic.authored("Synthetic", extra_yaml=f"withdrawn: {value}")
        assert read_article(Path("w.md"), text.encode(), registry).article.withdrawn == reason


def test_the_redirect_page_is_canonical_to_the_release_noindex_and_listed_nowhere(tmp_path: Path, site) -> None:
    content = tmp_path / "content"
    (content / "new.md").write_text(
        synthetic.authored("Synthetic moved release", extra_yaml="aliases: [synthetic-old, /articles/synthetic-older/]")
    )
    output, _ = site()
    for old in ("synthetic-old", "synthetic-older"):
        page = parse(output / "articles" / old / "index.html")
        assert page.find("link", rel="canonical")["href"] == "https://example.org/articles/new/"
        assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=../../articles/new/"
        assert page.select_one("main a")["href"] == "../../articles/new/"  # visible, for those without refresh
    sitemap = (output / "sitemap.xml").read_text()
    assert "articles/new/" in sitemap and "synthetic-old" not in sitemap
    feed = feedparser.parse((output / "feed.xml").read_bytes())
    assert [entry.link for entry in feed.entries] == ["https://example.org/articles/new/"]
    assert "synthetic-old" not in (output / "data/releases.json").read_text()


def test_a_withdrawn_release_keeps_a_page_saying_why_and_is_left_out_of_everything_else(tmp_path: Path, site) -> None:
    content = tmp_path / "content"
    shutil.copy(SEED, content / SEED.name)
    (content / "kept.md").write_text(synthetic.authored("Synthetic kept release"))
    output, _ = site()
    path = content / SEED.name
    path.write_text(
        path.read_text().replace(
            "\ntitle: More", "\nwithdrawn: 'Synthetic reason: the figures were wrong'\ntitle: More", 1
        )
    )
    output, warnings = site()
    page = parse(output / "articles" / SEED_SLUG / "index.html")
    text = page.get_text(" ", strip=True)
    assert page.h1.get_text() == TITLE
    assert "This release was withdrawn" in text and "Synthetic reason: the figures were wrong" in text
    assert "Metropolitan Police" in text and page.find("time")["datetime"].startswith("2021-02-24")
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert not page.select(".release-body")  # the text itself is no longer published
    for listed in ("index.html", "sitemap.xml", "feed.xml", "data/releases.json", "data/releases.csv"):
        assert SEED_SLUG not in (output / listed).read_text(encoding="utf-8"), listed
    assert "1,135" not in (output / "figures/index.html").read_text(encoding="utf-8")
    assert not list(output.glob("forces/metropolitan-police/index.html"))
    assert not [warning for warning in warnings if "disappear" in warning]


def test_a_deleted_release_fails_check_naming_it_and_forget_takes_it_down_for_good(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(SEED, content / SEED.name)
    (content / "kept.md").write_text(synthetic.authored("Synthetic kept release"))
    assert run("build", "-q", cwd=tmp_path).returncode == 0
    (content / SEED.name).unlink()
    result = run("check", cwd=tmp_path)
    assert result.returncode == 1
    (line,) = [line for line in result.stderr.splitlines() if "would disappear" in line]
    assert line.startswith(f"content/{SEED.name}:1: error: articles/{SEED_SLUG}/ ({TITLE}) would disappear")
    assert "withdrawn" in line and "forget" in line
    (tmp_path / "site.yaml").write_text(f"forget:\n  - articles/{SEED_SLUG}/\n")
    assert run("check", cwd=tmp_path).returncode == 0
    assert run("build", "-q", cwd=tmp_path).returncode == 0
    assert not (tmp_path / "output" / "articles" / SEED_SLUG).exists()
    shutil.copy(SEED, content / SEED.name)  # imported again by mistake: still taken down, with a note
    result = run("build", cwd=tmp_path)
    assert result.returncode == 0 and "listed under 'forget'" in result.stderr
    assert not (tmp_path / "output" / "articles" / SEED_SLUG).exists()
    source = f"https://news.met.police.uk/news/{SEED_SLUG}-421863"
    (tmp_path / "site.yaml").write_text(f"forget:\n  - {source}\n")  # by its source: any copy, any slug
    path = content / SEED.name
    path.write_text(path.read_text().replace("\ntitle: More", "\nslug: synthetic-elsewhere\ntitle: More", 1))
    result = run("build", cwd=tmp_path)
    assert result.returncode == 0 and "listed under 'forget'" in result.stderr
    assert [page.parent.name for page in release_pages(tmp_path / "output")] == ["kept"]
    assert run("check", cwd=tmp_path).returncode == 0


def test_check_against_a_published_sitemap_names_what_it_would_lose(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(SEED, content / SEED.name)
    (content / "kept.md").write_text(synthetic.authored("Synthetic kept release"))
    assert run("build", "-q", "--output", "repo", cwd=tmp_path).returncode == 0
    (content / "kept.md").unlink()
    with served(tmp_path) as base:  # the published site, over HTTP
        for against in ("repo/sitemap.xml", "repo", f"{base}sitemap.xml"):
            result = run("check", "--against", against, cwd=tmp_path)  # the last build of output/ is none
            assert result.returncode == 1, against
            assert "articles/kept/ would disappear" in result.stderr
        result = run("check", "--against", f"{base}no-such-sitemap.xml", cwd=tmp_path)
        assert result.returncode == 2 and "cannot fetch" in result.stderr
    result = run("check", "--against", "no-such-sitemap.xml", cwd=tmp_path)
    assert result.returncode == 2 and "--against" in result.stderr and "Traceback" not in result.stderr


def test_import_pins_the_slug_and_takes_a_free_one(tmp_path: Path, registry: Registry) -> None:
    from generator.commands.importer import import_pages

    pages = ROOT / "tests" / "data" / "import"
    mynewsdesk = pages / "mynewsdesk.html"
    content = tmp_path / "content"
    content.mkdir()
    (content / "hand.md").write_text(
        synthetic.authored("Synthetic hand", extra_yaml="slug: synthetic-arrests-in-eastbrook-borough")
    )
    outcomes = list(import_pages([mynewsdesk], content, registry))
    assert [outcome.status for outcome in outcomes] == ["written"]
    written = next(path for path in content.iterdir() if path.name != "hand.md")
    assert "\nslug: " in written.read_text()
    output = tmp_path / "output"
    build(BuildOptions(content=content, output=output, base_url="https://example.org/"))
    pinned = written.read_text().split("\nslug: ", 1)[1].split("\n", 1)[0]
    assert (output / "articles" / pinned / "index.html").is_file()
    assert len(release_pages(output)) == 2


def test_an_earlier_release_added_later_at_the_same_address_is_caught_before_it_takes_it(tmp_path: Path) -> None:
    """The one case the releases' own data cannot settle without moving one: a release dated
    earlier, with the same URL words, added after the other was published. `check` says so,
    and pinning the published one's slug keeps it."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "new.txt").write_text(seed("https://one.example.org/news/synthetic-week-of-action-300003"))
    assert run("build", "-q", cwd=tmp_path).returncode == 0
    earlier = seed("https://two.example.org/news/synthetic-week-of-action-400004", "Jan 5, 2019 10:00 GMT")
    (content / "old.txt").write_text(earlier)
    result = run("check", cwd=tmp_path)
    assert result.returncode == 1
    (line,) = [line for line in result.stderr.splitlines() if "would show another release" in line]
    assert line.startswith("content/new.txt:1: error: articles/synthetic-week-of-action/") and "content/old.txt" in line
    new = content / "new.txt"
    new.write_text(new.read_text().replace("\ntitle: More", "\nslug: synthetic-week-of-action\ntitle: More", 1))
    assert run("check", cwd=tmp_path).returncode == 0
    assert run("build", "-q", cwd=tmp_path).returncode == 0
    assert {page.parent.name for page in release_pages(tmp_path / "output")} == {
        "synthetic-week-of-action",
        "synthetic-week-of-action-400004",
    }


def test_a_copy_of_a_withdrawn_release_does_not_publish_it_again(tmp_path: Path, site) -> None:
    """Another copy (the same source, written http or with www.) that wins the copy contest
    (figures entered by hand) keeps the release withdrawn, at its address."""
    content = tmp_path / "content"
    url = f"https://news.met.police.uk/news/{SEED_SLUG}-421863"
    withdrawn = SEED.read_text().replace("\ntitle: More", "\nwithdrawn: 'Legal: contempt risk'\ntitle: More", 1)
    (content / "a.txt").write_text(withdrawn)
    site()
    copy = seed(url.replace("https://news.", "http://www.news.")).replace(
        "\ntitle: More", "\nfigures: {arrests: 3}\ntitle: More", 1
    )
    (content / "b.txt").write_text(copy)
    output, warnings = site()
    assert release_pages(output) == [output / "articles" / SEED_SLUG / "index.html"]
    assert "Legal: contempt risk" in (output / "articles" / SEED_SLUG / "index.html").read_text()
    assert "1,000" not in (output / "feed.xml").read_text() and SEED_SLUG not in (output / "index.html").read_text()
    assert any("b.txt" in warning and "the same release as" in warning for warning in warnings) or any(
        "a.txt" in warning and "the same release as" in warning for warning in warnings
    )


def test_forget_tells_the_sites_own_addresses_from_a_press_rooms(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    press_room = "https://www.example-police.uk/news/articles/synthetic-raid-2021"
    (content / "raid.txt").write_text(
        seed(press_room).replace("\ntitle: More", "\nslug: synthetic-raid-copy\ntitle: More", 1)
    )
    (content / "kept.md").write_text(synthetic.authored("Synthetic kept release"))
    (tmp_path / "site.yaml").write_text(
        f"base_url: https://archive.example.org/repo/\nforget:\n  - {press_room}\n  - https://archive.example.org/repo/articles/kept/\n"
    )
    assert run("build", "-q", cwd=tmp_path).returncode == 0
    assert release_pages(tmp_path / "output") == []


def test_a_drafts_preview_publishes_nothing_the_guard_would_then_miss(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "kept.md").write_text(synthetic.authored("Synthetic kept release"))
    (content / "draft.md").write_text(synthetic.authored("Synthetic draft", extra_yaml="draft: true"))
    assert run("build", "-q", "--drafts", cwd=tmp_path).returncode == 0
    assert run("build", "-q", cwd=tmp_path).returncode == 0
    assert run("check", cwd=tmp_path).returncode == 0


def test_a_damaged_published_set_is_read_as_far_as_it_goes(tmp_path: Path) -> None:
    import json
    import sqlite3

    content = tmp_path / "content"
    content.mkdir()
    (content / "kept.md").write_text(synthetic.authored("Synthetic kept release"))
    assert run("build", "-q", cwd=tmp_path).returncode == 0
    with sqlite3.connect(tmp_path / ".cache" / "build.sqlite") as db:
        damaged = json.dumps({"kept": [1, None], "lost": ["content/lost.md", "Synthetic lost", ""], "x": 3})
        db.execute("UPDATE lasting SET value = ?", (damaged,))
    (content / "kept.md").write_text(synthetic.authored("Synthetic kept release", body="Edited."))
    result = run("build", cwd=tmp_path)  # the set changed by hand since the last build checked it
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "articles/lost/ (Synthetic lost) would disappear" in result.stderr
    result = run("check", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "articles/lost/ (Synthetic lost) would disappear" in result.stderr


def test_an_address_forgotten_in_a_preview_of_drafts_and_then_remembered_is_owed_again(tmp_path: Path) -> None:
    """A build that owes nothing lets the next one skip reading the published set back: not when
    `forget:` has changed since (a build with --drafts leaves the set as it was)."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "kept.md").write_text(synthetic.authored("Synthetic kept release"))
    (content / "lost.md").write_text(synthetic.authored("Synthetic lost release"))
    assert run("build", "-q", cwd=tmp_path).returncode == 0
    (content / "lost.md").unlink()
    (tmp_path / "site.yaml").write_text("forget: [lost]\n")
    assert run("build", "-q", "--drafts", cwd=tmp_path).returncode == 0
    (tmp_path / "site.yaml").write_text("title: Synthetic archive\n")
    result = run("check", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "articles/lost/ (Synthetic lost release) would disappear" in result.stderr


def test_an_address_owed_is_named_again_by_every_build_and_follows_what_became_of_its_file(
    tmp_path: Path, site
) -> None:
    """The answer of the last build's check is given again while nothing it depends on changed:
    not once the file of a release left out as a draft is deleted, which changes only the files read."""
    content = tmp_path / "content"
    (content / "kept.md").write_text(synthetic.authored("Synthetic kept release"))
    (content / "lost.md").write_text(synthetic.authored("Synthetic lost release"))
    site()
    (content / "lost.md").write_text(synthetic.authored("Synthetic lost release", extra_yaml="draft: true"))
    _, first = site()
    _, again = site()
    assert [w for w in first if "would disappear" in w] == [w for w in again if "would disappear" in w]
    assert any("lost.md is left out (a draft" in warning for warning in again), again
    (content / "lost.md").unlink()
    for _ in range(2):
        _, warnings = site()
        assert any("lost.md is gone" in warning for warning in warnings), warnings
    (content / "lost.md").write_text(synthetic.authored("Synthetic lost release"))
    _, warnings = site()
    assert not [warning for warning in warnings if "would disappear" in warning], warnings


def test_against_a_folder_that_holds_no_site_is_refused(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "kept.md").write_text(synthetic.authored("Synthetic kept release"))
    (tmp_path / "empty").mkdir()
    result = run("check", "--against", "empty", cwd=tmp_path)
    assert result.returncode == 2 and "holds no built site" in result.stderr


def test_importing_again_keeps_what_a_person_added(tmp_path: Path, registry: Registry) -> None:
    from generator.commands.importer import import_pages

    page = ROOT / "tests" / "data" / "import" / "mynewsdesk.html"
    content = tmp_path / "content"
    list(import_pages([page], content, registry))
    (written,) = content.iterdir()
    added = "withdrawn: 'Legal: a court order'\naliases: [articles/synthetic-old/]\n"
    written.write_text(written.read_text().replace("```yaml\n", f"```yaml\n{added}", 1))
    outcomes = list(import_pages([page], content, registry, overwrite=True))
    assert [outcome.status for outcome in outcomes] == ["written"]
    text = written.read_text()
    assert "withdrawn: 'Legal: a court order'" in text and "articles/synthetic-old/" in text and "\nslug: " in text


@given(
    st.sampled_from(["http://", "https://", "HTTPS://", " https://"]),
    st.sampled_from(["", "www.", "WWW."]),
    st.from_regex(r"[A-Za-z0-9.-]{1,12}", fullmatch=True),
    st.from_regex(r"(/[A-Za-z0-9._~%-]{0,8}){0,3}/?", fullmatch=True),
    st.from_regex(r"(\?(utm_source=rss&|fbclid=x|&UTM_medium)?[A-Za-z0-9=&]{0,8})?(#[a-z]{0,4})?", fullmatch=True),
)
def test_a_source_key_is_what_urlsplit_reads(scheme: str, www: str, host: str, path: str, rest: str) -> None:
    """`source_key` does by string work what `urlsplit` would (it runs for every release), and
    leaves out the query's keys that only track a click."""
    from urllib.parse import urlsplit

    from generator.reading.slugs import _TRACKING, source_key, without_tracking

    url = f"{scheme}{www}{host}{path}{rest}"
    parts = urlsplit(url.strip())
    kept = "&".join(pair for pair in parts.query.split("&") if pair and not _TRACKING.fullmatch(pair.split("=")[0]))
    query = f"?{kept}" if kept else ""
    assert urlsplit(without_tracking(url.strip())).query == kept
    assert source_key(url) == f"{parts.netloc.lower().removeprefix('www.')}{parts.path.rstrip('/')}{query}"


@pytest.mark.parametrize("seed", range(5))
def test_the_release_an_owed_address_names_is_the_one_each_release_compared_would_give(seed: int) -> None:
    """An address owed names its release by file, source URL or (neither having one) title; the
    releases are indexed by those rather than compared one by one, with the same answers."""
    import random

    from generator.model import Article
    from generator.site.addresses import ReleaseIndex, named, same_release

    pick = random.Random(seed)
    titles = [f"Synthetic title {n}" for n in range(6)]
    hosts = ["https://example.org", "http://www.example.org", "https://other.example.net"]

    def source() -> str:
        return pick.choice(["", f"{pick.choice(hosts)}/news/synthetic-{pick.randint(0, 5)}"])

    releases = [
        Article(
            source_path=f"content/{pick.randint(0, 8)}.md",
            fingerprint=f"{n:064x}",
            slug=f"synthetic-{n}",
            title=pick.choice(titles),
            summary="",
            source_url=source() or None,
        )
        for n in range(30)
    ]
    index = ReleaseIndex(releases)
    for _ in range(200):
        entry = [pick.choice(["", f"content/{pick.randint(0, 10)}.md"]), pick.choice(["", *titles]), source()]
        same = [article for article in releases if same_release(entry, named(article))]
        expected = same[0] if len(same) == 1 and any(entry) else None
        assert index.named(entry) is expected, entry
