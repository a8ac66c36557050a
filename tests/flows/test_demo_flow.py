"""The demo flow end to end on a temporary Prefect server: the whole pipeline, publish, meta.runs, and
failure safety."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil

import duckdb
import pytest

from demo.flow import demo_flow
from flows.rebuild import rebuild
from saylau import warehouse
from saylau.config import Settings
from saylau.marts import DataCheckError
from saylau.reference import REFERENCE_DATA_DIR

pytestmark = [pytest.mark.flow, pytest.mark.xdist_group("prefect"), pytest.mark.slow]


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """One whole demo flow (the double scraped, files loaded, marts, publish), shared by this module's tests;
    a test that runs again works on a copy of its build folder."""
    s = Settings(build_dir=tmp_path_factory.mktemp("demo_flow") / "build")
    return s, demo_flow(build_dir=str(s.build_dir))


def copy_build(s: Settings, tmp_path) -> Settings:
    copy = Settings(build_dir=tmp_path / "build")
    shutil.copytree(s.build_dir, copy.build_dir, symlinks=True)
    return copy


def test_demo_flow_runs_the_whole_pipeline_and_records_the_run(demo_run, tmp_path, monkeypatch):
    shared, outcome = demo_run
    build_settings = copy_build(shared, tmp_path)
    monkeypatch.setenv("SAYLAU_BUILD_DIR", str(build_settings.build_dir))
    with (REFERENCE_DATA_DIR / "official_totals.csv").open(encoding="utf-8") as f:
        official = {
            r["item"]: int(r["value"])
            for r in csv.DictReader(f)
            if r["election_id"] == "kz-2021-01-10" and r["item"] in ("registered", "ballots_issued")
        }
    con = duckdb.connect(str(build_settings.published_db), read_only=True)
    try:
        run = con.execute(
            "select flow, status, input_manifest_hash, mart_checksums from meta.runs where run_id = ?",
            [outcome.run_id],
        ).fetchone()
        totals = con.execute(
            "select level, precincts, registered, ballots_issued from marts.election_totals "
            "where election_id = 'kz-2021-01-10' and contest = 'mazhilis'"
        ).fetchone()
        turnout_hours = con.execute("select count(distinct as_of) from core.turnout_official").fetchone()[0]
        observers = con.execute(
            "select count(distinct source) from core.protocol_values where source <> 'official'"
        ).fetchone()[0]
    finally:
        con.close()
    assert run[0:2] == ("demo", "completed") and len(run[2]) == 64
    contests = len((REFERENCE_DATA_DIR / "contests.csv").read_text(encoding="utf-8").strip().splitlines()) - 1
    assert json.loads(run[3])["marts.elections"]["rows"] == contests
    assert totals == ("pec", 10_060, official["registered"], official["ballots_issued"])
    assert turnout_hours == 7 and outcome.pages_parsed > 0 and observers >= 1
    # the run id is Prefect's flow-run id, so the UI and meta.runs point at the same run
    assert len(outcome.run_id) == 36

    # a rerun over the same inputs rebuilds every mart to the same content; marts.data_quality is the log of
    # validation per run, so it grows by the new run's rows
    again = demo_flow(build_dir=str(build_settings.build_dir), scrape_site=False)
    first = {k: v.checksum for k, v in outcome.marts.items() if k != "marts.data_quality"}
    assert {k: v.checksum for k, v in again.marts.items() if k != "marts.data_quality"} == first


def _published_run(db, run_id: str) -> tuple[str, dict, list]:
    with duckdb.connect(str(db), read_only=True) as con:
        code, checksums = con.execute(
            "select code_version, mart_checksums from meta.runs where run_id = ?", [run_id]
        ).fetchone()
        quality = con.execute(
            "select table_name, rule, severity, sum(failed_rows) from marts.data_quality group by all order by all"
        ).fetchall()
    return code, json.loads(checksums), quality


def test_the_archive_folder_alone_rebuilds_every_mart_in_a_fresh_build(demo_run, tmp_path):
    """Issue 9.3: ``saylau rebuild`` on a fresh clone, given only the archive, reproduces the marts."""
    build_settings, outcome = demo_run
    fresh = tmp_path / "fresh-clone" / "build"
    shutil.copytree(build_settings.archive_dir, fresh / "archive")
    rebuilt = rebuild(build_dir=str(fresh))
    code, original, quality = _published_run(build_settings.published_db, outcome.run_id)
    again_code, again, again_quality = _published_run(fresh / "published" / "saylau.duckdb", rebuilt.run_id)
    # marts.data_quality is, by contract, a log per run (run_id is a column): its run ids are the rebuild's,
    # its counts the same; every other mart is the same to the checksum
    assert again.pop("marts.data_quality")["rows"] > 0 and original.pop("marts.data_quality")
    assert again == original and len(original) >= 15
    assert again_quality == quality
    assert again_code == code  # meta.runs says which code made each file


def test_run_failing_midway_leaves_published_file_untouched(demo_run, tmp_path, monkeypatch):
    build_settings = copy_build(demo_run[0], tmp_path)
    monkeypatch.setenv("SAYLAU_BUILD_DIR", str(build_settings.build_dir))
    before = _sha(build_settings.published_db)
    # bad data reaches core between runs: votes for a candidate who was not on the 2021 ballot
    with warehouse.connect(build_settings.work_db) as con:
        con.execute(
            "insert into core.protocol_values (election_id, contest_id, source, level, unit_id, line, option_id, value) "
            "values ('kz-2021-01-10', 'mazhilis', 'official', 'national', 'KZ', 'votes', 'tokayev', 10)"
        )
    with pytest.raises(DataCheckError, match="protocol_votes_on_ballot"):
        demo_flow(build_dir=str(build_settings.build_dir), scrape_site=False)
    assert _sha(build_settings.published_db) == before
    with warehouse.connect(build_settings.work_db, read_only=True) as con:
        status, error = con.execute(
            "select status, error from meta.runs order by started_at desc limit 1"
        ).fetchone()
    assert status == "failed" and "protocol_votes_on_ballot" in error
