"""Precinct tables: a corrected table replaces everything the earlier one left, rows are named by their
real CSV line, errors name the file and line, and two columns for one line or party refuse the table.
Tables are small hand-made CSVs (helpers of tests/test_precincts.py).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from saylau import warehouse
from saylau.precincts import PrecinctImportError, import_precincts, parse_izbirkom, parse_kz_precinct
from tests.test_precincts import TABLE, izbirkom_csv

ELECTION = "ru-2011-12-04"


def _import(db: Path, path: Path, build_settings, **kw):
    return import_precincts(
        db, path, "izbirkom-csv", ELECTION, archive_dir=build_settings.archive_dir, build_marts=False, **kw
    )


def _with_cell(body: bytes, line: int, column: int, value: str) -> bytes:
    lines = body.decode().splitlines()
    cells = lines[line - 1].split(",")
    cells[column] = value
    lines[line - 1] = ",".join(cells)
    return "\n".join(lines).encode()


def test_a_corrected_table_leaves_no_quarantine_or_flags_of_the_earlier_one(
    ref_warehouse, tmp_path, build_settings
):
    """v1 has a row with its valid ballots missing (quarantined) and a row at exactly 60% turnout
    (flagged round_turnout); v2, the commission's corrected table, replaces v1: quarantine and flags
    must be v2's alone, as core is."""
    v1 = tmp_path / "v1.csv"
    v1.write_bytes(_with_cell(izbirkom_csv(TABLE), 3, 3 + 9, ""))  # line 3: precinct 2, valid empty
    first = _import(ref_warehouse, v1, build_settings)
    assert (first.rows_loaded, first.rows_quarantined) == (2, 1)
    v2 = tmp_path / "v2.csv"
    v2.write_bytes(izbirkom_csv(TABLE[1:]))  # precincts 2 and 3, all good
    second = _import(ref_warehouse, v2, build_settings)
    assert (second.rows_loaded, second.rows_quarantined) == (2, 0)
    with warehouse.connect(ref_warehouse, read_only=True) as con:
        assert con.execute("select distinct source_sha256 from core.protocol_values").fetchall() == [
            (second.sha256,)
        ]
        assert con.execute("select count(*) from quarantine.precinct_protocols").fetchone() == (0,)
        flags = con.execute(
            "select distinct source_sha256 from core.validation_flags where table_name = 'precinct_protocols'"
        ).fetchall()
        assert flags in ([], [(second.sha256,)])
        assert (first.sha256,) not in flags


def test_the_same_table_twice_changes_nothing(ref_warehouse, tmp_path, build_settings):
    path = tmp_path / "t.csv"
    path.write_bytes(_with_cell(izbirkom_csv(TABLE), 3, 3 + 9, ""))
    _import(ref_warehouse, path, build_settings)
    query = (
        "select (select count(*) from core.protocol_values), (select count(*) from quarantine.precinct_protocols), "
        "(select count(*) from core.validation_flags), (select count(*) from core.precinct_imports)"
    )
    with warehouse.connect(ref_warehouse, read_only=True) as con:
        before = con.execute(query).fetchone()
    _import(ref_warehouse, path, build_settings)
    with warehouse.connect(ref_warehouse, read_only=True) as con:
        assert con.execute(query).fetchone() == before


def test_rows_are_named_by_their_csv_line_after_a_blank_line(tmp_path):
    """A blank line between rows (a pasted block, an export with a section break) shifts every later row:
    the quarantine must name the line a person finds in the file."""
    lines = izbirkom_csv(TABLE).decode().splitlines()
    body = "\n".join([lines[0], lines[1], "", lines[2], lines[3]]).encode()
    table = parse_izbirkom(body, "t.csv")
    # header = line 1, precinct 1 on line 2, the blank line 3, precinct 2 on line 4, precinct 3 on line 5
    assert table.wide["source_row"].tolist() == [2, 4, 5]


def test_a_quoted_cell_over_two_lines_does_not_shift_later_rows(tmp_path):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Облыс", "Учаске №", "registered", "Примечание"])
    writer.writerow(["Алматы қаласы", "1", "1000", "копия\nвыдана"])  # lines 2-3
    writer.writerow(["Алматы қаласы", "2", "1000", ""])  # line 4
    table = parse_kz_precinct(out.getvalue().encode(), "kz.csv", "mazhilis")
    assert table.wide["source_row"].tolist() == [2, 4]


def _kz(rows: list[list[str]], header: list[str] | None = None) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header or ["Облыс", "Учаске №", "registered"], *rows])
    return out.getvalue().encode()


def test_an_unknown_region_is_an_error_naming_the_file_and_line():
    body = _kz([["Алматы қаласы", "1", "1000"], ["Алматы қаласы", "2", "900"], ["Нарния", "3", "800"]])
    with pytest.raises(PrecinctImportError) as err:
        parse_kz_precinct(body, "kz.csv", "mazhilis")
    message = str(err.value)
    assert "kz.csv" in message and "line 4" in message and "'Нарния'" in message


def test_a_region_that_did_not_exist_on_the_election_day_names_the_file_and_line():
    from datetime import date

    body = _kz([["Алматы қаласы", "1", "1000"], ["Абай облысы", "3", "800"]])
    with pytest.raises(PrecinctImportError) as err:
        parse_kz_precinct(body, "kz.csv", "mazhilis", on=date(2021, 1, 10))
    message = str(err.value)
    assert "kz.csv" in message and "line 3" in message and "did not exist" in message
    # the same table is read for an election after the 2022 reform
    table = parse_kz_precinct(body, "kz.csv", "mazhilis", on=date(2023, 3, 19))
    assert table.wide["unit_id"].tolist() == ["KZ-75/1", "KZ-10/3"]


