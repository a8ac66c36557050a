"""Scraping a CEC-shaped site: discover pages, fetch them politely and incrementally, archive every body,
parse what changed, and stage the rows with provenance.

Pure library code (no Prefect): the flows in ``flows/scrape.py`` call these functions in batches.
The site is addressed by URL shape only (``/{rus,kaz,eng}/news/{releases,acts}/index.php?ID=<n>`` and the
listing pages linking to them), so the same code runs against the real CEC and the demo double.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import pairwise
from urllib.parse import urlsplit

import duckdb

from saylau import manifest
from saylau.archive import Archive
from saylau.crashpoints import crashpoint
from saylau.fetch import Fetcher, FetchResult, Validators
from saylau.parse.bulletin import parse_bulletin_table, parse_bulletin_text
from saylau.parse.classify import PageKind, classify_page
from saylau.parse.numbers import UncertainNumber, parse_count
from saylau.parse.page import LANG_CODES, PageContent, page_id, page_lang, page_section, read_page
from saylau.parse.results import (
    LayoutError,
    contest_of,
    parse_protocol_table,
    parse_results_table,
    parse_results_text,
    tec_number,
)
from saylau.reference import UnknownNameError, default_resolver

DEFAULT_BASE_URL = "https://www.election.gov.kz"
LANGUAGES = ("rus", "kaz", "eng")
SECTIONS = ("releases", "acts")
_NEWS_ARTICLE = re.compile(r"/news/(releases|acts)/index\.php\?ID=\d+$")
# Territorial commissions' own documents, linked from the CEC: maslikhat decisions and precinct protocols.
_COMMISSION_DOCUMENT = re.compile(
    r"/territorial/\d{2}/(?:decisions/index\.php\?ID=\d+|protocols/index\.php\?PEC=\d+)$"
)
_TERRITORIAL = re.compile(r"^/(rus|kaz|eng)/territorial/")


@dataclass(frozen=True)
class SiteShape:
    """Where a CEC-shaped site lists its pages."""

    base_url: str = DEFAULT_BASE_URL
    languages: tuple[str, ...] = LANGUAGES
    sections: tuple[str, ...] = SECTIONS
    probe_margin: int = 10  # IDs probed past the highest listed one, per language and section
    # a jump wider than this between two listed IDs is a stray link, not a gap to probe (a listing linking
    # ID=999999999 must not send the scraper through a billion IDs)
    max_probe_gap: int = 200
    max_listing_pages: int = 2000  # index pages walked per seed (listings are paginated)
    territorial: bool = True  # also walk the territorial commissions' pages (decisions, precinct protocols)

    def listing_url(self, lang: str, section: str) -> str:
        return f"{self.base_url.rstrip('/')}/{lang}/news/{section}/"

    def article_url(self, lang: str, section: str, page_id: int) -> str:
        return f"{self.base_url.rstrip('/')}/{lang}/news/{section}/index.php?ID={page_id}"


def is_article(url: str) -> bool:
    """A page that holds content to parse: a CEC release or act, or a territorial commission's document."""
    return bool(_NEWS_ARTICLE.search(url) or _COMMISSION_DOCUMENT.search(url))


def is_news_article(url: str) -> bool:
    return bool(_NEWS_ARTICLE.search(url))


def is_navigation(url: str, shape: SiteShape, lang: str) -> bool:
    """A page to walk for links: a news listing (any page of it) or a territorial commission's index pages."""
    if page_lang(url) != lang or is_article(url):
        return False
    return is_listing(url, shape) or bool(_TERRITORIAL.match(urlsplit(url).path))


def is_listing(url: str, shape: SiteShape) -> bool:
    """A listing page (any page of it: ``/rus/news/releases/``, ``.../index.php?PAGEN_1=2``), not an article."""
    if is_article(url):
        return False
    path = urlsplit(url).path
    if path.endswith("/index.php"):
        path = path[: -len("index.php")]
    listings = {urlsplit(shape.listing_url(lang, s)).path for lang in shape.languages for s in shape.sections}
    return (path if path.endswith("/") else path + "/") in listings


# --- discovery ------------------------------------------------------------------------------------------


def _under(link: str, seed: str) -> bool:
    """Whether a link belongs to the walk started at ``seed`` (its own listing's pages, or the territorial tree)."""
    return urlsplit(link).path.startswith(urlsplit(seed).path)


