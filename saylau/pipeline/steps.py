"""How a job's steps are carried out: directly (plain Python, the default) or as Prefect tasks.

A job in :mod:`saylau.pipeline` says *what* runs in which order; a :class:`Steps` says *how* each step
runs. The plain one calls the function (and fans a batch out over a thread pool); ``flows/`` passes one
that wraps each step in a Prefect task, so the Prefect UI shows the same steps the plain run takes, and
neither layer re-sequences the other's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any


class Steps:
    """Plain Python: each step is a call; a fan-out runs on ``workers`` threads."""

    def __init__(self, workers: int = 4) -> None:
        self.workers = workers

    def call(self, name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run one step (``name`` is what an orchestrator shows)."""
        return fn(*args, **kwargs)

    def fan_out(self, name: str, fn: Callable[..., Any], argsets: Sequence[tuple]) -> list[Any]:
        """Run ``fn`` once per tuple of arguments, side by side; results in the order given."""
        if len(argsets) <= 1 or self.workers <= 1:
            return [fn(*args) for args in argsets]
        with ThreadPoolExecutor(max_workers=min(self.workers, len(argsets))) as pool:
            return list(pool.map(lambda args: fn(*args), argsets))

    def run_id(self) -> str | None:
        """The orchestrator's id of this run, used as ``meta.runs.run_id`` (None: a new uuid)."""
        return None

    def report(self, published_db: Path, report_dir: Path, election_id: str) -> Path:
        """Write the election's HTML report from the published file (an orchestrator adds its artifacts)."""
        from saylau.report import build_report

        return build_report(published_db, election_id, report_dir).path


PLAIN = Steps()


class DaskSteps(Steps):
    """Plain steps, with fan-outs on a local Dask cluster of worker processes (``saylau run --runner dask``)."""

    def fan_out(self, name: str, fn: Callable[..., Any], argsets: Sequence[tuple]) -> list[Any]:
        from distributed import Client, LocalCluster

        with (
            LocalCluster(
                n_workers=self.workers, processes=True, threads_per_worker=1, dashboard_address=None
            ) as cluster,
            Client(cluster) as client,
        ):
            return client.gather([client.submit(fn, *args, pure=False) for args in argsets])


class TimedSteps(Steps):
    """Plain steps that add up the wall and CPU seconds of each step by name (the benchmarks' view)."""

    def __init__(self, workers: int = 4) -> None:
        super().__init__(workers)
        self.seconds: dict[str, float] = {}
        self.cpu_seconds: dict[str, float] = {}

    def _timed(self, name: str, work: Callable[[], Any]) -> Any:
        import time

        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return work()
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - wall
            self.cpu_seconds[name] = self.cpu_seconds.get(name, 0.0) + time.process_time() - cpu

    def call(self, name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return self._timed(name, lambda: fn(*args, **kwargs))

    def fan_out(self, name: str, fn: Callable[..., Any], argsets: Sequence[tuple]) -> list[Any]:
        return self._timed(name, lambda: super(TimedSteps, self).fan_out(name, fn, argsets))

    def report(self, published_db: Path, report_dir: Path, election_id: str) -> Path:
        return self._timed(
            "report", lambda: super(TimedSteps, self).report(published_db, report_dir, election_id)
        )
