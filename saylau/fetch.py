"""Polite HTTP fetching, and replay of what was fetched, behind one interface.

:class:`LiveFetcher` is what election night uses: a per-host rate limit and concurrency cap (plain Python,
thread-safe), a User-Agent naming the project and a contact, robots.txt honoured, connect/read timeouts,
retries with exponential backoff and jitter on 5xx, timeouts, resets and truncated bodies, Retry-After
honoured on 429/503, a cap on body size, and conditional GET (ETag / If-Modified-Since).
:class:`ReplayFetcher` answers the same calls from the archive, with no network at all.

Every attempt is kept in :attr:`FetchResult.attempts`, so ``raw.fetches`` can record each one.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import requests

from saylau.archive import Archive, sha256_of
from saylau.config import USER_AGENT

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
KEPT_HEADERS = ("etag", "last-modified", "content-type", "content-length", "retry-after", "date")


@dataclass(frozen=True)
class FetchPolicy:
    """How politely to fetch. Defaults are for the real CEC: 2 requests/s per host, 2 at a time."""

    requests_per_second: float = 2.0  # per host; 0 or less = unlimited
    max_concurrency: int = 2  # per host
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    retries: int = 4  # further attempts after the first
    backoff_base: float = 0.5  # seconds; doubled per attempt, with jitter
    backoff_max: float = 30.0
    retry_after_max: float = 120.0  # never wait longer than this on a Retry-After
    max_bytes: int = 5_000_000
    user_agent: str = USER_AGENT
    honour_robots: bool = True


@dataclass(frozen=True)
class Validators:
    """What we know of a page already fetched, for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass
class Attempt:
    """One HTTP attempt: what ``raw.fetches`` records per row."""

    url: str
    requested_at: datetime
    status: int | None
    headers: dict[str, str]
    sha256: str | None
    nbytes: int | None
    elapsed_s: float
    error: str | None
    conditional: bool


@dataclass
class FetchResult:
    """The outcome of fetching one URL (after retries)."""

    url: str
    attempts: list[Attempt] = field(default_factory=list)
    body: bytes | None = None

    @property
    def last(self) -> Attempt:
        return self.attempts[-1]

    @property
    def status(self) -> int | None:
        return self.last.status if self.attempts else None

    @property
    def ok(self) -> bool:
        """A page came back whole (its sha256 is known), whether or not the body is still held here: flows
        keep bodies in the archive, not in task results."""
        return self.status == 200 and bool(self.attempts) and self.last.sha256 is not None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def error(self) -> str | None:
        return None if self.ok or self.not_modified else (self.last.error or f"HTTP {self.status}")

    @property
    def sha256(self) -> str | None:
        return self.last.sha256 if self.ok else None


class Fetcher(Protocol):
    def fetch(self, url: str, validators: Validators | None = None) -> FetchResult: ...


class HostLimiter:
    """Per-host spacing of request starts and a cap on requests in flight (thread-safe)."""

    def __init__(
        self, requests_per_second: float, max_concurrency: int, clock: Callable[[], float] = time.monotonic
    ):
        self._interval = 1.0 / requests_per_second if requests_per_second > 0 else 0.0
        self._max = max(1, max_concurrency)
        self._clock = clock
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}
        self._slots: dict[str, threading.BoundedSemaphore] = {}

    def _slot(self, host: str) -> threading.BoundedSemaphore:
        with self._lock:
            return self._slots.setdefault(host, threading.BoundedSemaphore(self._max))

    def acquire(self, host: str) -> None:
        self._slot(host).acquire()
        with self._lock:
            now = self._clock()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + self._interval
        if start > now:
            time.sleep(start - now)

    def release(self, host: str) -> None:
        self._slot(host).release()


_SHARED: dict[tuple[float, int], HostLimiter] = {}
_SHARED_LOCK = threading.Lock()


def shared_limiter(requests_per_second: float, max_concurrency: int) -> HostLimiter:
    """This process's limiter for these settings. A run makes a fetcher per task (discovery, each batch)
    and runs the tasks side by side: they must share one per-host budget, or the host would see the rate
    and the concurrency cap times the number of tasks."""
    with _SHARED_LOCK:
        key = (float(requests_per_second), int(max_concurrency))
        if key not in _SHARED:
            _SHARED[key] = HostLimiter(requests_per_second, max_concurrency)
        return _SHARED[key]


class BodyTooLarge(Exception):
    pass


