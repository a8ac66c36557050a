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
