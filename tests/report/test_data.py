"""The report's data access (saylau.report.data): names as of the election, the leader a mart states."""

from __future__ import annotations

from saylau.query import open_published
from saylau.report.data import mart_leader, report_context
from tests.test_report_data import ELECTION


def test_names_in_three_languages_and_as_of_the_election(small_report):
    _, page = small_report
    assert "Ақмола облысы" in page and "Акмолинская область" in page  # KZ-11, Kazakh and Russian
    assert "Nur Otan" in page  # amanat as it was called in January 2021
    assert "Мәжіліс және мәслихат депутаттарының сайлауы 2021" in page


def test_the_leader_is_the_one_the_mart_states(small):
    with open_published(small.published_db) as con:
        ctx = report_context(con, ELECTION)
        stated = con.execute(
            "select leader from marts.election_totals where election_id = ? and contest = 'mazhilis'",
            [ELECTION],
        ).fetchone()[0]
        assert ctx.main_contest == "mazhilis"
        assert mart_leader(ctx, "marts.election_totals", "mazhilis") == stated
        assert mart_leader(ctx, "marts.forensics_shpilkin", "mazhilis") == stated  # no declared leader here
        assert mart_leader(ctx, "marts.election_totals", "no_such_contest") is None
        assert mart_leader(ctx, "marts.no_such_mart", "mazhilis") is None
