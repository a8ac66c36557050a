"""The demo election's observer exports (demo/, issue 3): every injected error kind lands where it should.

The official precinct table of the demo is stored first through the same validation API
(:func:`saylau.validate.validate_frame` / :func:`store_protocols`), and its precincts fill the registry,
as an import of the official table would. The injected errors are read from the demo's ground truth
(``ground_truth/export_errors.json``), which only tests may read.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from saylau import reference, warehouse
from saylau.config import Settings
from saylau.load.store import store_protocols
from saylau.observers import load_observers
from saylau.validate import validate_frame
from schemas.protocol import protocol_schema

demo_outputs = pytest.importorskip("demo.outputs")

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("observers-demo")]
ELECTION = "kz-2021-01-10"
PARTIES = ["amanat", "ak_zhol", "qhp", "auyl", "adal"]


@pytest.fixture(scope="session")  # not module: xdist may interleave modules and rebuild it
def demo_load(tmp_path_factory):
    """The demo folder, and a warehouse holding its official table and every observer export."""
    root = tmp_path_factory.mktemp("demo5")
    folder = root / "demo"
    demo_outputs.generate_into(folder)
    s = Settings(build_dir=root / "build")
    db = s.work_db
    warehouse.create_warehouse(db)
    official = pd.read_csv(folder / "official" / "precincts.csv", dtype={"precinct_number": int})
    wide = official.rename(columns={"pec_id": "unit_id"}).drop(
        columns=["tec_id", "precinct_number", "abroad"]
    )
    wide = wide.assign(
        source="official", level="pec", source_ref="official/precincts.csv", source_sha256="0" * 64
    )
    wide["source_row"] = range(2, len(wide) + 2)
    validated = validate_frame(wide, protocol_schema(options=PARTIES), "official_precincts")
    with warehouse.connect(db) as con:
        reference.load_reference(con)
        registry = official.drop_duplicates("pec_id")[["pec_id", "region_code", "precinct_number"]]
        con.register("_registry", registry)
        con.execute(
            "insert into ref.commissions (election_id, commission_id, level, region_code, number) "
            "select ?, pec_id, 'pec', region_code, precinct_number from _registry",
            [ELECTION],
        )
        store_protocols(con, "official_precincts", validated, "run-official")
    results = load_observers(db, [folder / "observers"], election_id=ELECTION, run_id="run-obs", s=s)
    errors = json.loads((folder / "ground_truth" / "export_errors.json").read_text(encoding="utf-8"))
    return folder, db, s, validated, results, errors


def _query(db: Path, sql: str, params=()) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def _error(errors, kind):
    [e] = [e for e in errors if e["kind"] == kind]
    return e, e["data_row"] + 1  # data_row counts data rows from 1; the header is spreadsheet row 1


def test_official_demo_table_has_no_hard_violation(demo_load):
    _, _, _, validated, _, _ = demo_load
    assert validated.rejected.empty and len(validated.good) > 28_000


def test_every_file_loads(demo_load):
    _, _, _, _, results, _ = demo_load
    assert {r.status for r in results} == {"loaded"}
    assert {r.kind for r in results} == {"protocol", "turnout", "violation"}


@pytest.mark.parametrize(
    ("kind", "rule"),
    [
        ("mistyped_precinct", "list_differs_from_official"),
        ("does_not_add_up", "valid_is_sum_of_options"),
        ("duplicate", "duplicate_row"),
    ],
)
def test_rejected_error_kinds_are_quarantined_with_their_rule(demo_load, kind, rule):
    _, db, _, _, _, errors = demo_load
    error, row = _error(errors, kind)
    found = _query(
        db,
        "select rule from quarantine.observer_protocols where source_ref like ? and source_row = ?",
        ["%" + error["file"], row],
    )
    assert found == [(rule,)]


def test_mistyped_precinct_does_not_reach_core(demo_load):
    _, db, _, _, _, errors = demo_load
    error, row = _error(errors, "mistyped_precinct")
    assert not _query(
        db,
        "select 1 from core.observer_protocol_copies where source_ref like ? and source_row = ?",
        ["%" + error["file"], row],
    )


def test_swapped_columns_are_kept_and_flagged(demo_load):
    # issued and cancelled exchanged keeps every control relation: it can only be flagged
    _, db, _, _, _, errors = demo_load
    error, row = _error(errors, "swapped_columns")
    flags = _query(
        db,
        "select unit_id, rule from core.validation_flags where source_ref like ? and source_row = ?",
        ["%" + error["file"], row],
    )
    assert (error["pec_id"], "boxes_well_below_issued") in flags
    assert _query(
        db,
        "select count(*) > 0 from core.observer_protocol_copies where source_ref like ? and source_row = ?",
        ["%" + error["file"], row],
    ) == [(True,)]


def test_disagreeing_observers_are_both_kept_and_visible(demo_load):
    _, db, _, _, _, errors = demo_load
    error, _ = _error(errors, "conflicting_copy")
    pec = error["pec_id"]
    conflict = _query(
        db,
        "select copies, versions, resolution, contest_id from intermediate.int_observer_protocol_conflicts "
        "where unit_id = ?",
        [pec],
    )
    assert conflict and conflict[0][:2] == (2, 2)
    contest = conflict[0][3]
    copies = _query(
        db,
        "select count(distinct copy_id) from core.observer_protocol_copies where unit_id = ? and contest_id = ?",
        [pec, contest],
    )
    assert copies == [(2,)]
    flagged = _query(
        db,
        "select count(*) from core.validation_flags where unit_id = ? and rule = 'conflicting_copies'",
        [pec],
    )
    assert flagged == [(2,)]
    if conflict[0][2] == "unresolved":  # neither copy counts in the observers' figures
        assert _query(
            db,
            "select count(*) from core.protocol_values where unit_id = ? and contest_id = ? "
            "and source <> 'official'",
            [pec, contest],
        ) == [(0,)]


def test_clean_copies_reach_core_protocol_values(demo_load):
    _, db, _, _, results, _ = demo_load
    protocol_rows = sum(r.rows for r in results if r.kind == "protocol")
    rejected = sum(r.rejected for r in results if r.kind == "protocol")
    assert rejected == 3
    copies = _query(db, "select count(distinct copy_id) from core.observer_protocol_copies")[0][0]
    assert copies == protocol_rows - rejected
    counted = _query(
        db,
        "select count(*) from (select distinct contest_id, unit_id from core.protocol_values "
        "where source = 'observers')",
    )[0][0]
    assert counted == copies - 2  # the two disagreeing copies of one precinct count as none
    per_contest = dict(
        _query(
            db,
            "select contest_id, count(distinct unit_id) from core.protocol_values where source = 'observers' "
            "group by contest_id",
        )
    )
    assert per_contest["mazhilis"] >= 185  # 192 observed, less the few rejected or unresolved


def test_no_observer_name_or_phone_is_published(demo_load):
    from saylau.publish import publish

    folder, db, s, _, _, _ = demo_load
    personal = set()
    for path in (folder / "observers").glob("*.csv"):
        frame = pd.read_csv(path, dtype=str)
        for column in frame.columns:
            if column in ("ФИО наблюдателя", "Телефон", "Байқаушы", "Байқаушының аты-жөні", "Телефон нөмірі"):
                personal |= set(frame[column].dropna())
    assert len(personal) > 50
    result = publish(db, s.published_db, s.parquet_dir)
    con = duckdb.connect(str(result.database), read_only=True)
    try:
        for schema, table in con.execute(
            "select table_schema, table_name from information_schema.tables where table_type = 'BASE TABLE'"
        ).fetchall():
            text = "\n".join(
                str(v) for row in con.execute(f'select * from "{schema}"."{table}"').fetchall() for v in row
            )
            leaked = [p for p in personal if p in text]
            assert not leaked, f"{schema}.{table} holds personal data, e.g. {leaked[:2]}"
    finally:
        con.close()
