"""The real Russian State Duma precinct tables (2011, 2016): import and forensics reproduce published figures.

Published figures: ``data/precinct_results/README.md`` in the shared folder beside the checkout
(``saylau.config.SHARED_DIR``; Kobak, Shpilkin and Pshenichnikov 2016; Shpilkin's estimates). Each election
is imported once per test session (module-scoped fixtures, one xdist worker), into its own warehouse, and
its marts built as the import-precincts job builds them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from saylau import marts, reference, runs, warehouse
from saylau.config import SHARED_DIR
from saylau.precincts import import_precincts

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("precincts_real")]

DATA = SHARED_DIR / "data" / "precinct_results"


def _import(tmp_path_factory: pytest.TempPathFactory, name: str, election_id: str):
    path = DATA / name
    if not path.exists():
        pytest.skip(f"shared precinct data not found at {path}")
    build = tmp_path_factory.mktemp(election_id)
    db = build / "work.duckdb"
    warehouse.create_warehouse(db)
    with warehouse.connect(db) as con:
        reference.load_reference(con)
    run_id = runs.start_run(db, "import_precincts", {"path": str(path)})
    result = import_precincts(
        db, path, "izbirkom-csv", election_id, run_id=run_id, archive_dir=build / "archive"
    )
    with warehouse.connect(db) as con:  # what the import-precincts job does after the import
        marts.build_marts(con)
    return db, result


def _one(db: Path, sql: str, params: list) -> dict:
    with warehouse.connect(db, read_only=True) as con:
        cur = con.execute(sql, params)
        names = [d[0] for d in cur.description]
        row = cur.fetchone()
    assert row is not None, sql
    return dict(zip(names, row, strict=True))


@pytest.fixture(scope="session")  # not module: xdist may interleave modules and rebuild it
def ru2011(tmp_path_factory):
    return _import(tmp_path_factory, "russia_duma_2011.csv.zip", "ru-2011-12-04")


@pytest.fixture(scope="session")  # not module: xdist may interleave modules and rebuild it
def ru2016(tmp_path_factory):
    return _import(tmp_path_factory, "russia_duma_2016.csv.zip", "ru-2016-09-18")


def test_2011_totals_and_zero_hard_violations(ru2011):
    db, result = ru2011
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (95_225, 95_225, 0)
    totals = _one(db, "select * from marts.election_totals where election_id = ?", ["ru-2011-12-04"])
    assert totals["precincts"] == 95_225
    assert totals["registered"] == 109_229_337
    assert totals["turnout_pct"] == 60.21
    assert (totals["leader"], totals["leader_votes"]) == ("edinaya_rossiya", 32_371_737)
    assert totals["leader_share_of_ballots_cast_pct"] == 49.31
    hard = _one(
        db,
        "select count(*) as n from meta.data_quality where run_id = ? and severity = 'reject' and failed_rows > 0",
        [result.run_id],
    )
    assert hard["n"] == 0


def test_2011_integer_percent_excess_matches_published(ru2011):
    db, _ = ru2011
    row = _one(db, "select * from marts.forensics_integer_percent where election_id = ?", ["ru-2011-12-04"])
    assert abs(row["excess"] - 1003.5) <= 25
    assert 100 < row["expected_sd"] < 130  # the published Monte-Carlo sd is about 113


def test_2011_shpilkin_anomalous_votes_and_clean_share(ru2011):
    db, _ = ru2011
    row = _one(db, "select * from marts.forensics_shpilkin where election_id = ?", ["ru-2011-12-04"])
    assert abs(row["anomalous_votes"] - 15.2e6) <= 0.05 * 15.2e6
    assert abs(row["clean_leader_share_of_ballots_cast_pct"] - 34.0) <= 1.0


def test_2011_fingerprint_digits_and_distribution_cover_every_precinct(ru2011):
    db, _ = ru2011
    fp = _one(
        db,
        "select sum(precincts) as n, sum(voters) as voters from marts.forensics_fingerprint where election_id = ?",
        ["ru-2011-12-04"],
    )
    assert fp["voters"] <= 109_229_337 and fp["n"] >= 95_000
    regions = _one(
        db,
        "select count(*) as n from marts.forensics_distribution where election_id = ? and region_code is not null",
        ["ru-2011-12-04"],
    )
    assert regions["n"] == 84
    digits = _one(
        db,
        "select * from marts.forensics_digits where election_id = ? and region_code is null and option_id is null",
        ["ru-2011-12-04"],
    )
    assert 3.5 < digits["second_digit_mean"] < 4.5 and 4.0 < digits["last_digit_mean"] < 5.0


def test_2016_totals_and_zero_hard_violations(ru2016):
    db, result = ru2016
    assert (result.rows_loaded, result.rows_quarantined) == (96_871, 0)
    totals = _one(db, "select * from marts.election_totals where election_id = ?", ["ru-2016-09-18"])
    assert (totals["registered"], totals["turnout_pct"]) == (110_061_200, 47.88)
    assert (totals["leader"], totals["leader_votes"], totals["leader_share_of_ballots_cast_pct"]) == (
        "edinaya_rossiya",
        28_527_828,
        54.2,
    )


def test_2016_integer_percent_and_shpilkin_match_published(ru2016):
    db, _ = ru2016
    integer = _one(
        db, "select * from marts.forensics_integer_percent where election_id = ?", ["ru-2016-09-18"]
    )
    assert abs(integer["excess"] - 1502.4) <= 25
    shpilkin = _one(db, "select * from marts.forensics_shpilkin where election_id = ?", ["ru-2016-09-18"])
    assert shpilkin["modal_turnout_pct"] == 36.5
    assert abs(shpilkin["clean_leader_share_of_ballots_cast_pct"] - 39.5) <= 1.0
