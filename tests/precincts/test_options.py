"""Options of any kind of vote (saylau.precincts.izbirkom.izbirkom_option): a referendum's "ДА" / "НЕТ"
(or "За" / "Против") import as a referendum sharing of all ballots cast, full names as candidates, "Против
всех" as against_all; the leader is the most votes unless named; "УИК №1", "УИК № 1" and "1" are one
precinct.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from saylau import warehouse
from saylau.precincts import parse_izbirkom
from tests.precincts.samples import PRECINCTS, import_table, year_table
from tests.precincts.test_captions import PRESIDENT_2018_2024, VOTE_2020


@pytest.fixture
def db(ref_warehouse: Path) -> Path:
    return ref_warehouse


# two answers (yes, no) adding up to the valid ballots of PRECINCTS
REFERENDUM_PRECINCTS = [(*p[:-1], (sum(p[-1][1:]), p[-1][0])) for p in PRECINCTS]


@pytest.mark.parametrize("answers", [["ДА", "НЕТ"], ["За", "Против"]])
def test_a_yes_no_table_imports_as_a_referendum_sharing_of_ballots_cast(
    db, tmp_path, build_settings, answers
):
    path = tmp_path / "vote2020.csv"
    path.write_bytes(year_table(VOTE_2020, answers, REFERENDUM_PRECINCTS))
    result = import_table(
        db, path, "izbirkom-csv", "ru-2020-07-01", archive_dir=build_settings.archive_dir, with_marts=True
    )
    assert (result.kind, result.contest_id, result.rows_loaded, result.leader) == (
        "referendum",
        "referendum",
        3,
        "yes",
    )
    with warehouse.connect(db) as con:
        contest = con.execute(
            "select kind, share_denominator from ref.contests where election_id = 'ru-2020-07-01'"
        ).fetchone()
        assert contest == ("referendum", "ballots_cast")
        assert con.execute(
            "select kind from ref.elections where election_id = 'ru-2020-07-01'"
        ).fetchone() == ("referendum",)
        kinds = con.execute(
            "select distinct p.kind from ref.ballot_options b join ref.parties p on p.party_id = b.option_id "
            "where b.election_id = 'ru-2020-07-01'"
        ).fetchall()
        assert kinds == [("answer",)]
        leader, votes, share = con.execute(
            "select leader, leader_votes, leader_share_of_ballots_cast_pct from marts.election_totals "
            "where election_id = 'ru-2020-07-01'"
        ).fetchone()
    yes = sum(p[9][0] for p in REFERENDUM_PRECINCTS)
    cast = sum(p[8] + sum(p[9]) for p in REFERENDUM_PRECINCTS)  # invalid + valid
    assert (leader, votes) == ("yes", yes) and share == round(100 * yes / cast, 2)


def test_candidates_import_as_candidates_and_the_leader_can_be_named(db, tmp_path, build_settings):
    candidates = ["Бабурин Сергей Николаевич", "Путин Владимир Владимирович", "Собчак Ксения Анатольевна"]
    path = tmp_path / "pres2018.csv"
    path.write_bytes(year_table(PRESIDENT_2018_2024, candidates))
    table = parse_izbirkom(path.read_bytes(), str(path))
    assert [(o.option_id, o.kind, o.position) for o in table.options] == [
        ("baburin_sergey_nikolaevich", "candidate", 1),
        ("putin_vladimir_vladimirovich", "candidate", 2),
        ("sobchak_kseniya_anatolevna", "candidate", 3),
    ]
    result = import_table(db, path, "izbirkom-csv", "ru-2018-03-18", archive_dir=build_settings.archive_dir)
    assert (result.kind, result.contest_id, result.leader) == (
        "single_winner",
        "president",
        "putin_vladimir_vladimirovich",
    )
    named = import_table(
        db, path, "izbirkom-csv", "ru-2018-03-18", leader="sobchak_kseniya_anatolevna",
        archive_dir=build_settings.archive_dir,
    )  # fmt: skip
    assert named.leader == "sobchak_kseniya_anatolevna"
    with warehouse.connect(db) as con:
        assert con.execute(
            "select kind, share_denominator from ref.contests where election_id = 'ru-2018-03-18'"
        ).fetchone() == ("single_winner", "ballots_cast")
        assert con.execute(
            "select kind from ref.parties where party_id = 'putin_vladimir_vladimirovich'"
        ).fetchone() == ("candidate",)


def test_against_all_is_an_option_of_its_own():
    from tests.precincts.test_captions import DUMA_2003_2007

    options = ['1. Политическая партия "ЯБЛОКО"', '2. Всероссийская политическая партия "ЕДИНАЯ РОССИЯ"',
               "3. Против всех федеральных списков кандидатов"]  # fmt: skip
    table = parse_izbirkom(year_table(DUMA_2003_2007, options), "duma2003.csv")
    assert [(o.option_id, o.kind) for o in table.options] == [
        ("yabloko", "party"), ("edinaya_rossiya", "party"), ("against_all", "against_all"),
    ]  # fmt: skip
    assert table.kind == "party_list"


def test_precinct_ids_written_as_uik_no_1_or_1_are_one_precinct():
    from tests.precincts.samples import CAPTIONS_2011

    options = ["1. А", "2. Б", "3. В"]
    as_written = parse_izbirkom(year_table(CAPTIONS_2011, options), "a.csv").wide["unit_id"].tolist()
    plain = [(*p[:2], str(i), *p[3:]) for i, p in zip((1, 2, 7), PRECINCTS, strict=True)]
    numbers = parse_izbirkom(year_table(CAPTIONS_2011, options, plain), "b.csv").wide["unit_id"].tolist()
    assert as_written == numbers == ["RU-gorod_moskva/1/1", "RU-gorod_moskva/1/2", "RU-respublika_tyva/3/7"]
