"""Turnout bulletins in the shapes the CEC writes them (see shared reference cec_wording.md)."""

from __future__ import annotations

import pytest

from saylau.parse.bulletin import parse_bulletin_table, parse_bulletin_text


def regions(bulletin):
    return {r.region_code: r.turnout_pct for r in bulletin.regions}


def test_russian_single_sentence_number_after_region():
    b = parse_bulletin_text(
        "По состоянию на 10:00 часов бюллетени получили 11,6% от общего количества избирателей, включенных в "
        "списки. По Акмолинской области – 10,2%, по Актюбинской области – 9,9%, по ВКО – 12,1%, по г. Нур-Султан "
        "– 10,8%, по городу Алматы – 9,7%, по Шымкенту – 14,4%, по Туркестанский области – 13,3%."
    )
    assert (b.hour, b.minute, b.national_pct) == (10, 0, 11.6)
    assert regions(b) == {
        "KZ-11": 10.2,
        "KZ-15": 9.9,
        "KZ-63": 12.1,
        "KZ-71": 10.8,
        "KZ-75": 9.7,
        "KZ-79": 14.4,
        "KZ-61": 13.3,
    }
    assert b.problems == []


def test_kazakh_list_with_payyz_once_at_the_end():
    b = parse_bulletin_text(
        "Сағат 12:00-дегі жағдай бойынша сайлаушылардың жалпы санынан 28,8 пайызы бюллетень алды.\n"
        "- Ақмола облысы бойынша – 26,6\n- Ақтөбе облысы бойынша – 25,6\n• ШҚО бойынша – 29,9\n"
        "Батыс Қазақстан облысы бойынша 32,2\nНұр-Сұлтан қаласы – 24,2 пайыз"
    )
    assert (b.hour, b.national_pct) == (12, 28.8)
    assert regions(b) == {"KZ-11": 26.6, "KZ-15": 25.6, "KZ-63": 29.9, "KZ-27": 32.2, "KZ-71": 24.2}


def test_english_number_before_region():
    b = parse_bulletin_text(
        "As of 10:00, 11.6% of all voters included into the lists received ballot papers: 10.2% in Akmola region, "
        "9.9% in Aktobe region, 12.1% in East Kazakhstan region, 10.8% in Nur-Sultan, 9.7% in Almaty city, "
        "14.4% in Shymkent and 13.3% in Mangistau region."
    )
    assert b.national_pct == 11.6
    assert regions(b) == {
        "KZ-11": 10.2,
        "KZ-15": 9.9,
        "KZ-63": 12.1,
        "KZ-71": 10.8,
        "KZ-75": 9.7,
        "KZ-79": 14.4,
        "KZ-47": 13.3,
    }


def test_english_number_after_region():
    b = parse_bulletin_text("Turnout at 16:00: Akmola Region – 56.9%; Aktobe Region – 45.6%; Almaty – 25.3%.")
    assert b.hour == 16 and regions(b) == {"KZ-11": 56.9, "KZ-15": 45.6, "KZ-75": 25.3}


def test_kazakh_latin_script():
    b = parse_bulletin_text("Aqmola oblysy boiynsha – 56,9 paiyz, Almaty qalasy boiynsha – 25,3 paiyz.")
    assert regions(b) == {"KZ-11": 56.9, "KZ-75": 25.3}


def test_missing_decimals_missing_dashes_and_misplaced_dash():
    b = parse_bulletin_text(
        "На 18.00: Акмолинская область 65,1; Мангистауская область – 49; ЗКО - 57,7 %; по Атырауской области – 56,4– %"
    )
    assert b.hour == 18
    assert regions(b) == {"KZ-11": 65.1, "KZ-47": 49.0, "KZ-27": 57.7, "KZ-23": 56.4}


def test_dates_years_and_times_are_not_read_as_shares():
    b = parse_bulletin_text("10 января 2021 года в 20 часов по Западно-Казахстанской области – 61,5%")
    assert b.hour == 20 and regions(b) == {"KZ-27": 61.5} and b.national_pct is None


def test_a_region_without_a_certain_number_is_reported_not_guessed():
    b = parse_bulletin_text("По Акмолинской области – 72,8%, по Актюбинской области данные уточняются.")
    assert regions(b) == {"KZ-11": 72.8}
    assert any("Актюбинской" in p for p in b.problems)


def test_unknown_region_like_name_is_reported():
    b = parse_bulletin_text("По Акмолинской области – 72,8%, по Атлантидской области – 50,1%.")
    assert regions(b) == {"KZ-11": 72.8}
    assert any("Атлантидской" in p for p in b.problems)


def test_same_region_twice_with_different_figures_is_reported():
    b = parse_bulletin_text("по ЗКО – 61,5%, по Западно-Казахстанской области – 51,5%")
    assert any("KZ-27 is given twice" in p for p in b.problems)


@pytest.mark.parametrize(
    "rows",
    [
        [["Регион", "Явка, %"], ["Акмолинская область", "72,8"], ["г. Алматы", "30,3"], ["Итого", "63,3"]],
        [["Явка, %", "Регион"], ["72,8", "Акмолинская область"], ["30,3", "г. Алматы"], ["63,3", "Итого"]],
        [["Облыс", "Пайыз"], ["Ақмола облысы", "72,8 %"], ["Алматы қаласы", "30,3"], ["Барлығы", "63,3"]],
    ],
)
def test_tables_are_read_by_content_whatever_the_column_order(rows):
    b = parse_bulletin_table(rows)
    assert regions(b) == {"KZ-11": 72.8, "KZ-75": 30.3} and b.national_pct == 63.3
