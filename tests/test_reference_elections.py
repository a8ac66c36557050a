"""The elections since 2019 in the reference data: a run can recognise and read each of them."""

from __future__ import annotations

from datetime import date

import pytest

from saylau import warehouse
from saylau.candidates import candidate_names
from saylau.scrape.staging import election_context, recognise_election


@pytest.mark.parametrize(
    ("election_id", "contest", "regions", "denominator", "options"),
    [
        ("kz-2019-06-09", "president", 17, "valid", 7),
        ("kz-2021-01-10", "mazhilis", 17, "valid", 5),
        ("kz-2022-06-05", "referendum", 17, "ballots_cast", 2),  # Abai, Jetisu, Ulytau date from 8 June 2022
        ("kz-2022-11-20", "president", 20, "valid", 7),  # six candidates and "against all"
        ("kz-2023-03-19", "mazhilis", 20, "valid", 8),
        ("kz-2024-10-06", "referendum", 20, "ballots_cast", 2),
    ],
)
def test_each_election_gives_its_national_contest_regions_and_share_rule(
    ref_warehouse, election_id, contest, regions, denominator, options
):
    with warehouse.connect(ref_warehouse, read_only=True) as con:
        ctx = election_context(con, election_id)
        threshold = con.execute(
            "select threshold_pct from ref.contests where election_id = ? and contest_id = ?",
            [election_id, contest],
        ).fetchone()
    assert (ctx.contest_id, len(ctx.regions), ctx.share_denominator, len(ctx.options)) == (
        contest,
        regions,
        denominator,
        options,
    )
    assert threshold is not None
    assert ("KZ-10" in ctx.regions) == (regions == 20)


@pytest.mark.parametrize(
    ("day", "election_id"),
    [
        (date(2019, 6, 12), "kz-2019-06-09"),
        (date(2022, 6, 6), "kz-2022-06-05"),
        (date(2022, 11, 21), "kz-2022-11-20"),
    ],
)
def test_a_run_recognises_the_new_elections_by_the_pages_dates(ref_warehouse, day, election_id):
    with warehouse.connect(ref_warehouse, read_only=True) as con:
        assert recognise_election(con, [day]) == election_id


@pytest.mark.parametrize(
    ("text", "option"),
    [
        ("Токаев Касым-Жомарт Кемелевич", "tokayev"),
        ("Kassym-Jomart Tokayev", "tokayev"),
        ("К.-Ж. Токаев", "tokayev"),
        ("Токаева", "tokayev"),
        ("Тоқаевқа", "tokayev"),
        ("Tokaev", "tokayev"),  # one letter off one surname
        ("Әбден Қаракат", "abden"),
        ("Karakat Abden", "abden"),
        ("Dairabaev Zhiguli", "dairabayev"),
    ],
)
def test_candidates_are_named_in_any_order_with_initials_or_case_endings(text, option):
    assert candidate_names("kz-2022-11-20").resolve(text) == option


def test_a_name_of_no_candidate_is_not_guessed():
    names = candidate_names("kz-2019-06-09")
    assert names.resolve("Абден Каракат") is None  # a 2022 candidate, not on the 2019 ballot
    assert names.resolve("Иванов Иван") is None
