"""The command line as a user runs it: a subprocess, exit codes and stderr."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from . import synthetic
from .conftest import ROOT, SEED
from .crawl import release_pages


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env, capture_output=True, text=True)


def test_build_from_defaults_in_the_working_folder(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / SEED.name).write_bytes(SEED.read_bytes())
    result = run("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "output" / "index.html").is_file()
    assert "Built" in result.stderr and result.stdout == ""
    quiet = run("build", "-q", cwd=tmp_path)
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_the_program_ends_cleanly_without_a_standard_output_and_under_a_profiler(tmp_path: Path) -> None:
    """The program ends at once when done, leaving a large site's objects to the system: with
    standard output closed it still ends well, and a profiler still writes what it found."""
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / SEED.name).write_bytes(SEED.read_bytes())
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    closed = subprocess.run(
        [sys.executable, "-m", "generator", "build"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: os.close(1),  # as `>&-` does
    )
    assert closed.returncode == 0 and "Built" in closed.stderr and "Traceback" not in closed.stderr
    profiled = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", "build.prof", "-m", "generator", "build", "-q"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert profiled.returncode == 0, profiled.stderr
    assert (tmp_path / "build.prof").stat().st_size > 0


def test_build_errors_exit_one_and_name_every_file_and_line(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "good.txt").write_text(synthetic.scraped())
    (content / "bad1.txt").write_text("```yaml\ntitle: x\n\tog: y\n```\n")
    (content / "bad2.md").write_text("---\ntitle: x\ndate: someday\n---\n")
    result = run("build", "--content", "content", "--output", "out", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/bad1.txt:3: error: front matter is not valid YAML" in result.stderr
    assert "content/bad2.md:3: error: cannot parse date 'someday'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_warnings_do_not_fail_the_build(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "undated.txt").write_text(synthetic.scraped(date_line=None, url=None))
    result = run("build", "--content", str(content), "--output", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0
    assert "undated.txt:1: warning: no date" in result.stderr


def test_usage_and_configuration_errors_exit_two(tmp_path: Path) -> None:
    assert run("build", "--nonsense", cwd=tmp_path).returncode == 2
    assert run(cwd=tmp_path).returncode == 2
    (tmp_path / "site.yaml").write_text("title: x\nper_paeg: 3\n")
    result = run("build", cwd=tmp_path)
    assert result.returncode == 2
    assert "site.yaml:2: error: unknown setting 'per_paeg'" in result.stderr
    bad_url = run("build", "--base-url", "example.org", "--config", "missing.yaml", cwd=tmp_path)
    assert bad_url.returncode == 2 and "error: --config: missing.yaml not found" in bad_url.stderr
    (tmp_path / "site.yaml").unlink()
    bad_url = run("build", "--base-url", "example.org", cwd=tmp_path)
    assert bad_url.returncode == 2 and "error: --base-url: must be an absolute http(s) URL" in bad_url.stderr


def test_missing_content_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = run("build", "--content", "nowhere", cwd=tmp_path)
    assert result.returncode == 1
    assert "content folder not found: nowhere" in result.stderr


def test_check_reports_without_writing(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "good.txt").write_text(synthetic.scraped())
    assert run("check", cwd=tmp_path).returncode == 0
    (content / "bad.md").write_text("no front matter\n")
    result = run("check", cwd=tmp_path)
    assert result.returncode == 1 and "content/bad.md:1: error: no front matter" in result.stderr
    assert not (tmp_path / "output").exists()


def test_the_build_line_counts_in_grammatical_english() -> None:
    from generator.commands.build import BuildReport

    one = BuildReport(articles=1, forces=1, pages=1, written=1, rendered=1).summary(Path("out"))
    assert one == "Built 1 release and 1 force into out: 1 page, 1 rendered, 1 file written, in 0.00s"
    two = BuildReport(articles=2, forces=2, pages=2, written=2, rendered=2).summary(Path("out"))
    assert two == "Built 2 releases and 2 forces into out: 2 pages, 2 rendered, 2 files written, in 0.00s"


def test_every_release_left_out_is_named_with_its_reason(tmp_path: Path) -> None:
    """Five files, two releases: the draft, the future-dated one and the second copy of a
    release are each named, after the warnings, and counted in the last line, by build and check."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "one.md").write_text(
        synthetic.authored(title="Synthetic one", extra_yaml="source: https://example.org/1")
    )
    (content / "two.md").write_text(synthetic.authored(title="Synthetic two"))
    (content / "draft.md").write_text(synthetic.authored(title="Synthetic draft", extra_yaml="draft: true"))
    (content / "later.md").write_text(synthetic.authored(title="Synthetic later", date="2091-05-04"))
    (content / "copy.md").write_text(
        synthetic.authored(title="Synthetic one", extra_yaml="source: https://example.org/1")
    )
    for command in ("check", "build"):
        result = run(command, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        lines = result.stderr.splitlines()
        notes = [line for line in lines if ": note: left out: " in line]
        assert lines[-4:-1] == notes  # the last lines before the summary
        assert any(line.startswith("content/draft.md:1: note: left out: marked draft") for line in notes)
        assert any("content/later.md:1: note: left out: dated 4 May 2091, in the future" in line for line in notes)
        copies = [
            line for line in notes if "the same release as" in line and "(both from https://example.org/1)" in line
        ]
        assert len(copies) == 1 and "content/copy.md" in copies[0] and "content/one.md" in copies[0]
        assert "2 releases" in lines[-1] and "(3 files left out, listed above)" in lines[-1]
    assert [page.parent.name for page in release_pages(tmp_path / "output")] == [
        "example-org-1",  # its source URL's: one copy of the release, at its own address (no "-2")
        "two",  # no source URL: its file's name
    ]


@pytest.mark.slow
def test_ctrl_c_says_one_line_and_leaves_the_output_as_it_was(tmp_path: Path) -> None:
    """A terminal's Ctrl-C (SIGINT to the whole process group) in the middle of a build."""
    from benchmarks.corpus import generate

    generate(2000, tmp_path / "content")
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    build = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "-q"],
        cwd=tmp_path,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as an interactive shell leaves it
    )
    time.sleep(1.5)
    os.killpg(build.pid, signal.SIGINT)
    _, stderr = build.communicate(timeout=120)
    assert build.returncode == 130, stderr
    assert stderr.strip() == "interrupted; output/ is as it was"
    assert not (tmp_path / "output").exists()
    again = run("build", "-q", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "output" / "index.html").is_file()


