"""Turnout bulletins in the shapes the CEC writes them (see shared reference cec_wording.md)."""

from __future__ import annotations

from datetime import date

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


# --- real copies' framing and noise, figure by figure ------------------------------------------------------

DAY_2021, DAY_2023 = date(2021, 1, 10), date(2023, 3, 19)


def test_a_dateline_city_and_a_heading_are_not_figures():
    b = parse_bulletin_text(
        "ASTANA. KAZINFORM – As of 6:10 pm local time, 49.8% of all voters included into the lists received "
        "ballot papers.\nVoter turnout by region:\nAkmola region – 55.4%\nAstana – 37.6%",
        on=DAY_2023,
    )
    assert (b.hour, b.minute, b.national_pct) == (18, 10, 49.8)
    assert regions(b) == {"KZ-11": 55.4, "KZ-71": 37.6} and b.set_aside == []


def test_the_headline_gives_the_time_but_no_figure():
    b = parse_bulletin_text(
        "Turnout in Astana lags at 31.2%\nBy region: Akmola region – 61.2%",
        title="Turnout in Astana lags at 31.2%",
    )
    assert regions(b) == {"KZ-11": 61.2}
    b = parse_bulletin_text("Akmola region – 61.2%", title="Явка на 16.00", on=DAY_2021)
    assert (b.hour, b.minute) == (16, 0)


@pytest.mark.parametrize(
    ("text", "on", "when"),
    [
        ("as of 6:10 pm local time", DAY_2023, (18, 10)),
        ("by 02:00 pm", date(2024, 10, 6), (14, 0)),
        ("К 16:00 явка", DAY_2021, (16, 0)),
        ("Опубликовано 10.01.2021 16:34. Данные на 16.00", DAY_2021, (16, 0)),
        ("в 20 часов", DAY_2021, (20, 0)),
        ("По состоянию на 12.05", date(2022, 11, 20), (12, 5)),
        ("Участки открылись в 7:00, к 10:10 явка", DAY_2023, (10, 10)),
    ],
)
def test_the_bulletin_time_in_any_form(text, on, when):
    assert (parse_bulletin_text(text, on=on).hour, parse_bulletin_text(text, on=on).minute) == when


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("по Жетысуской области", "KZ-33"),
        ("по области Жетісу", "KZ-33"),
        ("Жетісу облысы бойынша", "KZ-33"),
        ("Zhetysu region", "KZ-33"),
        ("Ulytau", "KZ-62"),
        ("по Улытауской области", "KZ-62"),
        ("Абай облысында", "KZ-10"),
        ("в Нур-Султане", "KZ-71"),
        ("по г. Астана", "KZ-71"),
        ("по Шымкенту", "KZ-79"),
        ("ШҚО бойынша", "KZ-63"),
        ("БҚО бойынша", "KZ-27"),
        ("Pavodar region", "KZ-55"),  # one edit off one region's name
        ("Нұр-ССұлтан қаласы бойынша", "KZ-71"),  # a capital typed twice: one edit off
        ("Ақмола облысы бойынша", "KZ-11"),
        ("Ақтөбеде облысы", "KZ-15"),
    ],
)
def test_region_names_in_every_form(name, code):
    b = parse_bulletin_text(f"{name} – 51,5%", on=DAY_2023)
    assert regions(b) == {code: 51.5} and b.set_aside == []


def test_a_name_as_close_to_two_regions_is_set_aside_not_guessed():
    b = parse_bulletin_text("Akmola region – 61.2%\nWast Kazakhstan region – 49.3%\nAtyrau region – 52%")
    assert regions(b) == {"KZ-11": 61.2, "KZ-23": 52.0}
    (aside,) = b.set_aside
    assert aside.subject == "Wast Kazakhstan region" and "KZ-27 and KZ-63" in aside.reason
    assert "49.3" in aside.text


def test_a_region_of_2022_in_a_2021_bulletin_is_set_aside():
    b = parse_bulletin_text("по Акмолинской области – 72,8%, по области Абай – 30,1%", on=DAY_2021)
    assert regions(b) == {"KZ-11": 72.8} and "did not exist on 2021-01-10" in b.problems[0]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("13.3 in Turkestan region", {"KZ-61": 13.3}),
        ("Ulytau –59.49%", {"KZ-62": 59.49}),
        ("по Атырауской области – 56,4– %", {"KZ-23": 56.4}),
        ("Абай облысы – 61,07, Ақмола облысы – 71,42 пайыз", {"KZ-10": 61.07, "KZ-11": 71.42}),
        ("- Акмолинской области – 168 305 (37,12%);", {"KZ-11": 37.12}),  # the count is not a share
        ("Акмолинская область: 72,8%", {"KZ-11": 72.8}),
    ],
)
def test_numbers_with_stray_or_missing_units(text, want):
    assert regions(parse_bulletin_text(text, on=DAY_2023)) == want


def test_two_national_figures_are_both_set_aside():
    b = parse_bulletin_text(
        "На 16:00 бюллетени получили 57,68% от общего числа участников референдума. Явка по республике "
        "составила 57,58%. По Акмолинской области – 66,2%."
    )
    assert b.national_pct is None and regions(b) == {"KZ-11": 66.2}
    assert [a.subject for a in b.set_aside] == ["national", "national"]


def test_a_name_without_a_number_around_the_list_is_framing():
    b = parse_bulletin_text(
        "Самая высокая явка – в Туркестанской области (51,07%), самая низкая – в городе Алматы.\n"
        "По Акмолинской области – 55,4%, по Актюбинской области – 44,2%."
    )
    assert regions(b) == {"KZ-61": 51.07, "KZ-11": 55.4, "KZ-15": 44.2} and b.set_aside == []


def test_a_table_row_that_cannot_be_read_is_set_aside_and_the_others_load():
    b = parse_bulletin_table(
        [
            ["Регион", "Явка, %"],
            ["Акмолинская область", "72,8"],
            ["Атлантидская область", "50,1"],
            ["г. Алматы", ""],
        ]
    )
    assert regions(b) == {"KZ-11": 72.8}
    assert [a.subject for a in b.set_aside] == ["Атлантидская область", "г. Алматы"]
