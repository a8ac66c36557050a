"""Published databases built by code for the report, query and analysts'-guide tests.

``small_published_db``: a few dozen precincts of the 2021 election in two regions (official table through
the real precinct importer, observers' copies and turnout counts and the CEC's turnout bulletins inserted
into core), marts built, published. ``demo_published_db``: the whole demo election (about 10,000
precincts) through the real importers; about half a minute, so the tests using it share one per worker.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np

from saylau import marts, publish, reference, runs, warehouse
from saylau.config import Settings

ELECTION = "kz-2021-01-10"
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


def add_observer_and_bulletin_rows(db: Path, run_id: str, observers: bool = True) -> None:
    """CEC turnout bulletins with the pages and fetches they came from and, with ``observers``, observers'
    protocol copies (every third official precinct, the leader's votes lowered at some) and their head
    counts through the day."""
    with warehouse.connect(db) as con:
        if observers:
            _add_observers(con, run_id)
        _add_bulletins(con, run_id)


def _add_observers(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    con.execute(
        """
            insert into core.protocol_values
            select election_id, contest_id, 'observers', level, unit_id, region_code, line, option_id,
                   case when line = 'votes' and option_id = 'amanat' and hash(unit_id) % 4 = 0
                        then value - 40 else value end,
                   null, null, 'observers_test.csv', 'f' || repeat('0', 63), 1, $run
            from core.protocol_values
            where source = 'official' and level = 'pec' and election_id = $e
              and cast(split_part(unit_id, '/', 2) as integer) % 3 = 0
            """,
        {"run": run_id, "e": ELECTION},
    )
    con.execute(
        """
            insert into core.observer_turnout
            select 'observers', p.election_id, p.region_code, p.unit_id, $day + to_hours(h.hour),
                   max(p.value) filter (where p.line = 'registered'),
                   (max(p.value) filter (where p.line = 'ballots_issued') * (h.hour - 8) / 12)::bigint,
                   null, 'observers_turnout_test.csv', 'e' || repeat('0', 63), 1, $run
            from core.protocol_values as p, (select unnest([10, 12, 14, 16, 18, 20]) as hour) as h
            where p.source = 'observers'
            group by p.election_id, p.region_code, p.unit_id, h.hour
            """,
        {"day": datetime(2021, 1, 10), "run": run_id},
    )
    con.execute(
        "insert into raw.files values (?, 'observers_test.csv', 'observer_export', 1234, now(), ?)",
        ["f" + "0" * 63, run_id],
    )


def _add_bulletins(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    regions = [r[0] for r in con.execute("select distinct region_code from core.protocol_values").fetchall()]
    day = datetime(2021, 1, 10)
    page_rows, fetch_rows, bulletins = [], [], []
    for i, hour in enumerate((10, 12, 14, 16, 18, 20)):
        url = f"https://www.election.gov.kz/rus/news/releases/index.php?ID={7000 + i}"
        body = f"bulletin {hour}:00".encode()
        sha = hashlib.sha256(body).hexdigest()
        fetched = datetime(2021, 1, 10, hour - 6, 5, tzinfo=UTC)
        page_rows.append(
            (url, sha, fetched, "rus", 7000 + i, "releases", "turnout_bulletin", f"{hour}:00", run_id)
        )
        fetch_rows.append((run_id, url, fetched, 200, sha, len(body)))
        for k, region in enumerate(["KZ", *regions]):
            pct = round(8 + 9.5 * i + 1.5 * k, 1)
            bulletins.append((ELECTION, region, day + timedelta(hours=hour), pct, url, sha, "rus", run_id))
    con.executemany(
        "insert into raw.pages (url, sha256, first_seen_at, lang, page_id, section, kind, title, parse_status, "
        "run_id) values (?, ?, ?, ?, ?, ?, ?, ?, 'parsed', ?)",
        page_rows,
    )
    con.executemany(
        "insert into raw.fetches (run_id, url, attempt, requested_at, status, conditional, sha256, bytes) "
        "values (?, ?, 1, ?, ?, false, ?, ?)",
        fetch_rows,
    )
    con.executemany("insert into core.turnout_official values (?, ?, ?, ?, ?, ?, ?, ?)", bulletins)


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
    import_precinct_file(s.work_db, table, "kz-precinct-csv", ELECTION, archive_dir=s.archive_dir)
    run_id = runs.start_run(s.work_db, "test_observers", {"election_id": ELECTION})
    add_observer_and_bulletin_rows(s.work_db, run_id)
    _marts_and_publish(s, run_id)
    return s


def build_demo_published(build_dir: Path) -> Settings:
    """The whole demo election through the real importers (official table, observers' exports), plus CEC
    turnout bulletins inserted as the scraper would stage them; marts built and published."""
    from demo.outputs import generate_into
    from saylau.observers import load_observers
    from saylau.precincts import import_precinct_file

    s = Settings(build_dir=build_dir)
    folder = build_dir / "demo"
    generate_into(folder)
    warehouse.create_warehouse(s.work_db)
    with warehouse.connect(s.work_db) as con:
        reference.load_reference(con)
    run_id = runs.start_run(s.work_db, "demo", {"election_id": ELECTION})
    import_precinct_file(
        s.work_db,
        folder / "official" / "precincts.csv",
        "kz-precinct-csv",
        ELECTION,
        archive_dir=s.archive_dir,
    )
    load_observers(s.work_db, [folder / "observers"], election_id=ELECTION, run_id=run_id, s=s)
    add_observer_and_bulletin_rows(s.work_db, run_id, observers=False)  # as the scraper would stage them
    _marts_and_publish(s, run_id)
    return s


def _marts_and_publish(s: Settings, run_id: str) -> None:
    with warehouse.connect(s.work_db) as con:
        checksums = marts.build_marts(con)
    runs.finish_run(s.work_db, run_id, "completed", checksums=checksums)
    publish.publish(s.work_db, s.published_db, s.parquet_dir)


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
