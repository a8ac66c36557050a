"""The demo election reproduces the published 2021 figures it is calibrated to.

Expected values are read from the shared reference files, not from the generator's own constants.
"""

from __future__ import annotations

import csv
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest

from demo.election import CONTESTS, PARTIES, PROTOCOL_LINES, generate
from saylau.config import SHARED_DIR
from saylau.reference import default_resolver

REFERENCE = SHARED_DIR / "reference"
SHARED = REFERENCE.exists()
needs_reference = pytest.mark.skipif(not SHARED, reason="shared reference folder not present")


def _ref_rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _pct(numerator: float, denominator: float, places: str = "0.1") -> Decimal:
    """A percentage rounded half-up as a publisher would print it."""
    return (Decimal(int(numerator)) * 100 / Decimal(int(denominator))).quantize(
        Decimal(places), ROUND_HALF_UP
    )


@needs_reference
def test_official_mazhilis_totals_equal_the_published_ones(election):
    ref = {r["item"]: int(float(r["value"])) for r in _ref_rows("mazhilis_2021_official_national.csv")}
    official = election.protocol("mazhilis", "official")
    assert official["registered"].sum() == ref["registered_voters"]
    assert official["ballots_issued"].sum() == ref["ballots_received_by_voters"]
    assert official["invalid"].sum() == ref["invalid_ballots"]
    assert official["valid"].sum() == ref["valid_ballots"]
    for party, item in [("amanat", "votes_nur_otan"), ("ak_zhol", "votes_ak_zhol"), ("qhp", "votes_qhp"),
                        ("auyl", "votes_auyl"), ("adal", "votes_adal")]:  # fmt: skip
        assert official[party].sum() == ref[item], party
    assert len(official) == ref["precinct_commissions"]
    assert election.precincts["abroad"].sum() == 66
    assert election.tecs["tec_id"].nunique() == ref["territorial_commissions"]


@needs_reference
def test_official_regional_turnout_matches_the_2200_bulletin(election):
    expected = {r["region_code"]: Decimal(r["turnout_pct_at_2200"]) for r in _ref_rows("mazhilis_2021_regional_turnout_2200.csv")}  # fmt: skip
    by_region = (
        election.protocol("mazhilis", "official")
        .groupby("region_code")[["ballots_issued", "registered"]]
        .sum()
    )
    assert sorted(by_region.index) == sorted(expected)
    for code, row in by_region.iterrows():
        assert _pct(row["ballots_issued"], row["registered"]) == expected[code], code


@needs_reference
def test_turnout_bulletins_equal_the_known_hourly_figures(election):
    bulletins = election.turnout_bulletins.set_index(["hour", "region_code"])
    rows = _ref_rows("mazhilis_2021_turnout_by_hour.csv")
    for r in rows:
        got = bulletins.loc[(int(r["hour"]), r["region_code"])]
        assert got["turnout_pct"] == pytest.approx(float(r["turnout_pct"])) and got["known"]
    # every region has a bulletin at every hour; the ones the reference lacks are marked unknown
    assert len(bulletins) == 7 * 18
    assert (~bulletins["known"]).sum() == 7 * 18 - len(rows)


@needs_reference
def test_observer_copies_reproduce_the_observers_table(election):
    table = {r["ballot"]: r for r in _ref_rows("observer_sample_2021_seed_table.csv")}
    names = {
        "mazhilis": "mazhilis",
        "maslikhat_city": "city_maslikhat",
        "maslikhat_regional": "oblast_maslikhat",
    }
    for contest in CONTESTS:
        row = table[names[contest]]
        copies = election.protocol(contest, "pec")
        observed = election.precincts.loc[election.precincts[f"observed_{contest}"], "pec_id"]
        sample = copies[copies["pec_id"].isin(observed)]
        assert len(sample) == int(row["observed_pecs"]), contest
        total = sample.sum(numeric_only=True)
        assert total["registered"] == int(row["registered_voters"]), contest
        assert _pct(total["ballots_issued"], total["registered"], "1") == Decimal(row["turnout_pct"]), contest
        assert _pct(total["ballots_cancelled"], total["ballots_received"], "1") == Decimal(
            row["unused_ballots_pct"]
        )
        cast = total["ballots_in_boxes"]
        assert _pct(total["invalid"], cast, "1") == Decimal(row["spoiled_pct"]), contest
        for party, column in [("amanat", "nur_otan_pct"), ("ak_zhol", "ak_zhol_pct"), ("qhp", "qhp_pct"),
                              ("auyl", "auyl_pct"), ("adal", "adal_pct")]:  # fmt: skip
            assert _pct(total[party], cast, "1") == Decimal(row[column]), (contest, party)


def test_observed_precincts_are_mostly_in_the_three_cities(election):
    observed = election.precincts[election.precincts["observed_mazhilis"]]
    in_cities = observed["region_code"].isin(["KZ-71", "KZ-75", "KZ-79"]).mean()
    assert in_cities > 0.5 and observed["urban"].all()
    # some observed precincts' official figures equal the copy, others were rewritten
    official = election.protocol("mazhilis", "official").set_index("pec_id").loc[observed["pec_id"]]
    copy = election.protocol("mazhilis", "pec").set_index("pec_id").loc[observed["pec_id"]]
    same = (official[list(PARTIES)] == copy[list(PARTIES)]).all(axis=1) & (
        official["ballots_issued"] == copy["ballots_issued"]
    )
    assert 0.2 < same.mean() < 0.8
    assert (~same == observed.set_index("pec_id")["rewritten"]).all()


