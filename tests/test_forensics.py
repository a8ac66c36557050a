"""Forensics marts over hand-made and simulated precincts: each signal checked against an independent
computation (numpy/scipy), and against the demo election with its manipulation on and off."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from saylau import marts, warehouse
from saylau.forensics import integer_percent_probability, is_integer_percent
from saylau.protocol import to_long

ELECTION, CONTEST = "kz-2021-01-10", "mazhilis"  # on the reference ballot: amanat, ak_zhol, qhp, auyl, adal


def precincts(registered, issued, invalid, leader, others, regions=None) -> pd.DataFrame:
    """Wide official precinct rows: leader = amanat, everyone else's votes = ak_zhol."""
    n = len(registered)
    regions = regions if regions is not None else ["KZ-75"] * n
    return pd.DataFrame(
        {
            "election_id": ELECTION,
            "contest_id": CONTEST,
            "source": "official",
            "level": "pec",
            "unit_id": [f"{r}/{i + 1}" for i, r in enumerate(regions)],
            "region_code": regions,
            "status": "final",
            "registered": np.asarray(registered, dtype="int64"),
            "ballots_issued": np.asarray(issued, dtype="int64"),
            "ballots_in_boxes": np.asarray(invalid, dtype="int64") + np.asarray(leader) + np.asarray(others),
            "invalid": np.asarray(invalid, dtype="int64"),
            "valid": np.asarray(leader, dtype="int64") + np.asarray(others, dtype="int64"),
            "amanat": np.asarray(leader, dtype="int64"),
            "ak_zhol": np.asarray(others, dtype="int64"),
        }
    )


@pytest.fixture
def con(ref_warehouse):
    with warehouse.connect(ref_warehouse) as c:
        yield c


def build(con, wide: pd.DataFrame) -> None:
    long = to_long(wide, ["amanat", "ak_zhol"])
    con.register("_long", long)
    con.execute("insert into core.protocol_values by name select * from _long")
    con.unregister("_long")
    marts.build_marts(con)


def row(con, table: str) -> dict:
    cur = con.execute(
        f"select * from marts.{table} where election_id = ? and contest = ?", [ELECTION, CONTEST]
    )
    names = [d[0] for d in cur.description]
    return dict(zip(names, cur.fetchone(), strict=True))


def simulated(rng: np.random.Generator, n: int, rounding: float = 0.0) -> pd.DataFrame:
    """Binomial precincts; a ``rounding`` share of them report turnout rounded to a whole percent."""
    reg = rng.integers(80, 3000, n)
    issued = rng.binomial(reg, rng.uniform(0.3, 0.9, n))
    rounded = rng.random(n) < rounding
    issued[rounded] = np.round(np.round(100 * issued[rounded] / reg[rounded]) * reg[rounded] / 100).astype(
        int
    )
    invalid = rng.binomial(issued, 0.02)
    leader = rng.binomial(issued - invalid, rng.uniform(0.3, 0.8, n))
    return precincts(reg, issued, invalid, leader, issued - invalid - leader)


def test_integer_percent_matches_exact_scipy_expectation_and_inclusion_rules(con):
    rng = np.random.default_rng(7)
    wide = simulated(rng, 400)
    # precincts the rule leaves out: < 100 registered, turnout > 99%, share > 99%, empty boxes
    wide = pd.concat(
        [
            wide,
            precincts(
                [90, 1000, 1000, 1000], [50, 995, 500, 0], [0, 0, 0, 0], [25, 500, 500, 0], [25, 495, 0, 0]
            ),
        ],
        ignore_index=True,
    )
    wide["unit_id"] = [f"KZ-75/{i + 1}" for i in range(len(wide))]
    build(con, wide)
    got = row(con, "forensics_integer_percent")

    inc = wide.iloc[:400]
    inc = inc[inc["registered"] >= 100]
    inc = inc[
        (100 * inc["ballots_issued"] <= 99 * inc["registered"])
        & (100 * inc["amanat"] <= 99 * inc["ballots_in_boxes"])
    ]
    n, k = inc["registered"].to_numpy(), inc["ballots_issued"].to_numpy()
    m, lv = inc["ballots_in_boxes"].to_numpy(), inc["amanat"].to_numpy()
    p_t = integer_percent_probability(n, k / n)
    p_s = integer_percent_probability(m, lv / m)
    p_or = 1 - (1 - p_t) * (1 - p_s)
    observed = (is_integer_percent(k, n) | is_integer_percent(lv, m)).sum()
    assert got["included_precincts"] == len(inc)
    assert got["observed_integer"] == observed
    assert got["expected_integer"] == pytest.approx(p_or.sum(), rel=1e-6)
    assert got["expected_sd"] == pytest.approx(np.sqrt((p_or * (1 - p_or)).sum()), rel=1e-6)
    assert got["expected_turnout_integer"] == pytest.approx(p_t.sum(), rel=1e-6)
    assert got["expected_share_integer"] == pytest.approx(p_s.sum(), rel=1e-6)


