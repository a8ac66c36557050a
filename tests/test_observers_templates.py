"""The observers' templates in docs/templates are what the code writes, and they load without a problem."""

from __future__ import annotations

import openpyxl

from saylau import warehouse
from saylau.observers import TEMPLATE_DIR, TEMPLATE_NAMES, load_observers, write_templates


def _cells(path):
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}
    finally:
        book.close()


def test_committed_templates_are_current(tmp_path):
    for path in write_templates(tmp_path):
        committed = TEMPLATE_DIR / path.name
        assert committed.exists(), f"{committed} missing: run saylau.observers.write_templates()"
        if path.suffix == ".csv":
            assert committed.read_bytes() == path.read_bytes(), f"{committed.name} is stale"
        else:
            assert _cells(committed) == _cells(path), f"{committed.name} is stale"


def test_filled_templates_load_cleanly(ref_warehouse, build_settings, tmp_path):
    with warehouse.connect(ref_warehouse) as con:
        con.execute(
            "insert into ref.commissions (election_id, commission_id, level, region_code, number) "
            "values ('kz-2021-01-10', 'KZ-75/123', 'pec', 'KZ-75', 123)"
        )
    names = [name for kind, name in TEMPLATE_NAMES.items() if kind != "protocol_district"]  # 2023: below
    paths = [TEMPLATE_DIR / f"{name}.{ext}" for name in names for ext in ("csv", "xlsx")]
    results = load_observers(ref_warehouse, paths, election_id="kz-2021-01-10", run_id="r", s=build_settings)
    assert [(r.kind, r.good, r.rejected, r.flagged) for r in results] == [
        ("protocol", 1, 0, 0),
        ("protocol", 1, 0, 0),
        ("turnout", 1, 0, 0),
        ("turnout", 1, 0, 0),
        ("violation", 1, 0, 0),
        ("violation", 1, 0, 0),
    ]
    with warehouse.connect(ref_warehouse, read_only=True) as con:
        # the same copy twice (csv and xlsx) agrees, so it counts once
        assert con.execute(
            "select count(*), min(value) from core.protocol_values where unit_id = 'KZ-75/123' "
            "and line = 'registered' and source = 'әділ_сайлау'"
        ).fetchone() == (1, 1500)
        assert con.execute(
            "select count(*) from intermediate.int_observer_protocol_conflicts"
        ).fetchone() == (0,)


def test_the_filled_district_template_loads_under_its_candidates(ref_warehouse, build_settings):
    name = TEMPLATE_NAMES["protocol_district"]
    paths = [TEMPLATE_DIR / f"{name}.{ext}" for ext in ("csv", "xlsx")]
    results = load_observers(ref_warehouse, paths, election_id="kz-2023-03-19", run_id="r", s=build_settings)
    # no precinct registry for 2023 in the reference warehouse: the soft registry_missing flag only
    assert [(r.kind, r.good, r.rejected) for r in results] == [("protocol", 1, 0), ("protocol", 1, 0)]
    with warehouse.connect(ref_warehouse, read_only=True) as con:
        votes = con.execute(
            "select option_id, value from core.protocol_values where unit_id = 'KZ-63/31' and line = 'votes' "
            "order by option_id"
        ).fetchall()
    assert votes == [("against_all", 8), ("om63_03_1", 140), ("om63_03_2", 143), ("om63_03_3", 32)]
