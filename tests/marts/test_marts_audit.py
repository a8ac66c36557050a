"""Marts on small hand-made warehouses where the grain is easy to get wrong: parties that are not on every
precinct's ballot, copies whose region was not recognised, several versions of a communique, precincts of
one region final while another's are still preliminary. Expected values are worked out by hand in the
comments."""

from __future__ import annotations

import json
from datetime import datetime

from saylau import warehouse
from saylau.sqlrun import model_graph, run_models
from tests.marts.test_marts_unit import E21, LINES, _build, _lines, _protocol

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


def _staged_copy(con, row, unit, region, lines, votes, precinct=None):
    """One row of an observers' protocol export in staging.observer_protocols (as sent)."""
    con.execute(
        "insert into staging.observer_protocols (copy_id, organisation, election_id, contest_id, region_code, "
        "precinct, unit_id, registered, ballots_received, ballots_issued, ballots_cancelled, ballots_in_boxes, "
        "invalid, valid, votes, source_ref, source_sha256, source_row) "
        "values (?, 'haq', ?, 'mazhilis', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'protocols.csv', 'abc', ?)",
        [f"abc:{row}", E21, region, precinct, unit, *(lines[k] for k in LINES), json.dumps(votes), row],
    )


def test_observer_sample_summary_counts_a_copy_of_unknown_region_once(ref_warehouse):
    """Two copies as sent: KZ-75/1 and a copy whose region the loader did not recognise (region_code NULL,
    unit_id as written). The organisation-wide row (region_code NULL) holds both precincts once:
      observed_pecs = 2, registered = 1000 + 800, ballots issued = 500 + 400, turnout = 50%
      amanat share of ballots cast = (300 + 300) / (20 + 480 + 10 + 390) = 66.67%
    and the by-region rows hold KZ-75 alone."""
    with warehouse.connect(ref_warehouse) as con:
        _staged_copy(con, 2, "KZ-75/1", "KZ-75", _lines(1000, 500, 20, 480), {"amanat": 300, "qhp": 180})
        _staged_copy(con, 3, "Almati obl/7", None, _lines(800, 400, 10, 390), {"amanat": 300, "qhp": 90})
        _build(con)
        rows = con.execute(
            "select region_code, observed_pecs, registered, ballots_issued, turnout_pct, party, votes, share_of_ballots_cast_pct "
            "from marts.observer_sample_summary where basis = 'as_sent' order by region_code nulls first, party"
        ).fetchall()
    assert rows == [
        (None, 2, 1800, 900, 50.0, "amanat", 600, round(600 / 900 * 100, 2)),
        (None, 2, 1800, 900, 50.0, "qhp", 270, 30.0),
        ("KZ-75", 1, 1000, 500, 50.0, "amanat", 300, 60.0),
        ("KZ-75", 1, 1000, 500, 50.0, "qhp", 180, 36.0),
    ]


def _share(con, election, contest, level, unit, region, line, option, pct, status, as_of):
    con.execute(
        "insert into core.result_shares values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'http://x', 'abc', 'rus', 'r1')",
        [election, contest, level, unit, region, line, option, pct, status, as_of],
    )


def test_results_official_shares_only_keeps_the_latest_communique(ref_warehouse):
    """Two preliminary communiques (03:00 and 09:30) state shares and turnout for the country, no counts.
    The mart holds the country's preliminary result once per party: the 09:30 shares with the 09:30
    turnout (not the 03:00 one, and not every pairing of the two)."""
    night, morning = datetime(2021, 1, 11, 3, 0), datetime(2021, 1, 11, 9, 30)
    with warehouse.connect(ref_warehouse) as con:
        for at, amanat, qhp, turnout in ((night, 72.1, 9.4, 55.2), (morning, 71.09, 9.1, 63.3)):
            _share(con, E21, "mazhilis", "national", "KZ", None, "share", "amanat", amanat, "preliminary", at)
            _share(con, E21, "mazhilis", "national", "KZ", None, "share", "qhp", qhp, "preliminary", at)
            _share(
                con, E21, "mazhilis", "national", "KZ", None, "turnout_pct", None, turnout, "preliminary", at
            )
        _build(con)
        rows = con.execute(
            "select unit_code, origin, party, share_pct, turnout_pct, status, as_of "
            "from marts.results_official order by all"
        ).fetchall()
    assert rows == [
        ("KZ", "shares_only", "amanat", 71.09, 63.3, "preliminary", morning),
        ("KZ", "shares_only", "qhp", 9.1, 63.3, "preliminary", morning),
    ]


