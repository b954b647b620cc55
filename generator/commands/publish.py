"""`python -m generator publish`: the built site as the whole tree of a branch, pushed.

The commit is made with git's plumbing (hash-object, a throwaway index, commit-tree), so the
user's working tree, index and current branch are never touched, the branch keeps its history
(one commit per publish that changed the site), and the files go in byte for byte, whatever
filters or ignore rules the repository has. Nothing is copied beside the output.

The branch and remote names come from the command line, so both are checked before git runs
at all, and every git call names refs in full, after `--` where git has one: no name can
become an option, another ref, or a path to push to. Only `refs/heads/<branch>` is ever
pushed, never forced.
"""

from __future__ import annotations

import dataclasses
import glob
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.commands.addresses import local_address, pages_address
from generator.commands.build import BuildOptions, build, cache_folder
from generator.errors import GeneratorError, OptionError
from generator.output.writer import MARKER
from generator.reading.config import load_config
from generator.site.addresses import slugs_in
from generator.words import plural

_GUARDED = ("main", "master")  # refused when the remote's default branch cannot be found


class PublishError(GeneratorError):
    """Publishing stopped; whatever was built, nothing was pushed."""


@dataclass(frozen=True)
class Publication:
    """What one publish left on the remote, for the lines it prints."""

    remote: str
    branch: str
    commit: str
    files: int
    changed: bool  # False: the remote already held exactly this commit
    address: str  # the base URL the site was built for
    derived: str | None = None  # why that address, when it is not the one site.yaml gives

    def summary(self) -> str:
        where, files = f"{self.remote}/{self.branch}", plural(self.files, "file")
        said = f"Base URL {self.address} ({self.derived})\n" if self.derived else ""
        if self.changed:
            return f"{said}Published the site for {self.address} to {where} as {self.commit[:12]} ({files})"
        return (
            f"{said}Nothing changed: {where} already holds the site for {self.address} as {self.commit[:12]} ({files})"
        )


def publish(options: BuildOptions, remote: str, branch: str, message: str | None) -> Publication:
    """Check the names and the address, build, commit the output as `branch` and push it to `remote`.
    `options.output` is the folder to build in: never the preview's (see `published_output`)."""
    _git("rev-parse", "--git-dir", failure="this folder is not in a git repository; publish needs one")
    _check_remote(remote)
    _check_branch(branch, remote)
    address, derived = _address(options, remote)
    ref = f"refs/heads/{branch}"
    local = _commit_of(ref)
    parent = _commit_of(f"refs/remotes/{remote}/{branch}") or local
    # no release address published before may disappear: the build fails, and nothing is pushed
    options = dataclasses.replace(options, base_url=address, keep_addresses=True, published=_published(parent))
    _remove_old_copies(BuildOptions.output)
    build(options)
    files = [path for path in options.output.rglob("*") if path.is_file() and path != options.output / MARKER]
    commit = _commit(_tree(options.output, files), parent, message or "Publish the archive")
    _git("update-ref", "-m", "publish", "--", ref, commit, local or "", failure=f"cannot move the {branch!r} branch")
    changed = _push(remote, ref, f"the local {branch!r} branch now points to {commit[:12]}, which is not published")
    return Publication(remote, branch, commit, len(files), changed, address, derived)


def published_output(options: BuildOptions) -> Path:
    """Where `publish` builds by default: a folder of its own in the build cache, so that a preview
    serving `output/` is never rewritten for another address, and the next publish is incremental."""
    return cache_folder(options, load_config(options.config)) / "publish"


