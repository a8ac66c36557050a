"""Hostile pages (issue 9, point 4): huge, deeply nested, not HTML, with scripts, SQL-looking text, links
that climb with ``..`` or lead to other hosts. None crashes the run, none writes outside the build folder,
none is executed, each ends as a clear error naming its URL or as an unrelated page, and no link to another
host is ever followed (a second loopback server counts every request it gets: it must get none).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from demo.site import DemoSite, Response, start_site
from saylau import warehouse
from saylau.archive import Archive
from saylau.fetch import FetchPolicy, LiveFetcher
from saylau.parse.cec_page import ElectionContext, PageParseError, parse_page
from saylau.parse.classify import PageKind
from saylau.parse.page import normalise_link, read_page
from saylau.pipeline import NightOptions, ScrapeFailed, election_night
from saylau.scrape import SiteShape, failed_fetches

ELECTION = "kz-2021-01-10"
URL = "http://127.0.0.1:8000/rus/news/releases/index.php?ID=9001"
CTX = ElectionContext(
    ELECTION,
    date(2021, 1, 10),
    frozenset(["KZ-11", "KZ-15", "KZ-19", "KZ-23", "KZ-27", "KZ-31", "KZ-35", "KZ-39", "KZ-43", "KZ-47",
               "KZ-55", "KZ-59", "KZ-61", "KZ-63", "KZ-71", "KZ-75", "KZ-79"]),
    ("adal", "ak_zhol", "amanat", "auyl", "qhp"),
)  # fmt: skip
SQL = "'; drop table raw.pages; --"
SEMINAR = "О семинаре для наблюдателей"
# What a script or a style says, made to look like a results page: none of it may be read as the page's.
SCRIPT_RESULTS = (
    "document.write('<h1>Предварительные итоги выборов депутатов Мажилиса</h1>"
    "<table><tr><th>Партия</th><th>Голоса</th></tr><tr><td>Nur Otan</td><td>4 000 000</td></tr></table>');"
    "var turnout = 'Явка избирателей на выборах составила 99,9%';"
)


def page(title: str, body: str = "", head: str = "") -> bytes:
    return (
        f"<html><head><meta charset='utf-8'><title>ЦИК РК</title>{head}</head><body><article><h1>{title}</h1>"
        f"<time datetime='2021-01-12'>12.01.2021</time>{body}</article></body></html>"
    ).encode()


def script_page(evil: str, sentinel: Path) -> bytes:
    """A page whose scripts, if anything ran them, would write a file and call the other host."""
    head = (
        f"<script>{SCRIPT_RESULTS}</script>"
        f"<script type='text/python'>open({str(sentinel)!r}, 'w').write('ran')</script>"
        f"<script>fetch('{evil}/executed'); new Image().src = '{evil}/beacon';</script>"
        f"<style>h1::after {{ content: 'Итоги выборов'; background: url('{evil}/css') }}</style>"
        f"<meta http-equiv='refresh' content='0; url={evil}/refresh'><link rel='stylesheet' href='{evil}/x.css'>"
    )
    body = (
        f"<p>Семинар пройдёт в среду.</p><noscript><table><tr><td>Nur Otan</td><td>71,09</td></tr></table>"
        f"</noscript><img src='{evil}/img.png' onerror=\"fetch('{evil}/onerror')\">"
        f"<iframe src='{evil}/frame'></iframe><form action='{evil}/form'><input name='q'></form>"
        f"<script>{SCRIPT_RESULTS}</script>"
    )
    return page(SEMINAR, body, head)


# --- the parser alone -------------------------------------------------------------------------------------


def test_a_page_nested_100k_deep_is_read_without_recursion():
    deep = b"<html><body>" + b"<div>" * 100_000 + b"<h1>Preliminary results</h1>" + b"</div>" * 100_000
    content = read_page(URL, deep + b"</body></html>", "text/html")
    parsed = parse_page(URL, "0" * 64, deep, "text/html", CTX)  # no RecursionError, no rows from nowhere
    assert parsed.kind in (PageKind.UNRELATED, PageKind.PRELIMINARY) and parsed.results == []
    assert content.tables == []
    # nested within what the parser keeps, the same page is read whole
    shallow = b"<html><body>" + b"<div>" * 200 + page(SEMINAR) + b"</div>" * 200 + b"</body></html>"
    assert read_page(URL, shallow).title == SEMINAR


NOT_HTML = {
    "pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n" + bytes(range(256)) * 8,
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
    "random": os.urandom(20_000),
    "empty": b"",
    "blank": b" \r\n\t \n",
    "nul": b"\x00" * 1000,
    "json": json.dumps({"id": 1, "rows": [[1, 2], [3, 4]], "lang": "ru"}).encode(),
    "gzip": gzip.compress(b"<h1>hidden</h1>" * 1000),
}


@pytest.mark.parametrize("name", list(NOT_HTML))
def test_bodies_that_are_not_html_are_unrelated_pages(name):
    body = NOT_HTML[name]
    content = read_page(URL, body, "application/octet-stream")
    assert content.tables == [] and content.links == []
    parsed = parse_page(URL, "0" * 64, body, "application/octet-stream", CTX)
    assert parsed.kind == PageKind.UNRELATED and parsed.results == [] and parsed.turnout == []


def test_json_shaped_like_results_is_not_a_results_table():
    body = json.dumps(
        {"title": "Предварительные итоги выборов", "rows": [["Nur Otan", "71,09"]]}, ensure_ascii=False
    ).encode()
    try:
        parsed = parse_page(URL, "0" * 64, body, "application/json", CTX)
    except PageParseError as exc:  # a results page that yields nothing is an error naming the page
        assert URL in str(exc)
    else:
        assert parsed.results == [] and parsed.turnout == []
    assert read_page(URL, body, "application/json").tables == []


def test_scripts_styles_and_noscript_are_never_page_text(tmp_path):
    sentinel = tmp_path / "ran"
    body = script_page("http://127.0.0.1:9", sentinel)
    content = read_page(URL, body, "text/html; charset=utf-8")
    assert content.title == SEMINAR
    assert content.tables == []  # neither the script's nor the noscript's table
    for leaked in ("document.write", "Итоги", "99,9", "Nur Otan", "fetch(", "open(", "background"):
        assert leaked not in content.text
    assert content.links == []  # the only links lead to another host
    parsed = parse_page(URL, "0" * 64, body, "text/html; charset=utf-8", CTX)
    assert parsed.kind == PageKind.UNRELATED and parsed.results == [] and parsed.turnout == []
    assert not sentinel.exists()


def test_sql_in_a_results_table_is_an_error_naming_the_page():
    rows = "".join(
        f"<tr><td>{name}</td><td>{votes}</td><td>{pct}</td></tr>"
        for name, votes, pct in [(SQL, "100", "50"), ("Nur Otan", "100", "50")]
    )
    body = page(
        "Предварительные итоги выборов депутатов Мажилиса",
        f"<table><tr><th>Партия</th><th>Голоса</th><th>%</th></tr>{rows}</table>",
    )
    with pytest.raises(PageParseError) as caught:
        parse_page(URL, "0" * 64, body, "text/html", CTX)
    assert URL in str(caught.value)


HOST = "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    "href",
    [
        "http://evil.example/rus/news/releases/index.php?ID=1",
        "https://evil.example/",
        "//evil.example/rus/news/releases/index.php?ID=1",
        "///evil.example/x",
        "http://127.0.0.1:8000@evil.example/rus/news/releases/index.php?ID=1",
        "http://127.0.0.1:8001/rus/news/releases/index.php?ID=1",
        "http://localhost:8000/rus/news/releases/index.php?ID=1",
        "/\\evil.example/rus/news/releases/index.php?ID=1",
        "\\\\evil.example\\share",
        "../../../../etc/passwd",
        "/rus/news/releases/../../../etc/passwd",
        "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/rus/%2E%2E/%2e%2e/etc/passwd",
        "..\\..\\windows\\win.ini",
        "file:///etc/passwd",
        "file://127.0.0.1:8000/etc/passwd",
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://127.0.0.1:8000/rus/",
        "mailto:x@example.org",
    ],
)
def test_links_off_the_site_are_dropped(href):
    assert normalise_link(href, URL) is None
    body = page(SEMINAR, f"<a href='{href}'>Итоги выборов</a>")
    assert read_page(URL, body).links == []


def test_links_on_the_site_are_kept():
    assert normalise_link("index.php?ID=5", URL) == f"{HOST}/rus/news/releases/index.php?ID=5"
    assert normalise_link("/rus/news/acts/", URL) == f"{HOST}/rus/news/acts/"
    assert normalise_link("//127.0.0.1:8000/kaz/", URL) == f"{HOST}/kaz/"


# --- a whole crawl against a hostile double of the CEC ------------------------------------------------


class CountingServer:
    """Another host on loopback: answers everything with a tempting page and counts every request."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _any(self):
                with lock:
                    outer.requests.append(f"{self.command} {self.path}")
                body = page("Предварительные итоги выборов депутатов Мажилиса")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_HEAD = do_POST = _any  # noqa: N815

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def other_host() -> Iterator[CountingServer]:
    server = CountingServer()
    yield server
    server.stop()


