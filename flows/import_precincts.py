"""The ``import_precincts`` flow: a precinct-level results table into the warehouse, marts rebuilt, published.

A thin layer: the task wraps :func:`saylau.precincts.import_precinct_file` (which validates, loads, records
its run in ``meta.runs`` and rebuilds the marts) and passes paths, never connections.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows.tasks import prepare_warehouse, publish_warehouse
from saylau import precincts
from saylau.config import Settings, settings


@task(name="import-precinct-table", cache_policy=NO_CACHE)
def import_precinct_table(
    db_path: Path,
    path: str,
    fmt: str,
    election_id: str,
    contest: str | None,
    leader: str | None,
    archive_dir: Path,
    source: str = "official",
) -> list[precincts.ImportResult]:
    """Import one precinct table (each contest it holds); one result per contest."""
    return precincts.import_precinct_file(
        db_path,
        Path(path),
        fmt,
        election_id,
        contest_id=contest,
        leader=leader,
        archive_dir=archive_dir,
        source=source,
    )


@flow(name="import_precincts", log_prints=False)
def import_precincts_flow(
    path: str,
    election_id: str,
    fmt: str = "izbirkom-csv",
    contest: str | None = None,
    leader: str | None = None,
    build_dir: str | None = None,
    publish: bool = True,
    source: str = "official",
) -> list[precincts.ImportResult]:
    """Import a precinct table, rebuild the marts (forensics included) and publish the warehouse."""
    s = Settings(build_dir=Path(build_dir)) if build_dir else settings()
    prepare_warehouse(s.work_db)
    results = import_precinct_table(s.work_db, path, fmt, election_id, contest, leader, s.archive_dir, source)
    if publish:
        publish_warehouse(s.work_db, s.published_db, s.parquet_dir)
    return results
