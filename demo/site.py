"""A local double of election.gov.kz serving the demo election over HTTP (stdlib only).

URL shapes of the real CMS (Bitrix):

- ``/{rus,kaz,eng}/news/releases/index.php?ID=<n>`` press releases (turnout bulletins, results
  communiques, the link list of maslikhat decisions) and ``/{rus,kaz,eng}/news/acts/index.php?ID=<n>``
  resolutions; one growing ID space, the same ID in all three languages.
- ``/{lang}/news/releases/`` and ``/{lang}/news/acts/`` (also ``index.php`` without ID): listings, newest
  first, ten per page, ``?PAGEN_1=<page>``.
- ``/{lang}/territorial/`` the regional commissions; ``/{lang}/territorial/<kato>/`` one commission's page
  with its decisions on maslikhat results (``decisions/index.php?ID=<k>``) and, when the site is started
  with ``protocols=True`` and the region publishes them, per-precinct protocols
  (``protocols/`` listing, ``protocols/index.php?PEC=<number>``).
- ``/robots.txt``.

Pages appear by the simulated clock (:class:`demo.clock.SimClock`): an item not yet published is a 404.
Faults come from :class:`demo.faults.FaultInjector`. The ground truth is never reachable: the site renders
from the official protocols and the bulletins only.

:func:`start_site` runs the server in a background thread on a free loopback port and returns a
:class:`RunningSite` (``.base_url``, ``.clock``, ``.stop()``; also a context manager).
"""

from __future__ import annotations

import hashlib
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from demo.clock import CAPITAL, SimClock
from demo.election import DEFAULT_SEED, ELECTION_ID, Election, generate
from demo.faults import FaultConfig, FaultInjector, unit
from demo.later import LaterContent
from demo.noise import Noise
from demo.pages import LANGS, PROTOCOL_REGIONS, REGION_ORDER, Content, Item, esc, page_html, region_forms
from demo.truth import Figure, Recorder

PAGE_SIZE = 10
PROTOCOL_PAGE_SIZE = 100
PROTOCOLS_FROM = datetime(2021, 1, 11, 2, 0, tzinfo=CAPITAL)


@dataclass
class Response:
    """What the site answers to one request (before socket-level faults)."""

    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    fault: str | None = None  # a socket-level fault still to apply: slow, timeout, reset, truncate


class NotFound(Exception):
    """No such page (or not published yet by the simulated clock)."""


