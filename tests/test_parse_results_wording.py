"""Results communiques in the wordings real copies use that the first readers missed (texts written for these
tests from ../shared/reference/cec_wording.md): the turnout stated as who took part, a referendum's "No"
column, figures given only as percentages, a count stated as part of a total. Every certain figure is read,
every uncertain one set aside with its rule, none guessed."""

from __future__ import annotations

import pytest

from saylau.parse.cec_page import parse_page
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


# --- regional results written in prose -------------------------------------------------------------------

from tests.samples.results import Sample  # noqa: E402
from tests.test_parse_results_samples import context  # noqa: E402

REGIONS_RU = Sample(
    "mazhilis_2023_preliminary_regions_rus",
    "kz-2023-03-19",
    "rus",
    "preliminary",
    "Предварительные итоги выборов в Мажилис по регионам",
    (
        "АСТАНА. КАЗИНФОРМ – ЦИК сообщил предварительные итоги. «Аманат» – 53,90%, «Ауыл» – 10,90%.",
        "Итоги по регионам:",
        "Акмолинская область: «Аманат» – 55,12%, «Ауыл» – 12,2%, против всех – 3,1%.",
        "По г. Астана – «Аманат» 45,3%, Respublica – 12,4%.",
        "Атлантидская область: «Аманат» – 60%.",
        "Жетісу облысы бойынша:",
        "«AMANAT» – 61,2%;",
        "«Ауыл» – 9,9%;",
        "Байтерек – 0,1%;",
        "Respublica – 5%;",
        "«Ак жол» – 4,4%;",
        "Таким образом, «Аманат» лидирует во всех регионах.",
    ),
    "20.03.2023 10:00",
)
REGIONS_EN = Sample(
    "president_2022_final_regions_eng",
    "kz-2022-11-20",
    "eng",
    "final",
    "Final results of the presidential election by region",
    (
        "ASTANA. KAZINFORM – Kassym-Jomart Tokayev received 6,456,393 votes (81.31%).",
        "In Akmola region, Tokayev received 412,115 votes (84.02%) and against all 20,390 (4.16%).",
        "Wast Kazakhstan region: Tokayev – 300,100 (80.1%).",
        "Shymkent city:",
        "Kassym-Jomart Tokayev – 402,000 (83.5%);",
        "Against all – 21,000 (4.4%);",
        "Abai region – 69.4%",
    ),
    "24.11.2022 15:40",
)
REGIONS_KK = Sample(
    "referendum_2024_final_regions_kaz",
    "kz-2024-10-06",
    "kaz",
    "final",
    "Референдумның өңірлер бойынша қорытындысы",
    (
        "АСТАНА. ҚАЗАҚПАРАТ – Референдумның түпкілікті қорытындысы шықты.",
        "Ақмола облысы бойынша: иә – 272 595 (68,9%), жоқ – 110 551 (27,9%).",
        "Абай облысында «иә» деп 204 255 қатысушы, «жоқ» деп 78 785 қатысушы дауыс берді.",
    ),
    "10.10.2024 11:00",
)


def _regional(sample: Sample):
    parsed = parse_page(
        sample.url, "cd" * 32, sample.html(), "text/html; charset=utf-8", context(sample.election_id)
    )
    rows = {
        (r["unit_id"], r["line"], r["option_id"]): r["value"] if r["value"] is not None else r["share_pct"]
        for r in parsed.results
        if r["level"] == "region"
    }
    national = {(r["line"], r["option_id"]) for r in parsed.results if r["level"] == "national"}
    return parsed, rows, national


def test_regions_in_prose_are_read_with_the_national_rules_ru():
    parsed, rows, national = _regional(REGIONS_RU)
    assert rows == {
        ("KZ-11", "share", "amanat"): 55.12,
        ("KZ-11", "share", "auyl"): 12.2,
        ("KZ-11", "share", "against_all"): 3.1,
        ("KZ-71", "share", "amanat"): 45.3,
        ("KZ-71", "share", "respublica"): 12.4,
        ("KZ-33", "share", "amanat"): 61.2,
        ("KZ-33", "share", "auyl"): 9.9,
        ("KZ-33", "share", "respublica"): 5.0,
        ("KZ-33", "share", "ak_zhol"): 4.4,
    }
    assert national == {("share", "amanat"), ("share", "auyl")}  # the regions' figures are not the country's
    rules = {(a.rule, a.subject) for a in parsed.set_aside}
    assert rules == {("unknown_name", "Атлантидская область"), ("unknown_name", "Байтерек")}
    assert all(a.level == "region" for a in parsed.set_aside)


def test_regions_in_prose_are_read_with_the_national_rules_en():
    parsed, rows, national = _regional(REGIONS_EN)
    assert rows == {
        ("KZ-11", "votes", "tokayev"): 412_115,
        ("KZ-11", "share", "tokayev"): 84.02,
        ("KZ-11", "votes", "against_all"): 20_390,
        ("KZ-11", "share", "against_all"): 4.16,
        ("KZ-79", "votes", "tokayev"): 402_000,
        ("KZ-79", "share", "tokayev"): 83.5,
        ("KZ-79", "votes", "against_all"): 21_000,
        ("KZ-79", "share", "against_all"): 4.4,
    }
    assert national == {("votes", "tokayev"), ("share", "tokayev")}
    rules = {(a.rule, a.unit_id) for a in parsed.set_aside}
    # a name as close to two regions is not guessed; a region's bare figure names no option or line
    assert rules == {("ambiguous_name", None), ("figures_not_paired", "KZ-10")}


def test_regions_in_prose_are_read_with_the_national_rules_kk():
    parsed, rows, _ = _regional(REGIONS_KK)
    assert rows == {
        ("KZ-11", "votes", "yes"): 272_595,
        ("KZ-11", "share", "yes"): 68.9,
        ("KZ-11", "votes", "no"): 110_551,
        ("KZ-11", "share", "no"): 27.9,
        ("KZ-10", "votes", "yes"): 204_255,
        ("KZ-10", "votes", "no"): 78_785,
    }
    assert parsed.set_aside == []


def test_a_list_line_after_the_regions_that_follows_no_region_is_set_aside():
    sample = Sample(
        "mazhilis_2023_regions_then_list",
        "kz-2023-03-19",
        "rus",
        "preliminary",
        "Предварительные итоги выборов в Мажилис",
        (
            "«Аманат» – 53,90%.",
            "Акмолинская область: «Аманат» – 55,12%.",
            "Всего по республике:",
            "«Ауыл» – 10,90%;",
        ),
        "20.03.2023 10:00",
    )
    parsed, rows, national = _regional(sample)
    assert rows == {("KZ-11", "share", "amanat"): 55.12}
    assert national == {("share", "amanat")}
    assert [a.rule for a in parsed.set_aside] == ["region_not_certain"]