def test_results_official_summed_status_is_the_units_own(ref_warehouse):
    """Akmola's precinct is final (the precinct table, no as_of); Aktobe's is still preliminary (a page at
    02:00). Summed from the precincts: Akmola and its TEC are final with no as_of, Aktobe and its TEC
    preliminary as of 02:00, the country preliminary as of 02:00."""
    night = datetime(2021, 1, 11, 2, 0)
    with warehouse.connect(ref_warehouse) as con:
        _protocol(con, E21, "mazhilis", "official", "pec", "KZ-11/1", "KZ-11", _lines(1000, 600, 0, 600),
                  {"amanat": 400, "qhp": 200}, "final")  # fmt: skip
        _protocol(con, E21, "mazhilis", "official", "pec", "KZ-15/1", "KZ-15", _lines(1000, 800, 0, 800),
                  {"amanat": 600, "qhp": 200}, "preliminary", night)  # fmt: skip
        _commission(con, E21, "KZ-11/1", "KZ-11", "KZ-11/T01")
        _commission(con, E21, "KZ-15/1", "KZ-15", "KZ-15/T01")
        _build(con)
        rows = con.execute(
            "select distinct level, unit_code, status, as_of from marts.results_official "
            "where origin = 'summed_from_pec' order by all"
        ).fetchall()
    assert rows == [
        ("national", "KZ", "preliminary", night),
        ("region", "KZ-11", "final", None),
        ("region", "KZ-15", "preliminary", night),
        ("tec", "KZ-11/T01", "final", None),
        ("tec", "KZ-15/T01", "preliminary", night),
    ]


def _ratio_ci(ys, xs):
    """95% interval (pct) of the ratio sum(y) / sum(x) over clusters, without finite population correction."""
    n, r = len(ys), sum(ys) / sum(xs)
    var = n / (n - 1) * sum((y - r * x) ** 2 for y, x in zip(ys, xs, strict=True)) / sum(xs) ** 2
    return round(100 * (r - 1.96 * var**0.5), 2), round(100 * (r + 1.96 * var**0.5), 2)


def test_discrepancy_region_interval_without_an_official_precinct_count(ref_warehouse):
    """Copies of three Almaty precincts and no official precinct table (so N is unknown): the interval is
    the plain ratio-estimate one, n / (n - 1) * sum of squared residuals / (sum x)^2, with no finite
    population correction, not an interval of zero width."""
    copies = [  # registered, issued, valid, amanat
        (1000, 500, 500, 300),
        (1000, 600, 600, 400),
        (1000, 700, 700, 350),
    ]
    with warehouse.connect(ref_warehouse) as con:
        for i, (reg, issued, valid, amanat) in enumerate(copies, start=1):
            _protocol(con, E21, "mazhilis", "haq", "pec", f"KZ-75/{i}", "KZ-75", _lines(reg, issued, 0, valid),
                      {"amanat": amanat, "qhp": valid - amanat})  # fmt: skip
        con.execute(
            "insert into ref.observer_samples values (?, 'haq', 'random', null, 'drawn by lot')", [E21]
        )
        _build(con)
        row = con.execute(
            "select observed_pecs, official_pecs, observer_turnout_pct, turnout_ci_low, turnout_ci_high, "
            "observer_share_pct, observer_ci_low, observer_ci_high from marts.discrepancy_region "
            "where region_code = 'KZ-75' and party = 'amanat'"
        ).fetchone()
    turnout_ci = _ratio_ci([c[1] for c in copies], [c[0] for c in copies])
    share_ci = _ratio_ci([c[3] for c in copies], [c[2] for c in copies])
    assert row == (3, None, 60.0, *turnout_ci, round(100 * 1050 / 1800, 2), *share_ci)
    assert turnout_ci[0] < 60.0 < turnout_ci[1]


def test_ties_follow_one_rule_in_every_mart_and_load_order(ref_warehouse):
    """Amanat and Adal tie (600 votes each) and the three precincts' turnout bins (60%, 50%, 40%) hold the
    same voters. The leader is the smaller option id (intermediate.int_contest_leaders' rule,
    which every mart with a leader follows) in election_totals and the forensics marts too, Shpilkin's
    mode is the highest of the tied bins, and loading the same rows in another order changes nothing."""
    precincts = [
        ("KZ-75/1", _lines(1000, 600, 0, 600), {"amanat": 300, "adal": 300}),
        ("KZ-75/2", _lines(1000, 500, 0, 500), {"amanat": 300, "adal": 200}),
        ("KZ-75/3", _lines(1000, 400, 300, 100), {"adal": 100, "amanat": 0}),
    ]

    def build(con, order):
        con.execute("delete from core.protocol_values")
        for pec, lines, votes in order:
            if order[0][0] != "KZ-75/1":
                votes = dict(reversed(list(votes.items())))
            _protocol(con, E21, "mazhilis", "official", "pec", pec, "KZ-75", lines, votes, "final")
        _build(con)
        graph = model_graph()
        run_models(con, graph, graph.select(["election_totals", "forensics_shpilkin"]))
        return (
            con.execute("select leader from marts.election_totals").fetchall(),
            con.execute("select leader from marts.forensics_shpilkin").fetchall(),
            con.execute("select leader from intermediate.int_contest_leaders").fetchall(),
            con.execute("select modal_turnout_pct from marts.forensics_shpilkin").fetchall(),
        )

    with warehouse.connect(ref_warehouse) as con:
        first = build(con, precincts)
        second = build(con, precincts[::-1])
    assert first == second
    assert first == ([("adal",)], [("adal",)], [("adal",)], [(60.5,)])


