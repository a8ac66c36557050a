"""marts.observer_effect on the demo election: recomputed independently, and scored against the truth."""

from __future__ import annotations

import pandas as pd
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("marts-demo")]  # one demo warehouse per worker
CONTESTS = ("mazhilis", "maslikhat_city", "maslikhat_regional")


def _tec_groups(demo_warehouse, contest: str, version: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per TEC with both kinds of precinct: registered and ballots issued of observed / unobserved ones,
    from the demo's official table (or another version of the protocols) and the simulation's flags."""
    official = pd.read_csv(demo_warehouse.folder / "official" / "precincts.csv")
    official = official[official["contest_id"] == contest]
    if version is not None:
        v = version[version["contest_id"] == contest].set_index("pec_id")["ballots_issued"]
        official = official.assign(ballots_issued=official["pec_id"].map(v))
    observed = set().union(*demo_warehouse.observed.values())
    official = official.assign(observed=official["pec_id"].isin(observed))
    g = official.groupby(["tec_id", "observed"])[["registered", "ballots_issued"]].sum().unstack("observed")
    return g.dropna()


def _weighted_gap(g: pd.DataFrame, issued_u: pd.Series | None = None) -> float:
    t_u = (g["ballots_issued"][False] if issued_u is None else issued_u) / g["registered"][False]
    t_o = g["ballots_issued"][True] / g["registered"][True]
    w = g["registered"][False]
    return float(100 * ((t_u - t_o) * w).sum() / w.sum())


@pytest.mark.parametrize("contest", CONTESTS)
def test_estimate_matches_an_independent_recomputation(demo_warehouse, contest):
    row = demo_warehouse.query("select * from marts.observer_effect where contest = ?", [contest]).iloc[0]
    g = _tec_groups(demo_warehouse, contest)
    assert row["tecs"] == len(g)
    assert row["excess_turnout_pp"] == pytest.approx(_weighted_gap(g), abs=0.01)


def _touched_tecs(demo_warehouse) -> set[str]:
    """TECs holding a precinct the observers' exports got wrong on purpose (export_errors.json), the
    precinct a mistyped number points at included."""
    precincts = pd.read_csv(demo_warehouse.folder / "official" / "precincts.csv").drop_duplicates("pec_id")
    tec_of = precincts.set_index("pec_id")["tec_id"]
    pecs = set()
    for error in demo_warehouse.export_errors:
        pecs.add(error["pec_id"])
        if error["kind"] == "mistyped_precinct":
            pecs.add(error["pec_id"].split("/")[0] + "/" + error["detail"].split(" typed as ")[1])
    return {tec_of[p] for p in pecs if p in tec_of.index}


@pytest.mark.parametrize("contest", CONTESTS)
def test_copies_baseline_matches_an_independent_recomputation(demo_warehouse, contest):
    """The copies baseline recomputed from the precincts' own signed protocols (the ground truth behind the
    observers' exports): exact in every TEC the exports' deliberate slips leave alone, and the pooled
    estimate within a point of it."""
    tecs = demo_warehouse.query(
        "select * from marts.observer_effect_tec where contest = ? and copied_pecs > 0", [contest]
    ).set_index("tec_id")
    row = demo_warehouse.query("select * from marts.observer_effect where contest = ?", [contest]).iloc[0]
    g = _tec_groups(demo_warehouse, contest)
    copies = demo_warehouse.pec_copies
    copies = copies[
        (copies["contest_id"] == contest) & copies["pec_id"].isin(demo_warehouse.observed[contest])
    ]
    c = copies.groupby("tec_id")[["registered", "ballots_issued"]].sum().reindex(g.index).dropna()
    w = g["registered"][False].loc[c.index]
    gap = 100 * (g["ballots_issued"][False].loc[c.index] / w - c["ballots_issued"] / c["registered"])
    clean = sorted(set(c.index) - _touched_tecs(demo_warehouse))
    assert 2 * len(clean) > len(c.index) and row["copy_tecs"] == len(tecs) > 0
    pd.testing.assert_series_equal(
        tecs.loc[clean, "excess_turnout_vs_copies_pp"], gap.loc[clean], check_names=False, atol=1e-9
    )
    assert row["excess_turnout_vs_copies_pp"] == pytest.approx(float((gap * w).sum() / w.sum()), abs=1.0)


def _injected(demo_warehouse, contest: str) -> float:
    """Official minus honest turnout at the unobserved precincts of the TECs with both kinds, in points."""
    official = _tec_groups(demo_warehouse, contest)
    honest = _tec_groups(demo_warehouse, contest, demo_warehouse.honest)
    w = official["registered"][False]
    return float(100 * (official["ballots_issued"][False] - honest["ballots_issued"][False]).sum() / w.sum())


def test_excess_turnout_within_two_points_of_the_injected_effect(demo_warehouse):
    """Must-show of the marts issue: the estimate of excess turnout at unobserved precincts, against what the
    simulation injected there. The TECs also rewrote most observed precincts' protocols, so comparing with
    the observed precincts' official figures understates the excess; the observers' copies do not."""
    contest = "mazhilis"
    row = demo_warehouse.query("select * from marts.observer_effect where contest = ?", [contest]).iloc[0]
    injected = _injected(demo_warehouse, contest)
    assert injected > 5  # there is an effect to find
    assert abs(row["excess_turnout_vs_copies_pp"] - injected) <= 2.0, (
        row["excess_turnout_vs_copies_pp"],
        injected,
    )
    assert row["excess_turnout_pp"] < injected - 2.0  # the official baseline is not good enough here
