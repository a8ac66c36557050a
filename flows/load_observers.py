"""The ``load_observers`` flow: observers' exports into the warehouse, then the marts rebuilt.

A thin layer: the task wraps :func:`saylau.observers.load_observers` and passes paths, never connections.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows.tasks import build_marts, prepare_warehouse
from saylau import observers, runs, warehouse
from saylau.config import Settings, settings


@task(name="load-observer-files", cache_policy=NO_CACHE)
def load_observer_files(
    db_path: Path,
    paths: list[str],
    election_id: str,
    run_id: str,
    organisation: str | None,
    contest: str | None,
    build_dir: str,
) -> list[observers.LoadResult]:
    """Load every export (files or folders); one result per file, refused files included."""
    return observers.load_observers(
        db_path,
        [Path(p) for p in paths],
        election_id=election_id,
        run_id=run_id,
        organisation=organisation,
        contest=contest,
        s=Settings(build_dir=Path(build_dir)),
    )


@flow(name="load_observers", log_prints=False)
def load_observers_flow(
    paths: list[str],
    election_id: str,
    organisation: str | None = None,
    contest: str | None = None,
    build_dir: str | None = None,
) -> list[observers.LoadResult]:
    """Load observers' exports, rebuild the marts, and record the run (inputs: the files' sha256s)."""
    s = Settings(build_dir=Path(build_dir)) if build_dir else settings()
    db = s.work_db
    params = {"paths": paths, "election_id": election_id, "organisation": organisation, "contest": contest}
    with warehouse.writer_lock(db):  # a scheduled run overlapping this one waits for it
        prepare_warehouse(db)
        runs.mark_crashed(db)  # holding the writer lock: a 'running' row is a dead run's
        run_id = runs.start_run(db, "load_observers", params, run_id=str(flow_run.id or "") or None)
        try:
            results = load_observer_files(
                db, paths, election_id, run_id, organisation, contest, str(s.build_dir)
            )
            checksums = build_marts(db)
            inputs = runs.input_manifest_hash(r.sha256 for r in results)
            runs.finish_run(db, run_id, "completed", input_hash=inputs, checksums=checksums)
        except Exception as exc:
            runs.finish_run(db, run_id, "failed", error=f"{type(exc).__name__}: {exc}")
            raise
    return results
