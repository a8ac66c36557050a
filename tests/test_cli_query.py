"""``saylau query``: a table by default, CSV or JSON on request, exit 1 on a failing query."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from saylau import publish, reference, warehouse
from saylau.cli import app
from saylau.config import Settings

runner = CliRunner()


@pytest.fixture(scope="module")
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
