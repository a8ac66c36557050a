"""Crash safety: an election-night run SIGKILLed anywhere, then rerun, ends as if it had never been killed.

``saylau run`` runs as a subprocess with ``SAYLAU_CRASH_AT`` naming a kill point (saylau.crashpoints), or
is killed from here after a seeded random delay. After each kill the published database is the previous
good one byte for byte, or a complete new one whose marts match the checksums its run recorded (and the
Parquet files are one run's whole set). After a rerun the working warehouse has no duplicate rows, no
page lost, no run left 'running', and holds what a run that was never killed holds.

``saylau run`` runs the pipeline plainly (no Prefect server); build folders are copies of one run made
before the kills.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from demo.clock import AFTER_EVERYTHING, CAPITAL, SimClock
from demo.site import start_site
from saylau import warehouse
from saylau.config import PROJECT_ROOT, Settings
from saylau.marts import mart_checksums
from saylau.warehouse import table_names
from tests.night import FAST, night

pytestmark = [pytest.mark.xdist_group("crash"), pytest.mark.slow]

CLI_FAST = ["--rate", "0", "--concurrency", "8"]

# What a run that was never killed must agree on, run ids and fetch times aside.
CONTENT = {
    "pages": "select url, sha256, lang, page_id, section, kind, title, encoding, parse_status, parse_error "
    "from raw.pages order by all",
    "turnout": "select * exclude (run_id) from staging.cec_turnout order by all",
    "results": "select * exclude (run_id) from staging.cec_results order by all",
    "core_turnout": "select * exclude (run_id) from core.turnout_official order by all",
    "core_shares": "select * exclude (run_id) from core.result_shares order by all",
    "core_values": "select * exclude (run_id) from core.protocol_values order by all",
}
# Natural keys that must stay unique however often a run is killed and rerun.
UNIQUE = {
    "raw.fetches": "run_id, url, attempt",
    "raw.pages": "url, sha256",
    "core.turnout_official": "election_id, region_code, as_of",
    "core.result_shares": "election_id, contest_id, level, unit_id, line, option_id, status, as_of",
    "core.protocol_values": "election_id, contest_id, source, level, unit_id, line, option_id, status, as_of, "
    "source_sha256",
}


@dataclass
class World:
    base_url: str
    base: Path  # build folder after one good run at 12:30 on election day
    ref: dict  # content of the same folder after a clean (never killed) rerun once everything is out
    ref_marts: dict
    ref_archive: set[str]
    bodies_fetched: int  # bodies the clean rerun fetched (so a kill mid-fetch can be aimed inside it)
    clean_seconds: float  # how long the clean rerun took (so a kill at a random moment falls inside a run)


def content(db: Path) -> dict:
    with warehouse.connect(db, read_only=True) as con:
        return {name: con.execute(sql).fetchall() for name, sql in CONTENT.items()}


def archived(build: Path) -> set[str]:
    return {p.name for p in (build / "archive").glob("*/*.gz")}


@pytest.fixture(scope="session")  # session: xdist may interleave other modules, a module fixture rebuilds
def world(tmp_path_factory) -> World:
    root = tmp_path_factory.mktemp("crash")
    clock = SimClock(datetime(2021, 1, 10, 12, 30, tzinfo=CAPITAL))
    with start_site(clock=clock) as site:
        base = root / "base"
        night(site.base_url, base, **FAST)
        ref = root / "ref"
        shutil.copytree(base, ref, symlinks=True)
        clock.set(AFTER_EVERYTHING)
        started = time.monotonic()
        clean = night(site.base_url, ref, **FAST)
        clean_seconds = time.monotonic() - started
        db = Settings(build_dir=ref).work_db
        with warehouse.connect(db, read_only=True) as con:
            ref_marts = mart_checksums(con)
        yield World(
            site.base_url,
            base,
            content(db),
            ref_marts,
            archived(ref),
            clean.fetched,
            clean_seconds,
        )


def copy_base(world: World, tmp_path: Path) -> Settings:
    build = tmp_path / "build"
    shutil.copytree(world.base, build, symlinks=True)
    return Settings(build_dir=build)


def start_run(world: World, s: Settings, crash_at: str | None, log: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("SAYLAU_DB", "SAYLAU_CRASH_AT")}
    env.update(SAYLAU_BUILD_DIR=str(s.build_dir), PREFECT_HOME=str(s.prefect_home))
    if crash_at:
        env["SAYLAU_CRASH_AT"] = crash_at
    cmd = [sys.executable, "-c", "from saylau.cli import app; app()", "run", "--base-url", world.base_url]
    with log.open("ab") as out:
        return subprocess.Popen([*cmd, *CLI_FAST], cwd=PROJECT_ROOT, env=env, stdout=out, stderr=out)


@dataclass(frozen=True)
class Snapshot:
    db: str | None
    parquet: tuple


def snapshot(s: Settings) -> Snapshot:
    db = hashlib.sha256(s.published_db.read_bytes()).hexdigest() if s.published_db.exists() else None
    files = sorted(s.parquet_dir.glob("*.parquet")) if s.parquet_dir.exists() else []
    return Snapshot(db, tuple((p.name, hashlib.sha256(p.read_bytes()).hexdigest()) for p in files))


def assert_published_whole(s: Settings, before: Snapshot) -> None:
    """The published database is the previous one byte for byte, or a complete new one; the Parquet files
    are the previous set, or a complete set matching the published database."""
    now = snapshot(s)
    assert now.db is not None, "the published database went missing"
    if now.db != before.db:
        con = duckdb.connect(str(s.published_db), read_only=True)
        try:
            assert (
                con.execute(
                    "select count(*) from meta.runs where status in ('running', 'publishing')"
                ).fetchone()[0]
                == 0
            )
            recorded = con.execute(
                "select mart_checksums from meta.runs where status in ('completed', 'failed') "
                "and mart_checksums::varchar <> '{}' order by finished_at desc limit 1"
            ).fetchone()[0]
            marts = {name: vars(c) for name, c in mart_checksums(con).items()}
        finally:
            con.close()
        assert marts and json.loads(recorded) == marts, "published marts differ from what their run recorded"
    if now.parquet != before.parquet:
        con = duckdb.connect(str(s.published_db), read_only=True)
        try:
            marts = set(table_names(con, "marts"))
            assert {name.removesuffix(".parquet") for name, _ in now.parquet} == marts
            for mart in marts:  # (Parquet has no HUGEINT: compare values, not their text)
                file = s.parquet_dir / f"{mart}.parquet"
                differ = con.execute(
                    f"select count(*) from ((select * from read_parquet('{file}') except all "
                    f"select * from marts.{mart}) union all (select * from marts.{mart} except all "
                    f"select * from read_parquet('{file}')))"
                ).fetchone()[0]
                assert differ == 0, f"{file.name} is not the published marts.{mart}: a mixed Parquet set"
        finally:
            con.close()


def assert_recovered(world: World, s: Settings, crashes: int | None) -> None:
    """After the rerun: nothing duplicated, nothing lost, no run left running, as a clean run."""
    db = s.work_db
    with warehouse.connect(db, read_only=True) as con:
        statuses = dict(con.execute("select status, count(*) from meta.runs group by all").fetchall())
        for table, key in UNIQUE.items():
            dupes = con.execute(
                f"select count(*) from (select {key} from {table} group by all having count(*) > 1)"
            ).fetchone()[0]
            assert dupes == 0, f"{table} has {dupes} duplicate keys ({key})"
        for table in ("staging.cec_turnout", "staging.cec_results"):
            twice = con.execute(
                f"select count(*) from (select url, sha256 from {table} group by all "
                "having count(distinct run_id) > 1)"
            ).fetchone()[0]
            assert twice == 0, f"{table}: {twice} page versions staged by more than one run"
        fetched = {r[0] for r in con.execute("select sha256 from raw.fetches where status = 200").fetchall()}
        marts = mart_checksums(con)
    assert statuses.get("running", 0) == statuses.get("publishing", 0) == 0
    if crashes is not None:  # (a run killed at random may die before it recorded itself)
        assert statuses.get("crashed", 0) == crashes, statuses
    assert {f"{sha}.gz" for sha in fetched} == archived(s.build_dir), "archived bodies and raw.fetches differ"
    assert archived(s.build_dir) >= world.ref_archive, "a body the clean run archived is missing"
    got = content(db)
    for name, rows in world.ref.items():
        assert got[name] == rows, f"{name} differs from a run that was never killed"
    assert marts == world.ref_marts
    assert_published_whole(s, Snapshot(None, ()))
    with duckdb.connect(str(s.published_db), read_only=True) as con:
        assert {name: c for name, c in mart_checksums(con).items()} == marts
    current = s.parquet_dir.resolve()
    leftovers = [p.name for p in s.published_dir.iterdir() if p.name.startswith(".") and p != current]
    assert not leftovers, f"a killed publisher's leftovers are still in the published folder: {leftovers}"


# Each chain kills one run after another at later and later points on one build folder, then reruns.
# A run killed while publishing has recorded its end (its marts were built and checked): it is 'publishing',
# not 'running'. The next run finds it 'crashed' unless its published copy was in place (renamed: killed
# while the Parquet files are written, or after), which says it completed.
FINISHED_BY = ("publish.", "night.published")
LANDED = ("publish.parquet", "night.published")
CHAINS = {
    "load": [
        "fetch.archived:{mid}",
        "record.insert",
        "stage.start",
        "stage.table:1",
        "promote.turnout",
        "marts.phase:2",
    ],
    "publish": ["publish.temp", "publish.parquet:5", "night.published"],
}


@pytest.mark.parametrize("chain", list(CHAINS))
def test_killed_runs_then_rerun_end_as_a_clean_run(world, tmp_path, chain):
    s = copy_base(world, tmp_path)
    for point in CHAINS[chain]:
        point = point.format(mid=max(1, world.bodies_fetched // 2))
        before = snapshot(s)
        proc = start_run(world, s, point, tmp_path / "run.log")
        rc = proc.wait(timeout=300)
        assert rc == -signal.SIGKILL, f"{point}: exit {rc}\n" + (tmp_path / "run.log").read_text()[-3000:]
        assert_published_whole(s, before)
        with warehouse.connect(s.work_db, read_only=True) as con:  # opens (its WAL replayed) as it was left
            running = con.execute("select count(*) from meta.runs where status = 'running'").fetchone()[0]
        assert running == (0 if point.startswith(FINISHED_BY) else 1), point
    night(world.base_url, s.build_dir, **FAST)
    assert_recovered(world, s, crashes=sum(not p.startswith(LANDED) for p in CHAINS[chain]))


def wait_for_writer_lock(s: Settings, proc: subprocess.Popen, timeout: float = 120.0) -> None:
    """Return once the run holds the working database's writer lock (its work has begun)."""
    lock = s.work_db.with_suffix(".lock")
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        with lock.open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return
            fcntl.flock(handle, fcntl.LOCK_UN)
        time.sleep(0.02)


