"""marts.discrepancy_pec and its summary scored against the demo election's ground truth."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("marts-demo")]  # one demo warehouse per worker
CONTESTS = ("mazhilis", "maslikhat_city", "maslikhat_regional")


def _rewritten_observed(demo_warehouse, contest: str) -> set[str]:
    """Observed precincts of the contest whose official figures differ from the signed protocol (truth)."""
    m = demo_warehouse.manipulation
    m = m[(m["contest"] == contest) & m["official_differs_from_pec_copy"]]
    rewritten = set(m["pec_id"]) & set(demo_warehouse.summary["observed_precincts_rewritten"])
    return rewritten & demo_warehouse.observed[contest]


def _leader_votes_added(demo_warehouse, contest: str) -> int:
    """Truth: official minus signed-protocol votes of the leader, summed over the observed precincts."""
    import pandas as pd

    official = pd.read_csv(demo_warehouse.folder / "official" / "precincts.csv")
    official = official[official["contest_id"] == contest].set_index("pec_id")["amanat"]
    pec = demo_warehouse.pec_copies
    pec = pec[pec["contest_id"] == contest].set_index("pec_id")["amanat"]
    rewritten = sorted(_rewritten_observed(demo_warehouse, contest))
    return int((official.loc[rewritten] - pec.loc[rewritten]).sum())


def _compared(demo_warehouse, contest: str) -> set[str]:
    return set(
        demo_warehouse.query(
            "select distinct pec_id from marts.discrepancy_pec where contest = ?", [contest]
        )["pec_id"]
    )


@pytest.mark.parametrize("contest", CONTESTS)
def test_flagged_precincts_are_exactly_the_rewritten_observed_ones(demo_warehouse, contest):
    """Precision and recall 1.0 on the observed precincts whose official figures were rewritten."""
    flagged = set(
        demo_warehouse.query(
            "select distinct pec_id from marts.discrepancy_pec where contest = ? and flagged", [contest]
        )["pec_id"]
    )
    compared = _compared(demo_warehouse, contest)
    rewritten = _rewritten_observed(demo_warehouse, contest)
    truth = rewritten & compared
    assert flagged, "nothing flagged"
    precision = len(flagged & truth) / len(flagged)
    recall = len(flagged & truth) / len(truth)
    assert (precision, recall) == (1.0, 1.0), (sorted(flagged - truth), sorted(truth - flagged))
    # the rewritten observed precincts missing from the comparison are only those whose copy the
    # pipeline rightly refused or left unresolved (injected export errors)
    errors = {e["pec_id"] for e in demo_warehouse.export_errors}
    assert rewritten - compared <= errors


def test_every_observed_precinct_with_a_resolved_copy_is_compared(demo_warehouse):
    copies = demo_warehouse.query(
        "select contest_id, count(distinct unit_id) as n from intermediate.int_observer_protocols_resolved group by 1"
    ).set_index("contest_id")["n"]
    for contest in CONTESTS:
        assert len(_compared(demo_warehouse, contest)) == copies[contest]


@pytest.mark.parametrize("contest", CONTESTS)
def test_net_votes_added_to_the_leader_within_one_percent(demo_warehouse, contest):
    """Official minus signed protocol for the leader at the observed precincts: the mart sums the precincts
    it could compare; the truth covers every observed precinct, those whose copy was lost included."""
    row = demo_warehouse.query(
        "select party, net_votes_added from marts.discrepancy_pec_summary where contest = ? and is_leader",
        [contest],
    ).iloc[0]
    assert row["party"] == "amanat"
    truth = _leader_votes_added(demo_warehouse, contest)
    assert truth > 0
    assert abs(row["net_votes_added"] - truth) <= 0.01 * truth, (row["net_votes_added"], truth)


def test_mismatch_share_is_flagged_over_compared(demo_warehouse):
    s = demo_warehouse.query("select * from marts.discrepancy_pec_summary where is_leader")
    for row in s.itertuples():
        assert 0 < row.precincts_mismatched < row.precincts_compared
        assert row.mismatch_share_pct == pytest.approx(
            100 * row.precincts_mismatched / row.precincts_compared, abs=0.01
        )