@dataclass
class Discovery:
    articles: set[str] = field(default_factory=set)
    listings: list[FetchResult] = field(default_factory=list)  # listing and territorial index pages
    probes: list[FetchResult] = field(default_factory=list)
    fresh: set[str] = field(
        default_factory=set
    )  # documents linked from a listing that changed, or found by probes


def discover(
    fetcher: Fetcher,
    shape: SiteShape,
    known: Iterable[str] = (),
    absent: Iterable[str] = (),
    validators: dict[str, Validators] | None = None,
    archived: Callable[[str], bytes | None] | None = None,
    workers: int = 4,
) -> Discovery:
    """Walk every listing (all pages of it), then probe IDs the listings skipped, per language and section.

    ``known`` are article URLs fetched before (kept even when no listing shows them any more); ``absent``
    are URLs that answered 404 before: gap IDs among them are not probed again. Listings are fetched
    conditionally with ``validators``; a listing that answers 304 is read from ``archived`` (the body last
    fetched). When no listing changed, nothing is probed: an unchanged site costs only conditional requests.
    """
    absent = set(absent)
    validators = validators or {}
    found = Discovery(articles={u for u in known if is_article(u)})
    changed = False
    for lang in shape.languages:
        seeds = [shape.listing_url(lang, section) for section in shape.sections]
        if shape.territorial:
            seeds.append(f"{shape.base_url.rstrip('/')}/{lang}/territorial/")
        for seed in seeds:
            queue, seen = [seed], set()
            while queue and len(seen) < shape.max_listing_pages:
                url = queue.pop(0)
                if url in seen:
                    continue
                seen.add(url)
                result = fetcher.fetch(url, validators.get(url))
                found.listings.append(result)
                if result.ok:
                    body, content_type, changed = result.body, result.last.headers.get("content-type"), True
                elif result.not_modified and archived is not None:
                    body, content_type = archived(url), None
                else:
                    changed = changed or not result.not_modified
                    continue
                if body is None:
                    continue
                page = read_page(url, body, content_type)
                for link, _text in page.links:
                    if is_article(link) and page_lang(link) == lang:
                        found.articles.add(link)
                        if result.ok:
                            found.fresh.add(link)
                    elif link not in seen and is_navigation(link, shape, lang) and _under(link, seed):
                        queue.append(link)
    if not changed:
        return found
    # One ID space serves every section and language: an ID listed anywhere is not a gap. IDs no listing
    # shows (and a few past the newest) are probed in each language, section by section, a few at a time.
    for lang in shape.languages:
        seen = {
            i
            for u in found.articles
            if is_news_article(u) and page_lang(u) == lang and (i := page_id(u)) is not None
        }
        if not seen:
            continue
        gaps = probe_gaps(sorted(seen), shape.probe_margin, shape.max_probe_gap)
        newest = max(seen)
        for section in shape.sections:
            urls = [shape.article_url(lang, section, pid) for pid in gaps]
            urls = [u for u, pid in zip(urls, gaps, strict=True) if not (pid < newest and u in absent)]
            with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
                results = list(pool.map(fetcher.fetch, urls))
            found.probes += results
            hits = {page_id(r.url) for r in results if r.ok}
            found.articles |= {r.url for r in results if r.ok}
            found.fresh |= {r.url for r in results if r.ok}
            gaps = [pid for pid in gaps if pid not in hits]
    return found


def probe_gaps(ids: Sequence[int], margin: int, max_gap: int) -> list[int]:
    """IDs to probe: those missing between consecutive listed ``ids`` (sorted) where the jump is at most
    ``max_gap`` wide, and ``margin`` past the newest."""
    gaps = [i for a, b in pairwise(ids) if b - a - 1 <= max_gap for i in range(a + 1, b)]
    return gaps + list(range(ids[-1] + 1, ids[-1] + margin + 1))


# --- fetching -------------------------------------------------------------------------------------------


def fetch_batch(
    fetcher: Fetcher, urls: Sequence[str], validators: dict[str, Validators], workers: int = 4
) -> list[FetchResult]:
    """Fetch a batch of URLs (conditionally where validators are known), a few at a time."""
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(lambda u: fetcher.fetch(u, validators.get(u)), urls))