def test_a_bad_precinct_number_is_an_error_naming_the_file_and_line():
    body = _kz([["Алматы қаласы", "1", "1000"], ["Алматы қаласы", "2а", "900"]])
    with pytest.raises(PrecinctImportError) as err:
        parse_kz_precinct(body, "kz.csv", "mazhilis")
    message = str(err.value)
    assert "kz.csv" in message and "line 3" in message and "'2а'" in message


@pytest.mark.parametrize(
    ("extra", "kept"),
    [("registered", "Число избирателей в списке"), ("Нур Отан", "Nur Otan")],
    ids=["line-twice", "party-twice"],
)
def test_two_columns_for_one_line_or_party_refuse_the_table(extra, kept):
    """A line under its Russian and its canonical name, or Nur Otan under two spellings: one column's
    numbers would silently overwrite the other's, so the table is refused naming both columns."""
    header = ["Облыс", "Учаске №", "Число избирателей в списке", "Nur Otan", extra]
    body = _kz([["Алматы қаласы", "1", "1000", "300", "1100"]], header)
    with pytest.raises(PrecinctImportError) as err:
        parse_kz_precinct(body, "kz.csv", "mazhilis")
    message = str(err.value)
    assert "kz.csv" in message and repr(kept) in message and repr(extra) in message


def _kz_contests_table() -> bytes:
    """Three precincts, one per row: a Mazhilis row, a row whose contest cell is empty, a city row.
    Every row is consistent: 680 valid = 500 + 100 + 40 + 20 + 20."""
    header = ["contest_id", "Облыс", "Учаске №", "Число избирателей в списке", "Выдано бюллетеней",
              "Бюллетеней в ящиках", "Недействительные бюллетени", "Действительные бюллетени", "Nur Otan",
              "Ak Zhol", "Народная партия Казахстана", "Ауыл", "Adal"]  # fmt: skip
    numbers = ["1200", "700", "700", "20", "680", "500", "100", "40", "20", "20"]
    rows = [
        ["mazhilis", "Алматы қаласы", "1", *numbers],
        ["", "Алматы қаласы", "2", *numbers],
        ["maslikhat_city", "Алматы қаласы", "3", *numbers],
    ]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    return out.getvalue().encode()


def test_a_row_without_its_contest_is_not_lost_when_contests_are_imported_one_by_one(
    ref_warehouse, tmp_path, build_settings
):
    """With no --contest, a table with a contest column is imported contest by contest. A row whose
    contest cell is empty belongs to none: it was neither loaded nor quarantined nor reported (the empty
    contest fell back to 'mazhilis' and imported the Mazhilis rows twice). It refuses the table, naming
    the line, before anything is loaded."""
    from saylau.precincts import import_precinct_file

    path = tmp_path / "kz.csv"
    path.write_bytes(_kz_contests_table())
    with pytest.raises(PrecinctImportError) as err:
        import_precinct_file(
            ref_warehouse, path, "kz-precinct-csv", "kz-2021-01-10", archive_dir=build_settings.archive_dir
        )
    assert "kz.csv" in str(err.value) and "line 3" in str(err.value)
    with warehouse.connect(ref_warehouse, read_only=True) as con:
        assert con.execute("select count(*) from core.precinct_imports").fetchone() == (0,)


def test_an_unreadable_cell_does_not_take_the_readable_cells_of_its_column_with_it(
    ref_warehouse, tmp_path, build_settings
):
    """Precinct 2 writes its voter list "1 500" (a space as thousands separator, read as 1500 when the
    whole column is readable); precinct 3 writes "15OO". Only precinct 3 is wrong_type: precinct 2 was
    quarantined with it, as wrong_type 'registered=1 500', because one bad cell turned the column to text."""
    header = ["Облыс", "Учаске №", "Число избирателей в списке", "Выдано бюллетеней", "Бюллетеней в ящиках",
              "Недействительные бюллетени", "Действительные бюллетени", "Nur Otan", "Ak Zhol",
              "Народная партия Казахстана", "Ауыл", "Adal"]  # fmt: skip
    numbers = ["700", "700", "20", "680", "500", "100", "40", "20", "20"]
    rows = [
        ["Алматы қаласы", "1", "1500", *numbers],
        ["Алматы қаласы", "2", "1 500", *numbers],
        ["Алматы қаласы", "3", "15OO", *numbers],
        ["Алматы қаласы", "4", "1500.0", *numbers],
    ]
    path = tmp_path / "kz.csv"
    path.write_bytes(_kz(rows, header))
    result = import_precincts(
        ref_warehouse, path, "kz-precinct-csv", "kz-2021-01-10", archive_dir=build_settings.archive_dir,
        build_marts=False,
    )  # fmt: skip
    assert (result.rows_loaded, result.rows_quarantined) == (3, 1)
    with warehouse.connect(ref_warehouse, read_only=True) as con:
        assert con.execute(
            "select source_row, rule, failing_values from quarantine.precinct_protocols"
        ).fetchall() == [(4, "wrong_type", "registered=15OO")]
        assert con.execute(
            "select unit_id, value from core.protocol_values where line = 'registered' order by unit_id"
        ).fetchall() == [("KZ-75/1", 1500), ("KZ-75/2", 1500), ("KZ-75/4", 1500)]
