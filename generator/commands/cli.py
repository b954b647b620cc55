"""The command line: `python -m generator build|check|serve|publish|import`.

Exit status: 0 success, 1 content or build errors, 2 usage or configuration errors.
Messages go to stderr as `path:line: severity: message`; `import` prints one line per page.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import sys
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from generator.commands.build import BuildOptions, build
from generator.commands.progress import progress_line
from generator.errors import BuildError, ConfigError, Diagnostic, GeneratorError, OptionError
from generator.words import did_you_mean, plural

MAX_WAIT = 3600  # seconds: the longest --timeout or --delay a request is given

if TYPE_CHECKING:
    from generator.commands.importer import Outcome


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; Ctrl-C ends it with one line and exit status 130, as shells expect."""
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except KeyboardInterrupt:
        kept = "the pages imported so far are kept" if args.command == "import" else _unchanged(args)
        fresh_line = "\n" if sys.stderr.isatty() else ""  # below a progress line, or ^C, on a terminal
        print(f"{fresh_line}interrupted; {kept}", file=sys.stderr)
        return 130


def run() -> NoReturn:
    """The program (`python -m generator`, `county-lines-archive`): `main`, then an exit that
    leaves the objects of a large site for the system to reclaim. Freeing them one by one is about
    a tenth of a second at 10,000 releases, after all is written, closed and reported. While
    another thread still works (the preview's search indexing, stopped by Ctrl-C), the exit waits
    for it as usual, so Pagefind ends and cleans up after itself; so it does under a profiler or
    coverage, which write what they found at exit."""
    status = main()
    if threading.active_count() > 1 or sys.gettrace() or sys.getprofile() or "coverage" in sys.modules:
        sys.exit(status)  # a profiler or coverage writes its findings at exit
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # None: started with the descriptor closed (`>&-`)
                stream.flush()
        except (OSError, ValueError):  # a reader that has gone (`| head`): there is no one left to tell
            pass
    os._exit(status)


