"""``saylau import-precincts``: the command imports, prints a summary, and reports bad input by name."""

from __future__ import annotations

import csv
import io

from typer.testing import CliRunner

from saylau import warehouse
from saylau.cli import app
from tests.precincts.samples import TABLE, izbirkom_csv

runner = CliRunner()


def test_import_precincts_command_prints_summary(tmp_path):
    path = tmp_path / "ru.csv"
    path.write_bytes(izbirkom_csv(TABLE))
    build = tmp_path / "b"
    result = runner.invoke(
        app, ["import-precincts", str(path), "--election-id", "ru-2011-12-04", "--build-dir", str(build)]
    )
    assert result.exit_code == 0, result.output
    out = result.output.replace("\n", " ")
    assert "3 read, 3 loaded, 0 quarantined" in out
    assert "leader edinaya_rossiya 1,670 votes" in out
    assert "integer percents" in out and "Shpilkin" in out
    assert str(build / "work" / "saylau.duckdb") in result.output.replace("\n", "")


def test_unknown_caption_exits_naming_it(tmp_path):
    path = tmp_path / "ru.csv"
    path.write_bytes(izbirkom_csv(TABLE).replace("Число погашенных".encode(), "Число сожжённых".encode()))
    result = runner.invoke(
        app,
        ["import-precincts", str(path), "--election-id", "ru-2011-12-04", "--build-dir", str(tmp_path / "b")],
    )
    assert result.exit_code == 1
    assert "Число сожжённых избирательных бюллетеней" in result.output.replace("\n", "")


def test_kz_table_with_two_contests_imports_both(tmp_path):
    header = ["election_id", "contest_id", "region_code", "pec_id", "registered", "ballots_issued", "invalid"]
    header += ["valid", "amanat", "ak_zhol"]
    rows = [
        ["kz-2021-01-10", "mazhilis", "KZ-75", "KZ-75/1", 1000, 600, 10, 590, 400, 190],
        ["kz-2021-01-10", "mazhilis", "KZ-75", "KZ-75/2", 900, 500, 0, 500, 300, 200],
        ["kz-2021-01-10", "maslikhat_city", "KZ-75", "KZ-75/1", 1000, 600, 20, 580, 380, 200],
    ]
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    path = tmp_path / "kz.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    build = tmp_path / "b"
    result = runner.invoke(
        app,
        ["import-precincts", str(path), "--format", "kz-precinct-csv", "--election-id", "kz-2021-01-10"]
        + ["--build-dir", str(build)],
    )
    assert result.exit_code == 0, result.output
    with warehouse.connect(build / "work" / "saylau.duckdb", read_only=True) as con:
        got = con.execute(
            "select contest, precincts, leader_votes from marts.election_totals "
            "where election_id = 'kz-2021-01-10' order by contest"
        ).fetchall()
    assert got == [("maslikhat_city", 1, 380), ("mazhilis", 2, 700)]


def test_columns_option_imports_any_table_by_its_map_and_says_what_was_not_loaded(tmp_path):
    from saylau.config import PROJECT_ROOT

    templates = PROJECT_ROOT / "docs" / "templates"
    build = tmp_path / "b"
    result = runner.invoke(
        app,
        ["import-precincts", str(templates / "precinct_table_example.csv"), "--election-id", "ge-2024-10-26",
         "--columns", str(templates / "precinct_columns_example.csv"), "--build-dir", str(build)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = result.output.replace("\n", " ")
    assert "4 read, 4 loaded, 0 quarantined" in out
    assert "not loaded: 'Precinct address'" in out and "Observer's note" in out


def test_a_column_map_that_does_not_fit_exits_naming_its_line(tmp_path):
    from saylau.config import PROJECT_ROOT

    templates = PROJECT_ROOT / "docs" / "templates"
    bad = tmp_path / "map.csv"
    bad.write_text("column,maps_to\nRegion,region\nVoters,registered\n", encoding="utf-8")
    result = runner.invoke(
        app,
        ["import-precincts", str(templates / "precinct_table_example.csv"), "--election-id", "ge-2024-10-26",
         "--columns", str(bad), "--build-dir", str(tmp_path / "b")],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "map.csv line 3: column 'Voters' is not in" in result.output.replace("\n", "")
