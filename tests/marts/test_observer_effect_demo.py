"""marts.observer_effect on the demo election: recomputed independently, and scored against the truth."""

from __future__ import annotations

import pandas as pd
import pytest

pytestmark = pytest.mark.slow
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


@pytest.mark.xfail(
    strict=True,
    reason="the demo does not make the effect identifiable: honest turnout at its observed precincts "
    "(the observers' table: 23-38%) is far below that of their unobserved neighbours, so the within-TEC gap "
    "of official turnout mixes who votes where with fraud (see docs/marts.md)",
)
def test_excess_turnout_within_two_points_of_the_injected_effect(demo_warehouse):
    """The injected effect: official minus honest turnout at the unobserved precincts of the same TECs."""
    contest = "mazhilis"
    row = demo_warehouse.query("select * from marts.observer_effect where contest = ?", [contest]).iloc[0]
    official = _tec_groups(demo_warehouse, contest)
    honest = _tec_groups(demo_warehouse, contest, demo_warehouse.honest)
    w = official["registered"][False]
    injected = float(
        100 * (official["ballots_issued"][False] - honest["ballots_issued"][False]).sum() / w.sum()
    )
    assert abs(row["excess_turnout_pp"] - injected) <= 2.0, (row["excess_turnout_pp"], injected)