REAL = 5466  # the demo's 22:00 turnout bulletin, served as the double serves it
HUGE, DEEP, PDF, EMPTY, JSON_, SCRIPT, SQL_TITLE, SQL_TABLE, PNG, RANDOM, REDIRECT = range(5467, 5478)
CAP = 1_500_000  # the deep page (1.1 MB) fits, the huge one (6 MB) does not


class HostileSite(DemoSite):
    """The CEC double with hostile pages at the IDs after the 22:00 bulletin, and a listing and territorial
    index linking to another host in every way a page can."""

    def __init__(self, evil: str, sentinel: Path) -> None:
        super().__init__()
        self.evil, self.sentinel = evil, sentinel
        port = self.evil.rsplit(":", 1)[1]
        evil_article = f"/rus/news/releases/index.php?ID={SQL_TITLE}"
        self.offsite = [
            f"{evil}{evil_article}",
            f"//127.0.0.1:{port}{evil_article}",
            f"http://localhost:{port}{evil_article}",
            f"http://127.0.0.1:1@127.0.0.1:{port}{evil_article}",
            f"/\\127.0.0.1:{port}{evil_article}",
            f"{evil}/rus/territorial/",
            "file:///etc/passwd",
            f"javascript:fetch('{evil}/js')",
            "../../../../etc/passwd",
            "/rus/news/releases/../../../../etc/passwd",
            "/rus/territorial/%2e%2e/%2e%2e/etc/passwd",
            "/rus/territorial/..%2f..%2fetc/passwd",
        ]

    def _html(self, body: bytes, ctype: str = "text/html; charset=utf-8") -> Response:
        return Response(200, body, [("Content-Type", ctype)])

    def respond(self, target, headers=None):
        if target in ("/rus/news/releases/", "/rus/news/releases/index.php"):
            ids = [REAL, HUGE, DEEP, PDF, EMPTY, JSON_, SCRIPT, SQL_TITLE, SQL_TABLE, PNG, RANDOM, REDIRECT]
            links = "".join(f"<a href='/rus/news/releases/index.php?ID={i}'>{i}</a> " for i in ids)
            links += "".join(f'<a href="{h}">Итоги</a> ' for h in self.offsite)
            head = f"<base href='{self.evil}/'>"  # relative links still resolve against the page's own URL
            return self._html(page("Пресс-релизы", links, head))
        if target == "/rus/territorial/":
            links = "".join(f'<a href="{h}">Итоги</a> ' for h in self.offsite)
            links += f'<a href="/rus/territorial/{SQL}/">{SQL}</a>'
            return self._html(page("Территориальные избирательные комиссии", links))
        if target.startswith("/rus/territorial/"):
            return self._html(page("Комиссия", f"<a href='{self.evil}/rus/territorial/'>x</a>"))
        if not target.startswith("/rus/news/releases/index.php?ID="):
            return super().respond(target, headers)
        n = int(target.rsplit("=", 1)[1])
        if n == REAL:
            return super().respond(target, headers)
        if n == HUGE:
            row = "<tr><td>Nur Otan</td><td>1</td></tr>" * (CAP // 10)
            return self._html(page("Предварительные итоги выборов", f"<table>{row}</table>"))
        if n == DEEP:
            return self._html(b"<html><body>" + b"<div>" * 100_000 + page("Итоги") + b"</div>" * 100_000)
        if n == REDIRECT:
            return Response(302, b"", [("Location", f"{self.evil}/rus/news/releases/index.php?ID=1")])
        bodies = {
            PDF: (NOT_HTML["pdf"], "application/pdf"),
            EMPTY: (b"", "text/html"),
            JSON_: (NOT_HTML["json"], "application/json"),
            SCRIPT: (script_page(self.evil, self.sentinel), "text/html; charset=utf-8"),
            SQL_TITLE: (page(SEMINAR + SQL, f"<p>{SQL}</p>"), "text/html; charset=utf-8"),
            SQL_TABLE: (
                page(
                    "Предварительные итоги выборов депутатов Мажилиса",
                    f"<table><tr><th>Партия</th><th>Голоса</th></tr><tr><td>{SQL}</td><td>1</td></tr></table>",
                ),
                "text/html",
            ),
            PNG: (NOT_HTML["png"], "image/png"),
            RANDOM: (NOT_HTML["random"], None),
        }
        body, ctype = bodies[n]
        return Response(200, body, [("Content-Type", ctype)] if ctype else [])


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def test_a_crawl_of_a_hostile_site(ref_warehouse, build_settings, other_host, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # anything written relative to the working folder would land here
    before = files_under(tmp_path)
    sentinel = tmp_path / "executed"
    policy = FetchPolicy(
        requests_per_second=0, max_concurrency=8, read_timeout=5, retries=1, backoff_base=0.01, max_bytes=CAP
    )
    archive = Archive(build_settings.archive_dir)
    with start_site(site=HostileSite(other_host.base, sentinel)) as site:
        shape = SiteShape(site.base_url, ("rus",), ("releases",), probe_margin=0)
        options = NightOptions(election_id=ELECTION, policy=policy, workers=4, site=shape)
        with pytest.raises(ScrapeFailed) as failed_run:  # the night job: fetch, stage, promote, publish
            election_night(build_settings, options)
    outcome = failed_run.value.outcome
    with warehouse.connect(ref_warehouse, read_only=True) as con:
        pages = {
            int(u.rsplit("=", 1)[1]) if "ID=" in u else u: (kind, status, title, error)
            for u, kind, status, title, error in con.execute(
                "select url, kind, parse_status, title, parse_error from raw.pages"
            ).fetchall()
        }
        fetched = con.execute("select url, status, error, sha256 from raw.fetches").fetchall()
        failed = failed_fetches(con, outcome.run_id)
        turnout = con.execute(
            "select count(*) from staging.cec_turnout where url like ?", [f"%ID={REAL}"]
        ).fetchone()[0]
        tables = con.execute("select count(*) from duckdb_tables() where schema_name = 'raw'").fetchone()[0]

    # no link to another host was followed, no script ran, nothing asked for the other host's pages
    assert other_host.requests == []
    assert not sentinel.exists()
    assert all(url.startswith(site.base_url + "/") for url, *_ in fetched)
    assert not any("etc/passwd" in url or "\\" in url for url, *_ in fetched)

    # the page over the size cap is a failed fetch naming its URL; the redirect off the site is not followed
    huge_url = f"{site.base_url}/rus/news/releases/index.php?ID={HUGE}"
    assert [(e, sha) for url, _, e, sha in fetched if url == huge_url] == [
        (f"body larger than the cap of {CAP} bytes", None)
    ]
    redirect_url = f"{site.base_url}/rus/news/releases/index.php?ID={REDIRECT}"
    assert f"{redirect_url}: HTTP 302" in failed
    assert HUGE not in pages and REDIRECT not in pages

    # nothing else was lost: the real bulletin was staged, every other body recorded as a page
    assert turnout == 18  # the country and its 17 regions at 22:00
    for n in (DEEP, PDF, EMPTY, JSON_, SCRIPT, SQL_TITLE, PNG, RANDOM):
        kind, status, _, error = pages[n]
        assert (kind, status, error) == ("unrelated", "unrelated", None), (n, pages[n])
    kind, status, _, error = pages[SQL_TABLE]
    assert status == "failed" and f"ID={SQL_TABLE}" in error and kind == "preliminary_results"
    assert any(f"ID={SQL_TABLE}" in e for e in outcome.failures)

    # SQL-looking text is data: stored as written, every table still there
    assert pages[SQL_TITLE][2] == SEMINAR + SQL
    assert pages[SCRIPT][2] == SEMINAR
    assert tables >= 4
    sql_path = [url for url, *_ in fetched if "drop" in url]
    assert sql_path and all(url.startswith(f"{site.base_url}/rus/territorial/") for url in sql_path)

    # written: the archive (every body fetched, by its sha256) and the warehouse, all in the build folder
    new = files_under(tmp_path) - before
    assert new and all(p.is_relative_to(build_settings.build_dir) for p in new), sorted(new)
    shas = {sha for *_, sha in fetched if sha}
    bodies = {p for p in new if re.fullmatch(r"[0-9a-f]{64}\.gz", p.name)}
    assert all(p.is_relative_to(build_settings.archive_dir) for p in bodies)
    assert {p.name.removesuffix(".gz") for p in bodies} == shas
    assert all(archive.path_of(sha).exists() for sha in shas)


# --- bodies over the cap, however they arrive -------------------------------------------------------------


class StreamingServer:
    """Answers /chunked with an endless chunked body and /bomb with a small gzip that inflates to 50 MB."""

    def __init__(self) -> None:
        self.sent = 0

        outer = self
        gz = gzip.compress(b"\0" * 50_000_000, 6)

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802
                if self.path == "/robots.txt":
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.path == "/bomb":
                    self.send_response(200)
                    self.send_header("Content-Encoding", "gzip")
                    self.send_header("Content-Length", str(len(gz)))
                    self.end_headers()
                    self.wfile.write(gz)
                    return
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                chunk = b"<p>" + b"x" * 65_000 + b"</p>"
                try:
                    for _ in range(2_000):  # 130 MB, if nobody stopped reading
                        self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                        outer.sent += len(chunk)
                    self.wfile.write(b"0\r\n\r\n")
                except OSError:
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"


@pytest.mark.parametrize("path", ["/chunked", "/bomb"])
def test_bodies_over_the_cap_are_refused_without_a_declared_length(path):
    server = StreamingServer()
    try:
        fetcher = LiveFetcher(FetchPolicy(requests_per_second=0, retries=2, max_bytes=1_000_000))
        result = fetcher.fetch(server.base + path)
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
    assert not result.ok and result.body is None and len(result.attempts) == 1
    assert result.error == "body larger than the cap of 1000000 bytes"
    assert server.sent < 20_000_000  # reading stopped near the cap, not at the end of the stream
