"""Publishing: an atomic, read-only copy for analysts, and Parquet files of every mart."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import textwrap
import time

import duckdb
import pytest

from saylau import marts, publish, warehouse
from saylau.config import REFERENCE_DATA_DIR

# every contest of the reference data: what marts.elections holds after any build
CONTESTS = len((REFERENCE_DATA_DIR / "contests.csv").read_text(encoding="utf-8").strip().splitlines()) - 1


def _build_and_publish(db, s):
    with warehouse.connect(db) as con:
        marts.build_marts(con)
    return publish.publish(db, s.published_db, s.parquet_dir)


def test_published_file_holds_marts_but_not_staging(ref_warehouse, build_settings):
    result = _build_and_publish(ref_warehouse, build_settings)
    con = duckdb.connect(str(result.database), read_only=True)
    schemas = {r[0] for r in con.execute("select schema_name from information_schema.schemata").fetchall()}
    assert {"ref", "core", "marts", "meta", "quarantine"} <= schemas and "staging" not in schemas
    assert con.execute("select count(*) from marts.elections").fetchone()[0] == CONTESTS
    con.close()
    names = sorted(p.stem for p in result.parquet_files)
    assert names == sorted(t.split(".")[1] for t in result.tables if t.startswith("marts."))
    parquet = duckdb.sql(
        f"select count(*) from '{build_settings.parquet_dir / 'elections.parquet'}'"
    ).fetchone()[0]
    assert parquet == CONTESTS


READER = textwrap.dedent(
    """
    import json, sys, time, duckdb
    path, stop_file, min_reads, contests = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    reads, errors, seen = 0, [], set()
    deadline = time.time() + 120
    import os
    while time.time() < deadline and (reads < min_reads or not os.path.exists(stop_file)):
        try:
            con = duckdb.connect(path, read_only=True)
            n = con.execute("select count(*) from marts.elections").fetchone()[0]
            runs = con.execute("select count(*) from meta.runs").fetchone()[0]
            con.close()
            if n != contests:
                errors.append(f"half-built state: {n} contests")
            seen.add(runs)
            reads += 1
        except Exception as exc:  # any error is a failure of the publishing scheme
            errors.append(repr(exc))
    print(json.dumps({"reads": reads, "errors": errors[:5], "seen": sorted(seen)}))
    """
)


def test_reader_queries_published_file_while_pipeline_writes(ref_warehouse, build_settings, tmp_path):
    _build_and_publish(ref_warehouse, build_settings)
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(build_settings.published_db), str(stop), "20", str(CONTESTS)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        for i in range(4):
            # the pipeline holds the working file for writing (which locks out every other process) ...
            with warehouse.connect(ref_warehouse) as con:
                con.execute(
                    "insert into meta.runs (run_id, flow, started_at, status, code_version) "
                    "values (?, 'test', now(), 'completed', 'x')",
                    [f"run-{i}"],
                )
                marts.build_marts(con)
                time.sleep(0.2)
            # ... and publishes a new copy while the reader keeps querying the old one
            publish.publish(ref_warehouse, build_settings.published_db, build_settings.parquet_dir)
    finally:
        stop.touch()
        out, _ = reader.communicate(timeout=150)
    report = json.loads(out)
    assert report["errors"] == []
    assert report["reads"] >= 20
    assert set(report["seen"]) <= {0, 1, 2, 3, 4}


def test_failed_publish_leaves_previous_file_untouched(ref_warehouse, build_settings, tmp_path):
    _build_and_publish(ref_warehouse, build_settings)
    before = hashlib.sha256(build_settings.published_db.read_bytes()).hexdigest()
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"this is not a duckdb file" * 100)
    with pytest.raises(duckdb.Error):
        publish.publish(broken, build_settings.published_db, build_settings.parquet_dir)
    assert hashlib.sha256(build_settings.published_db.read_bytes()).hexdigest() == before
    current_parquet = build_settings.parquet_dir.resolve()  # the hidden folder of the Parquet set in place
    assert [
        p.name
        for p in build_settings.published_dir.iterdir()
        if p.name.startswith(".") and p != current_parquet
    ] == []


def test_parquet_files_are_replaced_as_one_set(ref_warehouse, build_settings):
    pq = build_settings.parquet_dir
    pq.mkdir(parents=True)  # a plain folder, as publishing left it before sets were swapped
    (pq / "dropped_mart.parquet").write_bytes(b"stale")
    _build_and_publish(ref_warehouse, build_settings)
    first = pq.resolve()
    assert pq.is_symlink() and first.parent == build_settings.published_dir
    assert not (pq / "dropped_mart.parquet").exists() and (pq / "elections.parquet").exists()
    leftover = build_settings.published_dir / ".parquet-killed"  # what a killed publisher leaves
    leftover.mkdir()
    (build_settings.published_dir / ".saylau.duckdb.killed.tmp").write_bytes(b"partial")
    _build_and_publish(ref_warehouse, build_settings)
    assert pq.resolve() != first and not first.exists()  # the new set in place, the previous one removed
    hidden = sorted(p.name for p in build_settings.published_dir.iterdir() if p.name.startswith("."))
    assert hidden == [pq.resolve().name]
