"""The CLI verbs that write the warehouse run the pipeline's jobs: each takes the writer lock, records its
run, rebuilds the marts and publishes, and a killed one is shown as crashed (issue 14's drift)."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys

import duckdb
from typer.testing import CliRunner

from saylau.cli import app
from tests.precincts.samples import TABLE, izbirkom_csv
from tests.test_observers import copy, write_csv

runner = CliRunner()


def _query(db, sql):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_load_observers_from_the_cli_rebuilds_the_marts_and_publishes(tmp_path, build_settings):
    path = write_csv(tmp_path / "haq.csv", [copy(1), copy(2)])
    build = tmp_path / "b"
    args = ["load-observers", str(path), "--election-id", "kz-2021-01-10", "--build-dir", str(build)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    ((checksums,),) = _query(
        build / "work" / "saylau.duckdb", "select mart_checksums from meta.runs where flow = 'load_observers'"
    )
    marts = json.loads(checksums)
    assert marts["marts.observer_sample_summary"]["rows"] > 0  # the marts were rebuilt with the copies
    published = build / "published" / "saylau.duckdb"
    assert (
        _query(published, "select count(*) from marts.observer_sample_summary")[0][0]
        == (marts["marts.observer_sample_summary"]["rows"])
    )


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_killed_import_precincts_is_shown_crashed_and_leaves_the_published_file_whole(tmp_path):
    table = tmp_path / "ru.csv"
    table.write_bytes(izbirkom_csv(TABLE))
    build = tmp_path / "b"
    args = ["import-precincts", str(table), "--election-id", "ru-2011-12-04", "--build-dir", str(build)]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    published = build / "published" / "saylau.duckdb"
    before = _sha(published)

    # the same import again, killed (a real SIGKILL) while it rebuilds the marts
    env = {**os.environ, "SAYLAU_CRASH_AT": "marts.phase"}
    cmd = [sys.executable, "-c", "from saylau.cli import app; app()", *args]
    killed = subprocess.run(cmd, env=env, capture_output=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()[-2000:]
    assert _sha(published) == before  # the analysts' file is the previous one, byte for byte

    # the next job that takes the warehouse marks the dead import crashed
    assert runner.invoke(app, ["marts", "--build-dir", str(build)]).exit_code == 0
    statuses = _query(
        build / "work" / "saylau.duckdb",
        "select status from meta.runs where flow = 'import_precincts' order by started_at",
    )
    assert statuses == [("completed",), ("crashed",)]


def test_runs_killed_while_publishing_are_shown_as_what_happened(tmp_path):
    """Issue 22: a run killed before its published copy is renamed into place is 'publishing', then
    'crashed'; one killed after it is 'completed', as the published file says. Neither is 'completed' in
    the working file before the copy is in place."""
    table = tmp_path / "ru.csv"
    table.write_bytes(izbirkom_csv(TABLE))
    build = tmp_path / "b"
    args = ["import-precincts", str(table), "--election-id", "ru-2011-12-04", "--build-dir", str(build)]
    assert runner.invoke(app, args).exit_code == 0
    work, published = build / "work" / "saylau.duckdb", build / "published" / "saylau.duckdb"
    cmd = [sys.executable, "-c", "from saylau.cli import app; app()", *args]
    statuses = "select status from meta.runs where flow = 'import_precincts' order by started_at"

    # killed with the copy written whole under its temporary name, before the rename
    before = _sha(published)
    killed = subprocess.run(cmd, env={**os.environ, "SAYLAU_CRASH_AT": "publish.temp"}, capture_output=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()[-2000:]
    assert _sha(published) == before
    assert _query(work, statuses) == [("completed",), ("publishing",)]

    # killed after the rename, while the marts' Parquet files are written
    killed = subprocess.run(
        cmd, env={**os.environ, "SAYLAU_CRASH_AT": "publish.parquet"}, capture_output=True
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()[-2000:]
    # this run, starting, found the first one's copy had not landed (crashed); its own copy, in place, says
    # it completed, while the working file still says it was publishing
    assert _query(published, statuses) == [("completed",), ("crashed",), ("completed",)]
    assert _query(work, statuses) == [("completed",), ("crashed",), ("publishing",)]

    # the next job settles it by the published file: its copy landed
    assert runner.invoke(app, ["marts", "--build-dir", str(build)]).exit_code == 0
    assert _query(work, statuses) == [("completed",), ("crashed",), ("completed",)]