def record_fetches(
    con: duckdb.DuckDBPyConnection, results: Iterable[FetchResult], archive: Archive, run_id: str | None
) -> None:
    """Archive every body received and record every attempt in raw.fetches."""
    rows = []
    for result in results:
        if result.ok and result.body is not None:  # flows archive bodies as they fetch and drop them
            archive.put(result.body)
        for n, a in enumerate(result.attempts, start=1):
            h = a.headers
            rows.append(
                (
                    run_id,
                    a.url,
                    n,
                    a.requested_at,
                    a.status,
                    h.get("etag"),
                    h.get("last-modified"),
                    h.get("content-type"),
                    h.get("retry-after"),
                    a.conditional,
                    a.sha256,
                    a.nbytes,
                    round(a.elapsed_s * 1000, 3),
                    a.error,
                )
            )
    # the archive's own record of the attempts first: the archive folder alone can then rebuild
    manifest.write(archive.root, manifest.FETCHES, (dict(zip(FETCH_COLUMNS, r, strict=True)) for r in rows))
    crashpoint("record.insert")
    if rows:
        _insert_rows(con, "raw.fetches", FETCH_COLUMNS, rows)


FETCH_COLUMNS = [
    "run_id",
    "url",
    "attempt",
    "requested_at",
    "status",
    "etag",
    "last_modified",
    "content_type",
    "retry_after",
    "conditional",
    "sha256",
    "bytes",
    "elapsed_ms",
    "error",
]


def known_validators(con: duckdb.DuckDBPyConnection) -> dict[str, Validators]:
    """ETag / Last-Modified of the latest successful fetch of every URL, for conditional GETs."""
    rows = con.execute(
        "select url, arg_max(etag, requested_at), arg_max(last_modified, requested_at) "
        "from raw.fetches where status = 200 and sha256 is not null group by url"
    ).fetchall()
    return {url: Validators(etag, lm) for url, etag, lm in rows if etag or lm}


def last_checked(con: duckdb.DuckDBPyConnection) -> dict[str, datetime]:
    """When each URL was last asked for."""
    return dict(con.execute("select url, max(requested_at) from raw.fetches group by url").fetchall())


def select_due(
    found: Discovery, checked: dict[str, datetime], revisit_after: float, now: datetime | None = None
) -> list[str]:
    """The documents this run fetches: every CEC release and act (few, and corrected in place on election
    night), every document a changed listing links to, and the others whose last check is older than
    ``revisit_after`` seconds: a territorial commission's thousands of protocols are not re-asked each run."""
    from datetime import UTC

    now = now or datetime.now(UTC)
    due = []
    for url in sorted(found.articles):
        when = checked.get(url)
        if (
            is_news_article(url)
            or url in found.fresh
            or when is None
            or (now - when).total_seconds() >= revisit_after
        ):
            due.append(url)
    return due


