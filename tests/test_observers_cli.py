"""``saylau load-observers``: loads, reports file/row/column problems, refuses unmappable files (exit 1)."""

from __future__ import annotations

import duckdb
from typer.testing import CliRunner

from saylau.cli import app
from tests.test_observers import copy, write_csv

runner = CliRunner()


def test_load_observers_command(tmp_path, build_settings):
    good = write_csv(tmp_path / "haq.csv", [copy(1), copy(2, registered="12o0")])
    build = str(tmp_path / "b")
    args = ["load-observers", str(good), "--election-id", "kz-2021-01-10", "--build-dir", build]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())  # rich wraps long lines
    assert "2 rows: 1 good, 1 quarantined" in output
    assert "haq.csv row 3: wrong_type: registered ('Число избирателей в списке')=12o0" in output
    again = runner.invoke(app, args)
    assert again.exit_code == 0 and "unchanged" in again.output
    con = duckdb.connect(str(tmp_path / "b" / "work" / "saylau.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*) from meta.runs where flow = 'load_observers'").fetchone() == (2,)
        assert con.execute("select count(distinct unit_id) from core.protocol_values").fetchone() == (1,)
    finally:
        con.close()

    bad = write_csv(tmp_path / "bad.csv", [{**copy(3), "Явка, %": "60"}])
    refused = runner.invoke(
        app, ["load-observers", str(bad), "--election-id", "kz-2021-01-10", "--build-dir", build]
    )
    assert refused.exit_code == 1
    assert "bad.csv" in refused.output and "Явка, %" in " ".join(refused.output.split())


def test_load_observers_names_each_quarantined_or_flagged_rows_precinct_and_rule(tmp_path, wh):
    # wh: a warehouse in tmp_path/build knowing Almaty's precincts 1..30
    odd = copy(5, ballots_in_boxes="905", invalid="15")  # 4 ballots over 901 issued: soft, flagged
    impossible = [  # 950 valid of 700 issued: hard, quarantined
        copy(
            n,
            ballots_issued="700",
            ballots_cancelled="850",
            ballots_in_boxes="700",
            invalid="11",
            valid="950",
        )
        for n in range(6, 28)
    ]
    path = write_csv(tmp_path / "protocols.csv", [odd, *impossible])
    result = runner.invoke(
        app,
        [
            "load-observers",
            str(path),
            "--election-id",
            "kz-2021-01-10",
            "--build-dir",
            str(tmp_path / "build"),
        ],
    )
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.split()) for line in result.output.splitlines()]
    assert "row 2, precinct KZ-75/5: flagged (boxes_gt_issued)" in lines
    shown = [line for line in lines if line.startswith("row ") and ", precinct KZ-75/" in line]
    assert len(shown) == 20  # the first 20 of the 23 rows, in file order
    for row, precinct in zip(range(3, 22), range(6, 25), strict=True):
        (line,) = [x for x in shown if x.startswith(f"row {row}, precinct KZ-75/{precinct}: quarantined (")]
        assert "valid_le_issued" in line
    assert not any(f"KZ-75/{n}:" in line for line in shown for n in (25, 26, 27))
    assert "... and 3 more row(s) quarantined or flagged (see quarantine.observer_protocols, " in " ".join(
        lines
    )