def test_mistakes_are_told_in_plain_words_with_the_nearest_right_word(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    empty = run("build", cwd=tmp_path)
    assert empty.returncode == 0
    assert "content:1: warning: no release: it holds no file ending .md, .txt or .markdown" in empty.stderr
    (content / "a.md").write_text(synthetic.authored(title="Synthetic a", date="2021-02-30"))
    (content / "b.md").write_text("---\ntitle: Synthetic b\n\tdate: 2021-02-03\n---\n\nBody.\n")
    (content / "c.md").write_text(synthetic.authored(title="Synthetic c", force="Devon and Cornwal Police"))
    (content / "d.md").write_text(synthetic.authored(title="Synthetic d", extra_yaml="draft: maybe\ntags: {a: 1}"))
    result = run("check", cwd=tmp_path)
    assert "content/d.md:5: error: 'draft' must be true or false, not 'maybe'" in result.stderr  # both problems,
    assert "content/d.md:6: error: 'tags' must be a list of words" in result.stderr  # in one run
    assert result.returncode == 1
    assert "content/a.md:3: error: 30 February 2021 does not exist (February 2021 has 28 days)" in result.stderr
    assert "content/b.md:3: error: front matter is not valid YAML: a tab character at column 1: indent with spaces" in (
        result.stderr
    )
    assert "unknown force 'Devon and Cornwal Police' (did you mean 'Devon and Cornwall Police'?)" in result.stderr
    assert "nothing was written" not in result.stderr
    (tmp_path / "site.yaml").write_text("per_pages: 5\n")
    setting = run("check", cwd=tmp_path)
    assert setting.returncode == 2 and "unknown setting 'per_pages' (did you mean 'per_page'?)" in setting.stderr
    option = run("build", "--ouput", "x", cwd=tmp_path)
    assert option.returncode == 2 and "unrecognized arguments: --ouput x (did you mean '--output'?)" in option.stderr
    command = run("biuld", cwd=tmp_path)
    assert command.returncode == 2 and "(did you mean 'build'?)" in command.stderr


def test_a_failing_build_still_names_what_it_would_leave_out(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "draft.md").write_text(synthetic.authored(title="Synthetic draft", extra_yaml="draft: true"))
    (content / "broken.md").write_text(synthetic.authored(title="Synthetic broken", date="2021-02-30"))
    result = run("build", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "content/broken.md:3: error: 30 February 2021 does not exist (February 2021 has 28 days)" in lines
    assert lines[-2].startswith("content/draft.md:1: note: left out: marked draft")  # in the same run
    assert lines[-1] == "build failed: 1 error; output/ is as it was"
