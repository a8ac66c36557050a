"""Results communiques: prose in three languages and by-region tables, with layout drift failing loudly."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from saylau.parse.results import LayoutError, parse_results_table, parse_results_text
from saylau.reference import REFERENCE_DATA_DIR

# The official 2021 figures, from the versioned reference data (not from the parser).
with (REFERENCE_DATA_DIR / "official_totals.csv").open(encoding="utf-8") as f:
    OFFICIAL = {
        (r["item"], r["option_id"]): int(r["value"])
        for r in csv.DictReader(f)
        if r["election_id"] == "kz-2021-01-10" and r["contest_id"] == "mazhilis"
    }
LINES = {k: OFFICIAL[(k, "")] for k in ("registered", "ballots_issued", "invalid", "valid")}
VOTES = {p: v for (item, p), v in OFFICIAL.items() if item == "votes"}

RU = (
    "Центральная избирательная комиссия сообщает окончательные итоги. В списки избирателей включено "
    "11 919 241 человек. Бюллетени получили 7\u00a0539\u00a0280 избирателей, что составляет 63,25%. "
    "Недействительными признаны 297 718 бюллетеней, действительных – 7 241 562.\n"
    "Голоса распределились следующим образом: «Nur Otan» – 5\u2009148\u2009074 голосов (71,09%); «Ак жол» – "
    "792 828 (10,95 %); Народная партия Казахстана – 659 019 (9,10%); «Ауыл» – 383 023 (5,29%); «Adal» – "
    "258 618 (3,57%)."
)
KK = (
    "Сайлаушылар тізіміне 11 919 241 адам енгізілді. 7 539 280 сайлаушы бюллетень алды (63,25 пайыз). "
    "Жарамсыз деп 297 718 бюллетень танылды, жарамды бюллетеньдер – 7 241 562.\n«Nur Otan» партиясы – 5 148 074 "
    "дауыс (71,09%), «Ақ жол» – 792 828 дауыс (10,95%), ҚХП – 659 019 (9,10%), «Ауыл» – 383 023 (5,29%), "
    "«Adal» – 258 618 (3,57%)."
)
EN = (
    "11,919,241 voters were included in the voter lists, 7,539,280 received ballots (63.25%). 297,718 ballots "
    "were invalid and 7,241,562 valid. Nur Otan received 5,148,074 votes (71.09%), AQ JOL 792,828 (10.95%), "
    "People's Party of Kazakhstan 659,019 (9.10%), Auyl 383,023 (5.29%), ADAL 258,618 (3.57%)."
)


@pytest.mark.parametrize(("text", "lang"), [(RU, "ru"), (KK, "kk"), (EN, "en")])
def test_final_results_prose_in_three_languages(text, lang):
    r = parse_results_text(text, lang)
    assert r.lines == LINES
    assert r.votes == VOTES
    assert r.turnout_pct == 63.25
    assert r.shares["amanat"] == 71.09 and r.problems == []


def test_preliminary_results_give_shares_only():
    r = parse_results_text(
        "Предварительные итоги: Nur Otan – 71,97%, Ак жол – 10,95%, НПК – 9,03%, Ауыл – 5,29%, "
        "Adal – 3,57%. Явка составила 63,3%."
    )
    assert r.votes == {} and r.shares["amanat"] == 71.97 and r.shares["qhp"] == 9.03 and r.turnout_pct == 63.3


def test_votes_in_words():
    r = parse_results_text("За кандидата Токаев проголосовали 6 млн 456 тысяч 393 избирателя (81,31%).")
    assert r.votes == {"tokayev": 6_456_393} and r.shares == {"tokayev": 81.31}


def test_ambiguous_figure_is_reported_not_guessed():
    r = parse_results_text("«Nur Otan» – 5.148 голосов; «Ак жол» – 792 828 (10,95%).")
    assert "amanat" not in r.votes and r.votes["ak_zhol"] == 792_828
    assert any("Nur Otan" in p for p in r.problems)


HEADER = [
    "Регион",
    "Избирателей в списках",
    "Получили бюллетени",
    "Явка, %",
    "Nur Otan",
    "Ак жол",
    "НПК",
    "Ауыл",
    "Adal",
]
ROW = ["Акмолинская область", "520 110", "378 640", "72,8", "300 000", "30 000", "20 000", "15 000", "10 000"]


def test_results_table_by_header():
    results, problems = parse_results_table([HEADER, ROW, ["Итого", *["1"] * 8]])
    assert problems == [] and len(results) == 1
    r = results[0]
    assert (r.region_code, r.turnout_pct) == ("KZ-11", 72.8)
    assert r.lines == {"registered": 520_110, "ballots_issued": 378_640}
    assert r.votes == {"amanat": 300_000, "ak_zhol": 30_000, "qhp": 20_000, "auyl": 15_000, "adal": 10_000}


def test_reordered_columns_read_the_same():
    order = [3, 0, 8, 1, 2, 4, 5, 6, 7]
    results, _ = parse_results_table([[HEADER[i] for i in order], [ROW[i] for i in order]])
    expected, _ = parse_results_table([HEADER, ROW])
    assert results == expected


def test_renamed_column_is_a_layout_error_naming_it():
    header = [*HEADER[:4], "Кандидат №1", *HEADER[5:]]
    with pytest.raises(LayoutError, match="Кандидат №1"):
        parse_results_table([header, ROW])


def test_table_without_region_column_is_a_layout_error():
    with pytest.raises(LayoutError, match="no region column"):
        parse_results_table([["Избирателей в списках", "Nur Otan"], ["1", "2"]])


def test_unknown_region_row_is_reported(tmp_path: Path):
    results, problems = parse_results_table([HEADER, ["Атлантидская область", *ROW[1:]], ROW])
    assert [r.region_code for r in results] == ["KZ-11"]
    assert any("Атлантидская" in p for p in problems)
