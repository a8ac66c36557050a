"""The ``import_precincts`` flow: :func:`saylau.pipeline.import_precincts` under Prefect."""

from __future__ import annotations

from prefect import flow

from flows.scrape import build_settings
from flows.tasks import PrefectSteps
from saylau import pipeline


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
) -> list:
    """Import a precinct table, rebuild the marts (forensics included), record the run and publish."""
    s = build_settings(build_dir, None)
    outcome = pipeline.import_precincts(
        s, path, fmt, election_id, contest, leader, source, publish, PrefectSteps()
    )
    return outcome.results
