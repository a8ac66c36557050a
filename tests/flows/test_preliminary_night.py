"""The night after the vote: the preliminary figures the CEC states (shares only) reach the marts, the
report and the run's summary, labelled preliminary; the final results replace them when published."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from demo.clock import AFTER_EVERYTHING, CAPITAL, SimClock
from demo.site import start_site
from flows.scrape import election_night
from saylau.report.artifacts import run_summary
from tests.flows import FAST

pytestmark = [pytest.mark.flow, pytest.mark.xdist_group("prefect"), pytest.mark.slow]

ELECTION = "kz-2021-01-10"
MORNING_AFTER = datetime(2021, 1, 11, 10, 0, tzinfo=CAPITAL)  # the preliminary communique is out (09:30)


def published(s, sql: str) -> list[tuple]:
    with duckdb.connect(str(s.published_db), read_only=True) as con:
        return con.execute(sql, [ELECTION]).fetchall()


def test_preliminary_figures_flow_through_then_the_final_ones_replace_them(build_settings):
    clock = SimClock(MORNING_AFTER)
    with start_site(clock=clock) as site:
        morning = election_night(base_url=site.base_url, build_dir=str(build_settings.build_dir), **FAST)
        totals = published(
            build_settings,
            "select contest, level, registered, leader, leader_votes, leader_share_of_valid_pct, turnout_pct, status, "
            "origin, as_of from marts.election_totals where election_id = ?",
        )
        # shares as shares: no count is made up from a percentage
        assert [t[:5] for t in totals] == [("mazhilis", "national", None, "amanat", None)]
        assert totals[0][5] is not None and totals[0][6] is not None
        assert totals[0][7:9] == ("preliminary", "shares_only") and totals[0][9] is not None
        regions = published(
            build_settings,
            "select distinct status, origin, votes is null from marts.results_official "
            "where election_id = ? and level = 'region'",
        )
        assert regions == [("preliminary", "shares_only", True)]
        threshold = published(
            build_settings,
            "select party, official_share_pct, passes_official, official_status, official_origin "
            "from marts.threshold_check where election_id = ? order by party",
        )
        assert threshold and {t[3:] for t in threshold} == {("preliminary", "shares_only")}
        assert {t[0] for t in threshold if t[2]} >= {"amanat"}
        html = morning.report.read_text(encoding="utf-8")
        key = html[html.index("id='key-figures'") :][:20000]
        assert "preliminary, as of 2021-01-11 09:30" in key and "(shares only)" in key
        assert "Official results, country and regions" in key
        summary = run_summary(build_settings.published_db, ELECTION, morning.report)
        assert "preliminary" in summary.markdown and "– (shares only)" in summary.markdown
        assert "marts.results_official" in [t.mart for t in summary.tables]

        clock.set(AFTER_EVERYTHING)
        final = election_night(base_url=site.base_url, build_dir=str(build_settings.build_dir), **FAST)
    totals = published(
        build_settings,
        "select contest, level, registered, leader, leader_votes is not null, status, origin "
        "from marts.election_totals where election_id = ? and contest = 'mazhilis'",
    )
    assert totals == [("mazhilis", "national", 11_919_241, "amanat", True, "final", "counts")]
    statuses = published(
        build_settings,
        "select distinct official_status, official_origin from marts.threshold_check where election_id = ? "
        "and contest = 'mazhilis'",
    )
    assert statuses == [("final", "counts")]
    key = final.report.read_text(encoding="utf-8")
    key = key[key.index("id='key-figures'") :][:20000]
    assert "final" in key and "Preliminary:" not in key.split("Official results, country and regions")[0]