class DemoSite:
    """The CEC double's logic: maps a request (path, query, headers) to a :class:`Response`.

    ``protocols`` switches per-precinct protocol pages on, for the regions in ``protocol_regions``.
    Without ``election``, serves ``generate(seed, scale)`` (``scale`` > 1 only for benchmarks).
    """

    def __init__(
        self,
        election: Election | None = None,
        seed: int = DEFAULT_SEED,
        clock: SimClock | None = None,
        faults: FaultConfig | None = None,
        protocols: bool = False,
        protocol_regions: tuple[str, ...] = PROTOCOL_REGIONS,
        scale: int = 1,
        noise: Noise | None = None,
        elections: tuple[str, ...] = (ELECTION_ID,),
    ) -> None:
        self.election = election if election is not None else generate(seed, scale)
        self.noise = noise or Noise()
        self.content = Content(self.election, seed=self.election.seed, noise=self.noise)
        self.elections = elections
        self.contents: dict[int, Any] = {i.id: self.content for i in self.content.items}
        for election_id in elections:
            if election_id != ELECTION_ID:
                later = LaterContent(election_id, seed=self.election.seed, noise=self.noise)
                self.contents.update({i.id: later for i in later.items})
        self.items = sorted((i for c in {id(c): c for c in self.contents.values()}.values() for i in c.items), key=lambda i: i.id)  # fmt: skip
        self.clock = clock or SimClock()
        if clock is None and len(elections) > 1:  # after everything of the last election served
            self.clock = SimClock(max(i.published for i in self.items) + timedelta(days=7))
        self.injector = FaultInjector(faults or FaultConfig())
        self.protocols = protocols
        self.protocol_regions = protocol_regions
        self._cache: dict[tuple, tuple[str, datetime | None]] = {}
        self._pec_ids = set(self.election.precincts["pec_id"])
        self.requests = 0

    # --- entry point ---------------------------------------------------------------------------------

    def respond(self, target: str, headers: dict[str, str] | None = None) -> Response:
        """The answer to ``GET target`` (path and query) with the given request headers."""
        headers = {k.lower(): v for k, v in (headers or {}).items()}
        self.requests += 1
        parts = urlsplit(target)
        path = parts.path or "/"
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        url = path + ("?" + parts.query if parts.query else "")
        if path == "/robots.txt":
            return Response(
                200, self.injector.robots_txt().encode(), [("Content-Type", "text/plain; charset=utf-8")]
            )
        fault = self.injector.request_fault(url)
        if fault == "error_500":
            return self._error(500, "Internal Server Error")
        if fault == "error_503":
            return self._error(
                503, "Service Unavailable", [("Retry-After", str(self.injector.config.retry_after_seconds))]
            )
        if fault == "rate_limit":
            return self._error(
                429, "Too Many Requests", [("Retry-After", str(self.injector.config.retry_after_seconds))]
            )
        if any(path.startswith(p) for p in self.injector.config.robots_disallow):
            return self._error(403, "Forbidden")
        try:
            lang, text, modified = self._page(path, query)
        except NotFound:
            return self._error(404, "Not Found")
        response = self._encode(url, lang, text, modified, headers)
        response.fault = fault if fault in ("slow", "timeout", "reset", "truncate") else None
        return response

    def _error(self, status: int, reason: str, extra: list[tuple[str, str]] | None = None) -> Response:
        body = f"<html><head><title>{status} {reason}</title></head><body><h1>{reason}</h1></body></html>\n".encode()
        return Response(status, body, [("Content-Type", "text/html; charset=utf-8"), *(extra or [])])

    def _encode(
        self, url: str, lang: str, text: str, modified: datetime | None, req: dict[str, str]
    ) -> Response:
        encoding, named = self.injector.page_encoding(url, lang)
        if encoding != "utf-8":
            text = text.replace('<meta charset="utf-8">', '<meta charset="windows-1251">')
            if not named and unit(self.injector.config.seed, "meta", url) < 0.5:
                text = text.replace('<meta charset="windows-1251">\n', "")
        body = text.encode(encoding, errors="xmlcharrefreplace")
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        ctype = (
            "text/html; charset=" + ("UTF-8" if encoding == "utf-8" else "windows-1251")
            if named
            else "text/html"
        )
        headers = [("Content-Type", ctype), ("ETag", etag)]
        if modified is not None:
            headers.append(("Last-Modified", format_datetime(modified.astimezone(UTC), usegmt=True)))
        if req.get("if-none-match") and etag in [t.strip() for t in req["if-none-match"].split(",")]:
            return Response(304, b"", headers[1:])
        if modified is not None and "if-none-match" not in req and req.get("if-modified-since"):
            try:
                since = parsedate_to_datetime(req["if-modified-since"])
            except (TypeError, ValueError):
                since = None
            if since is not None and since.tzinfo is not None and modified.replace(microsecond=0) <= since:
                return Response(304, b"", headers[1:])
        return Response(200, body, headers)

    # --- pages ---------------------------------------------------------------------------------------

    def _page(self, path: str, query: dict[str, str]) -> tuple[str, str, datetime | None]:
        """(lang, html, last modified) of a path, or NotFound."""
        now = self.clock.now()
        if path in ("/", "/index.php"):
            return "rus", self._home("rus", now), self._latest(now)
        segments = [s for s in path.split("/") if s]
        lang = segments[0]
        if lang not in LANGS:
            raise NotFound(path)
        rest = segments[1:]
        if rest and rest[-1] == "index.php":
            rest = rest[:-1]
        if not rest:
            return lang, self._home(lang, now), self._latest(now)
        if rest[0] == "news" and len(rest) == 2 and rest[1] in ("releases", "acts"):
            section = rest[1]
            if "ID" in query:
                item = self._published_item(section, query, now)
                if item is None:
                    raise NotFound(path)
                layout = self.injector.layout_variant(f"/{section}/{item.id}")
                return lang, self._item(item, lang, layout, item.version_at(now)), item.modified_at(now)
            return (
                lang,
                self._listing(lang, section, _int(query.get("PAGEN_1", "1")), now),
                self._latest(now, section),
            )
        if rest[0] == "territorial":
            return lang, *self._territorial(lang, rest[1:], query, now)
        raise NotFound(path)

    def _numbers(self, code: str) -> list[int]:
        key = ("numbers", code)
        if key not in self._cache:
            p = self.election.precincts
            self._cache[key] = (p.loc[p["region_code"] == code, "number"].tolist(), None)  # type: ignore[assignment]
        return self._cache[key][0]  # type: ignore[return-value]

    def _latest(self, now: datetime, section: str | None = None) -> datetime | None:
        visible = [i.published for i in self.items if i.published <= now and section in (None, i.section)]
        return max(visible) if visible else None

    def _published_item(self, section: str, query: dict[str, str], now: datetime) -> Item | None:
        item_id = _int(query["ID"])
        content = self.contents.get(item_id)
        item = content.by_id[item_id] if content is not None else None
        if item is None or item.section != section or item.published > now:
            return None
        return item

    def _item(self, item: Item, lang: str, layout: int, version: int) -> str:
        key = ("item", item.id, lang, layout, version)
        if key not in self._cache:
            content = self.contents[item.id]
            title = content.title(item, lang)
            body = content.body(item, lang, layout, version)
            self._cache[key] = (page_html(lang, title, body, item.published), None)
        return self._cache[key][0]

    # --- what the pages state (demo.truth) -------------------------------------------------------------

    def truth(self, url: str) -> list[Figure]:
        """Every figure the page at ``url`` states as served now (its version and layout), certain or not."""
        parts = urlsplit(url)
        segments = [s for s in parts.path.split("/") if s]
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if len(segments) < 3 or segments[0] not in LANGS or segments[1] != "news" or "ID" not in query:
            return []
        now = self.clock.now()
        try:
            item = self._published_item(segments[2], query, now)
        except NotFound:
            return []
        if item is None or item.kind not in ("turnout", "preliminary", "final"):
            return []
        layout = self.injector.layout_variant(f"/{item.section}/{item.id}")
        recorder = Recorder()
        self.contents[item.id].body(item, segments[0], layout, item.version_at(now), note=recorder)
        return recorder.result()

    def figure_urls(self) -> list[str]:
        """The URL of every bulletin and results page published by the clock, in every language."""
        now = self.clock.now()
        return [
            f"/{lang}/news/{i.section}/index.php?ID={i.id}"
            for i in self.items
            if i.kind in ("turnout", "preliminary", "final") and i.published <= now
            for lang in LANGS
        ]

    def _home(self, lang: str, now: datetime) -> str:
        latest = [i for i in self.items if i.published <= now][::-1][:5]
        links = "".join(
            f'<li><a href="/{lang}/news/{i.section}/index.php?ID={i.id}">{esc(self.contents[i.id].title(i, lang))}</a></li>'
            for i in latest
        )
        return page_html(
            lang, {"rus": "Главная", "kaz": "Басты бет", "eng": "Home"}[lang], f"<ul>{links}</ul>"
        )

    def _listing(self, lang: str, section: str, page: int, now: datetime) -> str:
        visible = [i for i in self.items if i.section == section and i.published <= now][::-1]
        pages = max(1, -(-len(visible) // PAGE_SIZE))
        if page < 1 or page > pages:
            raise NotFound(section)
        chunk = visible[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        entries = "\n".join(
            f'<div class="news-item"><span class="news-date-time">{i.published:%d.%m.%Y}</span> '
            f'<a href="/{lang}/news/{section}/index.php?ID={i.id}">{esc(self.contents[i.id].title(i, lang))}</a></div>'
            for i in chunk
        )
        nav = " ".join(
            f"<b>{p}</b>" if p == page else f'<a href="/{lang}/news/{section}/index.php?PAGEN_1={p}">{p}</a>'
            for p in range(1, pages + 1)
        )
        nxt = {"rus": "След.", "kaz": "Келесі", "eng": "Next"}[lang]
        if page < pages:
            nav += f' <a class="next" href="/{lang}/news/{section}/index.php?PAGEN_1={page + 1}">{nxt}</a>'
        title = {"releases": {"rus": "Пресс-релизы", "kaz": "Баспасөз релиздері", "eng": "Press releases"},
                 "acts": {"rus": "Постановления", "kaz": "Қаулылар", "eng": "Resolutions"}}[section][lang]  # fmt: skip
        return page_html(
            lang, title, f'<div class="news-list">\n{entries}\n</div>\n<div class="pager">{nav}</div>'
        )

    def _territorial(
        self, lang: str, rest: list[str], query: dict[str, str], now: datetime
    ) -> tuple[str, datetime | None]:
        title = {"rus": "Территориальные избирательные комиссии", "kaz": "Аумақтық сайлау комиссиялары", "eng": "Territorial election commissions"}[lang]  # fmt: skip
        if not rest:
            links = "".join(
                f'<li><a href="/{lang}/territorial/{code[3:]}/">{esc(region_forms(code, lang)[1][0])}</a></li>'
                for code in REGION_ORDER
            )
            return page_html(lang, title, f"<ul>{links}</ul>"), None
        code = f"KZ-{rest[0]}"
        if code not in REGION_ORDER:
            raise NotFound(rest[0])
        decisions = [d for d in self.content.tec_decisions(code) if d[3] <= now]
        publishes = self.protocols and code in self.protocol_regions
        if len(rest) == 1:
            shows_protocols = publishes and now >= PROTOCOLS_FROM
            key = ("tec", code, lang, len(decisions), shows_protocols)
            if key not in self._cache:
                items = "".join(
                    f'<li><a href="/{lang}/territorial/{rest[0]}/decisions/index.php?ID={d[0]}">'
                    f"{esc(self.content.tec_name(code, d[2], lang))}: {esc(self.content.decision_title(d, lang))}</a></li>"
                    for d in decisions
                )
                extra = ""
                if shows_protocols:
                    label = {"rus": "Протоколы участковых избирательных комиссий", "kaz": "Учаскелік сайлау комиссияларының хаттамалары", "eng": "Protocols of precinct election commissions"}[lang]  # fmt: skip
                    extra = f'<p><a href="/{lang}/territorial/{rest[0]}/protocols/">{esc(label)}</a></p>'
                name = self.content.tec_name(code, None, lang)
                modified = max((d[3] for d in decisions), default=None)
                self._cache[key] = (page_html(lang, name, f"<ul>{items}</ul>\n{extra}"), modified)
            return self._cache[key]
        if rest[1] == "decisions" and "ID" in query:
            match = [d for d in decisions if d[0] == _int(query["ID"])]
            if not match:
                raise NotFound("decision")
            layout = self.injector.layout_variant(f"/territorial/{code}/{match[0][0]}")
            key = ("decision", code, match[0][0], lang, layout)
            if key not in self._cache:
                t, body = self.content.decision_body(code, match[0], lang, layout)
                self._cache[key] = (page_html(lang, t, body, match[0][3]), match[0][3])
            return self._cache[key]
        if rest[1] == "protocols" and publishes and now >= PROTOCOLS_FROM:
            if "PEC" in query:
                pec_id = f"{code}/{_int(query['PEC'])}"
                if pec_id not in self._pec_ids:
                    raise NotFound(pec_id)
                layout = self.injector.layout_variant(f"/protocol/{pec_id}")
                key = ("protocol", pec_id, lang, layout)
                if key not in self._cache:
                    t, body = self.content.protocol_body(pec_id, lang, layout)
                    self._cache[key] = (page_html(lang, t, body, PROTOCOLS_FROM), PROTOCOLS_FROM)
                return self._cache[key]
            numbers = self._numbers(code)  # cached: a scaled election has ~6,000 per region
            page = _int(query.get("PAGEN_1", "1"))
            pages = -(-len(numbers) // PROTOCOL_PAGE_SIZE)
            if page < 1 or page > pages:
                raise NotFound("page")
            chunk = numbers[(page - 1) * PROTOCOL_PAGE_SIZE : page * PROTOCOL_PAGE_SIZE]
            base = f"/{lang}/territorial/{rest[0]}/protocols/index.php"
            links = "".join(f'<li><a href="{base}?PEC={n}">№ {n}</a></li>' for n in chunk)
            nav = " ".join(
                f'<a href="{base}?PAGEN_1={p}">{p}</a>' if p != page else f"<b>{p}</b>"
                for p in range(1, pages + 1)
            )
            return page_html(lang, self.content.tec_name(code, None, lang), f'<ul>{links}</ul>\n<div class="pager">{nav}</div>'), PROTOCOLS_FROM  # fmt: skip
        raise NotFound("/".join(rest))


def _int(text: str) -> int:
    """A query parameter as an integer; anything else is a 404, as on the real CMS."""
    try:
        return int(text)
    except ValueError as exc:
        raise NotFound(text) from exc


# ------------------------------------------------------------------------------------------- server


class _Handler(BaseHTTPRequestHandler):
    server_version = "nginx"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go in separate writes; Nagle would stall keep-alive
    site: DemoSite  # set on the subclass made by make_server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        return  # quiet: the benchmark and tests make thousands of requests

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
        self._serve(head=True)

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self._serve(head=False)

    def _serve(self, head: bool) -> None:
        response = self.site.respond(self.path, dict(self.headers.items()))
        cfg = self.site.injector.config
        if response.fault == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        if response.fault == "slow":
            time.sleep(cfg.slow_seconds)
        elif response.fault == "timeout":
            time.sleep(cfg.timeout_seconds)
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        if response.fault == "truncate":
            self.send_header("Connection", "close")
        self.end_headers()
        if head or response.status == 304:
            return
        if response.fault == "truncate":
            self.wfile.write(response.body[: len(response.body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(response.body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up (timeouts, resets) are normal here; anything else is reported."""
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


def make_server(site: DemoSite, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """An HTTP server (not yet serving) for ``site``; port 0 picks a free one."""
    handler = type("DemoHandler", (_Handler,), {"site": site})
    return _Server((host, port), handler)


@dataclass
class RunningSite:
    """A demo site serving in a background thread."""

    site: DemoSite
    server: ThreadingHTTPServer
    thread: threading.Thread

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def clock(self) -> SimClock:
        return self.site.clock

    def stop(self) -> None:
        """Stop serving and release the port."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> RunningSite:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_site(
    site: DemoSite | None = None, host: str = "127.0.0.1", port: int = 0, **kwargs: object
) -> RunningSite:
    """Serve ``site`` (or ``DemoSite(**kwargs)``) on loopback in a background thread; returns at once."""
    site = site if site is not None else DemoSite(**kwargs)  # type: ignore[arg-type]
    server = make_server(site, host, port)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    return RunningSite(site, server, thread)


class SiteProcess:
    """A site served from a forked process of its own, on loopback.

    The real CEC runs on another machine; a benchmark that served the double from the scraper's own
    process would make the two share one interpreter lock and charge the server's work to the scraper.
    The site object is built in this process and inherited by the child (``fork``: Linux and macOS), so
    anything it shares through ``multiprocessing`` values (e.g. a share of pages to change) stays settable
    from here. The simulated clock is the child's copy: use a thread site (:func:`start_site`) to move it.
    """

    def __init__(self, site: object, host: str = "127.0.0.1") -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        here, there = ctx.Pipe()
        self.host = host
        self.process = ctx.Process(target=_serve_forked, args=(site, host, there), daemon=True)
        self.process.start()
        if not here.poll(60):
            self.process.kill()
            raise RuntimeError("the demo site's process did not start within 60 s")
        self.port = here.recv()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(timeout=10)

    def __enter__(self) -> SiteProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _serve_forked(site: object, host: str, conn: object) -> None:
    server = make_server(site, host, 0)  # type: ignore[arg-type]
    conn.send(server.server_address[1])  # type: ignore[attr-defined]
    server.serve_forever(poll_interval=0.1)