def _run(args: argparse.Namespace) -> int:
    if args.command == "import":
        return _import(args)
    options = BuildOptions(
        content=args.content,
        output=getattr(args, "output", None) or BuildOptions.output,
        config=args.config,
        base_url=getattr(args, "base_url", None),
        drafts=args.drafts,
        force=getattr(args, "force", False),
        keep_addresses=args.command == "check",
    )
    try:
        if getattr(args, "against", None):
            from generator.commands.published import published_slugs

            options = dataclasses.replace(options, published=published_slugs(args.against))
        if args.command == "publish":
            return _publish(options, args)
        if args.command == "serve":
            from generator.commands.serve import serve  # livereload and tornado load only for the preview

            return serve(options, args.host, args.port, args.quiet)
        if args.command == "build" or getattr(args, "links", False) or getattr(args, "external", False):
            with progress_line(args.quiet) as progress:
                report = build(options, progress)
            _print(report.warnings, args.quiet)
            if args.command == "check":
                return _check_links(options, args)
            _say(report.summary(options.output), args.quiet)
        else:
            with progress_line(args.quiet) as progress:
                report = build(options, progress, write=False)
            _print(report.warnings, args.quiet)
            _say(f"{plural(report.articles, 'release')} checked{report.left_out}: no errors", args.quiet)
    except BuildError as failure:
        _print(failure.diagnostics, args.quiet)
        errors = sum(d.severity == "error" for d in failure.diagnostics)
        print(f"{args.command} failed: {plural(errors, 'error')}{_kept(args)}", file=sys.stderr)
        return 1
    except ConfigError as failure:
        print(failure, file=sys.stderr)
        return 2
    except OptionError as failure:
        print(f"error: {failure}", file=sys.stderr)
        return 2
    except GeneratorError as failure:
        print(f"error: {failure}", file=sys.stderr)
        print(f"{args.command} failed", file=sys.stderr)
        return 1
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m generator", description="Build the county-lines press release archive.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build_parser = commands.add_parser("build", help="build the site into the output folder")
    serve_parser = commands.add_parser("serve", help="build, serve with live reload, rebuild on every change")
    check_parser = commands.add_parser("check", help="report every problem in the content folder; write nothing")
    publish_parser = commands.add_parser("publish", help="build, then push the site to a branch for GitHub Pages")
    for sub in (build_parser, serve_parser, check_parser, publish_parser):
        sub.add_argument("--content", type=Path, default=BuildOptions.content, metavar="DIR", help="content folder")
        sub.add_argument("--config", type=Path, metavar="FILE", help="settings file (default: site.yaml, if present)")
        sub.add_argument(
            "--drafts", action="store_true", help="include releases marked draft: true and those dated in the future"
        )
        sub.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    for sub in (build_parser, serve_parser, check_parser):
        sub.add_argument("--output", type=Path, default=BuildOptions.output, metavar="DIR", help="output folder")
    publish_parser.add_argument(
        "--output", type=Path, metavar="DIR", help="folder to build the published site in (default: .cache/publish)"
    )
    check_parser.add_argument(
        "--against",
        metavar="SITEMAP",
        help="fail if a release address published there would disappear: a sitemap.xml file, its http(s) URL, "
        "or a built site's folder (always checked: the last build into --output)",
    )
    _link_options(check_parser)
    for sub in (build_parser, serve_parser, publish_parser, check_parser):
        sub.add_argument("--base-url", metavar="URL", help="the site's public address, overriding site.yaml")
    build_parser.add_argument(
        "--force", action="store_true", help="read every file and render every page again, trusting no record"
    )
    serve_parser.add_argument("--port", type=int, default=8000, help="port to serve on (default: 8000)")
    serve_parser.add_argument(
        "--host", default="127.0.0.1", help="address to serve on (default: 127.0.0.1, this machine only)"
    )
    publish_parser.add_argument(
        "--remote", default="origin", help="the configured git remote to push to (default: origin)"
    )
    publish_parser.add_argument(
        "--branch",
        default="gh-pages",
        help="branch to publish to (default: gh-pages); never one checked out, nor the remote's default branch",
    )
    publish_parser.add_argument("--message", help="the commit message")
    import_parser = commands.add_parser(
        "import", help="turn press-release pages (saved, or fetched) into content files"
    )
    import_parser.add_argument(
        "pages", nargs="*", metavar="PAGE", help="a saved .html page, a folder of them, or a page's http(s) URL"
    )
    import_parser.add_argument(
        "--feed", action="append", default=[], metavar="URL", help="a press room's RSS or Atom feed: import its items"
    )
    import_parser.add_argument("--limit", type=int, metavar="N", help="import at most the first N items of each feed")
    import_parser.add_argument(
        "--delay", type=float, default=1.0, metavar="SECONDS", help="between two requests to one host (default: 1)"
    )
    import_parser.add_argument(
        "--timeout", type=float, default=30.0, metavar="SECONDS", help="to connect, and between bytes (default: 30)"
    )
    import_parser.add_argument(
        "--content", type=Path, default=BuildOptions.content, metavar="DIR", help="where to write the files"
    )
    import_parser.add_argument(
        "--publisher",
        "--force",  # its old name, kept a while: it read too much like --force-overwrite
        dest="publisher",
        metavar="NAME",
        action=_Publisher,
        help="the force that published the pages, if they do not say",
    )
    import_parser.add_argument(
        "--date", metavar="DATE", help="the date of pages that show none (2024-03-01, or as a date line reads)"
    )
    import_parser.add_argument(
        "--force-overwrite", action="store_true", help="write a page again over its earlier import"
    )
    import_parser.add_argument("-q", "--quiet", action="store_true", help="print failures only")
    return parser


