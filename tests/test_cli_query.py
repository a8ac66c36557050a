"""``saylau query``: a table by default, CSV or JSON on request, exit 1 on a failing query."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from saylau import publish, reference, warehouse
from saylau.cli import app
from saylau.config import Settings

runner = CliRunner()


@pytest.fixture(scope="session")  # not module: xdist may interleave modules and rebuild it
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    s = Settings(build_dir=tmp_path_factory.mktemp("cq") / "build")
    warehouse.create_warehouse(s.work_db)
    with warehouse.connect(s.work_db) as con:
        reference.load_reference(con)
    publish.publish(s.work_db, s.published_db, s.parquet_dir)
    return str(s.build_dir)


SQL = "select code, name_ru from ref.regions where code = 'KZ-11'"


def test_table(build_dir):
    result = runner.invoke(app, ["query", SQL, "--build-dir", build_dir])
    assert result.exit_code == 0, result.output
    assert "KZ-11" in result.output and "Акмолинская область" in result.output
    assert "1 rows" in result.output and "read-only" in result.output


def test_csv(build_dir):
    result = runner.invoke(app, ["query", SQL, "--csv", "--build-dir", build_dir])
    assert result.exit_code == 0, result.output
    assert result.output == "code,name_ru\nKZ-11,Акмолинская область\n"


def test_json(build_dir):
    result = runner.invoke(app, ["query", SQL, "--json", "--build-dir", build_dir])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{"code": "KZ-11", "name_ru": "Акмолинская область"}]


def test_write_refused(build_dir):
    result = runner.invoke(app, ["query", "drop table ref.regions", "--build-dir", build_dir])
    assert result.exit_code == 1
    assert "read-only" in result.output or "read only" in result.output
    again = runner.invoke(
        app, ["query", "select count(*) as n from ref.regions", "--csv", "--build-dir", build_dir]
    )
    assert again.output == "n\n20\n"


def test_errors_go_to_stderr_so_csv_output_stays_clean(build_dir):
    result = runner.invoke(app, ["query", "select * from no_such_table", "--csv", "--build-dir", build_dir])
    assert result.exit_code == 1
    assert result.stdout == "" and "no_such_table" in result.stderr


def test_an_empty_query_is_a_clear_error(build_dir):
    result = runner.invoke(app, ["query", "  ; ", "--build-dir", build_dir])
    assert result.exit_code == 1 and "empty" in result.stderr and "Traceback" not in result.output


def test_several_statements_print_each_answer(build_dir):
    result = runner.invoke(app, ["query", "select 1 as a; select 2 as b", "--csv", "--build-dir", build_dir])
    assert result.exit_code == 0, result.output
    assert result.stdout == "a\n1\n\nb\n2\n"


def test_numbers_are_never_cut_and_text_is_printed_literally(build_dir):
    sql = "select 9446499 as registered, 123456789012 as big, '[/b] [link=http://x]y[/link]' as note"
    result = runner.invoke(app, ["query", sql, "--build-dir", build_dir])
    assert result.exit_code == 0, result.output
    assert "9446499" in result.stdout and "123456789012" in result.stdout
    assert "[/b] [link=http://x]y[/link]" in result.stdout


def test_max_rows_cuts_and_says_so(build_dir):
    sql = "select * from range(2000) t(n)"
    result = runner.invoke(app, ["query", sql, "--max-rows", "5", "--csv", "--build-dir", build_dir])
    assert result.stdout == "n\n0\n1\n2\n3\n4\n"
    assert "only the first 5 rows" in result.stderr
    whole = runner.invoke(app, ["query", sql, "--build-dir", build_dir])
    assert whole.exit_code == 0 and whole.stdout.count("\n") == 2002  # header, rule and every row


def test_csv_booleans_are_true_false(build_dir):
    result = runner.invoke(app, ["query", "select true as t, false as f", "--csv", "--build-dir", build_dir])
    assert result.stdout == "t,f\ntrue,false\n"


def test_db_option_queries_another_file(build_dir, tmp_path):
    from pathlib import Path

    published = Path(build_dir) / "published" / "saylau.duckdb"
    result = runner.invoke(app, ["query", SQL, "--csv", "--db", str(published)])
    assert result.exit_code == 0 and "KZ-11" in result.stdout
    missing = runner.invoke(app, ["query", SQL, "--db", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 1 and "no published database" in missing.stderr


def test_a_query_over_its_time_limit_is_stopped(build_dir):
    sql = "select count(*) from range(100000000000)"
    result = runner.invoke(app, ["query", sql, "--timeout", "0.5", "--build-dir", build_dir])
    assert result.exit_code == 1 and "stopped" in result.stderr
