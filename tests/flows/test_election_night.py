"""Election night against the CEC double: a whole day through the simulated clock, incremental reruns,
injected faults, layout drift, and replay from the archive."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import datetime

import duckdb
import pytest

from demo.clock import AFTER_EVERYTHING, CAPITAL, SimClock
from demo.faults import FaultConfig
from demo.site import DemoSite, start_site
from flows.rebuild import rebuild
from flows.scrape import ScrapeFailed, election_night
from saylau import warehouse
from saylau.reference import REFERENCE_DATA_DIR
from tests.flows import FAST

pytestmark = [pytest.mark.flow, pytest.mark.xdist_group("prefect"), pytest.mark.slow]

STAGED = {
    "turnout": "select election_id, region_code, as_of, turnout_pct, lang, regexp_replace(url, '^http://[^/]+', '')"
    " as path, sha256 from staging.cec_turnout order by all",
    "results": "select * exclude (run_id, url), regexp_replace(url, '^http://[^/]+', '') as path "
    "from staging.cec_results order by all",
}


def official_totals() -> dict:
    with (REFERENCE_DATA_DIR / "official_totals.csv").open(encoding="utf-8") as f:
        return {
            (r["item"], r["option_id"] or None): int(r["value"])
            for r in csv.DictReader(f)
            if r["election_id"] == "kz-2021-01-10" and r["contest_id"] == "mazhilis"
        }


def staged(db, with_sha: bool = True) -> dict:
    """Staged rows, with URLs as paths (sites run on different ports); without the page bytes' sha256 when
    comparing runs whose pages came in different encodings."""
    with warehouse.connect(db, read_only=True) as con:
        rows = {name: con.execute(sql).df() for name, sql in STAGED.items()}
    if not with_sha:
        rows = {name: frame.drop(columns="sha256") for name, frame in rows.items()}
    return {name: sorted(map(tuple, frame.astype(str).to_numpy().tolist())) for name, frame in rows.items()}


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


def test_injected_faults_leave_the_staged_data_as_a_clean_run_does(build_settings, tmp_path):
    with start_site() as site:
        night(site, build_settings)
    clean = staged(build_settings.work_db, with_sha=False)
    faulty_dir = tmp_path / "faulty"
    faults = replace(
        FaultConfig.realistic(seed=7),
        error_500=0.05,
        error_503=0.05,
        rate_limit=0.05,
        reset=0.03,
        truncate=0.03,
        slow=0.03,
        slow_seconds=0.5,
        timeout=0.01,
        timeout_seconds=5.0,
    )
    with start_site(faults=faults) as site:
        election_night(base_url=site.base_url, build_dir=str(faulty_dir), **FAST)
    assert staged(faulty_dir / "work" / "saylau.duckdb", with_sha=False) == clean
    with duckdb.connect(str(faulty_dir / "work" / "saylau.duckdb"), read_only=True) as con:
        retried = con.execute("select count(*) from raw.fetches where attempt > 1").fetchone()[0]
        encodings = {r[0] for r in con.execute("select distinct encoding from raw.pages").fetchall()}
    assert retried > 0 and "windows-1251" in encodings


class RenamedColumnSite(DemoSite):
    """The CEC renames a results-table column to something no one has seen."""

    def respond(self, target, headers=None):
        response = super().respond(target, headers)
        if "ID=5476" in target and target.startswith("/rus/") and response.status == 200:
            response.body = response.body.replace("Получили бюллетени".encode(), "Кандидат №1".encode())
            response.headers = [
                (k, v) for k, v in response.headers if k.lower() not in ("etag", "content-length")
            ]
        return response


def test_a_changed_layout_is_reported_and_the_rest_published(build_settings):
    with start_site(site=RenamedColumnSite()) as site:
        with pytest.raises(ScrapeFailed, match=r"ID=5476.*Кандидат №1"):
            night(site, build_settings)
        with warehouse.connect(build_settings.work_db, read_only=True) as con:
            status = con.execute(
                "select status, error from meta.runs order by started_at desc limit 1"
            ).fetchone()
            failed = con.execute(
                "select url, parse_error from raw.pages where parse_status = 'failed'"
            ).fetchall()
            turnout = con.execute("select count(*) from core.turnout_official").fetchone()[0]
        assert status[0] == "failed" and "Кандидат №1" in status[1]
        assert len(failed) == 1 and "/rus/news/releases/index.php?ID=5476" in failed[0][0]
        assert turnout == 7 * 18  # every other page was staged, validated and published
        assert build_settings.published_db.exists()
        # the next run finds the page unchanged and still broken: it says so too, not only the first
        with pytest.raises(ScrapeFailed, match=r"ID=5476.*Кандидат №1"):
            night(site, build_settings)


def test_a_run_that_failed_after_staging_is_caught_up_by_the_next(build_settings, monkeypatch):
    """A run whose promotion raised (not killed: the run ends 'failed') staged pages it never promoted. The
    next run finds nothing new on the site and still brings core, and the published file, up to date."""
    from saylau import official

    def broken(*args, **kwargs):
        raise RuntimeError("validation backend unavailable")

    with start_site() as site:
        monkeypatch.setattr(official, "promote_official", broken)
        with pytest.raises(RuntimeError, match="validation backend unavailable"):
            night(site, build_settings)
        with warehouse.connect(build_settings.work_db, read_only=True) as con:
            assert con.execute("select status from meta.runs").fetchall() == [("failed",)]
            assert con.execute("select count(*) from staging.cec_turnout").fetchone()[0] > 0
            assert con.execute("select count(*) from core.turnout_official").fetchone()[0] == 0
        monkeypatch.undo()
        second = night(site, build_settings)
    assert second.new_versions == 0 and second.fetched == 0  # nothing new to stage
    with duckdb.connect(str(build_settings.published_db), read_only=True) as con:
        assert con.execute("select count(*) from core.turnout_official").fetchone()[0] == 7 * 18
        national = dict(
            con.execute(
                "select line, value from core.protocol_values where source = 'official' and contest_id = "
                "'mazhilis' and unit_id = 'KZ' and status = 'final' and line in ('registered', 'ballots_issued')"
            ).fetchall()
        )
    totals = official_totals()
    assert national == {line: totals[(line, None)] for line in ("registered", "ballots_issued")}


def test_the_dask_task_runner_stages_what_the_thread_runner_does(build_settings, tmp_path):
    """The task runner is a setting (`saylau run --runner dask`): a local Dask cluster of worker processes
    runs the fetch batches and the warehouse ends as with threads."""
    from flows.scrape import task_runner

    dask_dir = tmp_path / "dask"
    with start_site() as site:
        night(site, build_settings)
        on_dask = election_night.with_options(task_runner=task_runner("dask", workers=2))
        outcome = on_dask(base_url=site.base_url, build_dir=str(dask_dir), **{**FAST, "batch_size": 100})
    assert outcome.failures == [] and outcome.fetched > 100
    assert staged(dask_dir / "work" / "saylau.duckdb") == staged(build_settings.work_db)
