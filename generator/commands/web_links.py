"""Whether the site's external links still answer (`check --links --external`).

Each URL is asked once however many pages link to it, the URLs of one host by at most
`per_host` workers of a small pool, so a press room with a thousand releases sees two requests
at a time while the other hosts are asked beside it. A redirect that ends well is fine, but a
permanent one (301, 308) is a warning naming where the page went; a server that refuses a
checker (401, 403, 429) is a warning, since it says nothing of whether the page is there.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from generator.commands.fetching import Answer, Fetcher, FetchError
from generator.commands.link_cache import LinkCache, Verdict
from generator.errors import OptionError

WORKERS = 8
# Answers that say the server will not talk to a checker, not that the page is gone.
_REFUSED = frozenset({401, 403, 429, 999})
_AGE = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def verdict(url: str, answer: Answer, now: datetime) -> Verdict:
    """What an answer means for a link."""
    if answer.ok:
        if answer.moved:
            return Verdict(url, "warning", f"moved to {answer.moved}", now)
        return Verdict(url, "ok", answer.status_line, now)
    wait = f", asking us to wait {answer.retry_after:g} s" if answer.retry_after else ""
    if answer.status in _REFUSED:
        refused = f"not checked: the server refused ({answer.status_line}{wait})"
        return Verdict(url, "warning", refused, now, answered=False)
    return Verdict(url, "error", answer.status_line + wait, now)


def check_urls(urls: Iterable[str], fetcher: Fetcher, cache: LinkCache) -> tuple[dict[str, Verdict], int]:
    """Every URL's verdict, and how many came from the cache; the new ones are kept in `cache`."""
    now = datetime.now(UTC)
    found: dict[str, Verdict] = {}
    hosts: dict[str, deque[str]] = {}
    for url in dict.fromkeys(urls):
        if cached := cache.fresh(url, now):
            found[url] = cached
        else:
            hosts.setdefault(urlsplit(url).netloc.lower(), deque()).append(url)
    from_cache = len(found)
    asked = [url for queue in hosts.values() for url in queue]
    stop = threading.Event()

    def drain(queue: deque[str]) -> None:
        while not stop.is_set():
            try:
                url = queue.popleft()  # atomic: the host's workers share its queue
            except IndexError:
                return
            found[url] = _ask(fetcher, url)

    pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="links")
    try:
        jobs = [
            pool.submit(drain, queue)
            for queue in hosts.values()
            for _ in range(min(fetcher.politeness.per_host, len(queue)))
        ]
        for job in jobs:
            job.result()
    finally:
        stop.set()  # Ctrl-C: the workers finish the request they are in, and take no other
        pool.shutdown(cancel_futures=True)
    cache.keep([found[url] for url in asked if url in found])
    return found, from_cache


def parse_age(text: str) -> timedelta:
    """`7d`, `12h`, `30m`, `90s` or seconds (`0`: check every link again)."""
    match = _AGE.fullmatch(text.strip().lower())
    if not match:
        raise OptionError("--max-age", f"{text!r} is not an age: give 7d, 12h, 30m, 90s or 0")
    return timedelta(seconds=float(match[1]) * _UNITS[match[2]])


def _ask(fetcher: Fetcher, url: str) -> Verdict:
    try:
        return verdict(url, fetcher.probe(url), datetime.now(UTC))
    except FetchError as error:
        return Verdict(url, "error", str(error), datetime.now(UTC))
