"""Marts on small hand-made warehouses where the grain is easy to get wrong: parties that are not on every
precinct's ballot, copies whose region was not recognised, several versions of a communique, precincts of
one region final while another's are still preliminary. Expected values are worked out by hand in the
comments."""

from __future__ import annotations

from saylau import warehouse
from tests.marts.test_marts_unit import E21, _build, _lines, _protocol

E23 = "kz-2023-03-19"


def _commission(con, election, pec, region, tec):
    con.execute(
        "insert into ref.commissions (election_id, commission_id, level, region_code, parent_id) "
        "values (?, ?, 'pec', ?, ?)",
        [election, pec, region, tec],
    )


def test_discrepancy_region_party_missing_from_part_of_the_sample(ref_warehouse):
    """A regional maslikhat: qhp ran only in Akmola (KZ-11), auyl only in Aktobe (KZ-15). Two precincts per
    region in one TEC each; observers copied one precinct per region, numbers equal to the official ones.

    Country-wide (region_code NULL) every party's row is about the same sample of n = 2 precincts:
      observer turnout = (600 + 800) / (1000 + 1000) = 70%
      qhp observer share = 200 / (600 + 800) valid = 14.29%   (official 400 / 2600 = 15.38%)
      auyl observer share = 200 / 1400 = 14.29%                (official 400 / 2600 = 15.38%)
      expected TECs touched by 2 of 4 precincts drawn at random, two TECs of two precincts:
        2 * (1 - (1 - 2/4)^2) = 1.5
    """
    with warehouse.connect(ref_warehouse) as con:
        official = {
            ("KZ-11", "KZ-11/1"): (_lines(1000, 600, 0, 600), {"amanat": 400, "qhp": 200}),
            ("KZ-11", "KZ-11/2"): (_lines(1000, 500, 0, 500), {"amanat": 300, "qhp": 200}),
            ("KZ-15", "KZ-15/1"): (_lines(1000, 800, 0, 800), {"amanat": 600, "auyl": 200}),
            ("KZ-15", "KZ-15/2"): (_lines(1000, 700, 0, 700), {"amanat": 500, "auyl": 200}),
        }
        for (region, pec), (lines, votes) in official.items():
            _protocol(con, E21, "maslikhat_regional", "official", "pec", pec, region, lines, votes, "final")
            _commission(con, E21, pec, region, f"{region}/T01")
            if pec.endswith("/1"):
                _protocol(con, E21, "maslikhat_regional", "haq", "pec", pec, region, lines, votes)
        _build(con)
        rows = con.execute(
            "select party, observed_pecs, official_pecs, expected_tecs, observer_turnout_pct, "
            "official_share_pct, observer_share_pct from marts.discrepancy_region "
            "where region_code is null order by party"
        ).fetchall()
    assert rows == [
        ("amanat", 2, 4, 1.5, 70.0, round(1800 / 2600 * 100, 2), round(1000 / 1400 * 100, 2)),
        ("auyl", 2, 4, 1.5, 70.0, round(400 / 2600 * 100, 2), round(200 / 1400 * 100, 2)),
        ("qhp", 2, 4, 1.5, 70.0, round(400 / 2600 * 100, 2), round(200 / 1400 * 100, 2)),
    ]
