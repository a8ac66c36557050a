"""Polite HTTP fetching, and replay of what was fetched, behind one interface.

:class:`LiveFetcher` is what election night uses: a per-host rate limit and concurrency cap (plain Python,
thread-safe), a User-Agent naming the project and a contact, robots.txt honoured, connect/read timeouts
and a deadline for each whole response, retries with exponential backoff and jitter on 5xx, timeouts,
resets and truncated bodies, Retry-After honoured on 429/503, a cap on body size, and conditional GET
(ETag / If-Modified-Since). Pages never follow a redirect (a 3xx is the page's answer).

robots.txt is fetched like a page (the host's rate limit, the deadline, retries with back-off, a size cap:
what lies beyond :attr:`FetchPolicy.robots_max_bytes` is ignored, RFC 9309) and follows at most
:attr:`FetchPolicy.max_redirects` redirects on its own host (one off the host, or a loop, is no robots.txt
at all). It is fetched once per run and host: every fetcher of one :attr:`FetchPolicy.run` shares it
(:class:`HostState`). A robots.txt that cannot be read (no answer in time, 5xx after every retry) is no
"no": the host's pages are *postponed* (:attr:`FetchResult.postponed`, no request made, nothing recorded),
so the next run, which reads robots.txt again, fetches them. So are a host's remaining pages once
:attr:`FetchPolicy.slow_host_limit` of its answers overran the deadline in this run.
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
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import requests

from saylau.archive import Archive, sha256_of
from saylau.config import USER_AGENT
from saylau.deadline import DeadlineExceeded, Watchdog, WatchedAdapter

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
    deadline: float = 60.0  # seconds for one whole response (connect, headers, body), however it trickles
    robots_max_bytes: int = 512_000  # robots.txt read this far, the rest ignored (RFC 9309: at least 500 KiB)
    max_redirects: int = 5  # robots.txt's redirects followed on its own host
    slow_host_limit: int = 3  # answers past the deadline on one host in a run before its pages are postponed
    run: str | None = None  # the run these fetchers serve: robots.txt and a host's state are shared by it


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
    postponed: str | None = None  # not asked this run, and why (robots.txt unreadable, host too slow)

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
        if self.ok or self.not_modified:
            return None
        if not self.attempts:
            return self.postponed and f"postponed: {self.postponed}"
        return self.last.error or f"HTTP {self.status}"

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


# --- what the fetchers of one run share per host ----------------------------------------------------------


class HostState:
    """One host in one run: its robots.txt (read once) and how many answers overran the deadline."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.robots_read = False
        self.robots: RobotFileParser | None = None  # None: no robots.txt, everything allowed
        self.robots_unreadable: str | None = None  # why robots.txt could not be read (pages postponed)
        self.overruns = 0


_RUNS: dict[str, dict[str, HostState]] = {}
_RUNS_LOCK = threading.Lock()
_RUNS_KEPT = 8  # the hosts' state of this many recent runs stays in memory


