"""Lazy validation of protocol frames: hard rules quarantine, soft rules flag, all failures at once."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saylau import warehouse
from saylau.config import SQL_DIR
from saylau.load.store import store_protocols
from saylau.sqlrun import run_file
from saylau.validate import Validated, validate_frame
from schemas.protocol import protocol_schema

OPTIONS = ["amanat", "ak_zhol", "adal"]


def protocol(unit: str = "KZ-11/1", **overrides) -> dict:
    """One consistent precinct protocol (every control relation holds), with overrides."""
    row = {
        "election_id": "kz-2021-01-10",
        "contest_id": "mazhilis",
        "source": "official",
        "level": "pec",
        "unit_id": unit,
        "region_code": "KZ-11",
        "registered": 1500,
        "ballots_received": 1550,
        "ballots_issued": 901,
        "ballots_cancelled": 649,
        "ballots_in_boxes": 901,
        "invalid": 11,
        "valid": 890,
        "amanat": 500,
        "ak_zhol": 250,
        "adal": 140,
        "source_ref": "test.csv",
        "source_sha256": "a" * 64,
        "source_row": int(unit.split("/")[1]) + 1,
    }
    row.update(overrides)
    return row


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def rules_of(validated: Validated, unit: str) -> set[str]:
    return set(validated.rejected.loc[validated.rejected["unit_id"] == unit, "rule"])


def test_consistent_protocols_pass_untouched():
    v = validate_frame(frame(protocol("KZ-11/1"), protocol("KZ-11/2")), protocol_schema(options=OPTIONS), "t")
    assert len(v.good) == 2 and v.rejected.empty and v.flags.empty and v.counts.empty
    assert str(v.good["registered"].dtype) == "Int64"


def test_every_hard_failure_is_reported_at_once_with_values():
    rows = frame(
        protocol("KZ-11/1"),
        protocol(
            "KZ-11/2",
            ballots_issued=1600,
            ballots_cancelled=-50,
            ballots_in_boxes=1600,
            valid=1589,
            amanat=1199,
        ),
        protocol("KZ-11/3", valid=891),  # boxes 901 != 11 + 891, and 891 != sum of options
        protocol("KZ-11/4", registered="12o0"),  # a typo: letter o for zero
        protocol("KZ-11/5", ballots_received=1549),
    )
    v = validate_frame(rows, protocol_schema(options=OPTIONS), "official_pec")
    assert list(v.good["unit_id"]) == ["KZ-11/1"]
    assert rules_of(v, "KZ-11/2") == {"issued_le_registered", "non_negative"}
    assert rules_of(v, "KZ-11/3") == {"boxes_balance", "valid_is_sum_of_options"}
    assert rules_of(v, "KZ-11/4") == {"wrong_type"}
    assert rules_of(v, "KZ-11/5") == {"received_balance"}
    bad = v.rejected.set_index(["unit_id", "rule"])
    assert (
        bad.loc[("KZ-11/2", "issued_le_registered"), "failing_values"]
        == "ballots_issued=1600, registered=1500"
    )
    assert bad.loc[("KZ-11/2", "non_negative"), "failing_values"] == "ballots_cancelled=-50"
    assert bad.loc[("KZ-11/4", "wrong_type"), "failing_values"] == "registered=12o0"
    # the rejected row keeps the value as it was written, and its source
    assert bad.loc[("KZ-11/4", "wrong_type"), "registered"] == "12o0"
    assert bad.loc[("KZ-11/4", "wrong_type"), "source_row"] == 5
    counts = dict(zip(v.counts["rule"], v.counts["failed_rows"], strict=True))
    assert counts == {
        "boxes_balance": 1,
        "issued_le_registered": 1,
        "non_negative": 1,
        "received_balance": 1,
        "valid_is_sum_of_options": 1,
        "wrong_type": 1,
    }
    assert set(v.counts["severity"]) == {"reject"} and set(v.counts["table_name"]) == {"official_pec"}


def test_soft_rules_flag_and_keep_the_row():
    rows = frame(
        protocol("KZ-11/1", ballots_in_boxes=905, valid=894, amanat=504),  # 4 more in boxes than issued
        protocol(  # exactly 60.00 %
            "KZ-11/2", ballots_issued=900, ballots_cancelled=650, ballots_in_boxes=900, valid=889, amanat=499
        ),
        protocol("KZ-11/3", registered=903, ballots_in_boxes=905, valid=894, amanat=504),
        protocol("KZ-11/5", ballots_issued=1201, ballots_cancelled=349),  # 300 issued ballots not in boxes
        protocol("KZ-11/7"),
        protocol("KZ-11/7"),
    )
    v = validate_frame(rows, protocol_schema(options=OPTIONS), "t")
    assert len(v.good) == 6 and v.rejected.empty
    flagged = v.flags.groupby("unit_id")["rule"].apply(set).to_dict()
    assert flagged["KZ-11/1"] == {"boxes_gt_issued"}
    assert flagged["KZ-11/2"] == {"round_turnout"}
    assert flagged["KZ-11/3"] == {"boxes_gt_issued", "turnout_over_100"}
    assert flagged["KZ-11/5"] == {"boxes_well_below_issued"}
    assert flagged["KZ-11/7"] == {"duplicate_key"}
    assert set(v.flags["severity"]) == {"flag"}


def test_relation_with_absent_lines_is_skipped_and_required_lines_enforced():
    partial = pd.DataFrame(
        [
            {
                "election_id": "e",
                "contest_id": "c",
                "source": "s",
                "level": "region",
                "unit_id": "KZ-11",
                "registered": 100,
                "ballots_issued": 50,
            },
            {
                "election_id": "e",
                "contest_id": "c",
                "source": "s",
                "level": "region",
                "unit_id": "KZ-15",
                "registered": 100,
                "ballots_issued": None,
            },
        ]
    )
    v = validate_frame(partial, protocol_schema(), "turnout")
    assert list(v.good["unit_id"]) == ["KZ-11"]
    assert rules_of(v, "KZ-15") == {"required_lines"}
    assert v.rejected["failing_values"].iloc[0] == "registered=100, ballots_issued=NA"


def test_missing_key_column_rejects_every_row_naming_it():
    rows = frame(protocol("KZ-11/1"), protocol("KZ-11/2")).drop(columns=["unit_id"])
    v = validate_frame(rows, protocol_schema(options=OPTIONS), "t")
    assert v.good.empty and set(v.rejected["rule"]) == {"missing_column"}
    assert "unit_id" in v.rejected["failing_values"].iloc[0]
    assert v.rejected_rows == 2


def test_referendum_counts_valid_not_counted_and_lost_ballots():
    ref = {
        "election_id": "kz-2024-10-06",
        "contest_id": "referendum",
        "source": "official",
        "level": "pec",
        "registered": 2000,
        "ballots_received": 2000,
        "ballots_issued": 1300,
        "ballots_cancelled": 698,
        "ballots_lost": 2,
        "ballots_in_boxes": 1300,
        "invalid": 20,
        "valid": 1265,
        "valid_not_counted": 15,
        "yes": 900,
        "no": 365,
    }
    rows = frame({**ref, "unit_id": "KZ-11/1"}, {**ref, "unit_id": "KZ-11/2", "valid_not_counted": 16})
    v = validate_frame(rows, protocol_schema("referendum", options=["yes", "no"]), "t")
    assert list(v.good["unit_id"]) == ["KZ-11/1"]
    assert rules_of(v, "KZ-11/2") == {"boxes_balance"}
    # as a party-list contest the same row breaks the boxes relation (valid_not_counted is not counted)
    v2 = validate_frame(rows.iloc[:1], protocol_schema("party_list", options=["yes", "no"]), "t")
    assert rules_of(v2, "KZ-11/1") == {"boxes_balance"}


def test_unknown_contest_kind_is_refused():
    with pytest.raises(ValueError, match="unknown contest kind"):
        protocol_schema("plebiscite")


# --- property: break one relation at random, the right rule catches it ----------------------------------

RELATIONS = {
    # rule -> how to break it in a consistent protocol (a positive amount d)
    "issued_le_registered": lambda r, d: {
        "registered": r["ballots_issued"] - d,
    },
    "received_balance": lambda r, d: {"ballots_lost": r["ballots_lost"] + d},
    "boxes_balance": lambda r, d: {"invalid": r["invalid"] + d},
    "valid_is_sum_of_options": lambda r, d: {"amanat": r["amanat"] + d},
    "non_negative": lambda r, d: {"adal": -d},
    "required_lines": lambda r, d: {"registered": None},
}


@st.composite
def consistent_protocol(draw) -> tuple[str, dict]:
    """A contest kind and a protocol of it where every control relation holds (lost / unaccounted
    ballots and, in referendums, valid-not-counted ballots included at random)."""
    kind = draw(st.sampled_from(["party_list", "single_winner", "referendum"]))
    votes = [draw(st.integers(0, 3000)) for _ in OPTIONS]
    valid = sum(votes)
    invalid = draw(st.integers(0, 200))
    not_counted = draw(st.integers(0, 50)) if kind == "referendum" else None
    issued = valid + invalid + (not_counted or 0)
    registered = issued + draw(st.integers(0, 3000))
    cancelled = draw(st.integers(0, 500))
    lost, unaccounted = draw(st.integers(0, 3)), draw(st.integers(0, 3))
    row = protocol(
        "KZ-75/1",
        registered=registered,
        ballots_issued=issued,
        ballots_cancelled=cancelled,
        ballots_received=issued + cancelled + lost + 10 - unaccounted,
        ballots_lost=lost + 10,  # every relation keeps its lines in every example
        ballots_unaccounted=unaccounted,
        ballots_in_boxes=issued,
        invalid=invalid,
        valid=valid,
        **dict(zip(OPTIONS, votes, strict=True)),
    )
    if not_counted is not None:
        row["valid_not_counted"] = not_counted
    return kind, row


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=consistent_protocol(), rule=st.sampled_from(sorted(RELATIONS)), amount=st.integers(1, 500))
def test_breaking_one_relation_is_caught_by_its_rule(case, rule, amount):
    kind, row = case
    schema = protocol_schema(kind, options=OPTIONS)
    assert validate_frame(frame(row), schema, "t").rejected.empty
    broken = {**row, **RELATIONS[rule](row, amount)}
    v = validate_frame(frame(broken), schema, "t")
    assert v.good.empty
    caught = set(v.rejected["rule"])
    assert rule in caught
    # these relations share no line with another hard rule, so nothing else may fire
    if rule in ("received_balance", "boxes_balance", "valid_is_sum_of_options", "required_lines"):
        assert caught == {rule}


# --- storing --------------------------------------------------------------------------------------------


def test_store_protocols_writes_core_quarantine_and_data_quality(ref_warehouse):
    rows = frame(
        protocol("KZ-11/1"),
        protocol("KZ-11/2", ballots_issued=901, ballots_in_boxes=902, valid=891, amanat=501),
        protocol("KZ-11/3", valid=891),
        protocol("KZ-11/4", registered="12o0"),
    )
    v = validate_frame(rows, protocol_schema(options=OPTIONS), "official_pec_test")
    with warehouse.connect(ref_warehouse) as con:
        for run_id in ("run-0", "run-1"):  # the same source stored twice adds nothing
            store_protocols(con, "official_pec_test", v, run_id=run_id)
        units = con.execute("select distinct unit_id from core.protocol_values order by 1").fetchall()
        assert units == [("KZ-11/1",), ("KZ-11/2",)]
        assert con.execute(
            "select value from core.protocol_values where unit_id = 'KZ-11/1' and option_id = 'amanat'"
        ).fetchone() == (500,)
        quarantined = con.execute(
            "select unit_id, rule, failing_values, source_ref, source_row, run_id "
            "from quarantine.official_pec_test order by unit_id, rule"
        ).fetchall()
        assert quarantined == [
            (
                "KZ-11/3",
                "boxes_balance",
                "ballots_in_boxes=901, invalid=11, valid=891",
                "test.csv",
                4,
                "run-1",
            ),
            (
                "KZ-11/3",
                "valid_is_sum_of_options",
                "valid=891, amanat=500, ak_zhol=250, adal=140",
                "test.csv",
                4,
                "run-1",
            ),
            ("KZ-11/4", "wrong_type", "registered=12o0", "test.csv", 5, "run-1"),
        ]
        flags = con.execute("select unit_id, rule from core.validation_flags").fetchall()
        assert flags == [("KZ-11/2", "boxes_gt_issued")]
        run_file(con, SQL_DIR / "30_marts" / "data_quality.sql")
        dq = con.execute(
            "select run_id, rule, severity, failed_rows from marts.data_quality "
            "where table_name = 'official_pec_test' order by rule"
        ).fetchall()
    # counted once, by the run that first validated these inputs; the rerun over them adds no counts
    assert dq == [
        ("run-0", "boxes_balance", "reject", 1),
        ("run-0", "boxes_gt_issued", "flag", 1),
        ("run-0", "valid_is_sum_of_options", "reject", 1),
        ("run-0", "wrong_type", "reject", 1),
    ]


def test_validation_of_100k_rows_is_vectorised():
    import numpy as np

    n = 100_000
    rng = np.random.default_rng(1)
    registered = rng.integers(100, 3000, n)
    issued = (registered * rng.uniform(0.3, 0.9, n)).astype(int)
    invalid = rng.integers(0, 20, n)
    amanat = ((issued - invalid) * 0.6).astype(int)
    big = pd.DataFrame(
        {
            "election_id": "e",
            "contest_id": "c",
            "source": "official",
            "level": "pec",
            "unit_id": [f"KZ-11/{i}" for i in range(n)],
            "registered": registered,
            "ballots_issued": issued,
            "ballots_in_boxes": issued,
            "invalid": invalid,
            "valid": issued - invalid,
            "amanat": amanat,
            "adal": issued - invalid - amanat,
        }
    )
    big.loc[::1000, "valid"] += 1
    v = validate_frame(big, protocol_schema(options=["amanat", "adal"]), "big")
    assert v.rejected_rows == 100 and len(v.rejected) == 200 and len(v.good) == n - 100
    assert set(v.rejected["rule"]) == {"boxes_balance", "valid_is_sum_of_options"}


def test_a_cumulative_series_going_down_is_flagged():
    import pandera.pandas as pa

    from schemas.protocol import series_goes_down

    bulletins = pd.DataFrame(
        {
            "region_code": ["KZ-11", "KZ-11", "KZ-11", "KZ-75", "KZ-75"],
            "as_of": pd.to_datetime(
                ["2021-01-10 12:00", "2021-01-10 10:00", "2021-01-10 14:00"] * 1
                + ["2021-01-10 10:00", "2021-01-10 12:00"]
            ),
            "turnout_pct": [30.1, 12.0, 29.8, 9.0, 20.5],
        }
    )
    schema = pa.DataFrameSchema(
        {"turnout_pct": pa.Column(float)},
        checks=[series_goes_down(["region_code"], "as_of", "turnout_pct", "turnout_goes_down")],
    )
    v = validate_frame(bulletins, schema, "cec_turnout", key_columns=["region_code", "as_of"])
    assert len(v.good) == 5 and v.rejected.empty
    assert v.flags[["region_code", "rule", "failing_values"]].values.tolist() == [
        ["KZ-11", "turnout_goes_down", "region_code=KZ-11, as_of=2021-01-10 14:00:00, turnout_pct=29.8"]
    ]


def test_missing_keys_are_named():
    rows = frame(protocol("KZ-11/1"), protocol("KZ-11/2", contest_id=None, unit_id=None))
    v = validate_frame(rows, protocol_schema(options=OPTIONS), "t")
    assert len(v.good) == 1
    assert v.rejected[["rule", "failing_values"]].values.tolist() == [
        ["missing_value", "contest_id=NA; unit_id=NA"]
    ]


def test_a_built_in_check_two_columns_share_gives_each_row_its_own_columns_reason():
    """`isin` guards both `level` and `status`: a bad status must not be explained by the levels allowed."""
    frame = pd.DataFrame(
        {
            "election_id": ["e", "e"],
            "contest_id": ["c", "c"],
            "source": ["official", "official"],
            "level": ["pec", "precinct"],
            "unit_id": ["KZ-75/1", "KZ-75/2"],
            "region_code": ["KZ-75", "KZ-75"],
            "status": ["draft", "final"],
            "registered": [10, 10],
        }
    )
    rejected = validate_frame(frame, protocol_schema("party_list", [], required=()), "t").rejected
    reasons = dict(zip(rejected["failing_values"], rejected["reason"], strict=True))
    assert reasons == {
        "status=draft": "status must be one of: preliminary, final",
        "level=precinct": "level must be one of: national, region, tec, pec",
    }