def absent_urls(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Article URLs whose latest answer was 404 (probed gaps in the ID space)."""
    rows = con.execute(
        "select url from raw.fetches where status is not null group by url having arg_max(status, requested_at) = 404"
    ).fetchall()
    return {r[0] for r in rows}


# the sha256 of the latest body fetched for every URL (url, sha256)
LATEST_FETCHED = (
    "select url, arg_max(sha256, requested_at) as sha256 from raw.fetches "
    "where status = 200 and sha256 is not null group by url"
)


def latest_versions(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The sha256 of the latest body fetched for every URL."""
    return dict(con.execute(LATEST_FETCHED).fetchall())


# --- parsing --------------------------------------------------------------------------------------------


class PageParseError(ValueError):
    """A page of a known kind that does not yield the fields it must: names the URL, sha256 and what is missing."""


@dataclass
class ParsedPage:
    url: str
    sha256: str
    election_id: str
    kind: PageKind
    title: str
    lang: str | None
    published: datetime | None
    encoding: str
    turnout: list[tuple[str, datetime, float]] = field(
        default_factory=list
    )  # region ('KZ' = national), as_of, pct
    results: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ElectionContext:
    """What parsing needs to know of the election: its id, day, regions in use and the mazhilis ballot."""

    election_id: str
    election_date: date
    regions: frozenset[str]
    options: tuple[str, ...]
    contest_id: str = "mazhilis"
    ballots: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (contest, options) of every contest of the day

    def options_of(self, contest_id: str) -> tuple[str, ...]:
        return dict(self.ballots).get(contest_id, ())


def parse_page(
    url: str, sha256: str, body: bytes, content_type: str | None, ctx: ElectionContext
) -> ParsedPage:
    """Classify and parse one page version. Raises :class:`PageParseError` on layout drift."""
    page = read_page(url, body, content_type)
    kind = classify_page(page.title, page.text, url)
    parsed = ParsedPage(
        url, sha256, ctx.election_id, kind, page.title, page.lang, page.published, page.encoding
    )
    lang = LANG_CODES.get(page.lang or "", "ru")
    document = _COMMISSION_DOCUMENT.search(url)
    if document and "/protocols/" in url:
        parsed.kind = PageKind.PROTOCOL
        _parse_protocol(page, parsed, ctx, lang)
    elif document:
        parsed.kind = PageKind.MASLIKHAT
        _parse_decision(page, parsed, ctx, lang)
    elif kind == PageKind.TURNOUT:
        _parse_turnout(page, parsed, ctx)
    elif kind in (PageKind.PRELIMINARY, PageKind.FINAL):
        _parse_results(page, parsed, ctx, lang, "preliminary" if kind == PageKind.PRELIMINARY else "final")
    return parsed


def _fail(parsed: ParsedPage, what: str) -> PageParseError:
    return PageParseError(f"{parsed.url} (sha256 {parsed.sha256}): {parsed.kind.value} page {what}")


def _parse_turnout(page: PageContent, parsed: ParsedPage, ctx: ElectionContext) -> None:
    prose = parse_bulletin_text(page.title + "\n" + page.text)
    figures = {r.region_code: r.turnout_pct for r in prose.regions}
    national = prose.national_pct
    problems = list(prose.problems)
    for table in page.tables:
        from_table = parse_bulletin_table(table)
        problems += from_table.problems
        for r in from_table.regions:
            if r.region_code in figures and figures[r.region_code] != r.turnout_pct:
                problems.append(
                    f"{r.region_code}: prose says {figures[r.region_code]}, table {r.turnout_pct}"
                )
            figures.setdefault(r.region_code, r.turnout_pct)
        national = national if national is not None else from_table.national_pct
    if prose.hour is None:
        raise _fail(parsed, "states no time")
    missing = sorted(ctx.regions - set(figures))
    strays = sorted(set(figures) - ctx.regions)
    if problems or strays or national is None and not figures:
        raise _fail(
            parsed,
            "could not be read with certainty: "
            + "; ".join(
                problems
                + [f"region {s} did not exist on {ctx.election_date}" for s in strays]
                + (["no national figure and no region"] if national is None and not figures else [])
            ),
        )
    as_of = datetime.combine(ctx.election_date, datetime.min.time()) + timedelta(
        hours=prose.hour, minutes=prose.minute or 0
    )
    if national is not None:
        parsed.turnout.append(("KZ", as_of, national))
    parsed.turnout += [(code, as_of, pct) for code, pct in sorted(figures.items())]
    if missing:
        parsed.problems.append(f"no figure for {', '.join(missing)}")


def _parse_results(
    page: PageContent, parsed: ParsedPage, ctx: ElectionContext, lang: str, status: str
) -> None:
    statement = parse_results_text(page.title + "\n" + page.text, lang)
    if statement.problems:
        raise _fail(parsed, "could not be read with certainty: " + "; ".join(statement.problems))
    as_of = page.published  # the communique's own publication time (local), which tells versions apart

    def row(level, unit, region, line, option, value=None, share=None):
        return {
            "election_id": ctx.election_id,
            "contest_id": ctx.contest_id,
            "level": level,
            "unit_id": unit,
            "region_code": region,
            "line": line,
            "option_id": option,
            "value": value,
            "share_pct": share,
            "status": status,
            "as_of": as_of,
        }

    stray = sorted((set(statement.votes) | set(statement.shares)) - set(ctx.options))
    if stray:
        raise _fail(parsed, f"names options not on the {ctx.contest_id} ballot: {stray}")
    if status == "final":
        missing = [x for x in ("registered", "ballots_issued", "invalid") if x not in statement.lines]
        missing += [f"votes for {o}" for o in ctx.options if o not in statement.votes]
        if missing:
            raise _fail(parsed, "is missing " + ", ".join(missing))
    elif not statement.shares:
        raise _fail(parsed, "gives no party shares")
    rows = [row("national", "KZ", None, line, None, value=v) for line, v in statement.lines.items()]
    rows += [row("national", "KZ", None, "votes", o, value=v) for o, v in statement.votes.items()]
    rows += [row("national", "KZ", None, "share", o, share=s) for o, s in statement.shares.items()]
    if statement.turnout_pct is not None:
        rows.append(row("national", "KZ", None, "turnout_pct", None, share=statement.turnout_pct))
    for table in page.tables:
        try:
            regions, problems = parse_results_table(table, lang)
        except LayoutError as exc:
            raise _fail(parsed, f"has a results table whose layout changed: {exc}") from exc
        if problems:
            raise _fail(parsed, "has table cells that could not be read: " + "; ".join(problems))
        for r in regions:
            rows += [
                row("region", r.region_code, r.region_code, line, None, value=v)
                for line, v in r.lines.items()
            ]
            rows += [
                row("region", r.region_code, r.region_code, "votes", o, value=v) for o, v in r.votes.items()
            ]
            rows += [
                row("region", r.region_code, r.region_code, "share", o, share=s) for o, s in r.shares.items()
            ]
            if r.turnout_pct is not None:
                rows.append(
                    row("region", r.region_code, r.region_code, "turnout_pct", None, share=r.turnout_pct)
                )
    parsed.results = rows


def _result_row(
    ctx: ElectionContext,
    contest: str,
    level: str,
    unit: str,
    region: str | None,
    line: str,
    option: str | None,
    status: str,
    as_of: datetime | None,
    value=None,
    share=None,
) -> dict:
    return {
        "election_id": ctx.election_id,
        "contest_id": contest,
        "level": level,
        "unit_id": unit,
        "region_code": region,
        "line": line,
        "option_id": option,
        "value": value,
        "share_pct": share,
        "status": status,
        "as_of": as_of,
    }


_PEC = re.compile(r"PEC=(\d+)")


def _commission_region(url: str) -> str:
    return "KZ-" + re.search(r"/territorial/(\d{2})/", url).group(1)


def _parse_protocol(page: PageContent, parsed: ParsedPage, ctx: ElectionContext, lang: str) -> None:
    """A precinct's protocol page: one table per contest, each under a heading naming the contest."""
    region = _commission_region(parsed.url)
    pec = f"{region}/{int(_PEC.search(parsed.url).group(1))}"
    if not page.tables:
        raise _fail(parsed, "has no protocol table")
    for caption, table in zip(page.table_captions, page.tables, strict=True):
        contest = contest_of(caption)
        if contest is None or contest not in dict(ctx.ballots):
            raise _fail(parsed, f"has a table under {caption!r}, which names no contest of {ctx.election_id}")
        try:
            lines, votes = parse_protocol_table(table, lang)
        except LayoutError as exc:
            raise _fail(parsed, f"has a protocol table whose layout changed: {exc}") from exc
        stray = sorted(set(votes) - set(ctx.options_of(contest)))
        if stray or "registered" not in lines:
            raise _fail(
                parsed,
                f"({contest}) "
                + (
                    f"names options not on the ballot: {stray}"
                    if stray
                    else "gives no number of registered voters"
                ),
            )
        parsed.results += [
            _result_row(ctx, contest, "pec", pec, region, line, None, "final", page.published, v)
            for line, v in lines.items()
        ]
        parsed.results += [
            _result_row(ctx, contest, "pec", pec, region, "votes", o, "final", page.published, v)
            for o, v in votes.items()
        ]


_PARTY_HEADER = re.compile(r"парти|party|наименование|атауы|name", re.IGNORECASE)
_VOTES_HEADER = re.compile(r"голос|дауыс|votes?\b", re.IGNORECASE)


def _decision_columns(header: list[str]) -> tuple[int | None, int | None]:
    """Which column of a decision's table names the party and which counts its votes (shares are not votes)."""
    party = next((i for i, h in enumerate(header) if _PARTY_HEADER.search(h) and "%" not in h), None)
    votes = next((i for i, h in enumerate(header) if _VOTES_HEADER.search(h) and "%" not in h), None)
    return party, votes


def _parse_decision(page: PageContent, parsed: ParsedPage, ctx: ElectionContext, lang: str) -> None:
    """A territorial commission's decision on maslikhat results: totals in prose, votes in a party table."""
    region = _commission_region(parsed.url)
    contest = contest_of(page.title) or contest_of(page.text)
    if contest is None or contest not in dict(ctx.ballots):
        raise _fail(parsed, "names no contest of the election in its title")
    number = tec_number(page.text)
    level, unit = ("tec", f"{region}/T{number}") if number is not None else ("region", region)
    statement = parse_results_text(page.text, lang)
    votes: dict[str, int] = {}
    for table in page.tables:
        party_col, votes_col = _decision_columns(table[0])
        if party_col is None or votes_col is None:
            raise _fail(parsed, f"has a results table whose layout changed: headers {table[0]}")
        for row in table[1:]:
            if max(party_col, votes_col) >= len(row):
                continue
            try:
                votes[default_resolver().party(row[party_col])] = parse_count(row[votes_col], lang)
            except (UnknownNameError, UncertainNumber) as exc:
                raise _fail(parsed, f"has a results table row that cannot be read: {exc}") from exc
    missing = [x for x in ("registered", "ballots_issued") if x not in statement.lines]
    missing += [f"votes for {o}" for o in ctx.options_of(contest) if o not in votes]
    if missing:
        raise _fail(parsed, "is missing " + ", ".join(missing))
    parsed.results += [
        _result_row(ctx, contest, level, unit, region, line, None, "final", page.published, v)
        for line, v in statement.lines.items()
    ]
    parsed.results += [
        _result_row(ctx, contest, level, unit, region, "votes", o, "final", page.published, v)
        for o, v in votes.items()
    ]


# --- staging --------------------------------------------------------------------------------------------


PAGE_COLUMNS = [
    "url",
    "sha256",
    "first_seen_at",
    "lang",
    "page_id",
    "section",
    "kind",
    "title",
    "encoding",
    "parse_status",
    "parse_error",
    "run_id",
]
TURNOUT_COLUMNS = ["election_id", "region_code", "as_of", "turnout_pct", "lang", "url", "sha256", "run_id"]
RESULT_COLUMNS = [
    "election_id",
    "contest_id",
    "level",
    "unit_id",
    "region_code",
    "line",
    "option_id",
    "value",
    "share_pct",
    "status",
    "as_of",
    "lang",
    "url",
    "sha256",
    "run_id",
]


@dataclass
class Staged:
    """Rows for raw.pages and staging, gathered page by page and written in bulk."""

    pages: list[tuple] = field(default_factory=list)
    turnout: list[tuple] = field(default_factory=list)
    results: list[tuple] = field(default_factory=list)

    def add(
        self, parsed: ParsedPage, first_seen: datetime, run_id: str | None, error: str | None = None
    ) -> None:
        """One page version (and its rows, unless it failed: nothing of a failed page is staged)."""
        kinds = {PageKind.UNRELATED: "unrelated", PageKind.LISTING: "listing"}
        status = "failed" if error else kinds.get(parsed.kind, "parsed")
        self.pages.append(
            (
                parsed.url,
                parsed.sha256,
                first_seen,
                parsed.lang,
                page_id(parsed.url),
                page_section(parsed.url),
                parsed.kind.value,
                parsed.title,
                parsed.encoding,
                status,
                error,
                run_id,
            )
        )
        if error:
            return
        lang = parsed.lang or ""
        self.turnout += [
            (parsed.election_id, code, as_of, pct, lang, parsed.url, parsed.sha256, run_id)
            for code, as_of, pct in parsed.turnout
        ]
        self.results += [
            (
                r["election_id"],
                r["contest_id"],
                r["level"],
                r["unit_id"],
                r["region_code"],
                r["line"],
                r["option_id"],
                r["value"],
                r["share_pct"],
                r["status"],
                r["as_of"],
                lang,
                parsed.url,
                parsed.sha256,
                run_id,
            )
            for r in parsed.results
        ]

    def write(self, con: duckdb.DuckDBPyConnection) -> None:
        """Insert everything gathered (raw.pages keeps the first record of a version) and start afresh.

        One transaction: a page version is in raw.pages only with its staged rows, so a run killed halfway
        leaves the version unrecorded and the next run stages it."""
        con.execute("begin transaction")
        try:
            for table, columns, rows, verb in (
                ("raw.pages", PAGE_COLUMNS, self.pages, "insert or ignore"),
                ("staging.cec_turnout", TURNOUT_COLUMNS, self.turnout, "insert"),
                ("staging.cec_results", RESULT_COLUMNS, self.results, "insert"),
            ):
                if rows:
                    _insert_rows(con, table, columns, rows, verb)
                crashpoint("stage.table")
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        self.pages, self.turnout, self.results = [], [], []


def _insert_rows(
    con: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: list[tuple], verb: str = "insert"
) -> None:
    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns)
    con.register("_rows", frame)
    try:
        con.execute(f"{verb} into {table} by name select * from _rows")
    finally:
        con.unregister("_rows")


