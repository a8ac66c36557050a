"""How a pipeline job's steps run under Prefect: each step a task (never cached), fan-outs submitted to
the flow's task runner, the run id the flow run's, and the report followed by the run's artifacts.

The jobs themselves, and their order, are :mod:`saylau.pipeline`'s; this module only wraps."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from saylau.pipeline import Steps


class PrefectSteps(Steps):
    """Steps as Prefect tasks of the running flow."""

    def __init__(self) -> None:
        super().__init__()
        self._tasks: dict[tuple[str, Callable], Any] = {}
        self._run_ids_given = 0

    def _task(self, name: str, fn: Callable) -> Any:
        key = (name, fn)
        if key not in self._tasks:
            self._tasks[key] = task(fn, name=name, cache_policy=NO_CACHE, retries=0)
        return self._tasks[key]

    def call(self, name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return self._task(name, fn)(*args, **kwargs)

    def fan_out(self, name: str, fn: Callable[..., Any], argsets: Sequence[tuple]) -> list[Any]:
        futures = [self._task(name, fn).submit(*args) for args in argsets]
        return [f.result() for f in futures]

    def run_id(self) -> str | None:
        """The flow run's id for the first job the flow runs (the demo flow runs two: election night, then
        the demo's files); a new one for any later job, since meta.runs holds one row per job run."""
        self._run_ids_given += 1
        return (str(flow_run.id or "") or None) if self._run_ids_given == 1 else None

    def report(self, published_db: Path, report_dir: Path, election_id: str) -> Path:
        from flows.artifacts import report_and_artifacts

        return Path(report_and_artifacts(str(published_db), str(report_dir), election_id))
