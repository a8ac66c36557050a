"""The warehouse is created from sql/00_setup, in order, idempotently."""

from __future__ import annotations

import duckdb
import pytest

from saylau import reference, sqlrun, warehouse
from saylau.marts import table_checksum


def _snapshot(db) -> dict:
    """Every column of every table, and the content checksum of every ref table."""
    with warehouse.connect(db, read_only=True) as con:
        columns = con.execute(
            "select table_schema, table_name, column_name, data_type from information_schema.columns "
            "order by all"
        ).fetchall()
        sums = {t: table_checksum(con, f"ref.{t}") for t in warehouse.table_names(con, "ref")}
    return {"columns": columns, "ref": sums}


def test_all_layers_exist(ref_warehouse):
    with warehouse.connect(ref_warehouse, read_only=True) as con:
        schemas = {
            r[0] for r in con.execute("select schema_name from information_schema.schemata").fetchall()
        }
    assert set(warehouse.WAREHOUSE_SCHEMAS) <= schemas


def test_setup_and_reference_load_twice_change_nothing(ref_warehouse):
    before = _snapshot(ref_warehouse)
    warehouse.create_warehouse(ref_warehouse)
    with warehouse.connect(ref_warehouse) as con:
        reference.load_reference(con)
    assert _snapshot(ref_warehouse) == before


def test_setup_files_run_in_name_order():
    files = [f.name for f in sqlrun.sql_files("00_setup")]
    assert files == sorted(files)
    assert files[0].startswith("010_schemas")


def test_failing_sql_file_is_named(tmp_path):
    (tmp_path / "30_marts").mkdir()
    (tmp_path / "30_marts" / "broken_mart.sql").write_text("create table marts.x as select * from nowhere;")
    con = duckdb.connect()
    with pytest.raises(sqlrun.SqlFileError, match="broken_mart.sql"):
        sqlrun.run_phase(con, "30_marts", sql_dir=tmp_path)


def test_check_queries_report_offending_rows(tmp_path):
    (tmp_path / "90_checks").mkdir()
    (tmp_path / "90_checks" / "no_negative.sql").write_text("select * from t where v < 0")
    (tmp_path / "90_checks" / "always_fine.sql").write_text("select * from t where v > 100")
    con = duckdb.connect()
    con.execute("create table t as select * from (values (1), (-2), (-3)) as v(v)")
    failures = sqlrun.run_checks(con, sql_dir=tmp_path)
    assert [(f.check, f.rows) for f in failures] == [("no_negative", 2)]
