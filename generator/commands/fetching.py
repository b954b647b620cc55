"""The one polite HTTP client that `check --links --external` and `import URL` share.

Press rooms are small sites run by police forces: the generator must never be the reason one
slows down or blocks us. So every request names the tool in its User-Agent, waits its turn at
its host (at most `per_host` at a time, `delay` seconds apart), gives up after `timeout`, reads
no more of a body than it was asked for, and follows redirects itself, one hop at a time: each
hop waits its own host's turn, and a redirect to anything but http or https is refused.
Built on httpx: typed, thread-safe, with timeouts per connect and read and streamed bodies.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from generator import __version__

_PERMANENT = frozenset({301, 308})
_RETRY_LATER = frozenset({429, 503})  # "ask again later": asked again once, if later is soon
_SCHEMES = ("http", "https")


@dataclass(frozen=True)
class Politeness:
    """How hard the client may press a host."""

    timeout: float = 10.0  # seconds to connect, and between bytes read
    per_host: int = 2  # requests in flight at one host
    delay: float = 0.0  # seconds between the starts of two requests to one host
    max_redirects: int = 10
    max_retry_after: float = 30.0  # a 429 or 503 asking to wait longer than this is reported, not awaited


@dataclass(frozen=True)
class Answer:
    """What a URL answered, after its redirects."""

    url: str  # the final URL
    status: int
    reason: str
    moved: str | None = None  # where a permanent redirect (301, 308) on the way led
    content_type: str = ""
    body: bytes = b""
    retry_after: float | None = None  # the seconds a 429 or 503 asked us to wait (None: it named none)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def status_line(self) -> str:
        return f"{self.status} {self.reason}".strip()


class FetchError(Exception):
    """A URL that gave no answer, or one we refuse; the message says why, for the user."""


def user_agent(contact: str | None = None) -> str:
    """`county-lines-archive/0.3.0 (+https://archive.example/)`: the tool, its version, and where
    the site that runs it is published, so a press room can see who asks and why."""
    local = urlsplit(contact or "").hostname in (None, "127.0.0.1", "localhost")  # the preview's: no contact
    where = "" if local else f"; +{contact}"
    return f"county-lines-archive/{__version__} (press release archive{where})"


@dataclass
class _Host:
    slots: threading.Semaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_start: float = 0.0


class Fetcher:
    """A shared httpx client with a turn at each host; use as a context manager."""

    def __init__(self, politeness: Politeness = Politeness(), contact: str | None = None) -> None:
        self.politeness = politeness
        self._client = httpx.Client(
            headers={"User-Agent": user_agent(contact)}, timeout=politeness.timeout, follow_redirects=False
        )
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._client.close()

    def probe(self, url: str) -> Answer:
        """Whether `url` is there: HEAD, then GET (no body read) when the HEAD answer is not a
        success or the HEAD request failed (servers that refuse HEAD answer 405, 403, 404, or
        drop the connection); a timeout or a host that cannot be reached is not tried again."""
        try:
            answer = self._follow("HEAD", url, 0)
        except FetchError as error:
            if isinstance(error.__cause__, (httpx.TimeoutException, httpx.ConnectError)):
                raise
            return self._follow("GET", url, 0)
        return answer if answer.ok or answer.status in _RETRY_LATER else self._follow("GET", url, 0)

    def get(self, url: str, max_bytes: int) -> Answer:
        """The page at `url` with its body; a failure status, or a body over `max_bytes`, is a `FetchError`."""
        answer = self._follow("GET", url, max_bytes)
        if not answer.ok:
            raise FetchError(f"status {answer.status_line}")
        return answer

    def _follow(self, method: str, url: str, max_bytes: int) -> Answer:
        """The answer at the end of `url`'s redirects; a 429 or 503 that asks to wait a little is waited for, once."""
        permanent = False
        retried = False
        for _ in range(self.politeness.max_redirects + 1):
            parts = urlsplit(url)
            if parts.scheme.lower() not in _SCHEMES or not parts.hostname:
                raise FetchError(f"not an http(s) URL: {url!r}")
            answer, location = self._once(method, url, max_bytes)
            wait = answer.retry_after
            if wait is not None and wait <= self.politeness.max_retry_after and not retried:
                retried = True
                time.sleep(wait)
                answer, location = self._once(method, url, max_bytes)
            if location is None:
                return dataclasses.replace(answer, moved=answer.url if permanent else None)
            target = urljoin(url, location)
            if urlsplit(target).scheme.lower() not in _SCHEMES:
                raise FetchError(f"redirected to {target!r}: only http and https redirects are followed")
            permanent = permanent or answer.status in _PERMANENT
            url = target
        raise FetchError(f"more than {self.politeness.max_redirects} redirects")

    def _once(self, method: str, url: str, max_bytes: int) -> tuple[Answer, str | None]:
        """One request, in its host's turn: the answer, and where it redirects (None if it does not)."""
        request = self._client.build_request(method, url)
        try:
            with self._turn(urlsplit(url).netloc.lower()):
                response = self._client.send(request, stream=True)
                try:
                    location = response.headers.get("location") if response.is_redirect else None
                    body = self._read(response, max_bytes) if max_bytes and response.is_success else b""
                finally:
                    response.close()
        except httpx.HTTPError as error:
            raise FetchError(why(error, self.politeness.timeout)) from error
        answer = Answer(
            url=url,
            status=response.status_code,
            reason=response.reason_phrase,
            content_type=response.headers.get("content-type", ""),
            body=body,
            retry_after=_retry_after(response) if response.status_code in _RETRY_LATER else None,
        )
        return answer, location

    def _read(self, response: httpx.Response, max_bytes: int) -> bytes:
        """At most `max_bytes` of the body, within twice the timeout in all: a server that drips
        a byte at a time never trips the timeout between bytes."""
        deadline = time.monotonic() + 2 * self.politeness.timeout
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                limit = f"{max_bytes // 2**20} MB" if max_bytes >= 2**20 else f"{max_bytes} bytes"
                raise FetchError(f"over {limit}: too large for a press release page")
            if time.monotonic() > deadline:
                raise FetchError(f"timed out after {2 * self.politeness.timeout:g} s reading the page")
            chunks.append(chunk)
        return b"".join(chunks)

    @contextmanager
    def _turn(self, host: str) -> Iterator[None]:
        """Hold one of the host's slots, starting no sooner than `delay` after its last request started."""
        with self._lock:
            gate = self._hosts.setdefault(host, _Host(threading.Semaphore(self.politeness.per_host)))
        with gate.slots:
            with gate.lock:
                now = time.monotonic()
                start = max(now, gate.next_start)
                gate.next_start = start + self.politeness.delay
            time.sleep(start - now)
            yield


def why(error: httpx.HTTPError, timeout: float) -> str:
    """What went wrong, in words: `timed out after 10 s`, `connection reset`, `no such host`."""
    text = str(error)
    if isinstance(error, httpx.TimeoutException):
        return f"timed out after {timeout:g} s"
    if "reset" in text.lower():
        return "connection reset"
    if isinstance(error, httpx.ConnectError):
        if "name or service not known" in text.lower() or "nodename nor servname" in text or "getaddrinfo" in text:
            return "no such host (DNS lookup failed)"
        if "refused" in text.lower():
            return "connection refused"
        return f"cannot connect: {text}"
    if isinstance(error, httpx.RemoteProtocolError):
        return f"the server broke off: {text}"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _retry_after(response: httpx.Response) -> float | None:
    """A `Retry-After` in seconds (an HTTP date is read as no answer: press rooms send seconds);
    0 for a 429 or 503 that gives none, so it is asked again once."""
    value = response.headers.get("retry-after", "0").strip()
    return float(value) if value.isdigit() else None
