"""The load_observers flow on a temporary Prefect server: loads the templates, rebuilds marts, records the run."""

from __future__ import annotations

import duckdb
import pytest

from flows.load_observers import load_observers_flow
from saylau.observers import TEMPLATE_DIR

pytestmark = [pytest.mark.flow, pytest.mark.xdist_group("prefect")]


def test_load_observers_flow(build_settings):
    paths = [
        str(TEMPLATE_DIR / "observer_protocols_template.csv"),
        str(TEMPLATE_DIR / "observer_turnout_template.csv"),
    ]
    results = load_observers_flow(paths, "kz-2021-01-10", build_dir=str(build_settings.build_dir))
    assert [(r.kind, r.good, r.rejected) for r in results] == [("protocol", 1, 0), ("turnout", 1, 0)]
    con = duckdb.connect(str(build_settings.work_db), read_only=True)
    try:
        run = con.execute(
            "select status, input_manifest_hash from meta.runs where flow = 'load_observers'"
        ).fetchone()
        dq = con.execute(
            "select rule from marts.data_quality where table_name = 'observer_protocols'"
        ).fetchall()
    finally:
        con.close()
    assert run[0] == "completed" and len(run[1]) == 64
    assert dq == [("registry_missing",)]  # the empty registry is reported, not silently passed