def _address(options: BuildOptions, remote: str) -> tuple[str, str | None]:
    """The public address to build for, and why when it is not site.yaml's: `--base-url` as given;
    else site.yaml's; else, when that is local (the shipped `http://127.0.0.1:8000/`), the custom
    `domain`, or the GitHub Pages address of the remote's repository."""
    config = load_config(options.config, options.base_url)
    if options.base_url is not None:
        if local_address(config.base_url):
            raise OptionError("--base-url", f"{config.base_url} is not a public address: give the one readers will use")
        return config.base_url, None
    if not local_address(config.base_url):
        return config.base_url, None
    why = f"site.yaml's base_url {config.base_url} is not a public address"
    if config.domain:
        return f"https://{config.domain}/", f"from `domain` in site.yaml: {why}"
    url = _run("config", "--get", f"remote.{remote}.url").stdout.decode(errors="replace").strip()
    derived = pages_address(url)
    if derived is None:
        raise PublishError(
            f"{why}, and the {remote!r} remote ({url or 'no URL'}) is not a GitHub repository to take one from: "
            "give the site's address with --base-url, or set base_url in site.yaml"
        )
    return derived, f"the GitHub Pages address of the {remote!r} remote: {why}"


def _check_remote(remote: str) -> None:
    """Only a configured remote: anything else would reach git push as an option, URL or path."""
    if remote.startswith("-"):
        raise OptionError("--remote", f"{remote!r} starts with '-', so git would take it for an option")
    if remote not in _git("remote", failure="cannot list the git remotes").splitlines():
        raise OptionError("--remote", f"there is no git remote named {remote!r} (see `git remote -v`)")


def _check_branch(branch: str, remote: str) -> None:
    """A plain branch name, and not one whose files are anyone's source."""
    if branch.startswith(("-", "refs/")) or branch == "HEAD" or not _is_branch_name(branch):  # HEAD: for older gits
        raise OptionError(
            "--branch",
            f"{branch!r} is not a plain branch name such as gh-pages "
            "(no refs/, no leading '-', no spaces, control characters, '..', '~', '^', ':', '?', '*', '[' or '@{')",
        )
    if branch in _checked_out():
        raise OptionError(
            "--branch", f"{branch!r} is checked out here; publish to a branch of its own, such as gh-pages"
        )
    default = _default_branch(remote)
    if branch == default:
        raise OptionError("--branch", f"{branch!r} is the default branch of {remote!r}; publish to gh-pages instead")
    if default is None and branch in _GUARDED:
        raise OptionError(
            "--branch",
            f"{branch!r} may be the default branch of {remote!r} (it does not say which it is); "
            "publish to gh-pages instead",
        )


def _is_branch_name(branch: str) -> bool:
    """Git's own rule; an `@{…}` that git expands to another name does not count."""
    result = _run("check-ref-format", "--branch", branch)
    return result.returncode == 0 and os.fsdecode(result.stdout).strip() == branch


def _checked_out() -> set[str]:
    """The branches of every worktree: publishing one would replace the files under someone."""
    listing = _git("worktree", "list", "--porcelain", failure="cannot list the worktrees")
    return {line.removeprefix("branch refs/heads/") for line in listing.splitlines() if line.startswith("branch ")}


def _default_branch(remote: str) -> str | None:
    """The remote's HEAD as last fetched, else as the remote says now; None if neither tells."""
    tracked = _run("symbolic-ref", "--quiet", "--", f"refs/remotes/{remote}/HEAD")
    if tracked.returncode == 0:
        return os.fsdecode(tracked.stdout).strip().removeprefix(f"refs/remotes/{remote}/")
    advertised = _run("ls-remote", "--symref", "--", remote, "HEAD")
    for line in os.fsdecode(advertised.stdout).splitlines():
        target, _, name = line.partition("\t")
        if name == "HEAD" and target.startswith("ref: refs/heads/"):
            return target.removeprefix("ref: refs/heads/")
    return None


def _remove_old_copies(output: Path) -> None:
    """Earlier versions published from a copy in `.<output>.publish-*`, left behind when killed;
    publish makes no such folder now, so any there is abandoned."""
    for folder in output.parent.glob(glob.escape(f".{output.name}.publish-") + "*"):
        shutil.rmtree(folder, ignore_errors=True)