def stage_page(
    con: duckdb.DuckDBPyConnection,
    parsed: ParsedPage,
    first_seen: datetime,
    run_id: str | None,
    error: str | None = None,
) -> None:
    """Record one page version in raw.pages and its rows in staging (nothing staged for a failed page)."""
    staged = Staged()
    staged.add(parsed, first_seen, run_id, error)
    staged.write(con)


def election_context(
    con: duckdb.DuckDBPyConnection, election_id: str, contest_id: str = "mazhilis"
) -> ElectionContext:
    """The election's day, the regions that existed on it, and the contest's ballot, from ref."""
    day = con.execute(
        "select election_date from ref.elections where election_id = ?", [election_id]
    ).fetchone()
    if day is None:
        raise ValueError(f"unknown election id {election_id!r} (see ref.elections)")
    resolver = default_resolver()
    regions = frozenset(code for code, r in resolver.regions.items() if r.exists_on(day[0]))
    rows = con.execute(
        "select contest_id, list(option_id order by option_id) from ref.ballot_options where election_id = ? "
        "group by contest_id order by contest_id",
        [election_id],
    ).fetchall()
    ballots = tuple((contest, tuple(options)) for contest, options in rows)
    return ElectionContext(
        election_id, day[0], regions, dict(ballots).get(contest_id, ()), contest_id, ballots
    )