def test_exact_probability_against_brute_force():
    n = np.array([100, 237, 1000, 2003])
    p = np.array([0.5, 0.31, 0.6, 0.123])
    for ni, pi, got in zip(n, p, integer_percent_probability(n, p), strict=True):
        ks = np.arange(ni + 1)
        want = stats.binom.pmf(ks, ni, pi)[is_integer_percent(ks, np.full(ni + 1, ni))].sum()
        assert got == pytest.approx(want, rel=1e-9)


def test_integer_percent_excess_rises_with_injected_rounding(con):
    rng = np.random.default_rng(11)
    clean = simulated(rng, 3000)
    rounded = simulated(np.random.default_rng(12), 3000, rounding=0.05)
    rounded["election_id"] = "kz-2023-03-19"
    build(con, pd.concat([clean, rounded], ignore_index=True))
    by = {
        r[0]: r[1:]
        for r in con.execute(
            "select election_id, excess, expected_sd from marts.forensics_integer_percent"
        ).fetchall()
    }
    clean_excess, clean_sd = by[ELECTION]
    dirty_excess, dirty_sd = by["kz-2023-03-19"]
    assert abs(clean_excess) < 3 * clean_sd  # no rounding: the excess is noise
    assert dirty_excess > 100 and dirty_excess > 5 * dirty_sd  # ~150 rounded precincts show up


def test_shpilkin_on_a_designed_turnout_histogram(con):
    # mode: 10 precincts of 1000 at 40% turnout voting 1:1; above it 2 precincts at 80% voting 3:1
    reg = [1000] * 12
    issued = [400] * 10 + [800] * 2
    leader = [200] * 10 + [600] * 2
    others = [200] * 10 + [200] * 2
    build(con, precincts(reg, issued, [0] * 12, leader, others))
    got = row(con, "forensics_shpilkin")
    assert got["modal_turnout_pct"] == 40.5
    assert got["modal_ratio"] == 1.0
    assert got["anomalous_votes"] == 2 * (600 - 200)
    total_leader, cast = 10 * 200 + 2 * 600, 10 * 400 + 2 * 800
    assert got["leader_share_of_ballots_cast_pct"] == round(100 * total_leader / cast, 2)
    assert got["clean_leader_share_of_ballots_cast_pct"] == round(
        100 * (total_leader - 800) / (cast - 800), 2
    )
    bins = con.execute(
        "select turnout_bin, precincts, is_mode, expected_leader_votes from marts.forensics_shpilkin_bins"
    ).fetchall()
    assert bins == [(40, 10, True, None), (80, 2, False, 400.0)]


def test_fingerprint_digits_and_distribution(con):
    regions = ["KZ-75", "KZ-75", "KZ-71", "KZ-71", "KZ-71"]
    reg = [1000, 1000, 500, 800, 1200]
    issued = [505, 512, 400, 300, 1100]
    invalid = [5, 12, 0, 10, 100]
    leader = [250, 123, 300, 145, 990]
    others = [i - v - lv for i, v, lv in zip(issued, invalid, leader, strict=True)]
    build(con, precincts(reg, issued, invalid, leader, others, regions))
    cells = con.execute(
        "select turnout_bin, share_bin, precincts, voters from marts.forensics_fingerprint order by all"
    ).fetchall()
    assert cells == [
        (37, 48, 1, 800),
        (50, 49, 1, 1000),  # 505 of 1000 issued, 250 of 505 cast (49.5%)
        (51, 24, 1, 1000),  # 512 of 1000, 123 of 512 (24.0%)
        (80, 75, 1, 500),
        (91, 90, 1, 1200),
    ]

    digits = row(con, "forensics_digits")  # region_code NULL and option_id NULL come first
    counts = np.array(leader + others)
    second = [int(str(c)[1]) for c in counts if c >= 10]
    last = [c % 10 for c in counts if c >= 100]
    assert digits["region_code"] is None and digits["option_id"] is None
    assert digits["counts_2bl"] == len(second)
    assert digits["second_digit_mean"] == pytest.approx(np.mean(second))
    assert digits["last_digit_mean"] == pytest.approx(np.mean(last))
    assert digits["share_last_0_or_5"] == pytest.approx(np.mean([d in (0, 5) for d in last]))

    dist = row(con, "forensics_distribution")
    turnout = np.array(issued) / np.array(reg)
    share = np.array(leader) / (np.array(issued))
    assert dist["precincts"] == 5
    assert dist["turnout_skew"] == pytest.approx(stats.skew(turnout, bias=False))
    assert dist["turnout_kurtosis"] == pytest.approx(stats.kurtosis(turnout, bias=False))
    assert dist["turnout_leader_share_corr"] == pytest.approx(np.corrcoef(turnout, share)[0, 1])
    per_region = con.execute(
        "select region_code, precincts from marts.forensics_distribution where region_code is not null order by 1"
    ).fetchall()
    assert per_region == [("KZ-71", 3), ("KZ-75", 2)]


