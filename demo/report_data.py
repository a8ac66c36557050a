"""The whole demo election as a published database, through the real importers, for the report's tests
and benchmark (``build_demo_published``), and the rows the scraper would have staged that the demo
folder does not carry (``add_observer_and_bulletin_rows``: CEC turnout bulletins and, for small test
databases, observers' copies and head counts).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from saylau import marts, publish, runs, warehouse
from saylau.config import Settings

ELECTION = "kz-2021-01-10"


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


def build_demo_published(build_dir: Path) -> Settings:
    """The whole demo election through the real importers (official table, observers' exports), plus CEC
    turnout bulletins inserted as the scraper would stage them; marts built and published."""
    from demo.outputs import generate_into, load_folder

    s = Settings(build_dir=build_dir)
    folder = build_dir / "demo"
    generate_into(folder)
    run_id = load_folder(folder, s).run_id
    add_observer_and_bulletin_rows(s.work_db, run_id, observers=False)  # as the scraper would stage them
    marts_and_publish(s, run_id)
    return s


def marts_and_publish(s: Settings, run_id: str) -> None:
    with warehouse.connect(s.work_db) as con:
        checksums = marts.build_marts(con)
    runs.finish_run(s.work_db, run_id, "completed", checksums=checksums)
    publish.publish(s.work_db, s.published_db, s.parquet_dir)
