"""Results communiques in the wordings real copies use that the first readers missed (texts written for these
tests from ../shared/reference/cec_wording.md): the turnout stated as who took part, a referendum's "No"
column, figures given only as percentages, a count stated as part of a total. Every certain figure is read,
every uncertain one set aside with its rule, none guessed."""

from __future__ import annotations

import pytest

from saylau.parse.results import parse_results_table, parse_results_text

# --- the national turnout of a communique ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "pct"),
    [
        ("По данным ЦИК, в голосовании приняли участие 63,3% избирателей, включенных в списки.", "ru", 63.3),
        ("В референдуме приняли участие 63,66% участников референдума.", "ru", 63.66),
        ("Тізімге енгізілген сайлаушылардың 54,19% дауыс беруге қатысты.", "kk", 54.19),
        ("Референдумға тізімге енгізілген қатысушылардың 63,66 пайызы қатысты.", "kk", 63.66),
        ("63.66% of the referendum participants on the lists took part in the vote.", "en", 63.66),
        ("According to the CEC, 69.44% of voters participated in the election.", "en", 69.44),
    ],
)
def test_who_took_part_is_the_turnout(text, lang, pct):
    r = parse_results_text(text + " Nur Otan – 71,12%.", lang)
    assert r.turnout_pct == pct and r.lines == {} and r.set_aside == []


def test_a_turnout_stated_twice_alike_is_read_at_its_most_precise():
    r = parse_results_text(
        "Явка составила 63,3%. Бюллетени получили 7 539 280 избирателей, или 63,25%.", "ru"
    )
    assert r.turnout_pct == 63.25 and r.lines == {"ballots_issued": 7_539_280}


def test_two_different_turnouts_are_a_conflict_neither_taken():
    r = parse_results_text(
        "В выборах приняли участие 63,3% избирателей. Явка по стране составила 63,1%.", "ru"
    )
    assert r.turnout_pct is None
    assert sorted(a.share_pct for a in r.set_aside) == [63.1, 63.3]
    assert {a.rule for a in r.set_aside} == {"named_twice_different"}


def test_an_approximate_turnout_is_set_aside():
    r = parse_results_text("В голосовании приняли участие более 60% избирателей.", "ru")
    assert r.turnout_pct is None and [a.rule for a in r.set_aside] == ["approximate"]


# --- the 2024 referendum's English regional table: "No" is the answer, not a row number ---------------


def test_the_no_column_of_a_referendum_table_is_the_answer():
    header = ["No", "Region", "Voters on the lists", "Received ballots", "Turnout, %", "Yes", "No"]
    rows = [header, ["1", "Abai region", "419,414", "291,248", "69.4", "204,255", "78,785"]]
    results, problems = parse_results_table(rows, "en")
    assert problems == []
    assert results[0].region_code == "KZ-10"
    assert results[0].votes == {"yes": 204_255, "no": 78_785}


# --- figures given only as percentages --------------------------------------------------------------


def test_against_all_as_a_percentage_is_a_share():
    r = parse_results_text("Tokayev received 81.31%, against all 5.8%.", "en", election_id="kz-2022-11-20")
    assert r.shares == {"tokayev": 81.31, "against_all": 5.8} and r.set_aside == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Yes – 71.12%; No – 26.15%. Ballots with both options marked: 1.58%.", "en"),
        (
            "«За» – 71,12%, «против» – 26,15%. Бюллетеней, в которых отмечены оба варианта ответа, – 1,58%.",
            "ru",
        ),
        ("Иә – 71,12%, жоқ – 26,15%. Екі жауап нұсқасы да белгіленген бюллетеньдер – 1,58%.", "kk"),
    ],
)
def test_a_protocol_line_given_only_as_a_percentage_is_set_aside(text, lang):
    r = parse_results_text(text, lang, referendum=True, share_denominator="ballots_cast")
    assert r.shares == {"yes": 71.12, "no": 26.15} and r.lines == {}
    assert [(a.rule, a.line, a.share_pct) for a in r.set_aside] == [
        ("share_without_count", "valid_not_counted", 1.58)
    ]


# --- a count stated as part of a total --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Из 7 940 478 действительных голосов за Токаева отдано 6 456 393.", "ru"),
        ("Из 7\u00a0940\u00a0478 действительных голосов 6 456 393 отданы за Касым-Жомарта Токаева.", "ru"),
        ("Of the 7,940,478 valid votes, 6,456,393 went to Kassym-Jomart Tokayev.", "en"),
        ("Out of 7,940,478 valid votes Tokayev received 6,456,393.", "en"),
        ("7 940 478 жарамды дауыстың 6 456 393 дауысы Қасым-Жомарт Тоқаевқа берілді.", "kk"),
    ],
)
def test_a_count_stated_as_part_of_a_total_reads_both(text, lang):
    r = parse_results_text(text, lang, election_id="kz-2022-11-20")
    assert r.lines == {"valid": 7_940_478}
    assert r.votes == {"tokayev": 6_456_393} and r.set_aside == []
