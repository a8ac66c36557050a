"""Wide protocol frames, derived totals and the long core shape."""

from __future__ import annotations

import pandas as pd

from saylau.protocol import derive_totals, option_columns, to_long, to_wide


def _frame(**columns):
    keys = {
        "election_id": ["e"] * 2,
        "contest_id": ["c"] * 2,
        "source": ["official"] * 2,
        "level": ["pec"] * 2,
        "unit_id": ["KZ-11/1", "KZ-11/2"],
    }
    return pd.DataFrame({**keys, **{k: pd.array(v, dtype="Int64") for k, v in columns.items()}})


def test_totals_come_from_parts_only_when_every_part_is_known():
    wide = _frame(
        ballots_issued_early=[1, 2], ballots_issued_station=[10, None], ballots_issued_outside=[3, 4]
    )
    assert derive_totals(wide)["ballots_issued"].tolist() == [14, pd.NA]


def test_stated_total_is_kept_as_stated():
    wide = _frame(ballots_in_portable=[1, 1], ballots_in_stationary=[10, 10], ballots_in_boxes=[99, None])
    assert derive_totals(wide)["ballots_in_boxes"].tolist() == [99, 11]


def test_long_round_trip_keeps_values_and_skips_missing():
    wide = _frame(registered=[100, 200], valid=[50, None], amanat=[30, 40], ak_zhol=[20, None])
    assert option_columns(wide) == ["amanat", "ak_zhol"]
    long = to_long(wide)
    assert len(long) == 6  # 8 cells, 2 missing
    assert set(long.loc[long["line"] == "votes", "option_id"]) == {"amanat", "ak_zhol"}
    back = to_wide(long).set_index("unit_id")
    assert back.loc["KZ-11/1", "amanat"] == 30 and pd.isna(back.loc["KZ-11/2", "valid"])
