"""The election-night flow on Prefect (one temporary server per test process): a whole election day of
scheduled runs, unchanged reruns answered 304, a replay from the archive, and the Dask task runner. The
night's behaviour under faults, layout changes and failures is the pipeline's: ``tests/night``."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from demo.clock import AFTER_EVERYTHING, CAPITAL, SimClock
from demo.site import start_site
from flows.rebuild import rebuild
from flows.scrape import election_night
from saylau import warehouse
from tests.night import FAST, official_totals, staged
from tests.night import night as plain_night

pytestmark = [pytest.mark.flow, pytest.mark.xdist_group("prefect"), pytest.mark.slow]


def night(site, s, **kw):
    return election_night(base_url=site.base_url, build_dir=str(s.build_dir), **{**FAST, **kw})


def test_a_whole_election_day_then_unchanged_reruns_and_replay(build_settings):
    clock = SimClock(datetime(2021, 1, 10, 12, 30, tzinfo=CAPITAL))
    with start_site(clock=clock) as site:
        first = night(site, build_settings)
        with warehouse.connect(build_settings.work_db, read_only=True) as con:
            hours = con.execute(
                "select distinct hour(as_of) from core.turnout_official order by 1"
            ).fetchall()
        assert first.election_id == "kz-2021-01-10" and hours == [(10,), (12,)]
        assert first.fetched > 0 and first.new_versions > 0

        clock.set(AFTER_EVERYTHING)
        night(site, build_settings)
        with warehouse.connect(build_settings.work_db, read_only=True) as con:
            hours = con.execute(
                "select distinct hour(as_of) from core.turnout_official order by 1"
            ).fetchall()
            national = dict(
                con.execute(
                    "select (line, option_id), value from core.protocol_values where level = 'national'"
                ).fetchall()
            )
            langs = con.execute("select distinct languages from core.turnout_official").fetchall()
        assert hours == [(h,) for h in (10, 12, 14, 16, 18, 20, 22)]
        assert langs == [("eng,kaz,rus",)]
        expected = official_totals()
        for (line, option), value in national.items():
            assert value == expected[(line, option)], (line, option)
        assert len(national) == 9

        before = staged(build_settings.work_db)
        third = night(site, build_settings)
        with warehouse.connect(build_settings.work_db, read_only=True) as con:
            answers = con.execute(
                "select conditional, status, count(*) from raw.fetches where run_id = ? group by all",
                [third.run_id],
            ).fetchall()
        assert {(c, s) for c, s, _ in answers} == {(True, 304)}, answers
        assert third.new_versions == 0 and staged(build_settings.work_db) == before

    # replay: everything re-parsed from the archive, no site running
    rebuild(build_dir=str(build_settings.build_dir))
    assert staged(build_settings.work_db) == before
    con = duckdb.connect(str(build_settings.published_db), read_only=True)
    totals = con.execute(
        "select registered, ballots_issued, leader, leader_votes from marts.election_totals "
        "where election_id = 'kz-2021-01-10' and contest = 'mazhilis'"
    ).fetchone()
    con.close()
    assert totals == (11_919_241, 7_539_280, "amanat", 5_148_074)


def test_the_dask_task_runner_stages_what_the_thread_runner_does(build_settings, tmp_path):
    """The task runner is a setting (`saylau run --runner dask`): a local Dask cluster of worker processes
    runs the fetch batches and the warehouse ends as with threads."""
    from flows.scrape import task_runner

    dask_dir = tmp_path / "dask"
    with start_site() as site:
        plain_night(site.base_url, build_settings.build_dir, **FAST)
        on_dask = election_night.with_options(task_runner=task_runner("dask", workers=2))
        outcome = on_dask(base_url=site.base_url, build_dir=str(dask_dir), **{**FAST, "batch_size": 100})
    assert outcome.failures == [] and outcome.fetched > 100
    assert staged(dask_dir / "work" / "saylau.duckdb") == staged(build_settings.work_db)