def test_killed_at_random_moments_then_rerun_end_as_a_clean_run(world, tmp_path):
    """Kills between the named points: runs are SIGKILLed a seeded random time after they took the writer
    lock, within how long a whole run takes here, until two were killed (a run may finish first)."""
    seed = int(os.environ.get("SAYLAU_CRASH_SEED", "20210110"))
    rng = random.Random(seed)
    s = copy_base(world, tmp_path)
    kills = []
    while len(kills) < 4 and sum(rc == -signal.SIGKILL for _, rc in kills) < 2:
        before = snapshot(s)
        delay = rng.uniform(0.05, 0.8) * world.clean_seconds
        proc = start_run(world, s, None, tmp_path / "run.log")
        wait_for_writer_lock(s, proc)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
        rc = proc.wait(timeout=60)
        assert rc in (0, -signal.SIGKILL), (tmp_path / "run.log").read_text()[-3000:]
        kills.append((round(delay, 2), rc))
        assert_published_whole(s, before)
    assert any(rc == -signal.SIGKILL for _, rc in kills), f"seed {seed}: no run was killed: {kills}"
    night(world.base_url, s.build_dir, **FAST)
    assert_recovered(world, s, crashes=None)


def test_a_crashpoint_kills_only_when_named_and_on_its_nth_pass(tmp_path):
    code = (
        "from saylau.crashpoints import crashpoint\n"
        "for i in range(1, 4):\n"
        "    crashpoint('other.point'); crashpoint('some.point'); print(i, flush=True)\n"
    )

    def run(crash_at: str | None) -> tuple[int, str]:
        env = {k: v for k, v in os.environ.items() if k != "SAYLAU_CRASH_AT"}
        if crash_at:
            env["SAYLAU_CRASH_AT"] = crash_at
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
        )
        return done.returncode, done.stdout.split()

    assert run(None) == (0, ["1", "2", "3"])
    assert run("some.poin") == (0, ["1", "2", "3"])
    assert run("some.point") == (-signal.SIGKILL, [])
    assert run("some.point:3") == (-signal.SIGKILL, ["1", "2"])


