"""Published databases built by code for the report, query and analysts'-guide tests.

``small_published_db``: a few dozen precincts of the 2021 election in two regions (official table through
the real precinct importer, observers' copies and turnout counts and the CEC's turnout bulletins inserted
into core), marts built, published. The whole demo election's database (``build_demo_published``, about
half a minute) lives in ``demo/report_data.py`` with the row builders both share, for the benchmark too.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np

from demo.report_data import ELECTION, add_observer_and_bulletin_rows, marts_and_publish
from saylau import reference, runs, warehouse
from saylau.config import Settings

PARTIES = ("amanat", "ak_zhol", "qhp", "auyl", "adal")
HEADER = (
    "election_id,contest_id,region_code,tec_id,pec_id,precinct_number,abroad,status,registered,"
    "ballots_received,ballots_issued,ballots_cancelled,ballots_in_boxes,invalid,valid," + ",".join(PARTIES)
)


def precinct_csv(
    rng: np.random.Generator, regions: tuple[str, ...] = ("KZ-11", "KZ-75"), per_region: int = 30
) -> bytes:
    """An official precinct table (kz-precinct-csv) of the mazhilis contest with random, consistent numbers."""
    lines = [HEADER]
    for region in regions:
        for n in range(1, per_region + 1):
            registered = int(rng.integers(600, 2500))
            issued = int(registered * rng.uniform(0.45, 0.85))
            invalid = int(rng.integers(5, 40))
            valid = issued - invalid
            weights = rng.dirichlet([14, 3, 2, 1, 1])
            votes = np.floor(weights * valid).astype(int)
            votes[0] += valid - votes.sum()
            received = registered + 20
            lines.append(
                f"{ELECTION},mazhilis,{region},{region}/T01,{region}/{n},{n},false,final,{registered},{received},"
                f"{issued},{received - issued},{issued},{invalid},{valid}," + ",".join(str(v) for v in votes)
            )
    return ("\n".join(lines) + "\n").encode()


def build_small_published(build_dir: Path) -> Settings:
    """A small published database (60 precincts of 2021 in two regions, with observers and bulletins)."""
    from saylau.precincts import import_precinct_file

    s = Settings(build_dir=build_dir)
    warehouse.create_warehouse(s.work_db)
    with warehouse.connect(s.work_db) as con:
        reference.load_reference(con)
    table = build_dir / "precincts.csv"
    table.parent.mkdir(parents=True, exist_ok=True)
    table.write_bytes(precinct_csv(np.random.default_rng(7)))
    run_id = runs.start_run(s.work_db, "test_observers", {"election_id": ELECTION})
    import_precinct_file(
        s.work_db, table, "kz-precinct-csv", ELECTION, run_id=run_id, archive_dir=s.archive_dir
    )
    add_observer_and_bulletin_rows(s.work_db, run_id)
    marts_and_publish(s, run_id)
    return s


def test_small_published_db_holds_both_sources(tmp_path: Path) -> None:
    s = build_small_published(tmp_path / "b")
    con = duckdb.connect(str(s.published_db), read_only=True)
    try:
        by_source = dict(
            con.execute(
                "select source, count(distinct unit_id) from core.protocol_values group by 1"
            ).fetchall()
        )
        bulletins = con.execute("select count(*) from core.turnout_official").fetchone()[0]
    finally:
        con.close()
    assert by_source["official"] == 60 and by_source["observers"] == 20
    assert bulletins == 6 * 3