def test_empty_warehouse_builds_empty_forensics_marts(con):
    marts.build_marts(con)
    for table in (
        "forensics_integer_percent",
        "forensics_shpilkin",
        "forensics_fingerprint",
        "forensics_digits",
    ):
        assert con.execute(f"select count(*) from marts.{table}").fetchone() == (0,)


# --- the demo election: manipulation on (official count) and off (the honest count behind it) ----------

demo_election = pytest.importorskip("demo.election")


def _demo_table(election, version: str) -> pd.DataFrame:
    """The demo's kz-precinct-csv table (docs/demo.md) of one protocol version, Mazhilis only."""
    from demo.outputs import PRECINCT_CSV_COLUMNS

    f = election.protocol("mazhilis", version).copy()
    f.insert(0, "election_id", demo_election.ELECTION_ID)
    f.insert(1, "contest_id", "mazhilis")
    f["precinct_number"] = f["pec_id"].str.split("/").str[1].astype("int64")
    f["abroad"] = "false"
    f["status"] = "final"
    return f[list(PRECINCT_CSV_COLUMNS)]


@pytest.mark.slow
def test_demo_signals_rise_with_manipulation_and_vanish_without(
    ref_warehouse, tmp_path: Path, build_settings
):
    from saylau import runs
    from saylau.precincts import import_precincts

    election = demo_election.generate()
    found = {}
    for version in ("official", "honest"):
        path = tmp_path / f"{version}.csv"
        _demo_table(election, version).to_csv(path, index=False)
        result = import_precincts(
            ref_warehouse,
            path,
            "kz-precinct-csv",
            demo_election.ELECTION_ID,
            run_id=runs.start_run(ref_warehouse, "import_precincts", {"path": str(path)}),
            archive_dir=build_settings.archive_dir,
        )
        assert result.rows_quarantined == 0
        with warehouse.connect(ref_warehouse) as c:  # the import's job builds the marts
            first = {k: v for k, v in marts.build_marts(c).items() if "forensics" in k}
        with warehouse.connect(ref_warehouse) as c:  # a rebuild over the same core: the same bytes
            again = {k: v for k, v in marts.build_marts(c).items() if "forensics" in k}
        assert again == first
        with warehouse.connect(ref_warehouse, read_only=True) as c:
            found[version] = {
                "shpilkin": row(c, "forensics_shpilkin"),
                "integer": row(c, "forensics_integer_percent"),
                "corr": c.execute(
                    "select turnout_leader_share_corr from marts.forensics_distribution "
                    "where election_id = ? and contest = ? and region_code is null",
                    [ELECTION, CONTEST],
                ).fetchone()[0],
                "tail": c.execute(
                    "select coalesce(sum(voters) filter (where turnout_bin >= 85 and share_bin >= 85), 0) / sum(voters) "
                    "from marts.forensics_fingerprint where election_id = ? and contest = ?",
                    [ELECTION, CONTEST],
                ).fetchone()[0],
            }
    official, honest = found["official"], found["honest"]
    # stuffing and switching: Shpilkin finds over a million anomalous votes, none in the honest count
    assert official["shpilkin"]["anomalous_votes"] > 0.1 * official["shpilkin"]["leader_votes"]
    assert honest["shpilkin"]["anomalous_votes"] < 0.02 * honest["shpilkin"]["leader_votes"]
    assert official["corr"] > 0.4 > 0.2 > abs(honest["corr"])
    assert official["tail"] > 5 * max(honest["tail"], 0.001)
    # the demo injects no rounding: the integer-percent test raises no false alarm on either version
    for version in (official, honest):
        assert abs(version["integer"]["excess"]) < 3 * version["integer"]["expected_sd"]
