"""Run bookkeeping written once (saylau.pipeline.bookkeeping): every job locks, records, finishes or fails."""

from __future__ import annotations

import threading
import time

import duckdb
import pytest

from saylau import pipeline, runs, warehouse
from saylau.pipeline import bookkeeping


def _runs(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select flow, status, error, mart_checksums from meta.runs order by started_at"
        ).fetchall()
    finally:
        con.close()


def test_a_job_that_raises_is_recorded_failed_with_its_error(build_settings):
    with (
        pytest.raises(RuntimeError, match="boom"),
        pipeline.job(build_settings, "load_observers", {"paths": []}),
    ):
        raise RuntimeError("boom")
    ((flow, status, error, _),) = _runs(build_settings.work_db)
    assert (flow, status, error) == ("load_observers", "failed", "RuntimeError: boom")


def test_a_job_marks_a_dead_run_of_any_job_crashed_and_finishes_with_checksums(build_settings):
    bookkeeping.prepare_warehouse(build_settings.work_db)
    dead = runs.start_run(build_settings.work_db, "import_precincts", {})  # its process died holding the lock
    outcome = pipeline.rebuild_marts(build_settings)
    rows = _runs(build_settings.work_db)
    assert [(f, s) for f, s, _, _ in rows] == [("import_precincts", "crashed"), ("marts", "completed")]
    assert outcome.run_id != dead and "marts.election_totals" in outcome.marts
    assert "marts.election_totals" in rows[1][3]  # the checksums are recorded with the run


def test_a_name_that_is_no_locked_job_is_refused(build_settings):
    with pytest.raises(ValueError, match="LOCKED_FLOWS"), pipeline.job(build_settings, "something_else"):
        pass


def test_a_second_job_waits_for_the_writer_lock(build_settings):
    bookkeeping.prepare_warehouse(build_settings.work_db)
    order = []

    def hold():
        with warehouse.writer_lock(build_settings.work_db):
            order.append("holder in")
            time.sleep(1.0)
            order.append("holder out")

    class Recording(pipeline.Steps):
        def call(self, name, fn, *args, **kwargs):
            order.append(name)
            return fn(*args, **kwargs)

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.2)
    pipeline.rebuild_marts(build_settings, Recording())
    holder.join()
    assert order == ["holder in", "holder out", "prepare-warehouse", "build-marts"]


def test_steps_run_each_step_and_fan_out_in_order():
    seen = []
    steps = pipeline.Steps(workers=3)
    assert steps.call("one", lambda a, b=0: a + b, 1, b=2) == 3
    assert steps.fan_out("many", lambda x: seen.append(x) or x * x, [(i,) for i in range(7)]) == [
        i * i for i in range(7)
    ]
    assert sorted(seen) == list(range(7))


def test_timed_steps_add_up_each_step_by_name():
    steps = pipeline.TimedSteps()
    steps.call("nap", time.sleep, 0.05)
    steps.call("nap", time.sleep, 0.05)
    steps.fan_out("batch", time.sleep, [(0.01,)])
    assert steps.seconds["nap"] >= 0.1 and set(steps.seconds) == {"nap", "batch"}
