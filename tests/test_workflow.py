"""The GitHub Pages workflow: valid against GitHub's schema, clean under zizmor, least privilege."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from generator import __version__

from .conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
TOOLS = Path(sys.executable).parent


def zizmor_findings(path: Path) -> list[str]:
    result = subprocess.run(
        [str(TOOLS / "zizmor"), "--offline", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode in (0, *range(10, 20)), result.stderr  # 1x: findings; anything else: a failure
    return [finding["ident"] for finding in json.loads(result.stdout)]


def workflow() -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text())
    return data


def steps(job: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = workflow()["jobs"][job]["steps"]
    return found


def test_workflow_matches_githubs_schema() -> None:
    result = subprocess.run(
        [str(TOOLS / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing_but_tag_pinned_actions() -> None:
    findings = zizmor_findings(WORKFLOW)
    assert [ident for ident in findings if ident != "unpinned-uses"] == []


def test_zizmor_would_catch_an_expression_inside_a_script(tmp_path: Path) -> None:
    tampered = tmp_path / "pages.yml"
    text = WORKFLOW.read_text().replace(
        "run: bash .ci/run", 'run: echo "${{ github.event.head_commit.message }}" && bash .ci/run'
    )
    assert text != WORKFLOW.read_text()
    tampered.write_text(text)
    assert "template-injection" in zizmor_findings(tampered)


def test_triggers_permissions_and_concurrency() -> None:
    data = workflow()
    triggers = data[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["branches"] == ["main"] and "workflow_dispatch" in triggers
    assert data["permissions"] == {}
    assert data["concurrency"]["group"]
    assert data["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert data["jobs"]["test"]["permissions"] == {"contents": "read"}
    assert data["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert sorted(data["jobs"]["deploy"]["needs"]) == ["build", "test"]  # deploys only what passed the tests


def test_build_steps_test_then_build_for_the_pages_address_and_deploy() -> None:
    build = steps("build")
    checkout = next(step for step in build if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    scripts = [step["run"] for step in build if "run" in step]
    assert all("${{" not in script for script in scripts)
    assert not any("pytest" in script or ".ci/run" in script for script in scripts)  # the test job's work
    build_step = next(step for step in build if "generator build" in step.get("run", ""))
    assert '--base-url "$BASE_URL"' in build_step["run"]
    assert build_step["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert any(step.get("uses", "").startswith("actions/configure-pages@") and step["id"] == "pages" for step in build)
    upload = next(step for step in build if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "output"
    assert [step["uses"].split("@")[0] for step in steps("deploy")] == ["actions/deploy-pages"]


def test_the_test_job_runs_the_suite_as_ci_does_with_its_system_packages() -> None:
    """The test job runs .ci/run, which installs what the browser, publish and HTML tests need
    before running them; the build job installs the generator alone (no test extras)."""
    test = steps("test")
    checkout = next(step for step in test if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    [run] = [step for step in test if "run" in step]
    assert run["run"] == "bash .ci/run" and run["env"]["CI"] == "true"
    ci = (ROOT / ".ci" / "run").read_text()
    for package in ("chromium", "git", "default-jre-headless", "npm"):
        assert f"missing+=({package})" in ci
    assert "sudo" in ci and "apt-get install" in ci
    install = next(step["run"] for step in steps("build") if "pip install" in step.get("run", ""))
    assert install == "python -m pip install -e ."


def cache_step(build: list[dict[str, Any]]) -> tuple[int, dict[str, Any]]:
    found = [(n, step) for n, step in enumerate(build) if step.get("uses", "").startswith("actions/cache@")]
    assert len(found) == 1, "one actions/cache step keeps the build cache and output between runs"
    return found[0]


def test_the_build_cache_and_output_are_kept_between_runs(tmp_path: Path) -> None:
    """A publish after one edit is an incremental build: the last run's `.cache/` and output
    (with its `.generator-build` marker) are restored before the build, keyed by the
    generator's version and the dependencies, and saved afresh by every run."""
    build = steps("build")
    at, cache = cache_step(build)
    action, ref = cache["uses"].split("@")
    assert re.fullmatch(r"[0-9a-f]{40}", ref), "pinned by commit, not by a tag that can move"
    assert re.search(rf"uses: {action}@{ref} # v\d+\.\d+\.\d+\n", WORKFLOW.read_text()), "the version in a comment"

    build_at = next(n for n, step in enumerate(build) if "generator build" in step.get("run", ""))
    assert at < build_at
    assert "--output" not in build[build_at]["run"]  # so it builds into the default `output/`
    upload = next(step for step in build if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert set(cache["with"]["path"].split()) == {".cache", upload["with"]["path"]}

    key, restore = cache["with"]["key"], cache["with"]["restore-keys"].splitlines()
    version_at, version = next((n, step) for n, step in enumerate(build) if step.get("id") == "generator")
    assert version_at < at and "${{ steps.generator.outputs.version }}" in key
    hashed = re.findall(r"hashFiles\(([^)]*)\)", key)
    assert hashed and "'pyproject.toml'" in hashed[0].split(", ")
    assert all((ROOT / name.strip("'")).is_file() for name in hashed[0].split(", "))
    assert key.endswith("-${{ github.run_id }}")
    assert restore[0] == key.removesuffix("${{ github.run_id }}")  # the newest of the same version and deps
    assert restore[1:] == ["build-${{ runner.os }}-"]  # else any: the published addresses outlive versions
    check_at = next(n for n, step in enumerate(build) if "generator check" in step.get("run", ""))
    assert at < check_at < build_at  # a lost address stops the run before anything is built

    # The version step, run as the runner runs it: it writes the package's version to its outputs.
    outputs = tmp_path / "outputs"
    env = {**os.environ, "GITHUB_OUTPUT": str(outputs), "PATH": f"{TOOLS}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(["bash", "-e", "-c", version["run"]], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert outputs.read_text() == f"version={__version__}\n"