def _link_options(check_parser: argparse.ArgumentParser) -> None:
    check_parser.add_argument(
        "--links",
        action="store_true",
        help="build into --output, then check every link and #anchor of the built pages",
    )
    check_parser.add_argument(
        "--external",
        action="store_true",
        help="with --links: check the http(s) links out of the site too (source URLs, links in bodies)",
    )
    check_parser.add_argument(
        "--timeout", type=float, default=10.0, metavar="SECONDS", help="to connect, and between bytes (default: 10)"
    )
    check_parser.add_argument(
        "--delay",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="between two requests to one host (default: 0; at most 2 at a time in any case)",
    )
    check_parser.add_argument(
        "--max-age",
        default="7d",
        metavar="AGE",
        help="ask again a link that answered longer ago than this (default: 7d; 12h, 30m, 0: every link)",
    )


class _Parser(argparse.ArgumentParser):
    """argparse, with the nearest known command or option suggested for a misspelt one."""

    def error(self, message: str) -> NoReturn:
        words = re.findall(r"(?<=invalid choice: ')[^']+|(?<![\w-])--?[\w-]+", message)
        known = {name for parser in self._all() for action in parser._actions for name in _names(action)}
        hints = [hint for word in words if word not in known and (hint := did_you_mean(word, known))]
        super().error(message + "".join(hints))

    def _all(self) -> list[argparse.ArgumentParser]:
        """This parser and its commands' parsers."""
        found: list[argparse.ArgumentParser] = [self]
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                found += action.choices.values()
        return found


class _Publisher(argparse.Action):
    """`--publisher`, warning when it is given by its old name, `--force`."""

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option: str | None = None
    ) -> None:
        if option == "--force":
            print("warning: import's --force is now --publisher; --force will go in a later version", file=sys.stderr)
        setattr(namespace, self.dest, values)


def _names(action: argparse.Action) -> list[str]:
    if isinstance(action, argparse._SubParsersAction):
        return list(action.choices)
    return list(action.option_strings)


def _publish(options: BuildOptions, args: argparse.Namespace) -> int:
    """Publish, saying what the remote now holds. A refused --branch or --remote, and the build's
    own errors, go on to the caller like any command's."""
    from generator.commands.publish import PublishError, publish, published_output

    if args.output is None:
        options = dataclasses.replace(options, output=published_output(options))
    try:
        publication = publish(options, args.remote, args.branch, args.message)
    except PublishError as failure:
        print(f"error: {failure}", file=sys.stderr)
        print("publish failed; nothing was pushed", file=sys.stderr)
        return 1
    _say(publication.summary(), args.quiet)
    return 0


def _import(args: argparse.Namespace) -> int:
    """Import each page, one line each: written and skipped to stdout, failed to stderr."""
    from generator.commands.importer import Importer, is_url  # BeautifulSoup and markdownify load only for imports
    from generator.errors import display_path
    from generator.reading.dates import DateError, parse_date_value
    from generator.reading.forces import load_registry

    registry = load_registry()
    force = registry.resolve(args.publisher) if args.publisher else None
    if args.publisher and force is None:
        near = registry.nearest(args.publisher)
        print(f"import: --publisher: unknown force {args.publisher!r}{near}: not in the registry", file=sys.stderr)
        return 2
    try:
        date = parse_date_value(args.date) if args.date else None
    except DateError as error:
        print(f"import: --date: {error}", file=sys.stderr)
        return 2
    if args.content.exists() and not args.content.is_dir():
        print(f"import: {display_path(args.content)} is not a folder", file=sys.stderr)
        return 2
    if problem := _web_options(args):
        print(f"import: {problem}", file=sys.stderr)
        return 2
    importer = Importer(args.content, registry, force, args.force_overwrite, date)
    if not args.feed and not any(map(is_url, args.pages)):
        return _imported(importer.run([Path(page) for page in args.pages]), args.quiet)
    from generator.commands.fetching import Fetcher, Politeness
    from generator.commands.web_import import import_from_web

    with Fetcher(Politeness(timeout=args.timeout, per_host=1, delay=args.delay), _contact()) as fetcher:
        return _imported(import_from_web(importer, fetcher, args.pages, args.feed, args.limit), args.quiet)


