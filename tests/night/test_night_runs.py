"""Election night under injected faults, a changed page layout and a run failing after staging: the
pipeline run plainly (no Prefect server) against the CEC double."""

from __future__ import annotations

from dataclasses import replace

import duckdb
import pytest

from demo.faults import FaultConfig
from demo.site import DemoSite, start_site
from saylau import warehouse
from saylau.pipeline import ScrapeFailed
from tests.night import FAST, official_totals, staged
from tests.night import night as run_night

pytestmark = [pytest.mark.slow]


def night(site, s, **kw):
    return run_night(site.base_url, s.build_dir, **{**FAST, **kw})


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
        run_night(site.base_url, faulty_dir, **FAST)
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