class LiveFetcher:
    """Fetches over HTTP with the politeness of a :class:`FetchPolicy`."""

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        rng: random.Random | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.policy = policy or FetchPolicy()
        self._limiter = shared_limiter(self.policy.requests_per_second, self.policy.max_concurrency)
        self._local = threading.local()
        self._rng = rng or random.Random()
        self._sleep = sleep
        self._robots: dict[str, RobotFileParser | None] = {}
        self._robots_lock = threading.Lock()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers["User-Agent"] = self.policy.user_agent
            self._local.session = session
        return session

    # robots.txt -----------------------------------------------------------------------------------
    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets this project's User-Agent fetch the URL (fetched once per host)."""
        if not self.policy.honour_robots:
            return True
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            if origin not in self._robots:
                self._robots[origin] = self._load_robots(origin)
            robots = self._robots[origin]
        return True if robots is None else robots.can_fetch(self.policy.user_agent, url)

    def _load_robots(self, origin: str) -> RobotFileParser | None:
        parser = RobotFileParser(origin + "/robots.txt")
        for _ in range(self.policy.retries + 1):
            try:
                response = self._session().get(
                    origin + "/robots.txt", timeout=(self.policy.connect_timeout, self.policy.read_timeout)
                )
            except requests.RequestException:
                continue
            if response.status_code in RETRY_STATUSES:
                continue
            if response.status_code >= 400:
                return None  # no robots.txt: everything allowed
            parser.parse(response.text.splitlines())
            return parser
        # robots.txt never answered: be conservative and fetch nothing from the host
        parser.disallow_all = True
        return parser

    # fetching -------------------------------------------------------------------------------------
    def fetch(self, url: str, validators: Validators | None = None) -> FetchResult:
        result = FetchResult(url)
        if not self.allowed(url):
            result.attempts.append(
                Attempt(url, datetime.now(UTC), None, {}, None, None, 0.0, "disallowed by robots.txt", False)
            )
            return result
        host = urlsplit(url).netloc
        for attempt_no in range(self.policy.retries + 1):
            self._limiter.acquire(host)
            try:
                attempt, body = self._attempt(url, validators)
            finally:
                self._limiter.release(host)
            result.attempts.append(attempt)
            if attempt.error is None and attempt.status is not None and attempt.status not in RETRY_STATUSES:
                result.body = body if attempt.status == 200 else None
                return result
            if attempt.status is not None and 400 <= attempt.status < 500 and attempt.status != 429:
                return result  # a client error will not get better by asking again
            if attempt.error and attempt.error.startswith("body larger"):
                return result
            if attempt_no < self.policy.retries:
                self._sleep(self._wait_before_retry(attempt_no, attempt))
        return result

    def _attempt(self, url: str, validators: Validators | None) -> tuple[Attempt, bytes | None]:
        headers = {}
        if validators and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        started = datetime.now(UTC)
        t0 = time.perf_counter()
        status, kept, body, error = None, {}, None, None
        try:
            with self._session().get(
                url,
                headers=headers,
                stream=True,
                allow_redirects=False,
                timeout=(self.policy.connect_timeout, self.policy.read_timeout),
            ) as response:
                status = response.status_code
                kept = {k: response.headers[k] for k in KEPT_HEADERS if k in response.headers}
                if status == 200:
                    body = self._read_capped(response)
        except BodyTooLarge:
            error = f"body larger than the cap of {self.policy.max_bytes} bytes"
        except requests.Timeout as exc:
            error = f"timeout: {type(exc).__name__}"
        except (
            requests.ConnectionError,
            requests.exceptions.ChunkedEncodingError,
            requests.exceptions.ContentDecodingError,
        ) as exc:
            error = f"connection error: {type(exc).__name__}: {str(exc)[:200]}"
        except requests.RequestException as exc:
            error = f"request failed: {type(exc).__name__}: {str(exc)[:200]}"
        elapsed = time.perf_counter() - t0
        if error:
            body = None
        digest = sha256_of(body) if body is not None else None
        attempt = Attempt(
            url,
            started,
            status,
            kept,
            digest,
            len(body) if body is not None else None,
            elapsed,
            error,
            bool(headers),
        )
        return attempt, body

    def _read_capped(self, response: requests.Response) -> bytes:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.policy.max_bytes:
            raise BodyTooLarge()
        chunks, size = [], 0
        for chunk in response.iter_content(chunk_size=65536):
            size += len(chunk)
            if size > self.policy.max_bytes:
                raise BodyTooLarge()
            chunks.append(chunk)
        body = b"".join(chunks)
        if (
            declared
            and declared.isdigit()
            and int(declared) != len(body)
            and "content-encoding" not in {k.lower() for k in response.headers}
        ):
            raise requests.exceptions.ChunkedEncodingError(
                f"truncated body: {len(body)} of {declared} declared bytes"
            )
        return body

    def _wait_before_retry(self, attempt_no: int, attempt: Attempt) -> float:
        if attempt.status in (429, 503):
            retry_after = parse_retry_after(attempt.headers.get("retry-after"))
            if retry_after is not None:
                return min(retry_after, self.policy.retry_after_max)
        backoff = min(self.policy.backoff_max, self.policy.backoff_base * 2**attempt_no)
        return backoff * (0.5 + self._rng.random())  # jitter: 50%..150%


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


class ReplayFetcher:
    """Answers fetches from the archive: the body last fetched for each URL, with no network."""

    def __init__(self, archive: Archive, latest_sha_by_url: Mapping[str, str]) -> None:
        self.archive = archive
        self.latest = dict(latest_sha_by_url)

    def fetch(self, url: str, validators: Validators | None = None) -> FetchResult:
        result = FetchResult(url)
        sha = self.latest.get(url)
        now = datetime.now(UTC)
        if sha is None:
            result.attempts.append(Attempt(url, now, None, {}, None, None, 0.0, "not in the archive", False))
            return result
        body = self.archive.get(sha)
        result.attempts.append(Attempt(url, now, 200, {}, sha, len(body), 0.0, None, False))
        result.body = body
        return result
