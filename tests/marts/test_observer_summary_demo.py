"""marts.observer_sample_summary reproduces the observers' published table on the demo election."""

from __future__ import annotations

import csv
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest

from saylau.config import PROJECT_ROOT

SEED_TABLE = PROJECT_ROOT.parent / "shared" / "reference" / "observer_sample_2021_seed_table.csv"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("marts-demo"),  # one demo warehouse per worker
    pytest.mark.skipif(not SEED_TABLE.exists(), reason="shared reference folder not present"),
]
TABLE_ROWS = {
    "mazhilis": "mazhilis",
    "city_maslikhat": "maslikhat_city",
    "oblast_maslikhat": "maslikhat_regional",
}
# every column of the seed table -> where the mart has it: a party's share (party id) or a column of the
# contest's row; a seed column missing here fails the test rather than going unchecked
PARTY_COLUMNS = {"nur_otan_pct": "amanat", "auyl_pct": "auyl", "ak_zhol_pct": "ak_zhol", "adal_pct": "adal", "qhp_pct": "qhp"}  # fmt: skip
CONTEST_COLUMNS = {
    "observed_pecs": "observed_pecs",
    "registered_voters": "registered",
    "turnout_pct": "turnout_pct",
    "unused_ballots_pct": "unused_ballots_pct",
    "spoiled_pct": "spoiled_pct",
}


def _seed_cells() -> list[tuple[str, str, str]]:
    """(ballot, column, value as written) for every cell of the seed table."""
    with SEED_TABLE.open(encoding="utf-8", newline="") as f:
        return [(row["ballot"], c, v) for row in csv.DictReader(f) for c, v in row.items() if c != "ballot"]


def _at_the_seeds_rounding(value: float, written: str) -> Decimal:
    """The mart's value rounded as the seed table rounds it: half up, to as many decimals as it writes."""
    places = len(written.partition(".")[2])
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def test_as_sent_summary_reproduces_every_cell_of_the_seed_table(demo_warehouse):
    got = demo_warehouse.query(
        "select * from marts.observer_sample_summary where basis = 'as_sent' and region_code is null"
    )
    cells = _seed_cells()
    assert {b for b, _, _ in cells} == set(TABLE_ROWS)
    assert {c for _, c, _ in cells} == set(PARTY_COLUMNS) | set(CONTEST_COLUMNS)
    wrong = []
    for ballot, column, written in cells:
        rows = got[got["contest"] == TABLE_ROWS[ballot]].set_index("party")
        assert set(rows.index) == set(PARTY_COLUMNS.values()), ballot
        if column in PARTY_COLUMNS:
            value = rows.loc[PARTY_COLUMNS[column], "share_of_ballots_cast_pct"]  # their definition
        else:
            values = set(rows[CONTEST_COLUMNS[column]])
            assert len(values) == 1, (ballot, column, values)  # one figure per contest on every party row
            (value,) = values
        if _at_the_seeds_rounding(float(value), written) != Decimal(written):
            wrong.append((ballot, column, written, value))
    assert not wrong, wrong  # (ballot, column, the seed's figure, the mart's)


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
