"""Staging parsed pages: every fetched page version not yet in ``raw.pages`` is parsed
(:mod:`saylau.parse.cec_page`) and recorded there, its rows written to ``staging.cec_turnout`` and
``staging.cec_results`` with provenance (URL, sha256, run).

Also: the election a set of pages belongs to (:func:`recognise_election`), what parsing must know of it
(:func:`election_context`, from ``ref``), restaging everything from the archive with no network, and the pages
whose latest version still fails to parse.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import duckdb

from saylau.archive import Archive
from saylau.crashpoints import crashpoint
from saylau.parse.cec_page import ElectionContext, PageParseError, ParsedPage, parse_page
from saylau.parse.classify import PageKind, classify_page
from saylau.parse.page import is_article, page_id, page_section, read_page
from saylau.reference import default_resolver
from saylau.scrape.fetchlog import LATEST_FETCHED, insert_rows
from saylau.scrape.quarantine import CEC_FIGURE_COLUMNS, figure_rows

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
    figures_set_aside: list[tuple] = field(default_factory=list)  # rows of quarantine.cec_figures

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
        self.figures_set_aside += figure_rows(parsed, run_id)
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
                ("quarantine.cec_figures", CEC_FIGURE_COLUMNS, self.figures_set_aside, "insert"),
            ):
                if rows:
                    insert_rows(con, table, columns, rows, verb)
                crashpoint("stage.table")
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        self.pages, self.turnout, self.results, self.figures_set_aside = [], [], [], []


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
    con: duckdb.DuckDBPyConnection, election_id: str, contest_id: str | None = None
) -> ElectionContext:
    """The election's day, the regions that existed on it, and the contest's ballot, from ref.

    The contest a CEC communique reports is the election's national one (the Mazhilis, the President, the
    referendum) unless ``contest_id`` says otherwise; its share rule comes from ``ref.contests``.
    """
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
    contest = con.execute(
        "select contest_id, share_denominator from ref.contests where election_id = ? "
        "order by (contest_id = coalesce(?, '')) desc, (level = 'national') desc, (contest_id = 'mazhilis') desc, "
        "contest_id limit 1",
        [election_id, contest_id],
    ).fetchone()
    contest_id, denominator = contest if contest else (contest_id or "mazhilis", "valid")
    return ElectionContext(
        election_id,
        day[0],
        regions,
        dict(ballots).get(contest_id, ()),
        contest_id,
        ballots,
        denominator,
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
    figures_set_aside: int = 0  # figures of parsed pages not read with certainty (quarantine.cec_figures)


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
            staged.add(
                ParsedPage.of(read_page(url, body, ctype), sha, election_id, PageKind.LISTING),
                first_seen,
                run_id,
            )
            continue
        try:
            parsed = parse_page(url, sha, body, ctype, ctx)
            error = None
        except PageParseError as exc:
            page = read_page(url, body, ctype)
            parsed = ParsedPage.of(page, sha, election_id, classify_page(page.title, page.text, url))
            error = str(exc)
            summary.failed.append(error)
        staged.add(parsed, first_seen, run_id, error)
        if error is None:
            summary.figures_set_aside += len(parsed.set_aside)
            summary.unrelated += parsed.kind == PageKind.UNRELATED
            summary.parsed += parsed.kind != PageKind.UNRELATED
    staged.write(con)
    return summary


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
    con.execute("delete from quarantine.cec_figures")
    con.execute("delete from raw.pages")
    return stage_new_pages(con, archive, election_id, run_id)
