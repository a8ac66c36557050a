"""Published aggregate tables: loaded as they are, each inconsistency a warning naming the cell."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import openpyxl
import pytest

from saylau import warehouse
from saylau.config import SQL_DIR
from saylau.observers import load_observers
from saylau.observers.summary import check_aggregate, check_stated_average, read_aggregate
from saylau.sqlrun import run_file

SEED_TABLE = (
    Path(__file__).resolve().parents[2] / "shared" / "reference" / "observer_sample_2021_seed_table.csv"
)
HEADER = "ballot,observed_pecs,registered_voters,turnout_pct,unused_ballots_pct,nur_otan_pct,auyl_pct,spoiled_pct\n"


def _table(tmp_path: Path, text: str, name: str = "summary.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shares_and_spoiled_must_add_to_100_within_rounding(tmp_path):
    path = _table(tmp_path, HEADER + "mazhilis,10,5000,40,60,70,27,4\ncity,10,5000,40,60,70,20,4\n")
    warnings = check_aggregate(read_aggregate(path.read_bytes(), path.name), "t")
    assert [(w.row_label, w.rule) for w in warnings] == [("city", "shares_add_to_100")]
    assert warnings[0].cell == "city/nur_otan_pct+auyl_pct+spoiled_pct"
    assert "= 94" in warnings[0].message  # 70 + 20 + 4, tolerance 3 * 0.5


def test_voted_and_unused_imply_the_ballots_received(tmp_path):
    # 40% voted, 60% unused: received = registered (plausible); 40% voted, 40% unused: 1/3 fewer ballots
    path = _table(tmp_path, HEADER + "a,10,5000,40,60,70,26,4\nb,10,5000,40,40,70,26,4\n")
    warnings = check_aggregate(read_aggregate(path.read_bytes(), path.name), "t")
    assert [(w.cell, w.rule) for w in warnings] == [
        ("b/turnout_pct+unused_ballots_pct", "ballots_received_plausible")
    ]
    assert "33.3% fewer" in warnings[0].message


def test_stated_average_outside_its_range(tmp_path):
    path = _table(tmp_path, "ballot,turnout_pct,turnout_pct_min,turnout_pct_max\nx,28,15,36\ny,40,15,36\n")
    warnings = check_aggregate(read_aggregate(path.read_bytes(), path.name), "t")
    assert [(w.cell, w.rule) for w in warnings] == [("y/turnout_pct", "stated_average_in_range")]
    assert check_stated_average("t", "all", "turnout_pct", 28, 15, 36) is None


def test_not_a_number_names_row_and_column(tmp_path):
    path = _table(tmp_path, HEADER + "mazhilis,10,5000,4O,60,70,27,3\n")
    with pytest.raises(ValueError, match=r"summary\.csv row 2 column 'turnout_pct': '4O'"):
        read_aggregate(path.read_bytes(), path.name)


@pytest.mark.skipif(not SEED_TABLE.exists(), reason="shared reference folder not present")
def test_observers_seed_table_is_loaded_with_one_warning(ref_warehouse, build_settings, tmp_path):
    path = tmp_path / SEED_TABLE.name
    shutil.copy(SEED_TABLE, path)
    [result] = load_observers(
        ref_warehouse,
        [path],
        election_id="kz-2021-01-10",
        run_id="run-a",
        organisation="HAQ",
        s=build_settings,
    )
    assert result.kind == "aggregate" and result.rows == 30
    # the regional maslikhat row: 38% voted with 64% unused = 5.6% more ballots than voters
    assert (
        len(result.problems) == 1 and "oblast_maslikhat/turnout_pct+unused_ballots_pct" in result.problems[0]
    )
    with warehouse.connect(ref_warehouse) as con:
        assert con.execute(
            "select value from core.published_aggregates where row_label = 'mazhilis' and column_name = 'nur_otan_pct'"
        ).fetchone() == (50.0,)
        run_file(con, SQL_DIR / "30_marts" / "data_quality.sql")
        dq = con.execute("select table_name, rule, severity, failed_rows from marts.data_quality").fetchall()
    assert dq == [("aggregate:observer_sample_2021_seed_table", "ballots_received_plausible", "warn", 1)]
    again = load_observers(
        ref_warehouse, [path], election_id="kz-2021-01-10", run_id="run-b", s=build_settings
    )
    assert again[0].status == "unchanged"
    con = duckdb.connect(str(ref_warehouse), read_only=True)
    try:
        assert con.execute("select count(*) from core.published_aggregates").fetchone() == (30,)
    finally:
        con.close()


# --- issue 14: a summary table is read as any table is (XLSX, Windows-1251, semicolons) -------------------


def _load_summary(ref_warehouse, build_settings, path: Path):
    [result] = load_observers(
        ref_warehouse,
        [path],
        election_id="kz-2021-01-10",
        run_id="run-a",
        organisation="HAQ",
        s=build_settings,
    )
    assert (result.status, result.kind) == ("loaded", "aggregate"), result.problems
    with warehouse.connect(ref_warehouse) as con:
        cells = con.execute(
            "select row_label, column_name, value from core.published_aggregates order by row_label, column_name"
        ).fetchall()
    return result, cells


def test_a_summary_table_saved_as_xlsx_loads(ref_warehouse, build_settings, tmp_path):
    book = openpyxl.Workbook()
    for row in [
        HEADER.strip().split(","),
        ["mazhilis", 10, 5000, 40, 60, 70, 26, 4],
        ["city", 10, 5000, 40.5, 60, 70, 20, 4],
    ]:
        book.active.append(row)
    path = tmp_path / "summary.xlsx"
    book.save(path)
    result, cells = _load_summary(ref_warehouse, build_settings, path)
    assert result.rows == 14
    assert ("city", "turnout_pct", 40.5) in cells and ("mazhilis", "registered_voters", 5000.0) in cells
    assert [p for p in result.problems if "shares_add_to_100" in p] == [
        "summary.xlsx cell city/nur_otan_pct+auyl_pct+spoiled_pct: warning shares_add_to_100: "
        "nur_otan_pct + auyl_pct + spoiled_pct = 94, not 100 within rounding (+-1.5)"
    ]


def test_a_summary_table_saved_in_windows_1251_with_semicolons_loads(ref_warehouse, build_settings, tmp_path):
    # what Excel in a Russian locale saves: cp1251, ';' between cells, ',' before decimals
    text = (
        HEADER.replace(",", ";")
        + "Мажилис;10;5 000;40,5;60;70;26;4\nГородской маслихат;10;5000;40;60;70;26;4\n"
    )
    path = tmp_path / "summary.csv"
    path.write_bytes(text.encode("cp1251"))
    result, cells = _load_summary(ref_warehouse, build_settings, path)
    assert result.rows == 14 and result.problems == []
    assert ("Мажилис", "turnout_pct", 40.5) in cells and ("Мажилис", "registered_voters", 5000.0) in cells
    assert ("Городской маслихат", "nur_otan_pct", 70.0) in cells


def test_a_summary_table_with_a_column_headed_twice_is_refused_naming_it(tmp_path):
    path = _table(tmp_path, "ballot,turnout_pct,turnout_pct\nx,28,30\n")
    with pytest.raises(ValueError, match=r"summary\.csv: more than one column headed 'turnout_pct'"):
        read_aggregate(path.read_bytes(), path.name)