def run_hosts(run: str) -> dict[str, HostState]:
    """The hosts' state every fetcher of ``run`` in this process shares."""
    with _RUNS_LOCK:
        if run not in _RUNS:
            while len(_RUNS) >= _RUNS_KEPT:
                _RUNS.pop(next(iter(_RUNS)))
            _RUNS[run] = {}
        return _RUNS[run]


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
        self._hosts = run_hosts(self.policy.run) if self.policy.run else {}
        self._hosts_lock = _RUNS_LOCK if self.policy.run else threading.Lock()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers["User-Agent"] = self.policy.user_agent
            adapter = WatchedAdapter()
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            self._local.session = session
        return session

    def _host(self, origin: str) -> HostState:
        with self._hosts_lock:
            return self._hosts.setdefault(origin, HostState())

    # robots.txt -----------------------------------------------------------------------------------
    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets this project's User-Agent fetch the URL (read once per run and host;
        an unreadable robots.txt allows nothing now, see :meth:`postponed_because`)."""
        return self._robots_verdict(url) is None

    def _robots_verdict(self, url: str) -> str | None:
        """None when the URL may be fetched; else "disallowed" or why the host's pages wait."""
        if not self.policy.honour_robots:
            return None
        parts = urlsplit(url)
        state = self._host(f"{parts.scheme}://{parts.netloc}")
        with state.lock:  # one fetcher reads it; the others of the run wait for its answer
            if not state.robots_read:
                state.robots, state.robots_unreadable = self._load_robots(f"{parts.scheme}://{parts.netloc}")
                state.robots_read = True
            robots, unreadable = state.robots, state.robots_unreadable
        if unreadable:
            return unreadable
        if robots is not None and not robots.can_fetch(self.policy.user_agent, url):
            return "disallowed"
        return None

    def _load_robots(self, origin: str) -> tuple[RobotFileParser | None, str | None]:
        """(parser or None for "no robots.txt", why it could not be read or None)."""
        url, hops, seen = origin + "/robots.txt", 0, set()
        last = "no answer"
        attempt_no = 0
        while attempt_no <= self.policy.retries:
            seen.add(url)
            attempt, body, location = self._limited_attempt(url, None, self.policy.robots_max_bytes, True)
            status = attempt.status
            if attempt.error is None and status is not None and 300 <= status < 400 and location:
                target = urljoin(url, location)
                hops += 1
                if not on_host(origin, target) or target in seen or hops > self.policy.max_redirects:
                    return None, None  # a redirect off the host, or a loop: no robots.txt (RFC 9309 2.3.1.2)
                url = target
                continue
            if attempt.error is None and status is not None and status not in RETRY_STATUSES:
                if status >= 300:
                    return None, None  # no robots.txt (4xx, or a redirect without a target): all allowed
                parser = RobotFileParser(url)
                text = (body or b"").decode("utf-8", errors="replace")
                lines = text.splitlines()
                if len(body or b"") >= self.policy.robots_max_bytes and lines:
                    lines = lines[:-1]  # the last line was cut at the cap
                parser.parse(lines)
                return parser, None
            last = attempt.error or f"HTTP {status}"
            if attempt.error and attempt.error.startswith("deadline"):
                break  # a host that trickles is not asked again this run
            if attempt_no < self.policy.retries:
                self._sleep(self._wait_before_retry(attempt_no, attempt))
            attempt_no += 1
        return None, f"robots.txt could not be read ({last}); the host's pages wait for the next run"

    # fetching -------------------------------------------------------------------------------------
    def fetch(self, url: str, validators: Validators | None = None) -> FetchResult:
        result = FetchResult(url)
        verdict = self._robots_verdict(url)
        if verdict == "disallowed":
            result.attempts.append(
                Attempt(url, datetime.now(UTC), None, {}, None, None, 0.0, "disallowed by robots.txt", False)
            )
            return result
        parts = urlsplit(url)
        state = self._host(f"{parts.scheme}://{parts.netloc}")
        if verdict is None and state.overruns >= self.policy.slow_host_limit > 0:
            verdict = (
                f"{state.overruns} answers of the host overran the {self.policy.deadline:g} s deadline this "
                "run; its other pages wait for the next run"
            )
        if verdict is not None:
            result.postponed = verdict
            return result
        for attempt_no in range(self.policy.retries + 1):
            attempt, body, _ = self._limited_attempt(url, validators, self.policy.max_bytes)
            result.attempts.append(attempt)
            if attempt.error is None and attempt.status is not None and attempt.status not in RETRY_STATUSES:
                result.body = body if attempt.status == 200 else None
                return result
            if attempt.status is not None and 400 <= attempt.status < 500 and attempt.status != 429:
                return result  # a client error will not get better by asking again
            if attempt.error and attempt.error.startswith(("body larger", "deadline")):
                if attempt.error.startswith("deadline"):
                    with state.lock:
                        state.overruns += 1
                return result  # too big, or too slow: the next run asks again
            if attempt_no < self.policy.retries:
                self._sleep(self._wait_before_retry(attempt_no, attempt))
        return result

    def _limited_attempt(
        self, url: str, validators: Validators | None, cap: int, keep_prefix: bool = False
    ) -> tuple[Attempt, bytes | None, str | None]:
        host = urlsplit(url).netloc
        self._limiter.acquire(host)
        try:
            return self._attempt(url, validators, cap, keep_prefix)
        finally:
            self._limiter.release(host)

    def _attempt(
        self, url: str, validators: Validators | None, cap: int | None = None, keep_prefix: bool = False
    ) -> tuple[Attempt, bytes | None, str | None]:
        """One request: (the attempt, the body of a 200, the Location of a redirect). ``keep_prefix``:
        a body over ``cap`` is cut there instead of refused (robots.txt)."""
        cap = self.policy.max_bytes if cap is None else cap
        headers = {}
        if validators and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        started = datetime.now(UTC)
        t0 = time.perf_counter()
        status, kept, body, error, location = None, {}, None, None, None
        watch = Watchdog(self.policy.deadline)
        try:
            with (
                watch,
                self._session().get(
                    url,
                    headers=headers,
                    stream=True,
                    allow_redirects=False,
                    timeout=(self.policy.connect_timeout, self.policy.read_timeout),
                ) as response,
            ):
                status = response.status_code
                kept = {k: response.headers[k] for k in KEPT_HEADERS if k in response.headers}
                location = response.headers.get("location")
                if status == 200:
                    body = self._read_capped(response, cap, keep_prefix, watch)
                if watch.fired:
                    raise DeadlineExceeded()
        except BodyTooLarge:
            error = f"body larger than the cap of {cap} bytes"
        except (DeadlineExceeded, requests.RequestException) as exc:
            if watch.fired:  # whatever broke the read, it was the watchdog
                error = f"deadline: no whole answer within {self.policy.deadline:g} s"
            elif isinstance(exc, requests.Timeout):
                error = f"timeout: {type(exc).__name__}"
            elif isinstance(
                exc,
                (
                    requests.ConnectionError,
                    requests.exceptions.ChunkedEncodingError,
                    requests.exceptions.ContentDecodingError,
                ),
            ):
                error = f"connection error: {type(exc).__name__}: {str(exc)[:200]}"
            else:
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
        return attempt, body, location

    def _read_capped(
        self, response: requests.Response, cap: int, keep_prefix: bool = False, watch: Watchdog | None = None
    ) -> bytes:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > cap and not keep_prefix:
            raise BodyTooLarge()
        chunks, size = [], 0
        for chunk in response.iter_content(chunk_size=65536):
            if watch is not None and watch.fired:
                raise DeadlineExceeded()
            size += len(chunk)
            if size > cap:
                if keep_prefix:
                    chunks.append(chunk[: len(chunk) - (size - cap)])
                    return b"".join(chunks)
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


def on_host(origin: str, url: str) -> bool:
    """Whether ``url`` is on the host of ``origin``: the same name and port (http and https on their
    standard ports count as one host: a site moving its robots.txt to https stays itself)."""
    a, b = urlsplit(origin), urlsplit(url)
    if b.scheme not in ("http", "https") or a.hostname != b.hostname:
        return False
    try:
        ports = (
            a.port or (443 if a.scheme == "https" else 80),
            b.port or (443 if b.scheme == "https" else 80),
        )
    except ValueError:
        return False
    return ports[0] == ports[1] or set(ports) <= {80, 443} and not (a.port or b.port)


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
