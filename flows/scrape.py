"""The ``election_night`` flow: :func:`saylau.pipeline.election_night` as a Prefect flow (each step a task,
fetch batches fanned out on the task runner: threads by default, ``dask`` via prefect-dask)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from prefect import flow
from prefect.task_runners import ThreadPoolTaskRunner

from flows.tasks import PrefectSteps
from saylau import pipeline
from saylau.config import Settings, settings
from saylau.pipeline import NightOutcome, ScrapeFailed
from saylau.scrape import DEFAULT_BASE_URL

__all__ = ["NightOutcome", "ScrapeFailed", "election_night", "task_runner"]


def task_runner(name: str = "threads", workers: int = 4):
    """The task runner setting: 'threads' (default) or 'dask' (prefect-dask, a local cluster)."""
    if name == "dask":
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "processes": True})
    return ThreadPoolTaskRunner(max_workers=workers)


def build_settings(build_dir: str | None, db: str | None) -> Settings:
    base = settings()
    return Settings(
        build_dir=Path(build_dir) if build_dir else base.build_dir,
        db_override=Path(db) if db else base.db_override,
    )


@flow(name="election_night", log_prints=False)
def election_night(
    base_url: str = DEFAULT_BASE_URL,
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
    """Fetch what changed on the CEC site, stage and validate it, rebuild marts, publish and report.

    Pages that could not be fetched or parsed make the run fail *after* everything else was published."""
    options = pipeline.NightOptions.from_parameters(
        base_url,
        election_id,
        requests_per_second,
        max_concurrency,
        batch_size,
        workers,
        read_timeout,
        retry_after_max,
        backoff_base,
        revisit_after,
    )
    try:
        outcome = pipeline.election_night(build_settings(build_dir, db), options, PrefectSteps())
    except ScrapeFailed as exc:
        print(exc.outcome.summary_line(), flush=True)  # the serve terminal's line for this run
        raise
    except Exception as exc:
        reason = (str(exc).splitlines() or [""])[0][:200]
        print(
            f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC run failed: {type(exc).__name__}: {reason}",
            flush=True,
        )
        raise
    print(outcome.summary_line(), flush=True)
    return outcome
