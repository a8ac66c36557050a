"""The fetch log, ``raw.fetches``: every attempt of every request, and what it tells the next run.

Keeping each fetch as it comes back (:class:`RecordingFetcher`: the body archived, the attempts in the
run's journal); recording a run's attempts (the archive's own manifest, then the table); the
validators for conditional requests; which URLs answered 404 (not probed again); which documents are due for
fetching again; the latest body of every URL; and the URLs a run could not fetch.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from saylau import manifest
from saylau.archive import Archive
from saylau.crashpoints import crashpoint
from saylau.fetch import Fetcher, FetchResult, Validators
from saylau.parse.page import is_news_article
from saylau.scrape.discovery import Discovery
from saylau.warehouse import insert_frame

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

# the sha256 of the latest body fetched for every URL (url, sha256)
LATEST_FETCHED = (
    "select url, arg_max(sha256, requested_at) as sha256 from raw.fetches "
    "where status = 200 and sha256 is not null group by url"
)


def insert_rows(
    con: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: list[tuple], verb: str = "insert"
) -> None:
    """Insert ``rows`` (tuples in the order of ``columns``) into ``table`` by column name."""
    import pandas as pd

    insert_frame(con, table, pd.DataFrame(rows, columns=columns), verb)


def attempt_rows(result: FetchResult, run_id: str | None) -> list[tuple]:
    """One ``raw.fetches`` row (in the order of FETCH_COLUMNS) per attempt of ``result``."""
    rows = []
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
    return rows


class RecordingFetcher:
    """A :class:`saylau.fetch.Fetcher` that keeps what it fetched the moment it comes back: the body into
    the archive, then the attempts into the run's journal (:func:`saylau.manifest.journal`), so a run
    killed at any moment keeps every page it fetched and the next run restores their records
    (:func:`saylau.manifest.settle_journals`) and asks for them conditionally. The body stays on the
    result (discovery reads the listings'). Safe in threads and in Dask worker processes (each process
    appends to a journal file of its own)."""

    def __init__(self, fetcher: Fetcher, archive_dir: Path, run_id: str | None) -> None:
        self.fetcher, self.archive, self.run_id = fetcher, Archive(archive_dir), run_id

    def fetch(self, url: str, validators: Validators | None = None) -> FetchResult:
        result = self.fetcher.fetch(url, validators)
        if result.ok and result.body is not None:
            self.archive.put(result.body)
            crashpoint("fetch.archived")
        if self.run_id is not None:
            rows = attempt_rows(result, self.run_id)
            manifest.journal(
                self.archive.root, self.run_id, (dict(zip(FETCH_COLUMNS, r, strict=True)) for r in rows)
            )
        return result


def record_fetches(
    con: duckdb.DuckDBPyConnection, results: Iterable[FetchResult], archive: Archive, run_id: str | None
) -> None:
    """Archive every body received and record every attempt in raw.fetches (then the run's journal, which
    held the same attempts while it fetched, is dropped)."""
    rows = []
    for result in results:
        if result.ok and result.body is not None:  # flows archive bodies as they fetch and drop them
            archive.put(result.body)
        rows += attempt_rows(result, run_id)
    # the archive's own record of the attempts first: the archive folder alone can then rebuild
    manifest.write(archive.root, manifest.FETCHES, (dict(zip(FETCH_COLUMNS, r, strict=True)) for r in rows))
    crashpoint("record.insert")
    if rows:
        insert_rows(con, "raw.fetches", FETCH_COLUMNS, rows)
    if run_id is not None:
        manifest.drop_journals(archive.root, run_id)


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


def latest_versions(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The sha256 of the latest body fetched for every URL."""
    return dict(con.execute(LATEST_FETCHED).fetchall())


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
