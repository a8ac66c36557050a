"""One whole incremental pass over the site without Prefect: discover, fetch what is due, archive and record
every attempt, then parse and stage what changed.

The election-night flow (``flows/scrape.py``) runs the same steps in batches, as tasks; benchmarks and tests
run this one call.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from saylau.archive import Archive
from saylau.fetch import Fetcher
from saylau.scrape.discovery import SiteShape, discover, fetch_batch
from saylau.scrape.fetchlog import (
    absent_urls,
    known_validators,
    last_checked,
    latest_versions,
    record_fetches,
    select_due,
)
from saylau.scrape.staging import StageSummary, stage_new_pages


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
