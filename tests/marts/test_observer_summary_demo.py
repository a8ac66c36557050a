"""marts.observer_sample_summary reproduces the observers' published table on the demo election."""

from __future__ import annotations

import pandas as pd
import pytest

from saylau.config import PROJECT_ROOT

SEED_TABLE = PROJECT_ROOT.parent / "shared" / "reference" / "observer_sample_2021_seed_table.csv"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SEED_TABLE.exists(), reason="shared reference folder not present"),
]
TABLE_ROWS = {
    "mazhilis": "mazhilis",
    "city_maslikhat": "maslikhat_city",
    "oblast_maslikhat": "maslikhat_regional",
}
PARTY_COLUMNS = {"nur_otan_pct": "amanat", "auyl_pct": "auyl", "ak_zhol_pct": "ak_zhol", "adal_pct": "adal", "qhp_pct": "qhp"}  # fmt: skip


def _seed_table() -> pd.DataFrame:
    return pd.read_csv(SEED_TABLE).set_index("ballot")


@pytest.mark.parametrize("ballot", list(TABLE_ROWS))
def test_as_sent_summary_reproduces_the_seed_table(demo_warehouse, ballot):
    want = _seed_table().loc[ballot]
    got = demo_warehouse.query(
        "select * from marts.observer_sample_summary where basis = 'as_sent' and region_code is null "
        "and contest = ?",
        [TABLE_ROWS[ballot]],
    ).set_index("party")
    assert set(got.index) == set(PARTY_COLUMNS.values())
    first = got.iloc[0]
    assert first["observed_pecs"] == want["observed_pecs"]
    assert first["registered"] == want["registered_voters"]
    for column, table_column in (
        ("turnout_pct", "turnout_pct"),
        ("unused_ballots_pct", "unused_ballots_pct"),
        ("spoiled_pct", "spoiled_pct"),
    ):
        assert abs(first[column] - want[table_column]) <= 0.5, column
    for table_column, party in PARTY_COLUMNS.items():
        assert abs(got.loc[party, "share_pct"] - want[table_column]) <= 0.5, party


def test_resolved_summary_leaves_out_the_refused_copies(demo_warehouse):
    s = demo_warehouse.query(
        "select contest, basis, any_value(observed_pecs) as n from marts.observer_sample_summary "
        "where region_code is null group by all"
    ).pivot(index="contest", columns="basis", values="n")
    # mazhilis: the mistyped precinct (refused) and the unresolved conflict; city: parties not adding up
    assert (s["as_sent"] - s["resolved"]).to_dict() == {
        "maslikhat_city": 1,
        "maslikhat_regional": 0,
        "mazhilis": 2,
    }


def test_regions_add_up_to_the_total(demo_warehouse):
    s = demo_warehouse.query(
        "select contest, basis, party, region_code, observed_pecs, votes from marts.observer_sample_summary"
    )
    overall = s[s["region_code"].isna()].set_index(["contest", "basis", "party"])
    regions = (
        s[s["region_code"].notna()].groupby(["contest", "basis", "party"])[["observed_pecs", "votes"]].sum()
    )
    pd.testing.assert_frame_equal(regions.sort_index(), overall[["observed_pecs", "votes"]].sort_index())