def test_every_protocol_adds_up(election):
    for (contest, version), frame in election.protocols.items():
        where = f"{contest}/{version}"
        numbers = frame[
            ["registered", "ballots_received", "ballots_issued", "ballots_cancelled", "invalid", *PARTIES]
        ]
        assert (numbers >= 0).all().all(), where
        assert (frame["valid"] + frame["invalid"] == frame["ballots_in_boxes"]).all(), where
        assert (frame["valid"] == frame[list(PARTIES)].sum(axis=1)).all(), where
        assert (frame["ballots_issued"] + frame["ballots_cancelled"] == frame["ballots_received"]).all(), (
            where
        )
        assert (frame["ballots_issued"] <= frame["registered"]).all(), where


def test_precinct_numbers_restart_per_region_and_ids_are_unique(election):
    p = election.precincts
    assert p["pec_id"].is_unique
    firsts = p.groupby("region_code")["number"].min()
    assert (firsts == 1).all() and len(firsts) == 17
    assert (p["pec_id"] == p["region_code"] + "/" + p["number"].astype(str)).all()
    resolver = default_resolver()
    assert all(resolver.regions[c].in_2021 for c in firsts.index)


def test_ground_truth_explains_official_minus_honest(election):
    truth = election.manipulation
    mazh = truth[truth["contest"] == "mazhilis"]
    assert set(mazh["kind"]) == {"none", "stuffing", "switching", "tec_rewrite"}
    # the observers' world: honest turnout near their table's, so most precincts at home were stuffed
    share = (mazh["kind"] != "none").mean()
    assert 0.3 < share < 0.85
    official = election.protocol("mazhilis", "official").set_index("pec_id")
    honest = election.protocol("mazhilis", "honest").set_index("pec_id")
    diff_issued = (official["ballots_issued"] - honest["ballots_issued"]).to_numpy()
    np.testing.assert_array_equal(diff_issued, mazh["stuffed_ballots"].to_numpy())
    clean = mazh["kind"].to_numpy() == "none"
    lines = [
        *PROTOCOL_LINES,
        *PARTIES,
    ]  # a clean precinct's official protocol is the honest one, line by line
    assert (official[lines].to_numpy()[clean] == honest[lines].to_numpy()[clean]).all()
    # stuffing raised turnout and the leader's votes where it happened
    stuffed = mazh["kind"].to_numpy() == "stuffing"
    assert (diff_issued[stuffed] > 0).mean() > 0.9
    # the precinct's own copy differs from the official figure exactly where the TEC rewrote it
    pec = election.protocol("mazhilis", "pec").set_index("pec_id")
    differs = (pec[list(PARTIES)] != official[list(PARTIES)]).any(axis=1).to_numpy()
    assert not differs[mazh["kind"].to_numpy() != "tec_rewrite"].any()


def test_honest_count_is_alike_at_observed_precincts_and_their_unobserved_neighbours(election):
    """The world the observer-effect estimate needs: observers watched a random sample of the urban
    precincts of their TECs, and the honest party shares do not follow turnout."""
    honest = election.protocol("mazhilis", "honest")
    p = election.precincts.set_index("pec_id")
    honest = honest.assign(observed=honest["pec_id"].map(p["observed_mazhilis"]),
                           urban=honest["pec_id"].map(p["urban"]))  # fmt: skip
    mixed = honest.groupby("tec_id")["observed"].transform("any") & honest["urban"]
    g = honest[mixed].groupby(["tec_id", "observed"])[["registered", "ballots_issued"]].sum().unstack()
    turnout = g["ballots_issued"] / g["registered"]
    weight = g["registered"][False]
    gap = ((turnout[False] - turnout[True]) * weight).sum() / weight.sum()
    assert len(g) > 20 and abs(gap) < 0.01, gap
    rest = honest[~honest["observed"]]
    t = rest["ballots_issued"] / rest["registered"]
    leader = rest["amanat"] / rest["valid"]
    assert abs(np.corrcoef(t, leader)[0, 1]) < 0.05


def test_same_seed_same_election_other_seed_other_election():
    a, b, c = generate(7), generate(7), generate(8)
    for key in a.protocols:
        pd.testing.assert_frame_equal(a.protocols[key], b.protocols[key])
    assert not a.protocol("mazhilis").equals(c.protocol("mazhilis"))
    assert c.protocol("mazhilis")["amanat"].sum() == a.protocol("mazhilis")["amanat"].sum()


def test_observers_count_voters_through_the_day(election):
    counts = election.observer_turnout
    observed = election.precincts.loc[election.precincts["observed_mazhilis"], "pec_id"]
    assert set(counts["pec_id"]) == set(observed)
    assert sorted(set(counts["hour"])) == [10, 12, 14, 16, 18, 20]
    copies = election.protocol("mazhilis", "pec").set_index("pec_id")
    for pec_id, group in counts.groupby("pec_id"):
        series = group.sort_values("hour")["voters_counted"].to_numpy()
        assert (np.diff(series) >= 0).all(), pec_id
        assert series[-1] == copies.at[pec_id, "ballots_issued"], pec_id  # polls close at 20:00
    # the observers' count at 20:00 is well below the official figure at the same precincts
    official = election.protocol("mazhilis").set_index("pec_id").loc[observed]
    at20 = counts[counts["hour"] == 20]["voters_counted"].sum()
    assert at20 < 0.8 * official["ballots_issued"].sum()


def test_some_dozens_of_violation_reports_at_observed_precincts(election):
    v = election.violations
    assert 24 <= len(v) <= 96
    assert set(v["pec_id"]) <= set(election.precincts.loc[election.precincts["observed_mazhilis"], "pec_id"])
    assert {"observer_expelled", "copy_refused", "ballot_stuffing_seen"} <= set(v["kind"])
