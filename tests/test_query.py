"""Read-only queries against the published database: answers come back, and nothing can be written."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from saylau import publish, reference, warehouse
from saylau.config import Settings
from saylau.query import QueryError, open_published, run_query


@pytest.fixture(scope="session")  # not module: xdist may interleave modules and rebuild it
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A published database with the reference data only (ref.*), built by code."""
    s = Settings(build_dir=tmp_path_factory.mktemp("q") / "build")
    warehouse.create_warehouse(s.work_db)
    with warehouse.connect(s.work_db) as con:
        reference.load_reference(con)
    publish.publish(s.work_db, s.published_db, s.parquet_dir)
    return s.published_db


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_answer_columns_rows_csv_json(published):
    answer = run_query(
        published,
        "select code, name_en, in_2021 from ref.regions where code in ('KZ-11', 'KZ-75') order by code",
    )
    assert answer.columns == ["code", "name_en", "in_2021"]
    assert (
        answer.rows == [("KZ-11", "Akmola Region", True), ("KZ-75", "Almaty", True)]
        or answer.rows[0][0] == "KZ-11"
    )
    assert answer.to_csv().splitlines()[0] == "code,name_en,in_2021"
    assert answer.to_csv().splitlines()[1].startswith("KZ-11,Akmola Region,")
    records = json.loads(answer.to_json())
    assert records[0]["code"] == "KZ-11" and records[0]["in_2021"] is True


def test_dates_serialise_in_json(published):
    records = json.loads(
        run_query(
            published,
            "select election_id, election_date from ref.elections where election_id = 'kz-2021-01-10'",
        ).to_json()
    )
    assert records == [{"election_id": "kz-2021-01-10", "election_date": "2021-01-10"}]


@pytest.mark.parametrize(
    "sql",
    [
        "create table marts.evil as select 1",
        "insert into ref.regions (code) values ('KZ-99')",
        "delete from ref.regions",
        "drop table ref.regions",
        "update ref.parties set name_en = 'x'",
        "attach 'elsewhere.duckdb' as other",
        "copy ref.regions to 'regions.csv'",
        "select * from read_csv('/etc/passwd')",
        "set enable_external_access = true",
    ],
)
def test_nothing_can_be_written_or_read_beside_it(published, sql, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = digest(published)
    with pytest.raises(QueryError):
        run_query(published, sql)
    assert digest(published) == before
    assert list(tmp_path.iterdir()) == []  # no file was created
    assert run_query(published, "select count(*) from ref.regions").rows == [(20,)]


def test_missing_database_and_bad_sql_are_named(published, tmp_path):
    with pytest.raises(QueryError, match="no published database"):
        run_query(tmp_path / "none.duckdb", "select 1")
    with pytest.raises(QueryError, match="marts.nothing_here"):
        run_query(published, "select * from marts.nothing_here")


def test_open_published_is_read_only(published):
    with open_published(published) as con:
        assert con.execute("select count(*) from ref.parties").fetchone()[0] > 0
        with pytest.raises(Exception, match="read-only|read only"):
            con.execute("create table ref.t (x int)")
