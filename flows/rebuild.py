"""The ``rebuild`` flow: :func:`saylau.pipeline.rebuild` (everything from the archive, offline) under Prefect."""

from __future__ import annotations

from prefect import flow

from flows.scrape import build_settings
from flows.tasks import PrefectSteps
from saylau import pipeline
from saylau.pipeline import NightOutcome


@flow(name="rebuild", log_prints=False)
def rebuild(
    election_id: str | None = None, db: str | None = None, build_dir: str | None = None
) -> NightOutcome:
    """Re-parse every archived page and repeat every recorded file load (no network), re-validate,
    rebuild the marts and publish."""
    return pipeline.rebuild(build_settings(build_dir, db), election_id, PrefectSteps())
