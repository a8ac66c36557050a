"""The polite fetcher against a scripted server on loopback (no other network)."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from saylau.archive import Archive
from saylau.fetch import FetchPolicy, LiveFetcher, ReplayFetcher, Validators, parse_retry_after


class Script:
    """What the server answers per path: a list of behaviours, one per request (the last one repeats)."""

    def __init__(self):
        self.routes: dict[str, list] = {}
        self.hits: dict[str, int] = {}
        self.log: list[tuple[str, float, dict]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()

    def next(self, path):
        with self.lock:
            n = self.hits.get(path, 0)
            self.hits[path] = n + 1
        steps = self.routes.get(path, [("status", 404)])
        return steps[min(n, len(steps) - 1)]


@pytest.fixture
def server():
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            with script.lock:
                script.log.append((self.path, time.monotonic(), dict(self.headers)))
            self._answer(script.next(self.path))

        def _answer(self, step):
            kind = step[0]
            if kind == "reset":
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)  # drop the connection without an answer
                return
            if kind == "sleep":
                # counted in flight only while it waits: the answer is written after, so a client cannot
                # have its slot back (and send the next request) while this one still counts
                with script.lock:
                    script.in_flight += 1
                    script.max_in_flight = max(script.max_in_flight, script.in_flight)
                time.sleep(step[1])
                with script.lock:
                    script.in_flight -= 1
                step = step[2]
                kind = step[0]
            if kind == "status":
                headers = step[2] if len(step) > 2 else {}
                body = b"error"
                self.send_response(step[1])
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            if kind == "body":
                body, headers = step[1], (step[2] if len(step) > 2 else {})
                if "ETag" in headers and self.headers.get("If-None-Match") == headers["ETag"]:
                    self.send_response(304)
                    self.send_header("ETag", headers["ETag"])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            if kind == "truncated":
                body = step[1]
                self.send_response(200)
                self.send_header("Content-Length", str(len(body) + 100))
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            raise AssertionError(step)

    class Server(ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass  # clients that time out or drop on purpose make the handler's writes fail; that is the test

    httpd = Server(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    script.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    script.routes["/robots.txt"] = [("body", b"User-agent: *\nDisallow: /private/\n")]
    yield script
    httpd.shutdown()
    httpd.server_close()


def fast_policy(**kw):
    base = dict(
        requests_per_second=0,
        max_concurrency=4,
        connect_timeout=2,
        read_timeout=2,
        retries=3,
        backoff_base=0.01,
        backoff_max=0.05,
    )
    return FetchPolicy(**{**base, **kw})


def test_plain_fetch_names_the_project(server):
    server.routes["/a"] = [("body", "Явка".encode())]
    result = LiveFetcher(fast_policy()).fetch(server.base + "/a")
    assert result.ok and result.body == "Явка".encode() and len(result.sha256) == 64
    ua = next(h for p, _, h in server.log if p == "/a")["User-Agent"]
    assert "saylau" in ua and "contact" in ua


def test_robots_disallowed_path_is_never_requested(server):
    server.routes["/private/x"] = [("body", b"secret")]
    result = LiveFetcher(fast_policy()).fetch(server.base + "/private/x")
    assert not result.ok and result.error == "disallowed by robots.txt"
    assert "/private/x" not in server.hits


def test_5xx_are_retried_with_growing_jittered_backoff(server):
    server.routes["/flaky"] = [("status", 500), ("status", 502), ("body", b"ok")]
    waits = []
    fetcher = LiveFetcher(fast_policy(backoff_base=1.0, backoff_max=100), sleep=waits.append)
    result = fetcher.fetch(server.base + "/flaky")
    assert result.ok and [a.status for a in result.attempts] == [500, 502, 200]
    assert 0.5 <= waits[0] <= 1.5 and 1.0 <= waits[1] <= 3.0


def test_retry_after_is_honoured_on_429_and_503(server):
    server.routes["/busy"] = [
        ("status", 429, {"Retry-After": "7"}),
        ("status", 503, {"Retry-After": "3"}),
        ("body", b"ok"),
    ]
    waits = []
    result = LiveFetcher(fast_policy(), sleep=waits.append).fetch(server.base + "/busy")
    assert result.ok and waits == [7.0, 3.0]


def test_retry_after_http_date():
    now = datetime(2021, 1, 10, 16, 0, tzinfo=UTC)
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now=now) == 30
    assert parse_retry_after("soon") is None


def test_gives_up_after_the_retry_budget_and_says_why(server):
    server.routes["/down"] = [("status", 503)]
    result = LiveFetcher(fast_policy(retries=2), sleep=lambda s: None).fetch(server.base + "/down")
    assert not result.ok and len(result.attempts) == 3 and result.error == "HTTP 503"


def test_client_errors_are_not_retried(server):
    result = LiveFetcher(fast_policy(), sleep=lambda s: None).fetch(server.base + "/missing")
    assert result.status == 404 and len(result.attempts) == 1


def test_timeouts_resets_and_truncated_bodies_are_retried(server):
    server.routes["/slow"] = [("sleep", 1.5, ("body", b"late")), ("body", b"fine")]
    server.routes["/reset"] = [("reset",), ("body", b"fine")]
    server.routes["/cut"] = [("truncated", b"<html>half"), ("body", b"<html>whole</html>")]
    fetcher = LiveFetcher(fast_policy(read_timeout=0.5), sleep=lambda s: None)
    for path, expect in (("/slow", "timeout"), ("/reset", "connection error"), ("/cut", "connection error")):
        result = fetcher.fetch(server.base + path)
        assert result.ok, (path, result.attempts)
        assert result.attempts[0].error.startswith(expect), (path, result.attempts[0].error)
    assert fetcher.fetch(server.base + "/cut").body == b"<html>whole</html>"


def test_bodies_over_the_cap_are_refused(server):
    server.routes["/huge"] = [("body", b"x" * 10_000)]
    result = LiveFetcher(fast_policy(max_bytes=1_000), sleep=lambda s: None).fetch(server.base + "/huge")
    assert not result.ok and "cap" in result.error and len(result.attempts) == 1


def test_conditional_get_answers_304_for_a_page_already_seen(server):
    server.routes["/page"] = [
        ("body", b"v1", {"ETag": '"abc"', "Last-Modified": "Sun, 10 Jan 2021 16:00:00 GMT"})
    ]
    fetcher = LiveFetcher(fast_policy())
    first = fetcher.fetch(server.base + "/page")
    seen = Validators(first.last.headers.get("etag"), first.last.headers.get("last-modified"))
    second = fetcher.fetch(server.base + "/page", seen)
    assert second.not_modified and second.body is None and second.error is None
    sent = [h for p, _, h in server.log if p == "/page"][-1]
    assert sent["If-None-Match"] == '"abc"' and sent["If-Modified-Since"].startswith("Sun, 10 Jan 2021")


def test_rate_limit_spaces_requests_to_one_host(server):
    server.routes["/r"] = [("body", b"ok")]
    fetcher = LiveFetcher(fast_policy(requests_per_second=20, max_concurrency=4))
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: fetcher.fetch(server.base + "/r"), range(8)))
    starts = sorted(t for p, t, _ in server.log if p == "/r")
    # 8 requests at 20/s: the last cannot start before 7/20 s after the first (a loaded machine only adds)
    assert starts[-1] - starts[0] >= 0.3


def test_concurrency_cap_per_host(server):
    server.routes["/c"] = [("sleep", 0.1, ("body", b"ok"))]
    fetcher = LiveFetcher(fast_policy(max_concurrency=2))
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: fetcher.fetch(server.base + "/c"), range(8)))
    assert all(r.ok for r in results) and server.max_in_flight == 2


def test_fetchers_of_one_run_share_the_hosts_budget(server):
    """A flow makes a fetcher per batch task and runs the tasks side by side: the host still sees the cap."""
    server.routes["/d"] = [("sleep", 0.1, ("body", b"ok"))]
    policy = fast_policy(max_concurrency=2)
    fetchers = [LiveFetcher(policy) for _ in range(4)]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda i: fetchers[i % 4].fetch(server.base + "/d"), range(8)))
    assert all(r.ok for r in results) and server.max_in_flight == 2


def test_replay_serves_archived_bodies_without_network(tmp_path):
    archive = Archive(tmp_path)
    sha = archive.put(b"<html>bulletin</html>")
    replay = ReplayFetcher(archive, {"http://cec.example/rus/news/releases/index.php?ID=1": sha})
    assert (
        replay.fetch("http://cec.example/rus/news/releases/index.php?ID=1").body == b"<html>bulletin</html>"
    )
    missing = replay.fetch("http://cec.example/other")
    assert not missing.ok and missing.error == "not in the archive"


def test_a_result_whose_body_went_to_the_archive_is_still_a_success(server):
    server.routes["/kept"] = [("body", b"<html>ok</html>")]
    result = LiveFetcher(fast_policy()).fetch(server.base + "/kept")
    result.body = None  # what the flow's fetch task does after archiving it
    assert result.ok and result.error is None and result.sha256 is not None
