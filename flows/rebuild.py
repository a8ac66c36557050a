"""Rebuild everything from the archive, offline: re-parse every fetched page version, validate, marts, publish."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows.scrape import NightOutcome, promote
from flows.tasks import build_marts, prepare_warehouse, publish_warehouse
from saylau import manifest, runs, scrape, warehouse
from saylau.archive import Archive
from saylau.config import Settings, settings
from saylau.observers import pii_salt


@task(name="restage-from-archive", cache_policy=NO_CACHE)
def restage(db: Path, archive_dir: Path, election_id: str | None, run_id: str) -> scrape.StageSummary:
    """Put back the fetch attempts the warehouse lacks (all, on a fresh clone) from the archive's manifest,
    then re-parse every archived page version."""
    with warehouse.connect(db) as con:
        manifest.restore_fetches(con, archive_dir)
        return scrape.restage_from_archive(con, Archive(archive_dir), election_id, run_id)


@task(name="replay-file-loads", cache_policy=NO_CACHE)
def replay_loads(s: Settings, run_id: str) -> list[str]:
    """Repeat the observer-file loads and precinct-table imports the warehouse lacks, from archived bytes."""
    return manifest.replay_loads(s.work_db, s.archive_dir, run_id, pii_salt(s))


@flow(name="rebuild", log_prints=False)
def rebuild(
    election_id: str | None = None, db: str | None = None, build_dir: str | None = None
) -> NightOutcome:
    """Re-parse every archived page and repeat every recorded file load (no network), re-validate,
    rebuild the marts and publish. Works in the warehouse that made the archive or, from the archive
    folder alone, in a fresh one."""
    base = settings()
    s = Settings(
        build_dir=Path(build_dir) if build_dir else base.build_dir,
        db_override=Path(db) if db else base.db_override,
    )
    with warehouse.writer_lock(s.work_db):
        return _rebuild(s, election_id)


def _rebuild(s: Settings, election_id: str | None) -> NightOutcome:
    prepare_warehouse(s.work_db)
    runs.mark_crashed(s.work_db)  # holding the writer lock: a 'running' row is a dead run's
    run_id = runs.start_run(
        s.work_db, "rebuild", {"election_id": election_id}, run_id=str(flow_run.id or "") or None
    )
    try:
        summary = restage(s.work_db, s.archive_dir, election_id, run_id)
        if summary.election_id:
            promote(s.work_db, summary.election_id, run_id, incremental=False)  # every page was re-parsed
        replay_loads(s, run_id)
        checksums = build_marts(s.work_db)
        with warehouse.connect(s.work_db, read_only=True) as con:
            shas = [r[0] for r in con.execute("select distinct sha256 from raw.pages").fetchall()]
        runs.finish_run(s.work_db, run_id, "completed", runs.input_manifest_hash(shas), checksums)
        publish_warehouse(s.work_db, s.published_db, s.parquet_dir)
    except Exception as exc:
        runs.finish_run(s.work_db, run_id, "failed", error=f"{type(exc).__name__}: {exc}")
        raise
    return NightOutcome(
        run_id,
        summary.election_id,
        new_versions=summary.new_versions,
        staged_pages=summary.parsed,
        failures=summary.failed,
        published_db=s.published_db,
    )
