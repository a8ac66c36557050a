"""The ``load_observers`` flow: :func:`saylau.pipeline.load_observers` under Prefect."""

from __future__ import annotations

from prefect import flow

from flows.scrape import build_settings
from flows.tasks import PrefectSteps
from saylau import pipeline


@flow(name="load_observers", log_prints=False)
def load_observers_flow(
    paths: list[str],
    election_id: str,
    organisation: str | None = None,
    contest: str | None = None,
    build_dir: str | None = None,
    publish: bool = True,
) -> list:
    """Load observers' exports, rebuild the marts, record the run and publish; one result per file."""
    s = build_settings(build_dir, None)
    return pipeline.load_observers(
        s, paths, election_id, organisation, contest, publish, PrefectSteps()
    ).results