def test_a_first_crawl_killed_mid_discovery_keeps_every_page_it_fetched(tmp_path):
    """A first run SIGKILLed while it walks the listings: every body it fetched is archived with its
    record (the archive's journal); the next run restores those records into raw.fetches and asks for
    those pages conditionally, not as if it had never seen them."""
    from saylau import manifest

    s = Settings(build_dir=tmp_path / "build")
    with start_site() as site:
        world = World(site.base_url, s.build_dir, {}, {}, set(), 0, 0.0)
        proc = start_run(world, s, "fetch.archived:25", tmp_path / "run.log")
        assert proc.wait(timeout=300) == -signal.SIGKILL, (tmp_path / "run.log").read_text()[-3000:]
        bodies = archived(s.build_dir)
        journaled = manifest.read_journals(manifest.journals(s.archive_dir))
        ok = [r for r in journaled if r["status"] == 200]
        # killed right after the 25th body was archived, before its record was journaled
        assert len(ok) == 24 and {f"{r['sha256']}.gz" for r in ok} <= bodies
        assert len(bodies - {f"{r['sha256']}.gz" for r in ok}) <= 1
        killed_run = journaled[0]["run_id"]
        night(site.base_url, s.build_dir, **FAST)
    assert manifest.journals(s.archive_dir) == []
    with warehouse.connect(s.work_db, read_only=True) as con:
        kept = con.execute(
            "select url, sha256 from raw.fetches where run_id = ? and status = 200", [killed_run]
        ).fetchall()
        again = con.execute(
            "select f.conditional, f.status from raw.fetches as f inner join (select url from raw.fetches "
            "where run_id = ? and status = 200) using (url) where f.run_id <> ?",
            [killed_run, killed_run],
        ).fetchall()
        status = con.execute("select status from meta.runs where run_id = ?", [killed_run]).fetchone()
    assert len(kept) == 24 and {f"{sha}.gz" for _, sha in kept} <= bodies  # each one it recorded is kept
    assert status == ("crashed",)
    assert again and all(conditional for conditional, _ in again), again  # asked again only conditionally
    assert {code for _, code in again} == {304}