def recognise_election(con: duckdb.DuckDBPyConnection, dates: Iterable[date]) -> str:
    """The election whose day the pages' dates cluster after (bulletins on the day, results within weeks)."""
    elections = con.execute(
        "select election_id, election_date from ref.elections where country = 'KZ'"
    ).fetchall()
    votes: dict[str, int] = {}
    for d in dates:
        for election_id, day in elections:
            if timedelta(days=-45) <= d - day <= timedelta(days=30):
                votes[election_id] = votes.get(election_id, 0) + 1
    if not votes:
        raise ValueError("no known election within weeks of the pages' dates; pass --election-id")
    return max(votes, key=votes.get)


# --- one pass over new page versions ----------------------------------------------------------------------


@dataclass
class StageSummary:
    election_id: str | None = None
    new_versions: int = 0
    parsed: int = 0
    unrelated: int = 0
    failed: list[str] = field(default_factory=list)  # one message per page that failed, naming URL and sha256


def new_versions(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, datetime, str | None]]:
    """(url, sha256, first fetched at, content type) of every fetched body not yet recorded in raw.pages."""
    return con.execute(
        "select f.url, f.sha256, min(f.requested_at), arg_min(f.content_type, f.requested_at) "
        "from raw.fetches as f anti join raw.pages as p on p.url = f.url and p.sha256 = f.sha256 "
        "where f.status = 200 and f.sha256 is not null group by f.url, f.sha256 order by 3, 1"
    ).fetchall()


