"""Any other table by a column map (saylau.precincts.columnmap, ``--columns MAP.csv``): the worked example
in docs/templates imports; a map that does not fit its table is refused before anything is written,
naming the map's file and line and the column; bad input leaves an earlier good import as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from saylau import warehouse
from saylau.config import PROJECT_ROOT
from saylau.precincts import ColumnMapError, PrecinctImportError, UnknownCaptionError, read_column_map
from tests.precincts.samples import TABLE, import_table, izbirkom_csv

TEMPLATES = PROJECT_ROOT / "docs" / "templates"
EXAMPLE_MAP = TEMPLATES / "precinct_columns_example.csv"
EXAMPLE_TABLE = TEMPLATES / "precinct_table_example.csv"


@pytest.fixture
def db(ref_warehouse: Path) -> Path:
    return ref_warehouse


def _map(tmp_path: Path, edit=lambda text: text, name: str = "map.csv") -> Path:
    path = tmp_path / name
    path.write_text(edit(EXAMPLE_MAP.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def test_the_worked_example_imports_by_its_map(db, build_settings):
    result = import_table(
        db, EXAMPLE_TABLE, "izbirkom-csv", "ge-2024-10-26", columns=EXAMPLE_MAP,
        archive_dir=build_settings.archive_dir, with_marts=True,
    )  # fmt: skip
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 4, 0)
    assert (result.contest_id, result.leader, result.kind) == ("parliament", "georgian_dream", "party_list")
    assert set(result.ignored) == {"Precinct address", "Observer's note"}
    with warehouse.connect(db) as con:
        units = con.execute(
            "select distinct unit_id from core.protocol_values where election_id = 'ge-2024-10-26' order by 1"
        ).fetchall()
        assert [u for (u,) in units] == [
            "GE-imereti/59/14", "GE-imereti/59/15", "GE-tbilisi/01/1", "GE-tbilisi/01/2",
        ]  # fmt: skip
        totals = con.execute(
            "select registered, ballots_issued, valid, invalid, leader_votes from marts.election_totals "
            "where election_id = 'ge-2024-10-26'"
        ).fetchone()
        assert totals == (4050, 2460, 2430, 30, 1340)


def test_a_yaml_map_reads_as_its_csv(tmp_path):
    yaml_map = tmp_path / "map.yaml"
    rows = [line.split(",") for line in EXAMPLE_MAP.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")][1:]  # fmt: skip
    yaml_map.write_text(
        "columns:\n"
        + "".join(
            f'  "{c}": {{maps_to: {m}, name: "{n}"}}\n' if n else f'  "{c}": {m}\n' for c, m, n, *_ in rows
        ),
        encoding="utf-8",
    )
    from_yaml, from_csv = read_column_map(yaml_map), read_column_map(EXAMPLE_MAP)
    assert [(e.column, e.maps_to, e.name) for e in from_yaml.entries] == [
        (e.column, e.maps_to, e.name) for e in from_csv.entries
    ]


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        (lambda t: t.replace("Precinct,pec", "Precinct no,pec"),
         r"map\.csv line 7: column 'Precinct no' is not in .*precinct_table_example\.csv"),
        (lambda t: t.replace("Invalid ballots,invalid,,,\n", ""),
         r"precinct_table_example\.csv: column 'Invalid ballots' holds counts but .*map\.csv does not map it"),
        (lambda t: t.replace("Ballots in the box,ballots_in_boxes", "Ballots in the box,valid"),
         r"map\.csv line 16: columns 'Ballots in the box' \(line 11\) and 'Valid ballots' both map to valid"),
        (lambda t: t.replace("Invalid ballots,invalid", "Invalid ballots,spoilt"),
         r"map\.csv line 12: column 'Invalid ballots' maps to 'spoilt', which is none of"),
        (lambda t: t.replace("Georgian Dream,option,Georgian Dream", "Georgian Dream,option,"),
         r"map\.csv line 13: option column 'Georgian Dream' needs its name"),
        (lambda t: t + "Region,ignore,,,\n", r"map\.csv line 18: column 'Region' is mapped twice \(also on line 5\)"),
    ],
    ids=["mapped-column-missing", "count-column-unmapped", "two-columns-one-line", "unknown-role",
         "option-without-name", "column-twice"],
)  # fmt: skip
def test_a_map_that_does_not_fit_is_refused_naming_file_line_and_column(
    db, tmp_path, build_settings, edit, says
):
    path = _map(tmp_path, edit)
    with pytest.raises(ColumnMapError, match=says):
        import_table(db, EXAMPLE_TABLE, "izbirkom-csv", "ge-2024-10-26", columns=path,
                     archive_dir=build_settings.archive_dir)  # fmt: skip
    with warehouse.connect(db) as con:  # refused before anything was written
        assert con.execute("select count(*) from core.protocol_values").fetchone() == (0,)
        assert con.execute("select count(*) from ref.elections where election_id like 'ge-%'").fetchone() == (
            0,
        )


def _state(db: Path) -> tuple:
    with warehouse.connect(db, read_only=True) as con:
        values = con.execute(
            "select unit_id, line, option_id, value from core.protocol_values order by all"
        ).fetchall()
        imports = con.execute("select source_sha256, rows_loaded from core.precinct_imports").fetchall()
        options = con.execute("select option_id from ref.ballot_options where election_id = 'ru-2011-12-04' "
                              "order by 1").fetchall()  # fmt: skip
    return values, imports, options


def test_bad_input_leaves_an_earlier_good_import_as_it_was(db, tmp_path, build_settings):
    good = tmp_path / "good.csv"
    good.write_bytes(izbirkom_csv(TABLE))
    import_table(db, good, "izbirkom-csv", "ru-2011-12-04", archive_dir=build_settings.archive_dir)
    before = _state(db)
    assert len(before[0]) > 0
    unknown = tmp_path / "unknown.csv"  # a count column that reads as no line
    unknown.write_bytes(izbirkom_csv(TABLE).replace("Число погашенных".encode(), "Число сожжённых".encode()))
    bad_number = tmp_path / "bad_uik.csv"  # a precinct with no number
    bad_number.write_bytes(
        izbirkom_csv(TABLE).replace(",1 Арбатская,2,".encode(), ",1 Арбатская,второй,".encode())
    )
    bad_map = _map(tmp_path, lambda t: t.replace("Precinct,pec", "Precinct no,pec"))
    attempts = [
        (unknown, {}, UnknownCaptionError, "'Число сожжённых избирательных бюллетеней'"),
        (
            bad_number,
            {},
            PrecinctImportError,
            r"bad_uik\.csv line 3: precinct number 'второй' is not a number",
        ),
        (
            good,
            {"columns": bad_map},
            ColumnMapError,
            r"map\.csv line 5: column 'Region' is not in .*good\.csv",
        ),
    ]
    for path, kwargs, error, says in attempts:
        with pytest.raises(error, match=says):
            import_table(
                db, path, "izbirkom-csv", "ru-2011-12-04", archive_dir=build_settings.archive_dir, **kwargs
            )
        assert _state(db) == before, path
