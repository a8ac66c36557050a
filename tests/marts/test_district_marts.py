"""marts.district_results and marts.winner_check on small hand-made warehouses (issue 21)."""

from __future__ import annotations

import pytest

from saylau import warehouse
from saylau.sqlrun import model_graph, run_checks, run_models

E23 = "kz-2023-03-19"
OM = "maslikhat_regional_smd"


def _protocol(con, contest, source, level, unit, region, lines, votes, status=None):
    rows = [(k, None, v) for k, v in lines.items()] + [("votes", k, v) for k, v in votes.items()]
    con.executemany(
        "insert into core.protocol_values (election_id, contest_id, source, level, unit_id, region_code, "
        "line, option_id, value, status) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [E23, contest, source, level, unit, region, line, option, value, status]
            for line, option, value in rows
        ],
    )


def _spread(total: int, n: int) -> list[int]:
    """total split over n precincts, the first ones one more."""
    return [total // n + (i < total % n) for i in range(n)]


def _district(con, contest, source, region, numbers, registered, votes, status="final"):
    """One protocol per precinct whose votes add up to the given totals; each precinct's lines add up."""
    n = len(numbers)
    per_option = {k: _spread(v, n) for k, v in votes.items()}
    for i, number in enumerate(numbers):
        pv = {k: v[i] for k, v in per_option.items()}
        valid = sum(pv.values())
        lines = dict(registered=registered, ballots_issued=valid + 10, invalid=10, valid=valid)
        _protocol(con, contest, source, "pec", f"{region}/{number}", region, lines, pv,
                  status if source == "official" else None)  # fmt: skip


def _build(con):
    graph = model_graph()
    run_models(con, graph, graph.select(["winner_check", "district_results"]))
    assert run_checks(con, models=["marts.winner_check", "marts.district_results"]) == []


def _row(con, district, source="haq"):
    cur = con.execute(
        "select * from marts.winner_check where district_id = ? and source is not distinct from ?",
        [district, source],
    )
    names = [d[0] for d in cur.description]
    return dict(zip(names, cur.fetchone(), strict=True))


# the public case (East Kazakhstan regional maslikhat, district No 3, 15 precincts): the official count had
# the second candidate lose by 33; the copies from all 15 precincts gave her 2,150 against 2,083
OFFICIAL_OM3 = {"om63_03_1": 2133, "om63_03_2": 2100, "om63_03_3": 610, "against_all": 120}
COPIES_OM3 = {"om63_03_1": 2083, "om63_03_2": 2150, "om63_03_3": 610, "against_all": 120}


def test_the_public_case_is_reversed_by_the_copies_of_all_its_precincts(ref_warehouse):
    with warehouse.connect(ref_warehouse) as con:
        _district(con, OM, "official", "KZ-63", range(31, 46), 700, OFFICIAL_OM3)
        _district(con, OM, "haq", "KZ-63", range(31, 46), 700, COPIES_OM3)
        _build(con)
        results = con.execute(
            "select option_id, votes, rank, is_winner, winner, runner_up, margin_votes, origin, precincts, "
            "precincts_counted, nominated_by from marts.district_results where district_id = 'KZ-63/OM-03' "
            "order by option_id"
        ).fetchall()
        check = _row(con, "KZ-63/OM-03")
    assert results[0] == (
        "against_all",
        120,
        None,
        False,
        "om63_03_1",
        "om63_03_2",
        33,
        "summed_from_pec",
        15,
        15,
        None,
    )
    assert [r[:4] for r in results[1:]] == [
        ("om63_03_1", 2133, 1, True),
        ("om63_03_2", 2100, 2, False),
        ("om63_03_3", 610, 3, False),
    ]
    assert [r[-1] for r in results[1:]] == ["amanat", "baytaq", "auyl"]
    assert (check["official_winner"], check["official_margin_votes"]) == ("om63_03_1", 33)
    assert (check["copied_pecs"], check["district_pecs"], check["coverage_pecs_pct"]) == (15, 15, 100.0)
    assert (check["copied_registered"], check["district_registered"], check["coverage_voters_pct"]) == (
        10500,
        10500,
        100.0,
    )
    assert (check["copies_winner"], check["copies_runner_up"], check["copies_margin_votes"]) == (
        "om63_03_2",
        "om63_03_1",
        67,
    )
    assert (check["combined_winner"], check["combined_margin_votes"], check["shift_votes"]) == (
        "om63_03_2",
        67,
        100,
    )
    assert check["reverses"] and check["verdict"] == "reversed"
    assert check["coverage_to_reverse_pct"] == 33.0  # 33 / 100 of the shift seen, at full coverage


def test_part_coverage_counts_the_rest_as_official_and_says_where_it_could_change(ref_warehouse):
    with warehouse.connect(ref_warehouse) as con:
        # KZ-63/OM-04 (precincts 46-60): the official count everywhere, copies from five precincts
        official = {"om63_04_1": 3000, "om63_04_2": 2700, "om63_04_3": 300}
        _district(con, OM, "official", "KZ-63", range(46, 61), 1000, official)
        copies = {"om63_04_1": 860, "om63_04_2": 1000, "om63_04_3": 100}  # officially 1000 / 900 / 100 there
        _district(con, OM, "haq", "KZ-63", range(46, 51), 900, copies)
        _build(con)
        check = _row(con, "KZ-63/OM-04")
        nobody = con.execute(
            "select source, copied_pecs, verdict, coverage_pecs_pct from marts.winner_check "
            "where district_id = 'KZ-63/OM-03'"
        ).fetchall()
    assert (check["official_winner"], check["official_runner_up"], check["official_margin_votes"]) == (
        "om63_04_1",
        "om63_04_2",
        300,
    )
    assert (check["copied_pecs"], check["coverage_pecs_pct"]) == (5, 33.33)
    # voters of the copied precincts from their official lists (1,000 each), not the copies' 900
    assert (check["copied_registered"], check["district_registered"], check["coverage_voters_pct"]) == (
        5000,
        15000,
        33.33,
    )
    assert (check["copies_winner"], check["copies_margin_votes"]) == ("om63_04_2", 140)
    assert check["shift_votes"] == (1000 - 900) - (860 - 1000)  # 240
    # combined: 3000 - 1000 + 860 = 2860 against 2700 - 900 + 1000 = 2800
    assert (check["combined_winner"], check["combined_margin_votes"], check["reverses"]) == (
        "om63_04_1",
        60,
        False,
    )
    # 300 of margin at 240 votes per 5,000 voters: used up at 6,250 of 15,000 voters
    assert check["coverage_to_reverse_pct"] == pytest.approx(41.67)
    assert check["verdict"] == "open"
    assert nobody == [(None, 0, "not_observed", 0.0)]  # a district without results or copies


def test_copies_that_add_to_the_official_winner_hold_and_a_published_district_result_wins(ref_warehouse):
    with warehouse.connect(ref_warehouse) as con:
        # KZ-55/OM-01: the territorial commission's page states the district; the precincts sum to less
        _district(
            con,
            OM,
            "official",
            "KZ-55",
            range(1, 16),
            800,
            {"om55_01_1": 2100, "om55_01_2": 1500, "om55_01_3": 600},
        )
        published = dict(registered=12000, ballots_issued=4100, invalid=90, valid=4210)
        _protocol(con, OM, "official", "district", "KZ-55/OM-01", "KZ-55", published,
                  {"om55_01_1": 2105, "om55_01_2": 1505, "om55_01_3": 600}, "final")  # fmt: skip
        _district(
            con, OM, "haq", "KZ-55", range(1, 4), 800, {"om55_01_1": 440, "om55_01_2": 290, "om55_01_3": 90}
        )
        _build(con)
        results = con.execute(
            "select distinct origin, margin_votes, valid, precincts_counted from marts.district_results "
            "where district_id = 'KZ-55/OM-01'"
        ).fetchall()
        check = _row(con, "KZ-55/OM-01")
    assert results == [("published", 600, 4210, 15)]
    # officially 420 / 300 / 120 at the three copied precincts: the copies give the winner 30 more
    assert check["shift_votes"] == -30 and check["coverage_to_reverse_pct"] is None
    assert check["combined_margin_votes"] == 630 and check["verdict"] == "holds"
    assert check["district_registered"] == 12000 and check["copied_registered"] == 2400


def test_a_mazhilis_district_of_whole_territorial_commissions_covers_their_precincts(ref_warehouse):
    with warehouse.connect(ref_warehouse) as con:
        rows = [["KZ-75/T0" + str(t), "tec", None, None] for t in (1, 2, 3)]
        rows += [[f"KZ-75/{n}", "pec", f"KZ-75/T0{(n - 1) // 15 + 1}", n] for n in range(1, 46)]
        con.executemany(
            "insert into ref.commissions (election_id, commission_id, level, region_code, parent_id, number) "
            f"values ('{E23}', ?, ?, 'KZ-75', ?, ?)",
            rows,
        )
        stood = [o for (o,) in con.execute(
            "select option_id from ref.district_candidates where district_id = 'MZ-24' order by position"
        ).fetchall()]  # fmt: skip
        _district(con, "mazhilis_smd", "official", "KZ-75", range(1, 31), 1200, dict.fromkeys(stood, 900))
        _district(con, "mazhilis_smd", "official", "KZ-75", range(31, 46), 1200, dict.fromkeys(stood, 10))
        _build(con)
        precincts = con.execute(
            "select district_id, count(*), min(via) from intermediate.int_district_precincts "
            "where district_id in ('MZ-24', 'MZ-25') group by 1 order by 1"
        ).fetchall()
        tied = con.execute(
            "select distinct winner, tied, precincts, precincts_counted from marts.district_results "
            "where district_id = 'MZ-24'"
        ).fetchall()
    assert precincts == [("MZ-24", 30, "tec"), ("MZ-25", 15, "tec")]  # T03's 15 registered; T04's not
    assert tied == [(min(stood), True, 30, 30)]  # every candidate 900: tied, the smaller id first


def _precinct(con, source, number, registered, votes):
    valid = sum(votes.values())
    lines = dict(registered=registered, ballots_issued=valid + 5, invalid=5, valid=valid)
    status = "final" if source == "official" else None
    _protocol(con, OM, source, "pec", f"KZ-63/{number}", "KZ-63", lines, votes, status)


def test_coverage_to_reverse_is_where_the_copies_rate_of_shift_would_use_the_margin_up(ref_warehouse):
    """Computed here from the protocols themselves: the shift per voter of the copied precincts that have
    an official protocol, and the share of the district's voters at which that rate uses the margin up."""
    w, r, t = "om63_04_1", "om63_04_2", "om63_04_3"
    # KZ-63/OM-04 (precincts 46-60): official protocols of 46-59 (60 not yet out), lists of unequal size
    official = {
        n: (400 + 37 * (n - 46), {w: 130 + (n % 4) * 9, r: 120 + (n % 3) * 11, t: 30}) for n in range(46, 60)
    }
    # copies of 46, 47, 48 (the commission moved votes from r to w there) and of 60 (no official protocol)
    copies = {
        46: (official[46][0], {w: official[46][1][w] - 12, r: official[46][1][r] + 12, t: 30}),
        47: (official[47][0], {w: official[47][1][w] - 7, r: official[47][1][r] + 3, t: 34}),
        48: (official[48][0], {w: official[48][1][w], r: official[48][1][r] + 9, t: 30}),
        60: (650, {w: 100, r: 260, t: 20}),
    }
    with warehouse.connect(ref_warehouse) as con:
        for n, (registered, votes) in official.items():
            _precinct(con, "official", n, registered, votes)
        for n, (registered, votes) in copies.items():
            _precinct(con, "haq", n, registered, votes)
        _build(con)
        check = _row(con, "KZ-63/OM-04")

    margin = sum(v[w] for _, v in official.values()) - sum(v[r] for _, v in official.values())
    district_voters = sum(registered for registered, _ in official.values())
    compared = [n for n in copies if n in official]
    shift = sum(
        (official[n][1][w] - official[n][1][r]) - (copies[n][1][w] - copies[n][1][r]) for n in compared
    )
    rate = shift / sum(official[n][0] for n in compared)  # votes moved per voter on the lists
    least = 100 * margin / (rate * district_voters)
    assert (check["official_winner"], check["official_runner_up"]) == (w, r)
    assert check["official_margin_votes"] == margin and check["district_registered"] == district_voters
    assert check["shift_votes"] == shift == 12 * 2 + 10 + 9
    assert check["coverage_to_reverse_pct"] == pytest.approx(round(least, 2))
    # at that coverage the rate moves exactly the margin: winner and runner-up tie
    assert rate * district_voters * least / 100 == pytest.approx(margin)
    assert 0 < least < 100 and check["verdict"] == "open"  # partly copied: could still change
    # precinct 60's copy counts toward coverage (its own list: no official one) but shows no shift
    assert check["copied_pecs"] == 4
    assert check["copied_registered"] == sum(official[n][0] for n in compared) + 650