def stage_new_pages(
    con: duckdb.DuckDBPyConnection,
    archive: Archive,
    election_id: str | None,
    run_id: str | None,
    versions: list[tuple[str, str, datetime, str | None]] | None = None,
) -> StageSummary:
    """Parse every page version not seen before and stage its rows; a failing page is recorded, not fatal."""
    versions = new_versions(con) if versions is None else versions
    summary = StageSummary(new_versions=len(versions))
    if not versions:
        summary.election_id = election_id
        return summary
    if election_id is None:
        dates = []
        for url, sha, _, ctype in versions:
            if is_article(url):
                published = read_page(url, archive.get(sha), ctype).published
                if published:
                    dates.append(published.date())
        election_id = recognise_election(con, dates)
    summary.election_id = election_id
    ctx = election_context(con, election_id)
    staged = Staged()
    for url, sha, first_seen, ctype in versions:
        body = archive.get(sha)
        if not is_article(url):
            # listings, territorial commissions' pages and the like: recorded, their links already followed
            page = read_page(url, body, ctype)
            listing = ParsedPage(
                url, sha, election_id, PageKind.LISTING, page.title, page.lang, page.published, page.encoding
            )
            staged.add(listing, first_seen, run_id)
            continue
        try:
            parsed = parse_page(url, sha, body, ctype, ctx)
            error = None
        except PageParseError as exc:
            page = read_page(url, body, ctype)
            parsed = ParsedPage(
                url,
                sha,
                election_id,
                classify_page(page.title, page.text, url),
                page.title,
                page.lang,
                page.published,
                page.encoding,
            )
            error = str(exc)
            summary.failed.append(error)
        staged.add(parsed, first_seen, run_id, error)
        if error is None:
            summary.unrelated += parsed.kind == PageKind.UNRELATED
            summary.parsed += parsed.kind != PageKind.UNRELATED
    staged.write(con)
    return summary


