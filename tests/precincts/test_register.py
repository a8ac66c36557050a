"""Registering an imported election and choosing the leader (saylau.precincts.register)."""

from __future__ import annotations

from datetime import date

import pytest

from saylau.precincts import PrecinctImportError, choose_leader, election_info_from_id


def test_the_leader_is_the_option_with_most_votes_ties_to_the_smaller_id():
    assert choose_leader({"b": 10, "a": 7, "c": 3}) == ("b", "most_votes")
    assert choose_leader({"zelenye": 5, "kprf": 5, "ldpr": 1}) == (
        "kprf",
        "most_votes",
    )  # as int_contest_leaders
    assert choose_leader({"a": None, "b": None}) == ("", "none")  # no row passed validation
    assert choose_leader({}) == ("", "none")


def test_a_named_leader_is_found_by_id_or_by_party_name():
    totals = {"edinaya_rossiya": 300, "ldpr": 190, "yabloko": 100}
    assert choose_leader(totals, "ldpr") == ("ldpr", "user")
    assert choose_leader(totals, "ЛДПР") == ("ldpr", "user")  # the Russian party table
    assert choose_leader({"amanat": 500, "ak_zhol": 180}, "Ақ жол") == ("ak_zhol", "user")  # the resolver
    assert choose_leader({"a": None, "ldpr": None}, "ldpr") == ("ldpr", "user")
    with pytest.raises(PrecinctImportError, match="not one of the table's options"):
        choose_leader(totals, "КПРФ")


def test_an_election_is_registered_from_its_id():
    info = election_info_from_id("ru-2011-12-04", "duma", "izbirkom-csv")
    assert (info.country, info.election_date, info.utc_offset_hours) == ("RU", date(2011, 12, 4), 4)
    assert info.share_denominator == "ballots_cast"
    assert election_info_from_id("ru-2016-09-18", "duma", "izbirkom-csv").utc_offset_hours == 3
    with pytest.raises(PrecinctImportError, match="must look like"):
        election_info_from_id("duma-2011", "duma", "izbirkom-csv")
