"""Scraping flows: one pass over a CEC-shaped site (``scrape_cec``) and the election-night run that ends with
validated core, rebuilt marts and a fresh published file (``election_night``).

Fan-out is batched: one fetch task per batch of pages, never one per page. The task runner is a setting
(threads by default; ``dask`` uses prefect-dask's DaskTaskRunner). Fetching is never cached across runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner

from flows.artifacts import report_and_artifacts
from flows.tasks import build_marts, prepare_warehouse, publish_warehouse
from saylau import official, runs, scrape, warehouse
from saylau.archive import Archive
from saylau.config import Settings, settings
from saylau.crashpoints import crashpoint
from saylau.fetch import FetchPolicy, FetchResult, LiveFetcher, Validators


class ScrapeFailed(RuntimeError):
    """Some pages could not be fetched or parsed; everything else was staged and published."""


@dataclass
class NightOutcome:
    run_id: str
    election_id: str | None
    fetched: int = 0
    not_modified: int = 0
    new_versions: int = 0
    staged_pages: int = 0
    failures: list[str] = field(default_factory=list)
    published_db: Path | None = None
    report: Path | None = None


def _strip_and_archive(results: list[FetchResult], archive_dir: Path) -> list[FetchResult]:
    archive = Archive(archive_dir)
    for result in results:
        if result.ok:
            archive.put(result.body)
            crashpoint("fetch.archived")
            result.body = None  # bodies live in the archive, not in task results
    return results


@task(name="discover-pages", cache_policy=NO_CACHE)
def discover_pages(
    shape: scrape.SiteShape,
    policy: FetchPolicy,
    archive_dir: Path,
    known: dict[str, str],
    absent: list[str],
    validators: dict[str, Validators],
    workers: int = 4,
    checked: dict | None = None,
    revisit_after: float = 1800.0,
):
    """Walk the listings and probe ID gaps; returns (URLs due this run, fetch results of listings and probes)."""
    archive = Archive(archive_dir)

    def archived(url: str) -> bytes | None:
        return archive.get(known[url]) if url in known else None

    found = scrape.discover(LiveFetcher(policy), shape, known, absent, validators, archived, workers)
    results = _strip_and_archive(found.listings + found.probes, archive_dir)
    return scrape.select_due(found, checked or {}, revisit_after), results


@task(name="fetch-batch", cache_policy=NO_CACHE, retries=0)
def fetch_batch(
    urls: list[str], validators: dict[str, Validators], policy: FetchPolicy, archive_dir: Path, workers: int
) -> list[FetchResult]:
    """Fetch one batch of pages (conditionally where seen before) and archive every body."""
    return _strip_and_archive(scrape.fetch_batch(LiveFetcher(policy), urls, validators, workers), archive_dir)


@task(name="record-and-stage", cache_policy=NO_CACHE)
def record_and_stage(
    db: Path, archive_dir: Path, results: list[FetchResult], election_id: str | None, run_id: str
) -> scrape.StageSummary:
    """Record every attempt in raw.fetches, then parse and stage every page version not seen before."""
    archive = Archive(archive_dir)
    with warehouse.connect(db) as con:
        scrape.record_fetches(con, results, archive, run_id)
        crashpoint("stage.start")
        return scrape.stage_new_pages(con, archive, election_id, run_id)


@task(name="promote-official", cache_policy=NO_CACHE)
def promote(db: Path, election_id: str, run_id: str, incremental: bool = True) -> official.PromotionSummary:
    """Validate staged CEC figures into core (quarantining what fails): the units whose pages changed since
    the last promotion, or (``incremental=False``) every unit."""
    with warehouse.connect(db) as con:
        return official.promote_official(con, election_id, run_id, incremental)


def _promote_pending(db: Path, outcome: NightOutcome, run_id: str) -> None:
    """Promote every election whose latest pages differ from what its last finished promotion read.

    A run killed, or failed with an exception, after staging and before its promotion ended left core
    behind staging; this run may have nothing new to stage, so it promotes what is staged (core is
    recomputed from staging: promoting the same rows twice changes nothing). After a normal run the list
    is empty and this costs one query."""
    with warehouse.connect(db, read_only=True) as con:
        pending = official.pending_promotions(con)
    for election_id in pending:
        promote(db, election_id, run_id)
    if outcome.election_id is None and len(pending) == 1:
        outcome.election_id = pending[0]


def task_runner(name: str = "threads", workers: int = 4):
    """The task runner setting: 'threads' (default) or 'dask' (prefect-dask, a local cluster)."""
    if name == "dask":
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "processes": True})
    return ThreadPoolTaskRunner(max_workers=workers)


def _scrape(
    s: Settings,
    revisit_after: float,
    base_url: str,
    election_id: str | None,
    policy: FetchPolicy,
    batch_size: int,
    workers: int,
    run_id: str,
) -> NightOutcome:
    db, archive_dir = s.work_db, s.archive_dir
    with warehouse.connect(db, read_only=True) as con:
        validators = scrape.known_validators(con)
        known = scrape.latest_versions(con)
        absent = sorted(scrape.absent_urls(con))
        checked = scrape.last_checked(con)
    shape = scrape.SiteShape(base_url=base_url)
    articles, listing_results = discover_pages(
        shape, policy, archive_dir, known, absent, validators, workers, checked, revisit_after
    )
    batches = [articles[i : i + batch_size] for i in range(0, len(articles), batch_size)]
    futures = [
        fetch_batch.submit(b, {u: validators[u] for u in b if u in validators}, policy, archive_dir, workers)
        for b in batches
    ]
    results = listing_results + [r for f in futures for r in f.result()]
    summary = record_and_stage(db, archive_dir, results, election_id, run_id)
    outcome = NightOutcome(
        run_id,
        summary.election_id,
        new_versions=summary.new_versions,
        staged_pages=summary.parsed,
        failures=list(summary.failed),
    )
    outcome.fetched = sum(1 for r in results if r.ok)
    outcome.not_modified = sum(1 for r in results if r.not_modified)
    with warehouse.connect(db, read_only=True) as con:
        outcome.failures += scrape.failed_fetches(con, run_id)
        outcome.failures += [e for e in scrape.still_broken(con) if e not in outcome.failures]
    if outcome.election_id and summary.new_versions:  # nothing new staged: core is already current
        promote(db, outcome.election_id, run_id)
    return outcome


@flow(name="election_night", log_prints=False)
def election_night(
    base_url: str = scrape.DEFAULT_BASE_URL,
    election_id: str | None = None,
    db: str | None = None,
    build_dir: str | None = None,
    requests_per_second: float = 2.0,
    max_concurrency: int = 2,
    batch_size: int = 200,
    workers: int = 4,
    read_timeout: float = 20.0,
    retry_after_max: float = 120.0,
    backoff_base: float = 0.5,
    revisit_after: float = 1800.0,
) -> NightOutcome:
    """Fetch what changed on the CEC site, stage and validate it, rebuild marts and publish.

    Every release and act is revalidated each run (conditionally); a territorial commission's documents
    only when a listing that links them changed, or every ``revisit_after`` seconds.

    Pages that could not be fetched or parsed are listed and make the run fail *after* everything else
    was staged, validated and published: never a silent success with zeros.
    """
    base = settings()
    s = Settings(
        build_dir=Path(build_dir) if build_dir else base.build_dir,
        db_override=Path(db) if db else base.db_override,
    )
    policy = FetchPolicy(
        requests_per_second=requests_per_second,
        max_concurrency=max_concurrency,
        read_timeout=read_timeout,
        retry_after_max=retry_after_max,
        backoff_base=backoff_base,
    )
    with warehouse.writer_lock(s.work_db):
        return _night(
            s, base_url, election_id, policy, batch_size, workers, requests_per_second, revisit_after
        )


def _night(
    s: Settings,
    base_url: str,
    election_id: str | None,
    policy: FetchPolicy,
    batch_size: int,
    workers: int,
    requests_per_second: float,
    revisit_after: float,
) -> NightOutcome:
    prepare_warehouse(s.work_db)
    runs.mark_crashed(s.work_db)  # runs killed before they ended: this one takes up their work
    params = {"base_url": base_url, "election_id": election_id, "requests_per_second": requests_per_second}
    run_id = runs.start_run(s.work_db, "election_night", params, run_id=str(flow_run.id or "") or None)
    try:
        outcome = _scrape(s, revisit_after, base_url, election_id, policy, batch_size, workers, run_id)
        _promote_pending(s.work_db, outcome, run_id)
        checksums = build_marts(s.work_db)
        with warehouse.connect(s.work_db, read_only=True) as con:
            shas = [r[0] for r in con.execute("select distinct sha256 from raw.pages").fetchall()]
        status = "failed" if outcome.failures else "completed"
        error = "\n".join(outcome.failures[:50]) if outcome.failures else None
        runs.finish_run(s.work_db, run_id, status, runs.input_manifest_hash(shas), checksums, error)
        publish_warehouse(s.work_db, s.published_db, s.parquet_dir)
        crashpoint("night.published")
        outcome.published_db = s.published_db
        if outcome.election_id:
            outcome.report = Path(
                report_and_artifacts(str(s.published_db), str(s.report_dir), outcome.election_id)
            )
    except Exception as exc:
        runs.finish_run(s.work_db, run_id, "failed", error=f"{type(exc).__name__}: {exc}")
        raise
    if outcome.failures:
        raise ScrapeFailed(f"{len(outcome.failures)} page(s) failed:\n" + "\n".join(outcome.failures[:20]))
    return outcome