def failed_fetches(con: duckdb.DuckDBPyConnection, run_id: str) -> list[str]:
    """URLs this run tried that never answered with a whole page or a 304, with their last error (a 200 whose
    body was refused, e.g. over the size cap or cut short, is no answer)."""
    rows = con.execute(
        "select url, arg_max(coalesce(error, 'HTTP ' || status), attempt) from raw.fetches where run_id = ? "
        "group by url having bool_and(coalesce(status, 0) not in (200, 304, 404) or error is not null) "
        "order by url",
        [run_id],
    ).fetchall()
    return [f"{url}: {error}" for url, error in rows]


def still_broken(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Why each page whose latest fetched version failed to parse failed (one message per page, naming URL
    and sha256): listed by every run until the page parses again, not only by the run that staged it.
    Core keeps such a page's last good figures (saylau.official.LATEST_PAGES)."""
    rows = con.execute(
        f"select p.parse_error from ({LATEST_FETCHED}) as v "
        "inner join raw.pages as p on p.url = v.url and p.sha256 = v.sha256 "
        "where p.parse_status = 'failed' order by p.url"
    ).fetchall()
    return [r[0] for r in rows]


def restage_from_archive(
    con: duckdb.DuckDBPyConnection, archive: Archive, election_id: str | None, run_id: str | None
) -> StageSummary:
    """Forget what was parsed and parse every archived page version again, with no network.

    Page versions are taken from ``raw.fetches`` in the order they were first fetched, so the staged rows
    (and their ``as_of``) come out as the original runs staged them.
    """
    con.execute("delete from staging.cec_turnout")
    con.execute("delete from staging.cec_results")
    con.execute("delete from raw.pages")
    return stage_new_pages(con, archive, election_id, run_id)


@dataclass
class CrawlSummary:
    pages: int = 0  # documents fetched with a body
    not_modified: int = 0
    requests: int = 0
    stage: StageSummary = field(default_factory=StageSummary)


def crawl(
    con: duckdb.DuckDBPyConnection,
    fetcher: Fetcher,
    shape: SiteShape,
    archive: Archive,
    run_id: str | None,
    election_id: str | None = None,
    workers: int = 8,
    revisit_after: float = 1800.0,
) -> CrawlSummary:
    """One whole incremental pass without Prefect (what the election-night flow does in batches):
    discover, fetch conditionally, archive, record, parse and stage what changed."""
    validators = known_validators(con)
    known = latest_versions(con)

    def archived(url: str) -> bytes | None:
        return archive.get(known[url]) if url in known else None

    found = discover(fetcher, shape, known, absent_urls(con), validators, archived, workers)
    results = fetch_batch(fetcher, select_due(found, last_checked(con), revisit_after), validators, workers)
    everything = found.listings + found.probes + results
    record_fetches(con, everything, archive, run_id)
    summary = CrawlSummary(
        pages=sum(r.ok for r in results),
        not_modified=sum(r.not_modified for r in everything),
        requests=sum(len(r.attempts) for r in everything),
    )
    summary.stage = stage_new_pages(con, archive, election_id, run_id)
    return summary