def _published(commit: str | None) -> tuple[str, ...]:
    """The release addresses of the last publish: its commit's release pages (redirect and
    withdrawn pages among them)."""
    if commit is None:
        return ()
    names = _git("ls-tree", "-r", "--name-only", commit, "--", "articles", failure="cannot read the last publish")
    return tuple(slugs_in(names.splitlines()))


def _commit_of(ref: str) -> str | None:
    result = _run("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    return os.fsdecode(result.stdout).strip() if result.returncode == 0 else None


def _tree(output: Path, files: list[Path]) -> str:
    """The tree of exactly these files' bytes, built in an index of its own."""
    paths = "".join(f"{_quoted(os.fsencode(path.absolute()))}\n" for path in files)
    blobs = _git(
        "hash-object", "-w", "--no-filters", "--stdin-paths", stdin=paths.encode(), failure="cannot store the site"
    )
    entries = b"".join(
        b"100644 %s\t%s\0" % (blob.encode(), os.fsencode(path.relative_to(output).as_posix()))
        for blob, path in zip(blobs.split(), files, strict=True)
    )
    with tempfile.TemporaryDirectory(prefix="generator-publish-") as scratch:
        index = {"GIT_INDEX_FILE": os.path.join(scratch, "index")}
        _git("update-index", "--add", "-z", "--index-info", stdin=entries, env=index, failure="cannot list the site")
        return _git("write-tree", env=index, failure="cannot write the site's tree")


def _quoted(path: bytes) -> str:
    """C-style quoting, which `--stdin-paths` undoes: any file name survives its line format."""
    return '"' + "".join(chr(c) if 32 <= c < 127 and c not in b'"\\' else f"\\{c:03o}" for c in path) + '"'


def _commit(tree: str, parent: str | None, message: str) -> str:
    """A commit of the tree on top of the last one; the last one itself when the site is unchanged."""
    if parent and tree == _git("rev-parse", f"{parent}^{{tree}}", failure="cannot read the last publish"):
        return parent
    parents = ("-p", parent) if parent else ()
    return _git("commit-tree", *parents, tree, stdin=message.encode(), failure="cannot write the publish commit")


def _push(remote: str, ref: str, unpublished: str) -> bool:
    """Push `ref` to the same name, never forced; True if the remote changed, False if it had it already."""
    result = _run("push", "--porcelain", "--", remote, f"{ref}:{ref}")
    status = next((line for line in os.fsdecode(result.stdout).splitlines() if f"\t{ref}:{ref}\t" in line), None)
    if status is None:
        raise PublishError(f"the push to {remote!r} failed ({_reason(result.stderr)}); {unpublished}")
    flag, _, summary = status.split("\t", 2)
    if flag == "!":
        raise PublishError(f"{remote!r} refused the push: {summary}{_remote_said(result.stderr)}; {unpublished}")
    return flag != "="


def _remote_said(stderr: bytes) -> str:
    """The first thing the remote's hooks said, which is usually why."""
    said = (
        line.removeprefix("remote:").strip() for line in os.fsdecode(stderr).splitlines() if line.startswith("remote:")
    )
    first = next((line for line in said if line), "")
    return f" ({first})" if first else ""


def _git(*args: str, failure: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> str:
    """Git's output; its failure as one line saying what could not be done, and git's reason."""
    result = _run(*args, stdin=stdin, env=env)
    if result.returncode != 0:
        raise PublishError(f"{failure} ({_reason(result.stderr)})")
    return os.fsdecode(result.stdout).strip()


def _run(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], input=stdin, capture_output=True, env={**os.environ, **(env or {})})
    except OSError as error:
        raise PublishError(f"cannot run git ({error.strerror}); publish needs git installed") from None


def _reason(stderr: bytes) -> str:
    """Git's first fatal or error line, else its last line."""
    lines = [line.strip() for line in os.fsdecode(stderr).splitlines() if line.strip()] or ["no reason given"]
    reason = next((line for line in lines if line.startswith(("fatal:", "error:"))), lines[-1])
    return reason.removeprefix("fatal:").removeprefix("error:").strip()
