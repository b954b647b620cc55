"""Which search indexes a build makes, and which it keeps: the costly part of an edit, kept small.

Pagefind cannot update an index, only make it again, so the releases are split among shards
(`pagefind/<n>/`), each made again only when one of its releases changed. Making one again
still costs about half a second at 10,000 releases, so a few edits go first into a small index
of their own, `pagefind/recent/` (a twentieth of a second), which the search page merges with
the shards. `pagefind/recent.json` names the shards' results those edits replaced (Pagefind's
id of each, the name of its fragment file), and the search page leaves those out: results stay
right, an edit's old words no longer find it. Once more than `RECENT_LIMIT` releases have
changed since their shards were made, the shards that hold them are made again and the small
index is emptied. A build from nothing makes every shard and no small index.
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from generator.cache import settings_key
from generator.model import Article, Precision
from generator.output import context
from generator.output.search import SearchEntry
from generator.output.writer import Output
from generator.reading.read import Progress
from generator.site.pages import search_shards
from generator.site.urls import article_url

# Changed releases the small index holds before they are folded into their shards.
RECENT_LIMIT = 100
RECENT = "recent"
LISTING = "pagefind/recent.json"
# Pagefind's ready-made interfaces: the search page has its own script.
_UNUSED_FILES = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")


Bundles = dict[str, bytes]
Body = Callable[[str], str]  # a release's body HTML, by its fingerprint


class Job(NamedTuple):
    """One index to make: its folder under `pagefind/`, the signature of its files, its releases."""

    folder: str
    signature: str
    articles: Sequence[Article]
    body: Body
    language: str

    def entries(self) -> list[SearchEntry]:
        """What the index holds: made only for an index about to be made (bodies are read for it)."""
        return [_entry(article, self.body) for article in self.articles]


class Pending(NamedTuple):
    """Indexes being made: `result` waits for the bundles, or gives None when they are not made
    yet (the preview makes them in the background, and the build that finds them ready writes
    them); `cancel` stops the work when the build fails first; `settle` waits for a thread of
    this process that makes them, before the renderers fork (a fork of a process while another
    thread works can leave the child deadlocked, or holding a pipe the thread's Pagefind writes to)."""

    result: Callable[[], Sequence[Bundles] | None]
    cancel: Callable[[], None] = lambda: None
    settle: Callable[[], None] = lambda: None


Indexer = Callable[[Sequence[Job]], Pending]  # starts making the indexes of the jobs


class _Shard(NamedTuple):
    number: int
    articles: tuple[Article, ...]
    indexed: Mapping[str, tuple[str, str]]  # slug → (fingerprint, Pagefind id) as the shard holds it
    changed: list[Article]  # its releases whose current version it does not hold
    replaced: list[str]  # the ids of its results that no longer show a release as it is


def _shard(number: int, articles: tuple[Article, ...], indexed: Mapping[str, tuple[str, str]]) -> _Shard:
    current = {article.slug: article.fingerprint for article in articles}
    changed = [article for article in articles if indexed.get(article.slug, ("",))[0] != article.fingerprint]
    replaced = [ident for slug, (fingerprint, ident) in indexed.items() if current.get(slug) != fingerprint]
    return _Shard(number, articles, indexed, changed, replaced)


class IndexPlan(NamedTuple):
    """What a build's search indexes are to be: the jobs to run, and what to keep."""

    version: str
    shards: list[_Shard]
    recent: list[Article]
    folding: bool
    recent_job: Job | None
    kept_recent: bool  # the small index of the last build holds just these edits
    last: Mapping[str, Any]  # the last build's memo
    jobs: list[Job]  # the indexes to make: shards made again, and the small index unless kept


def plan_indexes(
    last: Mapping[str, Any], articles: Sequence[Article], body: Body, language: str, version: str
) -> IndexPlan:
    """Which indexes to make again, given the last build's memo (`last`)."""
    groups = search_shards(articles)
    version = settings_key(version, len(groups))
    fresh = last.get("version") != version
    shards = [_shard(n, group, {} if fresh else last["shards"][n]) for n, group in enumerate(groups)]
    recent = [article for shard in shards for article in shard.changed]
    folding = fresh or len(recent) > RECENT_LIMIT
    recent_job = _job(f"{RECENT}/", version, recent, body, language) if recent and not folding else None
    kept = recent_job is not None and last.get("recent", ("", []))[0] == recent_job.signature
    remade = [shard for shard in shards if folding and (shard.changed or shard.replaced)]
    jobs = [_job(f"{shard.number}/", version, shard.articles, body, language) for shard in remade]
    jobs += [recent_job] if recent_job and not kept else []
    return IndexPlan(version, shards, recent, folding, recent_job, kept, last, jobs)


def write_indexes(
    output: Output, plan: IndexPlan, bundles: Sequence[Bundles] | None, progress: Progress | None = None
) -> tuple[dict[str, Any], bool]:
    """Stage the indexes that were made (`bundles`, one per job of `plan`) and keep the rest.
    Returns the memo the next build needs, and False when the bundles are not made yet (None):
    the last build's indexes are then kept as they were."""
    jobs = plan.jobs
    previous = _by_folder(output.previous.files)
    if bundles is None:
        for path in (path for folder in previous.values() for path in folder):
            output.keep(path)
        return dict(plan.last), False
    made = dict(zip((job.folder for job in jobs), bundles, strict=True))
    indexed = []
    for done, shard in enumerate(plan.shards, 1):
        folder = f"{shard.number}/"
        if folder in made:
            indexed.append(_ids(made[folder], shard.articles))
            if progress:
                progress("reading the search index", done, len(plan.shards))  # a fragment a release
        else:
            indexed.append(dict(shard.indexed))
            for path in previous.get(folder, ()):
                output.keep(path)
    recent_ids: list[str] = []
    recent_job = plan.recent_job
    if plan.kept_recent:
        recent_ids = plan.last["recent"][1]
        for path in previous.get(f"{RECENT}/", ()):
            output.keep(path)
    elif recent_job:
        recent_ids = sorted(ident for _, ident in _ids(made[recent_job.folder], plan.recent).values())
    for done, job in enumerate(jobs, 1):
        for name, data in sorted(made[job.folder].items()):
            if not name.startswith(_UNUSED_FILES):
                output.put(f"pagefind/{job.folder}{name}", data, job.signature)
        if progress:
            progress("writing the search index", done, len(jobs))  # a file a release: seconds of a cold build
    replaced = set() if plan.folding else {ident for shard in plan.shards for ident in shard.replaced}
    recent_memo = (recent_job.signature if recent_job else "", recent_ids)
    memo = {"version": plan.version, "shards": indexed, "recent": recent_memo}
    listing = {
        "version": settings_key(sorted(memo.items())),  # changes with any index: an open search page reloads them
        "recent": bool(recent_ids),
        "replaced": sorted(replaced - set(recent_ids)),
    }
    output.put(LISTING, json.dumps(listing, separators=(",", ":")).encode())
    return memo, True


def _job(folder: str, version: str, articles: Sequence[Article], body: Body, language: str) -> Job:
    signature = settings_key(version, folder, [(article.fingerprint, article.slug) for article in articles])
    return Job(folder, signature, articles, body, language)


def _entry(article: Article, body: Body) -> SearchEntry:
    item = context.entry(article)
    return SearchEntry(
        url=item.url,
        title=article.title,
        force=article.force.name if article.force else None,
        year=article.published.year if article.published else None,
        date_text=item.date_text,
        date=item.date_attr[:10] if item.date_attr else None,  # a time's day, as the site shows it
        moment=f"{article.published:%Y-%m-%dT%H:%MZ}" if article.precision is Precision.MINUTE else item.date_attr,
        body_html=body(article.fingerprint),
    )


def _ids(bundle: Bundles, articles: Sequence[Article]) -> dict[str, tuple[str, str]]:
    """Each release's fingerprint and Pagefind id (its fragment's name), read from the bundle."""
    by_url = {f"/{article_url(article.slug)}": article for article in articles}
    ids: dict[str, tuple[str, str]] = {}
    for name, data in bundle.items():
        if name.startswith("fragment/") and name.endswith(".pf_fragment"):
            text = gzip.decompress(data).decode()
            url = json.loads(text[text.index("{") :])["url"]
            if url in by_url:
                article = by_url[url]
                ids[article.slug] = (article.fingerprint, name.removeprefix("fragment/").removesuffix(".pf_fragment"))
    return ids


def _by_folder(files: Mapping[str, object]) -> dict[str, list[str]]:
    """The last build's index files, by their folder under `pagefind/` (`3/`, `recent/`; the
    listing of replaced results under "")."""
    folders: dict[str, list[str]] = defaultdict(list)
    for path in files:
        if path.startswith("pagefind/"):
            folders[path.split("/", 2)[1] + "/" if path != LISTING else ""].append(path)
    return folders