def _web_options(args: argparse.Namespace) -> str | None:
    """What is wrong with import's arguments for the web, if anything."""
    from generator.commands.importer import is_url

    if not args.pages and not args.feed:
        return "give a saved page, a folder, a page's URL, or --feed URL"
    if bad := next((feed for feed in args.feed if not is_url(feed)), None):
        return f"--feed: {bad!r} is not an http(s) URL"
    if args.limit is not None and args.limit < 1:
        return "--limit: must be 1 or more"
    problem = _wait_problem(args)
    return f"{problem[0]}: {problem[1]}" if problem else None


def _contact() -> str | None:
    """The site's address, named in the User-Agent so a press room can see who asks."""
    from generator.reading.config import load_config

    try:
        return load_config(None).base_url
    except GeneratorError:
        return None


def _imported(outcomes: Iterable[Outcome], quiet: bool) -> int:
    """One line a page: written and skipped to stdout, failed to stderr; 1 if any failed."""
    failed = False
    for outcome in outcomes:
        failed = failed or outcome.status == "failed"
        if outcome.status == "failed":
            print(outcome, file=sys.stderr)
        elif not quiet:
            print(outcome)
        if outcome.warning and not quiet:
            print(f"{outcome.shown}: warning: {outcome.warning}", file=sys.stderr)
    return 1 if failed else 0


def _wait_problem(args: argparse.Namespace) -> tuple[str, str] | None:
    """What is wrong with `--timeout` and `--delay`: each a number of seconds up to an hour (an
    endless one is no timeout, and `nan` no number), the timeout more than 0."""
    if not (0 < args.timeout <= MAX_WAIT):  # False for nan
        return "--timeout", f"must be more than 0 and at most {MAX_WAIT} seconds"
    if not (0 <= args.delay <= MAX_WAIT):
        return "--delay", f"must be 0 to {MAX_WAIT} seconds"
    return None


def _check_links(options: BuildOptions, args: argparse.Namespace) -> int:
    """Check the links of the output just built: broken ones fail the check, warnings do not."""
    from generator.commands.build import cache_folder
    from generator.commands.fetching import Politeness
    from generator.commands.link_check import LinkOptions, check_links
    from generator.commands.web_links import parse_age
    from generator.reading.config import load_config

    if args.external and not args.links:
        raise OptionError("--external", "checks links out of the site: give it with --links")
    if problem := _wait_problem(args):
        raise OptionError(*problem)
    config = load_config(options.config, options.base_url)
    politeness = Politeness(timeout=args.timeout, delay=args.delay)
    link_options = LinkOptions(args.external, politeness, parse_age(args.max_age))
    report = check_links(options.output, config.base_url, cache_folder(options, config), link_options, config.base_url)
    for notice in report.notices:
        print(notice, file=sys.stderr)
    _print(report.diagnostics, args.quiet)
    for line in report.summary:
        _say(line, args.quiet and not report.broken)
    return 1 if report.broken else 0


def _kept(args: argparse.Namespace) -> str:
    """What a failed command left: a build never changes its output folder on failure."""
    return "" if args.command == "check" else f"; {_unchanged(args)}"


def _unchanged(args: argparse.Namespace) -> str:
    """What a command that stopped early left as it was."""
    if args.command == "publish":
        return "nothing was pushed"
    if args.command == "check":
        return "nothing was changed"
    return f"{args.output}/ is as it was"


def _print(diagnostics: list[Diagnostic], quiet: bool) -> None:
    """Errors and warnings, then what was left out (notes), so a build ends with what it left out."""
    for diagnostic in sorted(diagnostics, key=lambda one: one.severity == "note"):
        if diagnostic.severity == "error" or not quiet:
            print(diagnostic, file=sys.stderr)


def _say(message: str, quiet: bool) -> None:
    if not quiet:
        print(message, file=sys.stderr)
