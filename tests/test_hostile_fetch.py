"""A misbehaving site on loopback (issue 22 item 1, issue 17 item 3): answers that trickle, robots.txt that
trickles, redirects off the host or in a loop, is huge or cannot be read. Every fetch ends at its
deadline, robots.txt has a page's safeguards and is read once per run and host."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from saylau.fetch import FetchPolicy, LiveFetcher
from saylau.scrape import fetch_batch

Answer = Callable[[BaseHTTPRequestHandler], None]


class Site:
    """A loopback server answering each path with a function of the handler; counts requests per path."""

    def __init__(self) -> None:
        self.routes: dict[str, Answer] = {}
        self.hits: dict[str, list[float]] = {}
        self.sent = 0
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802
                with outer.lock:
                    outer.hits.setdefault(self.path, []).append(time.monotonic())
                answer = outer.routes.get(self.path) or outer.routes.get("*") or status(404)
                try:
                    answer(self)
                except OSError:
                    self.close_connection = True

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def count(self, path: str) -> int:
        return len(self.hits.get(path, []))

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def status(code: int, headers: dict | None = None) -> Answer:
    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(code)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return answer


def body(data: bytes) -> Answer:
    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    return answer


def trickle_body(every: float = 0.25, length: int = 1000) -> Answer:
    """Headers at once, then one byte of the body every ``every`` seconds."""

    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", str(length))
        h.end_headers()
        h.wfile.flush()
        for _ in range(length):
            h.wfile.write(b"x")
            h.wfile.flush()
            time.sleep(every)

    return answer


def trickle_headers(every: float = 0.25) -> Answer:
    """The status line and headers one byte at a time: no first byte of a body ever comes."""

    def answer(h: BaseHTTPRequestHandler) -> None:
        for byte in b"HTTP/1.1 200 OK\r\nX-Padding: " + b"a" * 10_000:
            h.connection.sendall(bytes([byte]))
            time.sleep(every)

    return answer


def endless_robots(site: Site) -> Answer:
    """A robots.txt that never ends (chunked): its first rule, then comment lines for ever."""

    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        chunks = [b"User-agent: *\nDisallow: /private/\n"] + [b"# " + b"x" * 65_000 + b"\n"] * 5_000
        for chunk in chunks:  # 325 MB, if nobody stopped reading
            h.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            site.sent += len(chunk)
        h.wfile.write(b"0\r\n\r\n")

    return answer


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    s.routes["/robots.txt"] = body(b"User-agent: *\nDisallow: /private/\n")
    yield s
    s.stop()


@pytest.fixture
def other() -> Iterator[Site]:
    s = Site()
    s.routes["*"] = body(b"User-agent: *\nDisallow:\n")
    yield s
    s.stop()


def policy(**kw) -> FetchPolicy:
    base = dict(
        requests_per_second=0,
        max_concurrency=4,
        connect_timeout=2,
        read_timeout=2,
        deadline=1.5,
        retries=2,
        backoff_base=0.01,
        backoff_max=0.05,
    )
    return FetchPolicy(**{**base, **kw})


@pytest.mark.parametrize("answer", [trickle_body(), trickle_headers()], ids=["body", "headers"])
def test_an_answer_that_trickles_fails_at_its_deadline_and_is_not_retried_this_run(site, answer):
    site.routes["/slow"] = answer
    t0 = time.monotonic()
    result = LiveFetcher(policy()).fetch(site.base + "/slow")
    took = time.monotonic() - t0
    assert not result.ok and result.body is None and len(result.attempts) == 1
    assert result.error == "deadline: no whole answer within 1.5 s"
    assert took < 10, took  # the deadline and not the trickle's end (250 s or 2,500 s away)


def test_a_trickling_page_does_not_hold_up_the_others(site):
    site.routes["/slow"] = trickle_body()
    for n in range(20):
        site.routes[f"/p{n}"] = body(f"page {n}".encode())
    urls = [site.base + "/slow"] + [f"{site.base}/p{n}" for n in range(20)]
    t0 = time.monotonic()
    results = fetch_batch(LiveFetcher(policy()), urls, {}, workers=2)
    assert time.monotonic() - t0 < 15
    assert [r.ok for r in results] == [False] + [True] * 20
    assert results[0].error.startswith("deadline")


def test_a_host_whose_answers_keep_overrunning_is_postponed_to_the_next_run(site):
    site.routes["*"] = trickle_body()
    urls = [f"{site.base}/p{n}" for n in range(8)]
    t0 = time.monotonic()
    results = fetch_batch(LiveFetcher(policy(slow_host_limit=2, run="run-slow")), urls, {}, workers=1)
    assert time.monotonic() - t0 < 15  # two deadlines, not eight
    assert [r.error.split(":")[0] for r in results] == ["deadline"] * 2 + ["postponed"] * 6
    assert all(not r.attempts for r in results[2:]) and "overran the 1.5 s deadline" in results[2].postponed
    # the next run asks again
    again = LiveFetcher(policy(slow_host_limit=2, run="run-slow-2")).fetch(urls[5])
    assert again.attempts and again.error.startswith("deadline")


def test_robots_that_trickle_postpone_the_hosts_pages(site):
    site.routes["/robots.txt"] = trickle_body()
    site.routes["/a"] = body(b"a")
    t0 = time.monotonic()
    fetcher = LiveFetcher(policy())
    first, second = fetcher.fetch(site.base + "/a"), fetcher.fetch(site.base + "/a")
    assert time.monotonic() - t0 < 10
    for result in (first, second):
        assert not result.ok and result.attempts == [] and result.error.startswith("postponed: robots.txt")
    assert site.count("/robots.txt") == 1 and site.count("/a") == 0  # one deadline, no retries, no page


def test_robots_that_cannot_be_read_are_retried_with_backoff_then_postpone_not_fail(site):
    site.routes["/robots.txt"] = status(503)
    site.routes["/a"] = body(b"a")
    waits: list[float] = []
    fetcher = LiveFetcher(
        policy(retries=3, backoff_base=0.2, backoff_max=10, run="run-503"), sleep=waits.append
    )
    result = fetcher.fetch(site.base + "/a")
    assert site.count("/robots.txt") == 4 and site.count("/a") == 0
    assert len(waits) == 3 and waits[0] < waits[2]  # growing back-off, as for pages
    assert result.postponed and "HTTP 503" in result.postponed and not result.attempts
    # re-checked by the next run: readable now, the page is fetched
    site.routes["/robots.txt"] = body(b"User-agent: *\nDisallow:\n")
    assert LiveFetcher(policy(run="run-503-next")).fetch(site.base + "/a").ok


def test_robots_are_read_once_per_run_and_host_by_every_fetcher(site):
    site.routes["/a"] = body(b"a")
    fetchers = [LiveFetcher(policy(run="run-shared")) for _ in range(5)]
    threads = [threading.Thread(target=f.fetch, args=(site.base + "/a",)) for f in fetchers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert site.count("/robots.txt") == 1 and site.count("/a") == 5
    LiveFetcher(policy(run="run-next")).fetch(site.base + "/a")
    assert site.count("/robots.txt") == 2


def test_robots_redirected_off_the_host_is_not_followed(site, other):
    site.routes["/robots.txt"] = status(302, {"Location": f"{other.base}/robots.txt"})
    site.routes["/private/x"] = body(b"x")
    result = LiveFetcher(policy()).fetch(site.base + "/private/x")
    assert other.hits == {}
    assert result.ok  # no robots.txt of its own: everything allowed (RFC 9309)


def test_robots_redirected_on_the_host_is_followed(site):
    site.routes["/robots.txt"] = status(301, {"Location": "/real-robots.txt"})
    site.routes["/real-robots.txt"] = body(b"User-agent: *\nDisallow: /private/\n")
    result = LiveFetcher(policy()).fetch(site.base + "/private/x")
    assert result.error == "disallowed by robots.txt" and site.count("/real-robots.txt") == 1


def test_a_robots_redirect_loop_is_bounded_and_rate_limited(site):
    site.routes["/robots.txt"] = status(302, {"Location": "/r1"})
    site.routes["/r1"] = status(302, {"Location": "/r2"})
    site.routes["/r2"] = status(302, {"Location": "/r1?again"})
    site.routes["/r1?again"] = status(302, {"Location": "/robots.txt"})
    site.routes["/a"] = body(b"a")
    result = LiveFetcher(policy(requests_per_second=10, run="run-loop")).fetch(site.base + "/a")
    assert result.ok
    robots_hits = sorted(t for path, ts in site.hits.items() if path != "/a" for t in ts)
    assert len(robots_hits) <= 6
    gaps = [b - a for a, b in zip(robots_hits, robots_hits[1:], strict=False)]
    assert all(g >= 0.09 for g in gaps), gaps  # the host's 10 requests/s, robots.txt included


def test_a_huge_robots_txt_is_read_up_to_its_cap(site):
    site.routes["/robots.txt"] = endless_robots(site)
    site.routes["/a"] = body(b"a")
    fetcher = LiveFetcher(policy(deadline=10))
    t0 = time.monotonic()
    assert fetcher.fetch(site.base + "/private/x").error == "disallowed by robots.txt"
    assert fetcher.fetch(site.base + "/a").ok
    assert time.monotonic() - t0 < 10
    assert site.sent < 20_000_000  # reading stopped near the cap, not at the end of the stream
    assert site.count("/robots.txt") == 1


def test_the_deadline_also_bounds_a_connection_that_answers_nothing(site):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # accepts connections (the kernel does), never reads or answers
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/a"
        t0 = time.monotonic()
        result = LiveFetcher(policy(read_timeout=30, honour_robots=False)).fetch(url)
        assert time.monotonic() - t0 < 10
        assert result.error.startswith("deadline")
    finally:
        listener.close()
