"""Election night: one incremental pass over a CEC-shaped site, then validated core, marts, the published
file and the report. The run order lives here alone; ``flows/`` runs it as a Prefect flow, ``saylau run``
and the benchmarks run it plainly.

Order: restore the fetch records a killed run left in the archive's journal -> discover (walk the
listings, probe ID gaps) -> fetch what is due, in batches side by side, each body archived and each
attempt journaled as it arrives -> record every attempt in ``raw.fetches`` -> parse and stage every new page
version -> promote the staged CEC figures into core (and whatever an earlier, killed run left staged) ->
marts -> record the run's end -> publish -> report. Pages that could not be fetched or parsed make the run
fail *after* everything else was staged, validated and published: never a silent success with zeros.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from saylau import manifest, official, scrape, warehouse
from saylau.archive import Archive
from saylau.config import Settings
from saylau.crashpoints import crashpoint
from saylau.fetch import FetchPolicy, FetchResult, LiveFetcher, Validators
from saylau.pipeline.bookkeeping import Run, job, page_inputs
from saylau.pipeline.steps import PLAIN, Steps
from saylau.scrape.fetchlog import RecordingFetcher


class ScrapeFailed(RuntimeError):
    """Some pages could not be fetched or parsed; everything else was staged and published (``outcome``)."""

    def __init__(self, outcome: NightOutcome) -> None:
        self.outcome = outcome
        failures, contradictions = outcome.failures, len(outcome.contradictions)
        pages = len(failures) - contradictions
        said = [f"{pages} page(s) failed"] if pages else []
        said += [f"{contradictions} contradiction(s) in official figures"] if contradictions else []
        super().__init__(", ".join(said) + ":\n" + "\n".join(failures[:20]))


@dataclass
class NightOutcome:
    run_id: str
    election_id: str | None
    fetched: int = 0  # documents that came back whole (listings and probes included)
    not_modified: int = 0
    requests: int = 0  # every attempt, retries included
    new_versions: int = 0
    staged_pages: int = 0
    figures_set_aside: int = 0  # figures of staged pages not read with certainty: quarantine.cec_figures
    postponed: list[str] = field(default_factory=list)  # pages not asked this run, and why (next run asks)
    failures: list[str] = field(default_factory=list)  # pages failed, then contradictions (both fail the run)
    contradictions: list[str] = field(default_factory=list)  # official figures contradicting each other
    published_db: Path | None = None
    report: Path | None = None
    new_pages: int = 0  # URLs fetched whole for the first time this run
    changed_pages: int = 0  # URLs whose body differs from the one fetched before
    started_at: datetime | None = None  # UTC
    seconds: float | None = None  # the run's duration, publishing and report included

    def summary_line(self) -> str:
        """One line for the terminal: time, pages new/changed/failed, figures set aside, published or not,
        duration."""
        when = (self.started_at or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        published = "published" if self.published_db is not None else "not published"
        took = f"{self.seconds:.1f} s" if self.seconds is not None else "?"
        failed = len(self.failures) - len(self.contradictions)
        parts = [
            f"{when} run {self.run_id}",
            f"pages {self.new_pages} new, {self.changed_pages} changed, {failed} failed",
            f"{self.figures_set_aside} figures set aside",
        ]
        if self.contradictions:
            parts.append(f"{len(self.contradictions)} contradictions in official figures")
        if self.postponed:
            parts.append(f"{len(self.postponed)} postponed")
        parts += [published, took]
        return " | ".join(parts)


@dataclass(frozen=True)
class NightOptions:
    """What one election-night run is asked to do (the flow's and ``saylau run``'s parameters)."""

    base_url: str = scrape.DEFAULT_BASE_URL
    election_id: str | None = None
    policy: FetchPolicy = field(default_factory=FetchPolicy)
    batch_size: int = 200
    workers: int = 4
    revisit_after: float = 1800.0
    site: scrape.SiteShape | None = None  # languages, sections, probing; default: every one of base_url

    @classmethod
    def from_parameters(
        cls,
        base_url: str = scrape.DEFAULT_BASE_URL,
        election_id: str | None = None,
        requests_per_second: float = 2.0,
        max_concurrency: int = 2,
        batch_size: int = 200,
        workers: int = 4,
        read_timeout: float = 20.0,
        retry_after_max: float = 120.0,
        backoff_base: float = 0.5,
        revisit_after: float = 1800.0,
    ) -> NightOptions:
        """The options from the flat parameters the ``election_night`` flow (and a schedule) passes."""
        policy = FetchPolicy(
            requests_per_second=requests_per_second,
            max_concurrency=max_concurrency,
            read_timeout=read_timeout,
            retry_after_max=retry_after_max,
            backoff_base=backoff_base,
        )
        return cls(base_url, election_id, policy, batch_size, workers, revisit_after)

    def parameters(self) -> dict:
        return {
            "base_url": self.base_url,
            "election_id": self.election_id,
            "requests_per_second": self.policy.requests_per_second,
        }


def archive_bodies(results: list[FetchResult], archive_dir: Path) -> list[FetchResult]:
    """Drop every fetched body from the result (bodies live in the archive: the recording fetcher put each
    there as it arrived; one not archived yet is put now)."""
    archive = Archive(archive_dir)
    for result in results:
        if result.ok:
            archive.put(result.body)
            result.body = None
    return results


def restore_fetches(db: Path, archive_dir: Path) -> int:
    """Put back into raw.fetches what runs killed while fetching journaled (their bodies are archived):
    this run then asks for those pages conditionally and stages their versions. Returns the attempts."""
    with warehouse.connect(db) as con:
        return manifest.settle_journals(con, archive_dir)


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
    run_id: str | None = None,
) -> tuple[list[str], list[FetchResult]]:
    """Walk the listings and probe ID gaps; returns (URLs due this run, fetch results of listings and probes)."""
    archive = Archive(archive_dir)

    def archived(url: str) -> bytes | None:
        return archive.get(known[url]) if url in known else None

    fetcher = RecordingFetcher(LiveFetcher(policy), archive_dir, run_id)
    found = scrape.discover(fetcher, shape, known, absent, validators, archived, workers)
    results = archive_bodies(found.listings + found.probes, archive_dir)
    return scrape.select_due(found, checked or {}, revisit_after), results


def fetch_batch(
    urls: list[str],
    validators: dict[str, Validators],
    policy: FetchPolicy,
    archive_dir: Path,
    workers: int,
    run_id: str | None = None,
) -> list[FetchResult]:
    """Fetch one batch of pages (conditionally where seen before), each body archived and its attempts
    journaled as it arrives."""
    fetcher = RecordingFetcher(LiveFetcher(policy), archive_dir, run_id)
    return archive_bodies(scrape.fetch_batch(fetcher, urls, validators, workers), archive_dir)


def record_and_stage(
    db: Path, archive_dir: Path, results: list[FetchResult], election_id: str | None, run_id: str
) -> scrape.StageSummary:
    """Record every attempt in raw.fetches, then parse and stage every page version not seen before."""
    archive = Archive(archive_dir)
    with warehouse.connect(db) as con:
        scrape.record_fetches(con, results, archive, run_id)
        crashpoint("stage.start")
        return scrape.stage_new_pages(con, archive, election_id, run_id)


def promote(db: Path, election_id: str, run_id: str, incremental: bool = True) -> official.PromotionSummary:
    """Validate staged CEC figures into core (quarantining what fails): the units whose pages changed since
    the last promotion, or (``incremental=False``) every unit."""
    with warehouse.connect(db) as con:
        return official.promote_official(con, election_id, run_id, incremental)


def pending_promotions(db: Path) -> list[str]:
    """Elections whose latest pages differ from what their last finished promotion read (a run killed or
    failed between staging and promotion left them behind)."""
    with warehouse.connect(db, read_only=True) as con:
        return official.pending_promotions(con)


def run_failures(db: Path, run_id: str, staged_failures: list[str]) -> list[str]:
    """Every page this run could not fetch or parse, and every page still broken since an earlier run."""
    failures = list(staged_failures)
    with warehouse.connect(db, read_only=True) as con:
        failures += scrape.failed_fetches(con, run_id)
        failures += [e for e in scrape.still_broken(con) if e not in failures]
    return failures


def scrape_site(run: Run, options: NightOptions) -> NightOutcome:
    """Discover, fetch, archive, record, stage and promote: everything of a night run before the marts."""
    db, archive_dir, steps = run.s.work_db, run.s.archive_dir, run.steps
    steps.call("restore-fetches", restore_fetches, db, archive_dir)
    with warehouse.connect(db, read_only=True) as con:
        validators = scrape.known_validators(con)
        known = scrape.latest_versions(con)
        absent = sorted(scrape.absent_urls(con))
        checked = scrape.last_checked(con)
    shape = options.site or scrape.SiteShape(base_url=options.base_url)
    # every fetcher of this run (discovery, each batch) shares each host's robots.txt, read once
    policy, workers = replace(options.policy, run=run.run_id), options.workers
    articles, listing_results = steps.call(
        "discover-pages",
        discover_pages,
        shape,
        policy,
        archive_dir,
        known,
        absent,
        validators,
        workers,
        checked,
        options.revisit_after,
        run.run_id,
    )
    size = options.batch_size
    batches = [articles[i : i + size] for i in range(0, len(articles), size)]
    argsets = [
        (b, {u: validators[u] for u in b if u in validators}, policy, archive_dir, workers, run.run_id)
        for b in batches
    ]
    fetched = steps.fan_out("fetch-batch", fetch_batch, argsets)
    results = listing_results + [r for batch in fetched for r in batch]
    summary = steps.call(
        "record-and-stage", record_and_stage, db, archive_dir, results, options.election_id, run.run_id
    )
    outcome = NightOutcome(
        run.run_id,
        summary.election_id,
        fetched=sum(1 for r in results if r.ok),
        not_modified=sum(1 for r in results if r.not_modified),
        requests=sum(len(r.attempts) for r in results),
        new_versions=summary.new_versions,
        staged_pages=summary.parsed,
        figures_set_aside=summary.figures_set_aside,
        postponed=[f"{r.url}: {r.postponed}" for r in results if r.postponed],
        failures=run_failures(db, run.run_id, list(summary.failed)),
        new_pages=sum(1 for r in results if r.ok and r.url not in known),
        changed_pages=sum(1 for r in results if r.ok and r.url in known and known[r.url] != r.last.sha256),
    )
    promoted = []
    if outcome.election_id and summary.new_versions:  # nothing new staged: core is already current
        promoted.append(steps.call("promote-official", promote, db, outcome.election_id, run.run_id))
    # a run killed, or failed, after staging and before its promotion ended left core behind staging; this
    # run may have nothing new to stage, so it promotes what is staged (after a normal run: one query)
    pending = pending_promotions(db)
    for election_id in pending:
        promoted.append(steps.call("promote-official", promote, db, election_id, run.run_id))
    # official figures that contradict each other (a unit's votes above its ballots, regions above the
    # nation) fail the run after it publishes
    outcome.contradictions = list(dict.fromkeys(p for summary_ in promoted for p in summary_.inconsistent))
    outcome.failures += [p for p in outcome.contradictions if p not in outcome.failures]
    if outcome.election_id is None and len(pending) == 1:
        outcome.election_id = pending[0]
    return outcome


def election_night(s: Settings, options: NightOptions | None = None, steps: Steps = PLAIN) -> NightOutcome:
    """One election-night run (see the module doc); raises :class:`ScrapeFailed` after publishing when
    pages failed."""
    options = options or NightOptions()
    started_at, clock = datetime.now(UTC), time.monotonic()
    with job(s, "election_night", options.parameters(), steps) as run:
        outcome = scrape_site(run, options)
        outcome.started_at = started_at
        run.finish(page_inputs(s.work_db), outcome.failures, crash_point="night.published")
        outcome.published_db = s.published_db
        if outcome.election_id:
            outcome.report = steps.report(s.published_db, s.report_dir, outcome.election_id)
    outcome.seconds = time.monotonic() - clock
    if outcome.failures:
        raise ScrapeFailed(outcome)
    return outcome
