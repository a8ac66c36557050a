"""One import (saylau.precincts.load): validation routing, storing, recording, replacing an earlier import.

An import only loads, under the run it is given: tests that read marts build them (as the pipeline's job
does after every import).
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest

from saylau import reference, warehouse
from saylau.precincts import PrecinctImportError, import_precinct_file, import_precincts, parse_izbirkom
from tests.precincts.samples import TABLE, import_table, izbirkom_csv, kz_csv, kz_table, start, with_cell


@pytest.fixture
def db(ref_warehouse: Path) -> Path:
    return ref_warehouse


def _write(tmp_path: Path, body: bytes, name: str = "table.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(body)
    return path


def test_import_loads_core_registers_election_and_survives_reference_reload(db, tmp_path, build_settings):
    path = _write(tmp_path, izbirkom_csv(TABLE))
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    result = import_table(
        db, path, "izbirkom-csv", "ru-2011-12-04", archive_dir=build_settings.archive_dir, with_marts=True
    )
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 3, 0)
    assert result.leader == "edinaya_rossiya"
    assert (build_settings.archive_dir / sha[:2] / f"{sha}.gz").exists()
    with warehouse.connect(db) as con:
        assert con.execute("select sha256, kind from raw.files").fetchall() == [(sha, "precinct_table")]
        origin = con.execute(
            "select origin from ref.elections where election_id = 'ru-2011-12-04'"
        ).fetchone()
        assert origin == (f"import:{sha}",)
        (share_rule,) = con.execute(
            "select share_denominator from ref.contests where election_id = 'ru-2011-12-04'"
        ).fetchone()
        assert share_rule == "ballots_cast"
        prov = con.execute(
            "select distinct source_ref, source_sha256 from core.protocol_values where election_id = 'ru-2011-12-04'"
        ).fetchall()
        assert prov == [(str(path), sha)]
        totals = con.execute(
            "select precincts, registered, ballots_issued, leader, leader_votes, leader_share_of_ballots_cast_pct "
            "from marts.election_totals where election_id = 'ru-2011-12-04'"
        ).fetchone()
        # shares of all ballots cast: 1670 / (590 + 10 + 750 + 0 + 788 + 2)
        assert totals == (3, 3300, 2140, "edinaya_rossiya", 1670, round(100 * 1670 / 2140, 2))
        reference.load_reference(con)  # reloading the reference data keeps the imported election
        assert con.execute(
            "select count(*) from ref.ballot_options where election_id = 'ru-2011-12-04'"
        ).fetchone() == (3,)


def test_rows_with_missing_or_unreadable_cells_are_quarantined_not_zero(db, tmp_path, build_settings):
    lines = izbirkom_csv(TABLE).decode().splitlines()
    second = lines[2].split(",")
    second[3 + 9] = ""  # valid ballots missing
    lines[2] = ",".join(second)
    third = lines[3].split(",")
    third[3] = "8OO"  # registered typed with letters O
    lines[3] = ",".join(third)
    path = _write(tmp_path, "\n".join(lines).encode())
    result = import_table(db, path, "izbirkom-csv", "ru-2011-12-04", archive_dir=build_settings.archive_dir)
    assert (result.rows_loaded, result.rows_quarantined) == (1, 2)
    assert result.quarantine_rules == {"required_lines": 1, "wrong_type": 1}
    with warehouse.connect(db) as con:
        rows = con.execute(
            "select unit_id, rule, failing_values, source_row from quarantine.precinct_protocols order by source_row"
        ).fetchall()
        assert [(r[0], r[1], r[3]) for r in rows] == [
            ("RU-gorod_moskva/1/2", "required_lines", 3),
            ("RU-respublika_tyva/3/7", "wrong_type", 4),
        ]
        assert "valid=NA" in rows[0][2] and "8OO" in rows[1][2]
        units = con.execute(
            "select distinct unit_id from core.protocol_values where election_id = 'ru-2011-12-04'"
        ).fetchall()
        assert units == [("RU-gorod_moskva/1/1",)]


def test_control_relation_failure_is_rejected_with_its_rule(db, tmp_path, build_settings):
    rows = list(TABLE)
    region, tik, uik, (main, rest, votes) = rows[0]
    rows[0] = (region, tik, uik, (main, rest, [votes[0] + 5, *votes[1:]]))  # votes no longer sum to valid
    path = _write(tmp_path, izbirkom_csv(rows))
    result = import_table(db, path, "izbirkom-csv", "ru-2011-12-04", archive_dir=build_settings.archive_dir)
    assert result.quarantine_rules == {"valid_is_sum_of_options": 1}
    assert result.rows_loaded == 2


def test_reimport_replaces_the_earlier_import(db, tmp_path, build_settings):
    first = _write(tmp_path, izbirkom_csv(TABLE), "a.csv")
    second = _write(tmp_path, izbirkom_csv(TABLE[:2]), "b.csv")
    for path in (first, second):
        import_table(db, path, "izbirkom-csv", "ru-2011-12-04", archive_dir=build_settings.archive_dir)
    with warehouse.connect(db) as con:
        units = con.execute(
            "select count(distinct unit_id), count(distinct source_sha256) from core.protocol_values"
        ).fetchone()
        assert units == (2, 1)
        assert con.execute("select count(*) from core.precinct_imports").fetchone() == (1,)


def test_leader_option_and_bad_inputs(db, tmp_path, build_settings):
    path = _write(tmp_path, izbirkom_csv(TABLE))
    kwargs = {"archive_dir": build_settings.archive_dir, "run_id": start(db)}
    result = import_precincts(db, path, "izbirkom-csv", "ru-2011-12-04", leader="ЛДПР", **kwargs)
    assert result.leader == "ldpr"
    with pytest.raises(PrecinctImportError, match="not one of the table's options"):
        import_precincts(db, path, "izbirkom-csv", "ru-2011-12-04", leader="КПРФ", **kwargs)
    with pytest.raises(PrecinctImportError, match="must look like"):
        import_precincts(db, path, "izbirkom-csv", "duma-2011", **kwargs)
    with pytest.raises(PrecinctImportError, match="unknown format"):
        import_precincts(db, path, "xlsx", "ru-2011-12-04", **kwargs)


def test_import_kz_precinct_table(db, tmp_path, build_settings):
    path = _write(tmp_path, kz_csv(), "kz.csv")
    result = import_table(
        db, path, "kz-precinct-csv", "kz-2021-01-10", archive_dir=build_settings.archive_dir
    )
    assert (result.rows_loaded, result.rows_quarantined, result.leader) == (1, 1, "amanat")
    with warehouse.connect(db) as con:
        origin = con.execute(
            "select origin from ref.elections where election_id = 'kz-2021-01-10'"
        ).fetchone()
        assert origin == ("reference",)  # a Kazakh election is not re-registered
        votes = con.execute(
            "select option_id, value from core.protocol_values where line = 'votes' order by option_id"
        ).fetchall()
        assert votes == [("ak_zhol", 180), ("amanat", 500)]


def test_observers_precinct_table_is_loaded_under_their_source(db, tmp_path, build_settings):
    path = _write(tmp_path, kz_csv(), "kz.csv")
    kwargs = {"archive_dir": build_settings.archive_dir}
    import_table(db, path, "kz-precinct-csv", "kz-2021-01-10", source="official", **kwargs)
    import_table(db, path, "kz-precinct-csv", "kz-2021-01-10", source="haq", with_marts=True, **kwargs)
    with warehouse.connect(db) as con:
        by_source = con.execute(
            "select source, count(distinct unit_id) from core.protocol_values group by 1 order by 1"
        ).fetchall()
        assert by_source == [("haq", 1), ("official", 1)]  # the second import did not replace the first
        assert con.execute("select count(*) from intermediate.int_precinct_protocols").fetchone() == (1,)


def test_an_organisation_named_as_typed_gets_the_id_its_observers_files_use(db, tmp_path, build_settings):
    from saylau.observers import organisation_id

    path = _write(tmp_path, kz_csv(), "kz.csv")
    import_table(db, path, "kz-precinct-csv", "kz-2021-01-10", source="Әділ сайлау",
                     archive_dir=build_settings.archive_dir)  # fmt: skip
    with warehouse.connect(db) as con:
        sources = con.execute("select distinct source from core.protocol_values").fetchall()
    assert sources == [(organisation_id("Әділ сайлау"),)] and sources[0][0] != "Әділ сайлау"


def test_a_table_whose_every_row_fails_still_quarantines_them(db, tmp_path, build_settings):
    lines = izbirkom_csv(TABLE).decode().splitlines()
    # every row loses its first absentee-certificate figure (an empty cell, not a zero)
    lines = [lines[0]] + [line.replace(",0,0,0,0,0,0,", ",,0,0,0,0,0,", 1) for line in lines[1:]]
    path = _write(tmp_path, "\n".join(lines).encode())
    result = import_table(db, path, "izbirkom-csv", "ru-2011-12-04", archive_dir=build_settings.archive_dir)
    assert (result.rows_loaded, result.rows_quarantined, result.leader) == (0, 3, "")
    with warehouse.connect(db) as con:
        assert con.execute("select count(*) from quarantine.precinct_protocols").fetchone() == (3,)


def test_leader_given_by_a_kazakh_party_name(db, tmp_path, build_settings):
    path = _write(tmp_path, kz_csv(), "kz.csv")
    result = import_table(
        db, path, "kz-precinct-csv", "kz-2021-01-10", leader="Ақ жол", archive_dir=build_settings.archive_dir
    )
    assert result.leader == "ak_zhol"


def test_core_rows_are_exactly_protocol_to_long_of_the_table(db, tmp_path, build_settings):
    from saylau.protocol import to_long

    path = _write(tmp_path, izbirkom_csv(TABLE))
    import_table(db, path, "izbirkom-csv", "ru-2011-12-04", archive_dir=build_settings.archive_dir)
    table = parse_izbirkom(path.read_bytes(), str(path))
    wide = table.wide.assign(election_id="ru-2011-12-04", contest_id="duma", source="official", level="pec")
    expected = to_long(wide, [o.option_id for o in table.options])
    want = {
        (r.unit_id, r.line, r.option_id, int(r.value), int(r.source_row))
        for r in expected.itertuples(index=False)
    }
    with warehouse.connect(db) as con:
        got = set(
            con.execute(
                "select unit_id, line, option_id, value, source_row from core.protocol_values "
                "where election_id = 'ru-2011-12-04'"
            ).fetchall()
        )
    assert got == want and len(want) == 3 * (20 + 3)


ELECTION = "ru-2011-12-04"


def _import(db: Path, path: Path, build_settings, **kw):
    return import_table(db, path, "izbirkom-csv", ELECTION, archive_dir=build_settings.archive_dir, **kw)


def test_a_corrected_table_leaves_no_quarantine_or_flags_of_the_earlier_one(
    ref_warehouse, tmp_path, build_settings
):
    """v1 has a row with its valid ballots missing (quarantined) and a row at exactly 60% turnout
    (flagged round_turnout); v2, the commission's corrected table, replaces v1: quarantine and flags
    must be v2's alone, as core is."""
    v1 = tmp_path / "v1.csv"
    v1.write_bytes(with_cell(izbirkom_csv(TABLE), 3, 3 + 9, ""))  # line 3: precinct 2, valid empty
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
    path.write_bytes(with_cell(izbirkom_csv(TABLE), 3, 3 + 9, ""))
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
    path = tmp_path / "kz.csv"
    path.write_bytes(_kz_contests_table())
    with pytest.raises(PrecinctImportError) as err:
        import_precinct_file(
            ref_warehouse,
            path,
            "kz-precinct-csv",
            "kz-2021-01-10",
            run_id=start(ref_warehouse),
            archive_dir=build_settings.archive_dir,
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
    path.write_bytes(kz_table(rows, header))
    result = import_table(
        ref_warehouse, path, "kz-precinct-csv", "kz-2021-01-10", archive_dir=build_settings.archive_dir
    )
    assert (result.rows_loaded, result.rows_quarantined) == (3, 1)
    with warehouse.connect(ref_warehouse, read_only=True) as con:
        assert con.execute(
            "select source_row, rule, failing_values from quarantine.precinct_protocols"
        ).fetchall() == [(4, "wrong_type", "registered=15OO")]
        assert con.execute(
            "select unit_id, value from core.protocol_values where line = 'registered' order by unit_id"
        ).fetchall() == [("KZ-75/1", 1500), ("KZ-75/2", 1500), ("KZ-75/4", 1500)]


def test_the_command_refuses_a_broken_zip_naming_it(ref_warehouse, build_settings, tmp_path):
    path: Path = tmp_path / "table.zip"
    path.write_bytes(b"PK\x03\x04not a zip at all")
    with pytest.raises(PrecinctImportError, match=f"^{path}: not a readable zip"):
        import_precinct_file(
            ref_warehouse,
            path,
            "kz-precinct-csv",
            "kz-2021-01-10",
            run_id=start(ref_warehouse),
            archive_dir=build_settings.archive_dir,
        )


def test_an_import_writes_under_the_run_it_is_given_and_builds_no_marts(db, tmp_path, build_settings):
    """The job around the import (saylau.pipeline) owns meta.runs and the marts: the import only loads."""
    from saylau import runs

    path = _write(tmp_path, izbirkom_csv(TABLE))
    run_id = start(db)
    [result] = import_precinct_file(
        db, path, "izbirkom-csv", "ru-2011-12-04", run_id=run_id, archive_dir=build_settings.archive_dir
    )
    assert (
        result.run_id == run_id
        and result.marts == {}
        and set(result.timings) == {"parse", "validate", "load"}
    )
    with warehouse.connect(db, read_only=True) as con:
        assert con.execute("select run_id, status from meta.runs").fetchall() == [(run_id, "running")]
        assert con.execute("select distinct run_id from core.protocol_values").fetchall() == [(run_id,)]
        assert con.execute("select run_id from core.precinct_imports").fetchall() == [(run_id,)]
        assert con.execute("select run_id from raw.files").fetchall() == [(run_id,)]
        assert not warehouse.table_exists(con, "marts.election_totals")
    runs.finish_run(db, run_id, "completed")


def test_an_import_into_an_open_connection(db, tmp_path, build_settings):
    from saylau import manifest

    path = _write(tmp_path, izbirkom_csv(TABLE))
    run_id = start(db)
    with warehouse.connect(db) as con:
        result = import_precincts(
            con, path, "izbirkom-csv", "ru-2011-12-04", run_id=run_id, archive_dir=build_settings.archive_dir
        )
        assert con.execute("select count(distinct unit_id) from core.protocol_values").fetchone() == (3,)
    assert result.rows_loaded == 3
    [load] = manifest.loads(build_settings.archive_dir)  # the archive alone can repeat the import
    assert (load["op"], load["sha256"], load["arguments"]["contest_id"]) == (
        "precinct_table",
        result.sha256,
        "duma",
    )


def test_a_precinct_table_saved_as_xlsx_loads(db, tmp_path, build_settings):
    import openpyxl

    book = openpyxl.Workbook()
    for row in csv.reader(io.StringIO(kz_csv().decode())):
        book.active.append([int(c) if c.isdigit() else (c or None) for c in row])
    path = tmp_path / "kz.xlsx"
    book.save(path)
    [result] = import_precinct_file(
        db, path, "kz-precinct-csv", "kz-2021-01-10", run_id=start(db), archive_dir=build_settings.archive_dir
    )
    assert (result.rows_loaded, result.rows_quarantined, result.leader) == (1, 1, "amanat")
    with warehouse.connect(db, read_only=True) as con:
        votes = con.execute(
            "select option_id, value, source_row from core.protocol_values where line = 'votes' order by option_id"
        ).fetchall()
        rejected = con.execute("select source_row, rule from quarantine.precinct_protocols").fetchall()
    assert votes == [("ak_zhol", 180, 2), ("amanat", 500, 2)]
    assert rejected == [(3, "required_lines")]  # the sheet's row 3: Ak Zhol's cell left empty
