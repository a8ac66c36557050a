"""The one store: counts of a file holding several contests are kept per contest, once per input."""

from __future__ import annotations

import pandas as pd

from saylau import warehouse
from saylau.load.store import store_counts
from saylau.validate import Validated


def _validated(contest: str) -> Validated:
    good = pd.DataFrame({"contest_id": [contest], "source_sha256": ["sha-1"]})
    counts = pd.DataFrame([{"table_name": "precinct_protocols", "rule": "round_turnout", "severity": "flag",
                            "failed_rows": 3}])  # fmt: skip
    return Validated(good=good, rejected=good.iloc[0:0], flags=pd.DataFrame(), counts=counts,
                     table_name="precinct_protocols")  # fmt: skip


def test_each_contest_of_one_file_is_counted_and_a_rerun_adds_nothing(ref_warehouse):
    with warehouse.connect(ref_warehouse) as con:
        for contest in ("mazhilis", "maslikhat_city", "maslikhat_regional"):
            assert store_counts(con, _validated(contest), "run-1") == 1
        for contest in ("mazhilis", "maslikhat_city", "maslikhat_regional"):
            assert store_counts(con, _validated(contest), "run-2") == 0  # the same inputs again
        total = con.execute("select sum(failed_rows) from meta.data_quality").fetchone()[0]
    assert total == 9
