"""Conflicting copies are conflicts: the preliminary and the final, copies contradicting their own
percentage and a page naming one option with two figures are all kept with their sources, the marts show the
latest official figure, and marts.official_conflicts lists the disagreements."""

from __future__ import annotations

from datetime import datetime

import pytest

from saylau import warehouse
from saylau.marts import build_marts
from saylau.official import promote_official
from saylau.parse.cec_page import parse_page
from saylau.scrape.staging import Staged, election_context
from tests.samples.results import SAMPLES

BY_NAME = {s.name: s for s in SAMPLES}


def stage(con, *names):
    staged = Staged()
    for i, name in enumerate(names):
        sample = BY_NAME[name]
        ctx = election_context(con, sample.election_id)
        sha = f"{i:02d}" * 32
        staged.add(parse_page(sample.url, sha, sample.html(), None, ctx), datetime(2024, 1, 1, 0, i), "run-1")
    staged.write(con)


@pytest.fixture
def con(ref_warehouse):
    with warehouse.connect(ref_warehouse) as c:
        yield c


def test_preliminary_and_final_are_both_kept_and_the_final_shown(con):
    stage(con, "president_2022_preliminary_rus", "president_2022_final_rus")
    promote_official(con, "kz-2022-11-20", "run-1")
    build_marts(con)
    kept = con.execute(
        "select status, value from core.protocol_values where option_id = 'tokayev' order by status"
    ).fetchall()
    assert kept == [("final", 6_456_393), ("preliminary", 6_456_392)]
    shown = con.execute(
        "select votes, share_pct, status from marts.results_official where party = 'tokayev' "
        "and origin = 'published'"
    ).fetchall()
    assert shown == [(6_456_393, 81.31, "final")]
    conflicts = con.execute(
        "select conflict, value, status, is_current, url is not null, sha256 is not null "
        "from marts.official_conflicts where option_id = 'tokayev' and line = 'votes' order by status"
    ).fetchall()
    assert conflicts == [
        ("versions_differ", 6_456_393, "final", True, True, True),
        ("versions_differ", 6_456_392, "preliminary", False, True, True),
    ]
    totals = con.execute(
        "select leader, leader_votes, leader_share_of_valid_pct from marts.election_totals "
        "where election_id = 'kz-2022-11-20'"
    ).fetchone()
    assert totals == ("tokayev", 6_456_393, 81.31)


def test_a_copy_contradicting_its_own_percentage_is_listed_not_loaded(con):
    stage(con, "mazhilis_2023_final_rus", "mazhilis_2023_final_eng_copy")
    promote_official(con, "kz-2023-03-19", "run-1")
    build_marts(con)
    amanat = con.execute(
        "select value from core.protocol_values where option_id = 'amanat' and line = 'votes'"
    ).fetchall()
    assert amanat == [(3_431_510,)]  # the CEC's own figure; the copy's 3 341 510 is not in core
    rows = con.execute(
        "select option_id, conflict, value, share_pct, lang, reason from marts.official_conflicts "
        "where conflict <> 'versions_differ' order by option_id, value"
    ).fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("amanat", "count_contradicts_share", 3_341_510),
        ("auyl", "named_twice_different", 693_938),
        ("auyl", "named_twice_different", 693_983),
    ]
    assert rows[0][3] == 53.9 and rows[0][4] == "eng" and "52.49%" in rows[0][5]
    shown = con.execute(
        "select votes from marts.results_official where election_id = 'kz-2023-03-19' and party = 'amanat' "
        "and origin = 'published'"
    ).fetchall()
    assert shown == [(3_431_510,)]


def test_the_conflicts_mart_builds_on_a_warehouse_without_disputes(con):
    build_marts(con)
    assert con.execute("select count(*) from marts.official_conflicts").fetchone()[0] == 0


def test_language_versions_that_disagree_are_listed_with_each_page(con):
    from dataclasses import replace

    rus, kaz = BY_NAME["president_2022_final_rus"], BY_NAME["president_2022_final_kaz"]
    typo = replace(
        kaz, name="kaz_typo", paragraphs=tuple(p.replace("271 641", "271 614") for p in kaz.paragraphs)
    )
    BY_NAME["kaz_typo"] = typo
    stage(con, rus.name, "kaz_typo")
    promote_official(con, "kz-2022-11-20", "run-1")
    build_marts(con)
    rows = con.execute(
        "select conflict, lang, value, is_current from marts.official_conflicts "
        "where option_id = 'dairabayev' and line = 'votes' order by lang"
    ).fetchall()
    assert rows == [
        ("languages_disagree", "kaz", 271_614, False),
        ("languages_disagree", "rus", 271_641, False),
    ]
    assert con.execute(
        "select count(*) from core.protocol_values where option_id = 'dairabayev'"
    ).fetchone() == (0,)
