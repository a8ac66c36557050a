"""meta.runs records what ran, with which code and inputs, and what it wrote."""

from __future__ import annotations

import json
import re

from saylau import marts, runs, warehouse


def test_run_row_records_code_inputs_and_checksums(ref_warehouse):
    run_id = runs.start_run(ref_warehouse, "unit-test", {"election_id": "kz-2021-01-10"})
    with warehouse.connect(ref_warehouse) as con:
        checksums = marts.build_marts(con)
    runs.finish_run(
        ref_warehouse,
        run_id,
        "completed",
        input_hash=runs.input_manifest_hash(["b", "a"]),
        checksums=checksums,
    )
    with warehouse.connect(ref_warehouse, read_only=True) as con:
        row = con.execute(
            "select flow, status, code_version, parameters, input_manifest_hash, mart_checksums, "
            "finished_at >= started_at from meta.runs where run_id = ?",
            [run_id],
        ).fetchone()
    flow, status, code, params, inputs, mart_sums, ordered = row
    assert (flow, status, ordered) == ("unit-test", "completed", True)
    assert re.fullmatch(r"[0-9a-f]{40}(-dirty)?|saylau-[\d.]+", code)
    assert json.loads(params) == {"election_id": "kz-2021-01-10"}
    assert inputs == runs.input_manifest_hash(["a", "b", "a"])
    recorded = json.loads(mart_sums)
    assert set(recorded) == set(checksums) and "marts.election_totals" in recorded
    assert recorded["marts.elections"]["checksum"] == checksums["marts.elections"].checksum


def test_manifest_hash_depends_on_inputs():
    assert runs.input_manifest_hash(["a"]) != runs.input_manifest_hash(["a", "b"])


def test_runs_a_killed_process_left_running_are_marked_crashed(ref_warehouse):
    dead = runs.start_run(ref_warehouse, "election_night", {})
    done = runs.start_run(ref_warehouse, "election_night", {})
    runs.finish_run(ref_warehouse, done, "completed")
    unlocked = runs.start_run(ref_warehouse, "unit-test", {})  # no job of the pipeline: may still be alive
    assert runs.mark_crashed(ref_warehouse) == [dead]
    assert runs.mark_crashed(ref_warehouse) == []
    with warehouse.connect(ref_warehouse, read_only=True) as con:
        status = dict(con.execute("select run_id, status from meta.runs").fetchall())
    assert status == {dead: "crashed", done: "completed", unlocked: "running"}


def test_a_run_killed_while_publishing_is_completed_when_its_copy_landed_else_crashed(
    ref_warehouse, tmp_path
):
    """Issue 22: a run killed during publish is not shown 'completed' unless the published file proves it."""
    from saylau import publish

    landed = runs.start_run(ref_warehouse, "election_night", {})
    runs.finish_run(ref_warehouse, landed, runs.PUBLISHING)
    published = tmp_path / "published" / "saylau.duckdb"
    publish.publish(ref_warehouse, published, tmp_path / "published" / "parquet", (landed, "completed"))
    lost = runs.start_run(ref_warehouse, "election_night", {})  # killed before its copy was renamed
    runs.finish_run(ref_warehouse, lost, runs.PUBLISHING, error="http://x/a: HTTP 500")

    with warehouse.connect(published, read_only=True) as con:  # the copy says how its run ended
        assert con.execute("select status from meta.runs where run_id = ?", [landed]).fetchone() == (
            "completed",
        )
    assert runs.mark_crashed(ref_warehouse) == []  # not knowing the published file, it settles neither
    assert runs.mark_crashed(ref_warehouse, published_db=published) == [lost]
    with warehouse.connect(ref_warehouse, read_only=True) as con:
        rows = {
            r: (s, e) for r, s, e in con.execute("select run_id, status, error from meta.runs").fetchall()
        }
    assert rows[landed] == ("completed", None)
    status, error = rows[lost]
    assert status == "crashed" and "while publishing" in error and error.endswith("http://x/a: HTTP 500")
