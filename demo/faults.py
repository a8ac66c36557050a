"""Seeded, configurable fault injection for the demo site: what a real, busy CEC server does to a scraper.

Per-request faults (500, 503, 429 with Retry-After, slow answers, answers slower than any sane timeout,
reset connections, truncated bodies) are drawn from a hash of the seed, the URL and how many times that
URL has been asked for, so a run is reproducible and a retry can succeed. Per-page properties (served in
windows-1251 with or without a charset header; a changed table layout) are drawn from the seed and the
URL alone, so a page keeps them. ``robots.txt`` disallows the configured paths; ETag and Last-Modified are
always sent and answered with 304 when they match.
"""

from __future__ import annotations

import hashlib
import threading
from collections import defaultdict
from dataclasses import dataclass, field

REQUEST_FAULTS: tuple[str, ...] = (
    "error_500",
    "error_503",
    "rate_limit",
    "slow",
    "timeout",
    "reset",
    "truncate",
)


@dataclass(frozen=True)
class FaultConfig:
    """Rates (0..1) of each fault. The default injects nothing; :meth:`realistic` is a busy election night."""

    seed: int = 0
    error_500: float = 0.0
    error_503: float = 0.0
    rate_limit: float = 0.0
    slow: float = 0.0
    timeout: float = 0.0
    reset: float = 0.0
    truncate: float = 0.0
    slow_seconds: float = 1.5
    timeout_seconds: float = 20.0
    retry_after_seconds: int = 2
    cp1251: float = 0.0  # share of Russian and English pages served in windows-1251
    cp1251_without_charset: float = 0.5  # of those, share whose Content-Type names no charset
    changed_layout: float = 0.0  # share of pages whose tables have reordered / renamed columns
    robots_disallow: tuple[str, ...] = ("/rus/search/", "/kaz/search/", "/eng/search/", "/bitrix/")
    # a request beyond the first ``faults_after`` to a URL may fault; 0 = from the first one
    faults_after: int = 0
    max_faults_per_url: int = 3  # after this many faults a URL is served cleanly (retries always end)

    @classmethod
    def realistic(cls, seed: int = 0) -> FaultConfig:
        """Every fault at a rate a polite scraper with retries must survive."""
        return cls(
            seed=seed,
            error_500=0.02,
            error_503=0.03,
            rate_limit=0.03,
            slow=0.03,
            timeout=0.005,
            reset=0.01,
            truncate=0.01,
            cp1251=0.3,
            changed_layout=0.3,
        )

    @classmethod
    def named(cls, name: str, seed: int = 0) -> FaultConfig:
        """A preset by name: ``none`` or ``realistic``."""
        if name == "none":
            return cls(seed=seed)
        if name == "realistic":
            return cls.realistic(seed)
        raise ValueError(f"unknown fault preset {name!r} (none, realistic)")


def unit(*parts: object) -> float:
    """A deterministic number in [0, 1) from the parts (sha256, independent of PYTHONHASHSEED)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


@dataclass
class FaultInjector:
    """Decides, per request, which fault (if any) to inject; counts requests per URL."""

    config: FaultConfig = field(default_factory=FaultConfig)
    _seen: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    _faulted: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    injected: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def request_fault(self, url: str) -> str | None:
        """The fault to inject into this request for ``url`` (path and query), or None."""
        c = self.config
        with self._lock:
            n = self._seen[url]
            self._seen[url] = n + 1
            if n < c.faults_after or self._faulted[url] >= c.max_faults_per_url:
                return None
            u = unit(c.seed, "request", url, n)
            edge = 0.0
            for kind in REQUEST_FAULTS:
                edge += getattr(c, kind)
                if u < edge:
                    self._faulted[url] += 1
                    self.injected[kind] += 1
                    return kind
        return None

    def page_encoding(self, url: str, lang: str) -> tuple[str, bool]:
        """(encoding, charset named in Content-Type) of a page; Kazakh pages are always UTF-8."""
        c = self.config
        if lang == "kaz" or unit(c.seed, "cp1251", url) >= c.cp1251:
            return "utf-8", True
        return "windows-1251", unit(c.seed, "charset", url) >= c.cp1251_without_charset

    def layout_variant(self, url: str) -> int:
        """0 = the usual table layout; 1 or 2 = a changed one (columns renamed and reordered)."""
        c = self.config
        if unit(c.seed, "layout", url) >= c.changed_layout:
            return 0
        return 1 + int(unit(c.seed, "layout-kind", url) * 2)

    def robots_txt(self) -> str:
        lines = ["User-agent: *", *(f"Disallow: {p}" for p in self.config.robots_disallow), ""]
        return "\n".join(lines)