def test_results_official_share_of_a_unit_published_without_its_valid_ballots(ref_warehouse):
    """The CEC's final communique gives each region's registered, issued and party votes but not its valid
    ballots; a territorial commission's decision gives invalid ballots and party votes, not valid ones.
    Valid ballots are the options' votes added up (the protocol's control relation), so:
      region KZ-75 (Mazhilis): amanat 300 of 300 + 100 + 100 = 60%, turnout 500 / 1000 = 50%
      TEC KZ-75/T01 (city maslikhat): amanat 240 of 240 + 160 = 60%
      region KZ-75 (referendum, of all ballots cast): yes 400 of 400 + 160 + 40 invalid = 66.67%
    (a published valid line, where there is one, stays the denominator: the country below)."""
    final = datetime(2021, 1, 15, 11, 0)
    with warehouse.connect(ref_warehouse) as con:
        _protocol(con, E21, "mazhilis", "official", "region", "KZ-75", "KZ-75",
                  {"registered": 1000, "ballots_issued": 500}, {"amanat": 300, "qhp": 100, "adal": 100},
                  "final", final)  # fmt: skip
        _protocol(con, E21, "mazhilis", "official", "national", "KZ", None,
                  {"registered": 1000, "ballots_issued": 500, "invalid": 10, "valid": 490},
                  {"amanat": 300, "qhp": 100, "adal": 90}, "final", final)  # fmt: skip
        _protocol(con, E21, "maslikhat_city", "official", "tec", "KZ-75/T01", "KZ-75",
                  {"registered": 800, "ballots_issued": 410, "invalid": 10}, {"amanat": 240, "qhp": 160},
                  "final", final)  # fmt: skip
        _protocol(con, "kz-2024-10-06", "referendum", "official", "region", "KZ-75", "KZ-75",
                  {"registered": 1000, "ballots_issued": 600, "invalid": 40}, {"yes": 400, "no": 160},
                  "final", final)  # fmt: skip
        _build(con)
        rows = con.execute(
            "select contest, level, unit_code, party, votes, share_pct from marts.results_official "
            "where party in ('amanat', 'yes') order by all"
        ).fetchall()
    assert rows == [
        ("maslikhat_city", "tec", "KZ-75/T01", "amanat", 240, 60.0),
        ("mazhilis", "national", "KZ", "amanat", 300, round(100 * 300 / 490, 2)),
        ("mazhilis", "region", "KZ-75", "amanat", 300, 60.0),
        ("referendum", "region", "KZ-75", "yes", 400, round(100 * 400 / 600, 2)),
    ]


def test_election_totals_from_cec_pages_without_a_precinct_table(ref_warehouse):
    """What the CEC's pages give, with no precinct table loaded. Mazhilis: the final communique states the
    country's registered, issued, invalid and valid ballots and party votes, and a region table with
    registered, issued and party votes only (no invalid, no valid). The regions cover the electorate, but
    they cannot give the invalid ballots, so the totals come from the national figures:
      valid 490, invalid 10, amanat 300 of 490 valid = 61.22%.
    City maslikhat: only territorial commissions' decisions (registered, issued, invalid, party votes):
      valid = the parties' votes added up = 240 + 160 = 400, invalid 10, amanat 240 / 400 = 60%."""
    final = datetime(2021, 1, 15, 11, 0)
    with warehouse.connect(ref_warehouse) as con:
        _protocol(con, E21, "mazhilis", "official", "national", "KZ", None,
                  {"registered": 1000, "ballots_issued": 500, "invalid": 10, "valid": 490},
                  {"amanat": 300, "qhp": 100, "adal": 90}, "final", final)  # fmt: skip
        for region, reg, issued, votes in (
            ("KZ-11", 600, 300, {"amanat": 180, "qhp": 60, "adal": 54}),
            ("KZ-75", 400, 200, {"amanat": 120, "qhp": 40, "adal": 36}),
        ):
            _protocol(con, E21, "mazhilis", "official", "region", region, region,
                      {"registered": reg, "ballots_issued": issued}, votes, "final", final)  # fmt: skip
        for tec, lines, votes in (
            (
                "KZ-75/T01",
                {"registered": 500, "ballots_issued": 250, "invalid": 6},
                {"amanat": 150, "qhp": 94},
            ),
            (
                "KZ-75/T02",
                {"registered": 300, "ballots_issued": 160, "invalid": 4},
                {"amanat": 90, "qhp": 66},
            ),
        ):
            _protocol(
                con, E21, "maslikhat_city", "official", "tec", tec, "KZ-75", lines, votes, "final", final
            )
        _build(con)
        graph = model_graph()
        run_models(con, graph, graph.select(["election_totals"]))
        rows = con.execute(
            "select contest, level, registered, ballots_issued, turnout_pct, valid, invalid, leader, "
            "leader_votes, leader_share_of_valid_pct from marts.election_totals order by contest"
        ).fetchall()
    assert rows == [
        ("maslikhat_city", "tec", 800, 410, round(100 * 410 / 800, 2), 400, 10, "amanat", 240, 60.0),
        ("mazhilis", "national", 1000, 500, 50.0, 490, 10, "amanat", 300, round(100 * 300 / 490, 2)),
    ]
