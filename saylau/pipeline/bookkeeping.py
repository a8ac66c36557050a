"""Run bookkeeping, written once for every job that writes the warehouse.

:func:`job` holds the working database's writer lock for the whole run, creates the warehouse and loads
the reference data, settles runs that died holding the lock (crashed, or completed when one died after its
published copy was in place), and records this run as started; :meth:`Run.finish` rebuilds the marts,
records how the run ended (the inputs' hash, each mart's checksum; 'publishing' until the published copy,
which carries the final status, is in place) and publishes. A run that raises is recorded as failed,
whatever step it was in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from saylau import marts, publish, reference, runs, warehouse
from saylau.config import Settings
from saylau.crashpoints import crashpoint
from saylau.pipeline.steps import PLAIN, Steps

# Every job here holds the writer lock for its whole run (saylau.runs.mark_crashed reads this list).
JOBS = runs.LOCKED_FLOWS


def prepare_warehouse(db_path: Path) -> dict[str, int]:
    """Create the warehouse from sql/00_setup and (re)load the reference data; returns ref row counts."""
    warehouse.create_warehouse(db_path)
    with warehouse.connect(db_path) as con:
        return reference.load_reference(con)


def build_marts(db_path: Path) -> dict[str, marts.MartChecksum]:
    """Rebuild every mart and run the data checks; returns each mart's checksum."""
    with warehouse.connect(db_path) as con:
        return marts.build_marts(con)


def publish_warehouse(
    db_path: Path, published_db: Path, parquet_dir: Path, finished_run: tuple[str, str] | None = None
) -> publish.PublishResult:
    """Atomically replace the published database and its Parquet files (``finished_run``: the run's id and
    final status, written into the copy)."""
    return publish.publish(db_path, published_db, parquet_dir, finished_run)


def page_inputs(db_path: Path) -> list[str]:
    """The sha256 of every CEC page version the warehouse holds (a scraping run's inputs)."""
    with warehouse.connect(db_path, read_only=True) as con:
        return [r[0] for r in con.execute("select distinct sha256 from raw.pages").fetchall()]


def all_inputs(db_path: Path) -> list[str]:
    """The sha256 of every page version and file the warehouse holds."""
    with warehouse.connect(db_path, read_only=True) as con:
        return [
            r[0]
            for r in con.execute("select sha256 from raw.files union select sha256 from raw.pages").fetchall()
        ]


@dataclass
class Run:
    """One run of a job: its settings, how steps run, and what it has recorded so far."""

    run_id: str
    s: Settings
    steps: Steps
    checksums: dict[str, marts.MartChecksum] = field(default_factory=dict)
    finished: bool = False

    def step(self, name: str, fn, *args, **kwargs):
        return self.steps.call(name, fn, *args, **kwargs)

    def finish(
        self,
        inputs: Iterable[str],
        failures: list[str] | None = None,
        publish: bool = True,
        crash_point: str | None = None,
    ) -> dict[str, marts.MartChecksum]:
        """Rebuild the marts, record the run's end (failed when ``failures`` lists anything, each named) and,
        unless ``publish=False``, publish the warehouse: the run is 'publishing' while it copies, the copy
        carries its final status, and the working file takes that status once the copy is in place (a run
        killed in between is settled by the next: :func:`saylau.runs.mark_crashed`)."""
        db = self.s.work_db
        self.checksums = self.step("build-marts", build_marts, db)
        status = "failed" if failures else "completed"
        error = "\n".join(failures[:50]) if failures else None
        recorded = runs.PUBLISHING if publish else status
        runs.finish_run(db, self.run_id, recorded, runs.input_manifest_hash(inputs), self.checksums, error)
        self.finished = True
        if publish:
            self.step(
                "publish",
                publish_warehouse,
                db,
                self.s.published_db,
                self.s.parquet_dir,
                (self.run_id, status),
            )
            runs.set_status(db, self.run_id, status)
            if crash_point:
                crashpoint(crash_point)
        return self.checksums


@contextmanager
def job(s: Settings, name: str, parameters: Mapping | None = None, steps: Steps = PLAIN) -> Iterator[Run]:
    """Hold the warehouse for one run of job ``name`` and record it in ``meta.runs`` (see module doc)."""
    if name not in JOBS:
        raise ValueError(f"{name!r} is not a job of saylau.runs.LOCKED_FLOWS: add it there")
    db = s.work_db
    with warehouse.writer_lock(db):  # a scheduled run overlapping this one waits for it
        steps.call("prepare-warehouse", prepare_warehouse, db)
        # holding the writer lock: a 'running' or 'publishing' row is a dead run's
        runs.mark_crashed(db, published_db=s.published_db)
        run = Run(runs.start_run(db, name, parameters, run_id=steps.run_id()), s, steps)
        try:
            yield run
        except BaseException as exc:
            runs.finish_run(db, run.run_id, "failed", error=f"{type(exc).__name__}: {exc}")
            raise
