"""The import_precincts flow on a temporary Prefect server: import, forensics marts, publish."""

from __future__ import annotations

import duckdb
import pytest

from flows.import_precincts import import_precincts_flow
from tests.precincts.samples import TABLE, izbirkom_csv

pytestmark = [pytest.mark.flow, pytest.mark.xdist_group("prefect")]


def test_import_precincts_flow_publishes_forensics(build_settings, tmp_path):
    path = tmp_path / "ru.csv"
    path.write_bytes(izbirkom_csv(TABLE))
    results = import_precincts_flow(str(path), "ru-2011-12-04", build_dir=str(build_settings.build_dir))
    assert [(r.contest_id, r.rows_loaded) for r in results] == [("duma", 3)]
    con = duckdb.connect(str(build_settings.published_db), read_only=True)
    try:
        shpilkin = con.execute(
            "select leader, leader_votes from marts.forensics_shpilkin where election_id = 'ru-2011-12-04'"
        ).fetchone()
        run = con.execute(
            "select flow, status from meta.runs where run_id = ?", [results[0].run_id]
        ).fetchone()
    finally:
        con.close()
    assert shpilkin == ("edinaya_rossiya", 1670)
    assert run == ("import_precincts", "completed")
