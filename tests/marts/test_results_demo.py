"""results_official, discrepancy_region and threshold_check on the demo election."""

from __future__ import annotations

import pandas as pd
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("marts-demo")]  # one demo warehouse per worker
# The CEC's published Mazhilis totals of 2021 (docs/demo.md): the demo's official table sums to them.
MAZHILIS_VOTES = {"amanat": 5_148_074, "ak_zhol": 792_828, "qhp": 659_019, "auyl": 383_023, "adal": 258_618}


def test_national_results_sum_the_precinct_table_to_the_published_totals(demo_warehouse):
    rows = demo_warehouse.query(
        "select party, votes, share_pct, registered, ballots_issued, invalid, valid, origin, status "
        "from marts.results_official where contest = 'mazhilis' and level = 'national'"
    ).set_index("party")
    assert rows["votes"].to_dict() == MAZHILIS_VOTES
    first = rows.iloc[0]
    assert (first["registered"], first["ballots_issued"], first["invalid"], first["valid"]) == (
        11_919_241,
        7_539_280,
        297_718,
        7_241_562,
    )
    assert rows.loc["amanat", "share_pct"] == 71.09  # of valid ballots, as the CEC announced
    assert set(rows["origin"]) == {"summed_from_pec"} and set(rows["status"]) == {"final"}


def test_every_level_sums_to_the_same_votes(demo_warehouse):
    sums = demo_warehouse.query(
        "select contest, level, sum(votes) as votes, count(distinct unit_code) as units "
        "from marts.results_official group by all"
    )
    for contest, g in sums.groupby("contest"):
        assert set(g["level"]) == {"national", "region", "tec", "pec"}
        assert g["votes"].nunique() == 1, contest
    units = sums[sums["contest"] == "mazhilis"].set_index("level")["units"]
    assert units.to_dict() == {"national": 1, "region": 17, "tec": 215, "pec": 10_060}


def test_discrepancy_region_flags_the_gap_and_marks_the_oblast_samples(demo_warehouse):
    d = demo_warehouse.query(
        "select * from marts.discrepancy_region where contest = 'mazhilis' and party = 'amanat'"
    )
    overall = d[d["region_code"].isna()].iloc[0]
    # official 63.25% against the observers' 32%; but the whole sample covers too few commissions to be
    # random: no interval, no verdict (it describes the watched precincts only)
    assert overall["official_turnout_pct"] == 63.25 and overall["observer_turnout_pct"] < 40
    assert (
        not overall["random_sample"]
        and pd.isna(overall["turnout_ci_low"])
        and pd.isna(overall["significant"])
    )
    oblasts = d[d["region_code"].isin(["KZ-11", "KZ-15", "KZ-27", "KZ-35", "KZ-39", "KZ-55", "KZ-63"])]
    assert len(oblasts) == 7 and not oblasts["random_sample"].any()
    assert oblasts["observer_ci_low"].isna().all() and oblasts["significant"].isna().all()
    cities = d[d["region_code"].isin(["KZ-71", "KZ-75", "KZ-79"])]  # drawn at random among urban precincts
    assert cities["random_sample"].all() and cities["sample_design"].eq("random").all()
    assert (cities["turnout_ci_low"] < cities["observer_turnout_pct"]).all() and cities[
        "significant"
    ].notna().all()


def test_threshold_check_under_both_counts(demo_warehouse):
    t = demo_warehouse.query("select * from marts.threshold_check where contest = 'mazhilis'").set_index(
        "party"
    )
    assert t["passes_official"].to_dict() == {
        "amanat": True,
        "ak_zhol": True,
        "qhp": True,
        "auyl": False,
        "adal": False,
    }
    # the observers' table: QHP at 8% of ballots cast in the Mazhilis sample (resolved copies: 7.8%)
    assert round(t.loc["qhp", "observer_share_cast_pct"]) == 8
    assert t["passes_observer"].all()
    city = demo_warehouse.query(
        "select observer_share_cast_pct, passes_observer from marts.threshold_check "
        "where contest = 'maslikhat_city' and party = 'qhp'"
    ).iloc[0]
    assert round(city["observer_share_cast_pct"]) == 3 and not city["passes_observer"]
