"""`check --links`: every link of a built output folder, as `path:line` diagnostics and a summary.

The folder is the one the build just wrote (the command line builds first), so what is checked is
what the current content makes, exactly as it will be published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from generator.commands.fetching import Fetcher, Politeness
from generator.commands.link_cache import LinkCache
from generator.commands.links import Resolver, read_site
from generator.commands.web_links import check_urls
from generator.errors import Diagnostic
from generator.words import plural

CACHE_FILE = "links.json"


@dataclass(frozen=True)
class LinkOptions:
    external: bool = False
    politeness: Politeness = field(default_factory=Politeness)
    max_age: timedelta = timedelta(days=7)  # a link that answered is not asked again for a week


@dataclass
class LinkReport:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # about the check itself (a cache set aside)

    @property
    def broken(self) -> int:
        return sum(diagnostic.severity == "error" for diagnostic in self.diagnostics)


def check_links(output: Path, base_url: str, cache: Path, options: LinkOptions, contact: str | None) -> LinkReport:
    """The site's own links in `output` (and with `options.external`, its http(s) links out)."""
    site = read_site(output)
    resolver = Resolver(site, base_url)
    report = LinkReport()
    report.diagnostics += (
        Diagnostic(output / broken.link.page, broken.link.line, f"broken link {broken.link.url!r} ({broken.why})")
        for broken in resolver.broken()
    )
    internal = len(site.links)
    report.summary.append(
        f"{plural(internal, 'link')} checked in {plural(len(site.anchors), 'page')}: {report.broken} broken"
    )
    if options.external:
        _check_external(output, resolver, cache / CACHE_FILE, options, contact, report)
    report.diagnostics.sort(key=lambda diagnostic: (str(diagnostic.path), diagnostic.line))
    return report


def _check_external(
    output: Path, resolver: Resolver, cache_file: Path, options: LinkOptions, contact: str | None, report: LinkReport
) -> None:
    links = list(resolver.external())
    cache, notice = LinkCache.load(cache_file, options.max_age)
    report.notices += [notice] if notice else []
    with Fetcher(options.politeness, contact) as fetcher:
        verdicts, from_cache = check_urls((link.url for link in links), fetcher, cache)
    cache.save()
    before = len(report.diagnostics)
    for link in links:
        found = verdicts[link.url]
        if found.severity == "error":
            report.diagnostics.append(
                Diagnostic(output / link.page, link.line, f"broken link {link.url!r} ({found.detail})")
            )
        elif found.severity == "warning":
            report.diagnostics.append(
                Diagnostic(output / link.page, link.line, f"link {link.url!r}: {found.detail}", "warning")
            )
    added = report.diagnostics[before:]
    broken = sum(diagnostic.severity == "error" for diagnostic in added)
    report.summary.append(
        f"{plural(len(links), 'external link')} checked ({plural(len(verdicts), 'URL')}, {from_cache} from the cache): "
        f"{broken} broken, {plural(len(added) - broken, 'warning')}"
    )
