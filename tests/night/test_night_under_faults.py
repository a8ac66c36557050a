"""A whole election night of runs against a CEC double that fails a fifth of its requests, with an analyst
querying the published database all the while (issue 9, points 1 and 5).

The night is played twice on the same port and the same simulated schedule: once against a clean site,
once against a site injecting every kind of fault (500, 503, 429 with Retry-After, slow answers, answers
slower than the read timeout, reset connections, truncated bodies: 20% of requests in all), serving pages
in windows-1251 with and without a charset, with changed table layouts, and with one page that is broken
all night. The marts must come out identical, the broken page must be listed with its last error, and the
analyst must never see an error or a published file whose marts disagree with the run that wrote them.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from demo.clock import AFTER_EVERYTHING, CAPITAL, SimClock
from demo.election import DEFAULT_SEED
from demo.faults import FaultConfig
from demo.pages import schedule
from demo.site import DemoSite, start_site
from saylau import scrape
from saylau.pipeline import ScrapeFailed
from tests.night import FAST, night

pytestmark = [pytest.mark.slow]

DAY = datetime(2021, 1, 10, tzinfo=CAPITAL)
# When the scheduled runs happen (capital time): during voting (turnout bulletins), the morning after
# (preliminary results), and after the final results. Three runs, each incremental on the one before: the
# suite's time budget (issue 20 item 5) does not allow two nights of five full runs.
NIGHT = [
    DAY + timedelta(hours=16, minutes=45),
    DAY + timedelta(days=1, hours=12),
    AFTER_EVERYTHING,
]
SHORT_TIMEOUT = {**FAST, "read_timeout": 1.0}  # the injected "timeout" answers take 1.5 s
TWENTY_PERCENT = FaultConfig(
    seed=11,
    error_500=0.03,
    error_503=0.03,
    rate_limit=0.03,
    slow=0.03,
    timeout=0.02,
    reset=0.03,
    truncate=0.03,
    slow_seconds=0.3,
    timeout_seconds=1.5,
    retry_after_seconds=1,
    cp1251=0.3,
    changed_layout=0.3,
)
BROKEN_ID = next(i.id for i in schedule(DEFAULT_SEED) if i.kind == "notice" and i.section == "releases")
BROKEN_PATH = f"/rus/news/releases/index.php?ID={BROKEN_ID}"


class BrokenPageSite(DemoSite):
    """The CEC double with one notice whose server-side script fails on every request, all night."""

    def respond(self, target, headers=None):
        if target == BROKEN_PATH:
            self.requests += 1
            return self._error(500, "Internal Server Error")
        return super().respond(target, headers)


ANALYST = textwrap.dedent(
    """
    import json, sys, time, duckdb
    from pathlib import Path
    from saylau.marts import mart_checksums

    published, stop, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    seen = dict(queries=0, errors=[], inconsistent=[], runs=set())
    while not stop.exists():
        if not published.exists():
            time.sleep(0.05)
            continue
        try:
            con = duckdb.connect(str(published), read_only=True)
            try:
                run_id, stored = con.execute(
                    "select run_id, mart_checksums from meta.runs where finished_at is not null "
                    "order by finished_at desc limit 1"
                ).fetchone()
                stored = json.loads(stored)
                actual = {k: {"rows": c.rows, "checksum": c.checksum} for k, c in mart_checksums(con).items()}
                con.execute("select * from marts.election_totals").fetchall()
                con.execute("select region_code, max(official_turnout_pct) from marts.turnout_timeline "
                            "group by all").fetchall()
            finally:
                con.close()
            seen["queries"] += 1
            seen["runs"].add(run_id)
            if stored != actual:
                seen["inconsistent"].append(run_id)
        except Exception as exc:  # an analyst must never see one
            seen["errors"].append(f"{type(exc).__name__}: {exc}")
    seen["runs"] = sorted(seen["runs"])
    out.write_text(json.dumps(seen))
    """
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def play_night(site: DemoSite, port: int, build_dir: Path) -> list[tuple[str, str | None]]:
    """Every scheduled run of the night; returns (run id, failures) per run."""
    clock = SimClock(NIGHT[0])
    site.clock = clock
    outcomes = []
    with start_site(site=site, port=port) as running:
        for moment in NIGHT:
            clock.set(moment)
            try:
                outcome = night(running.base_url, build_dir, **SHORT_TIMEOUT)
                outcomes.append((outcome.run_id, None))
            except ScrapeFailed as failed:
                outcomes.append(("failed", str(failed)))
    return outcomes


def last_run(build_dir: Path) -> tuple[str, str | None, dict]:
    with duckdb.connect(str(build_dir / "work" / "saylau.duckdb"), read_only=True) as con:
        run_id, error, checksums = con.execute(
            "select run_id, error, mart_checksums from meta.runs order by started_at desc limit 1"
        ).fetchone()
    return run_id, error, json.loads(checksums)


def test_a_night_with_a_fifth_of_requests_failing_ends_with_the_clean_nights_marts(tmp_path):
    port = free_port()
    clean_dir, faulty_dir = tmp_path / "clean", tmp_path / "faulty"
    play_night(DemoSite(), port, clean_dir)
    _, clean_error, clean_marts = last_run(clean_dir)
    assert clean_error is None
    assert (
        clean_marts["marts.election_totals"]["rows"] > 0 and clean_marts["marts.results_official"]["rows"] > 0
    )

    stop, report = tmp_path / "stop", tmp_path / "analyst.json"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    published = faulty_dir / "published" / "saylau.duckdb"
    analyst = subprocess.Popen(
        [sys.executable, "-c", ANALYST, str(published), str(stop), str(report)], env=env
    )
    try:
        site = BrokenPageSite(faults=TWENTY_PERCENT)
        outcomes = play_night(site, port, faulty_dir)
        time.sleep(0.5)  # one more look at the final file
    finally:
        stop.touch()
        analyst.wait(timeout=60)

    # the broken page fails every run; every run still staged, validated and published everything else
    assert all(failure and BROKEN_PATH in failure for _, failure in outcomes), outcomes
    run_id, error, faulty_marts = last_run(faulty_dir)
    # marts.official_conflicts names each disagreeing page version by its sha256, and the faulty night's
    # Windows-1251 copies are other bytes: compared below without that column, every other mart whole
    bytes_named = "marts.official_conflicts"
    assert {k: v for k, v in faulty_marts.items() if k != bytes_named} == {
        k: v for k, v in clean_marts.items() if k != bytes_named
    }
    conflicts = "select * exclude (sha256) from marts.official_conflicts order by all"
    with (
        duckdb.connect(str(clean_dir / "published" / "saylau.duckdb"), read_only=True) as clean,
        duckdb.connect(str(faulty_dir / "published" / "saylau.duckdb"), read_only=True) as faulty,
    ):
        assert faulty.execute(conflicts).fetchall() == clean.execute(conflicts).fetchall()
    assert f"{BROKEN_PATH}: HTTP 500" in error
    with duckdb.connect(str(faulty_dir / "work" / "saylau.duckdb"), read_only=True) as con:
        listed = scrape.failed_fetches(con, run_id)
        kinds = con.execute(
            "select count(*) filter (where status in (500, 503, 429)), count(*) filter (where status is null), "
            "count(*) filter (where attempt > 1), count(*) from raw.fetches"
        ).fetchone()
        encodings = {r[0] for r in con.execute("select distinct encoding from raw.pages").fetchall()}
    assert [line for line in listed if not line.endswith(": HTTP 500")] == [], listed
    assert [line.split(": ")[0].endswith(BROKEN_PATH) for line in listed] == [True]
    errors_answered, no_answer, retried, requests = kinds
    assert errors_answered > 0 and no_answer > 0 and retried > 0
    assert "windows-1251" in encodings

    seen = json.loads(report.read_text())
    assert seen["errors"] == [] and seen["inconsistent"] == []
    assert seen["queries"] > 0 and len(seen["runs"]) >= 2, seen  # it saw the file replaced under it
