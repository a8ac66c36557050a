"""marts.election_totals over hand-made protocol values: level choice, versions, denominator rules."""

from __future__ import annotations

import pytest

from saylau import marts, warehouse

COLUMNS = (
    "election_id, contest_id, source, level, unit_id, region_code, line, option_id, value, status, as_of"
)


def _insert(con, rows):
    con.executemany(
        f"insert into core.protocol_values ({COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
    )


def _pec(election, contest, unit, lines, votes, status="final", as_of="2021-01-12 10:00"):
    rows = [
        (election, contest, "official", "pec", unit, unit.split("/")[0], k, None, v, status, as_of)
        for k, v in lines.items()
    ]
    rows += [
        (election, contest, "official", "pec", unit, unit.split("/")[0], "votes", p, v, status, as_of)
        for p, v in votes.items()
    ]
    return rows


@pytest.fixture
def con(ref_warehouse):
    with warehouse.connect(ref_warehouse) as c:
        yield c


def _totals(con, election, contest):
    marts.build_marts(con)
    cur = con.execute(
        "select * from marts.election_totals where election_id = ? and contest = ?", [election, contest]
    )
    names = [d[0] for d in cur.description]
    return dict(zip(names, cur.fetchone(), strict=True))


def test_precinct_totals_use_valid_ballots_for_elections(con):
    lines = {"registered": 1000, "ballots_issued": 600, "ballots_in_boxes": 600, "invalid": 20, "valid": 580}
    _insert(con, _pec("kz-2021-01-10", "mazhilis", "KZ-11/1", lines, {"amanat": 400, "ak_zhol": 180}))
    _insert(con, _pec("kz-2021-01-10", "mazhilis", "KZ-11/2", lines, {"amanat": 300, "ak_zhol": 280}))
    t = _totals(con, "kz-2021-01-10", "mazhilis")
    assert (t["level"], t["precincts"], t["registered"], t["ballots_issued"]) == ("pec", 2, 2000, 1200)
    assert t["turnout_pct"] == 60.0
    assert (t["leader"], t["leader_votes"]) == ("amanat", 700)
    assert t["leader_share_of_valid_pct"] == round(100 * 700 / 1160, 2)
    assert t["leader_share_of_ballots_cast_pct"] is None  # one official leader share per contest


def test_referendum_share_is_of_ballots_cast(con):
    lines = {"registered": 1000, "ballots_issued": 500, "invalid": 10, "valid": 480, "valid_not_counted": 10}
    _insert(con, _pec("kz-2024-10-06", "referendum", "KZ-75/1", lines, {"yes": 300, "no": 180}))
    t = _totals(con, "kz-2024-10-06", "referendum")
    assert t["leader"] == "yes"
    assert t["leader_share_of_ballots_cast_pct"] == 60.0  # 300 of 500 cast, not of 480 valid
    assert t["leader_share_of_valid_pct"] is None


def test_final_supersedes_preliminary_and_partial_precincts_do_not_replace_national(con):
    national = {"registered": 10_000, "ballots_issued": 6_000, "invalid": 100, "valid": 5_900}
    rows = []
    for status, amanat, as_of in (
        ("preliminary", 4_000, "2021-01-11 09:00"),
        ("final", 4_100, "2021-01-13 12:00"),
    ):
        rows += [
            ("kz-2021-01-10", "mazhilis", "official", "national", "KZ", None, k, None, v, status, as_of)
            for k, v in national.items()
        ]
        rows += [
            (
                "kz-2021-01-10",
                "mazhilis",
                "official",
                "national",
                "KZ",
                None,
                "votes",
                "amanat",
                amanat,
                status,
                as_of,
            ),
            (
                "kz-2021-01-10",
                "mazhilis",
                "official",
                "national",
                "KZ",
                None,
                "votes",
                "ak_zhol",
                5_900 - amanat,
                status,
                as_of,
            ),
        ]
    _insert(con, rows)
    # one precinct published on its own covers 10% of the electorate: it must not become the total
    _insert(
        con,
        _pec(
            "kz-2021-01-10",
            "mazhilis",
            "KZ-11/1",
            {"registered": 1_000, "ballots_issued": 900, "invalid": 0, "valid": 900},
            {"amanat": 900},
        ),
    )
    t = _totals(con, "kz-2021-01-10", "mazhilis")
    assert (t["level"], t["registered"], t["leader_votes"]) == ("national", 10_000, 4_100)
    assert t["precincts"] is None


def test_rebuild_gives_identical_checksums(con):
    lines = {"registered": 700, "ballots_issued": 350, "invalid": 5, "valid": 345}
    _insert(con, _pec("kz-2021-01-10", "mazhilis", "KZ-15/7", lines, {"amanat": 200, "qhp": 145}))
    first = marts.build_marts(con)
    second = marts.build_marts(con)
    assert first == second
    assert first["marts.election_totals"].rows == 1


def test_votes_for_an_option_not_on_the_ballot_fail_the_checks(con):
    lines = {"registered": 700, "ballots_issued": 350, "invalid": 5, "valid": 345}
    _insert(con, _pec("kz-2021-01-10", "mazhilis", "KZ-15/7", lines, {"tokayev": 345}))
    with pytest.raises(marts.DataCheckError, match="protocol_votes_on_ballot"):
        marts.build_marts(con)
