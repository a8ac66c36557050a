"""The district form (issue 21): observers' copies of single-member district protocols, with a district
column and candidate columns headed by names as written, loaded by ``load-observers``; unknown districts,
candidates and precincts outside their district quarantined naming file, row and column."""

from __future__ import annotations

import csv
from pathlib import Path

from saylau.observers import load_observers, map_columns
from saylau.observers.districts import resolve_district
from tests.test_observers import query

E23 = "kz-2023-03-19"
OM = "Маслихат области (одномандатный округ)"
HEAD = ["Регион", "№ участка", "Бюллетень", "Округ", "Число избирателей в списке", "Выдано бюллетеней",
        "Бюллетеней в ящиках", "Недействительные бюллетени", "Действительные бюллетени"]  # fmt: skip
# KZ-63/OM-03's candidates (om63_03_1..3: Сулбатаев Даурен Ержанович, Корапбекова Гульнар, Жашикжанова
# Айжан) written as observers write them; KZ-63/OM-01's first (Хаттамабаева Айгуль Ержановна) by initials
CANDIDATES = ["Сулбатаев Даурен Ержанович", "Korapbekova Gulnar", "Ж. Жашикжанова", "Хаттамабаева А.Е."]


def _row(precinct: int, district: str, votes: list[str], against: int = 20, contest: str = OM) -> list:
    valid = sum(int(v) for v in votes if v) + against
    return ["ВКО", str(precinct), contest, district, "700", str(valid + 10), str(valid + 10), "10", str(valid),
            *votes, str(against)]  # fmt: skip


def _write(path: Path, rows: list[list], candidates: list[str] = CANDIDATES) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow([*HEAD, *candidates, "Против всех"])
        w.writerows(rows)
    return path


def _load(db, s, *paths, **kw):
    return load_observers(db, list(paths), election_id=E23, run_id="run-1", s=s, organisation="Haq", **kw)


def test_a_district_cell_is_read_by_id_number_or_name():
    assert resolve_district("KZ-63/OM-03", E23, "maslikhat_regional_smd", None) == "KZ-63/OM-03"
    assert resolve_district("№ 3", E23, "maslikhat_regional_smd", "KZ-63") == "KZ-63/OM-03"
    assert resolve_district("округ № 3", E23, "maslikhat_regional_smd", "KZ-63") == "KZ-63/OM-03"
    # regional maslikhats number their districts within each region: the number alone needs the region
    assert resolve_district("1", E23, "maslikhat_regional_smd", "KZ-55") == "KZ-55/OM-01"
    assert resolve_district("1", E23, "maslikhat_regional_smd", None) is None
    assert resolve_district("7", E23, "mazhilis_smd", None) == "MZ-07"  # numbered nationally
    name = "Избирательный округ № 2 по выборам в маслихат (Восточно-Казахстанская область)"
    assert resolve_district(name, E23, "maslikhat_regional_smd", None) == "KZ-63/OM-02"
    assert resolve_district("№ 99", E23, "maslikhat_regional_smd", "KZ-63") is None


def test_district_headers_in_three_languages_and_candidate_columns():
    for district in ("Округ", "Сайлау округі", "District"):
        cmap = map_columns([*HEAD[:3], district, *HEAD[4:], *CANDIDATES], "d.csv")
        assert cmap.kind == "protocol" and cmap.columns[district] == "district"
        assert cmap.candidates == tuple(CANDIDATES)
    # without a district column a name is no column: the file is refused as before
    try:
        map_columns([*HEAD[:3], *HEAD[4:], "Сулбатаев Даурен Ержанович"], "d.csv")
    except Exception as exc:  # noqa: BLE001 - the message is what is tested
        assert "'Сулбатаев Даурен Ержанович'" in str(exc) and "district column" in str(exc)
    else:
        raise AssertionError("a candidate column without a district column was accepted")


def test_copies_of_two_districts_load_under_their_candidates(ref_warehouse, build_settings, tmp_path):
    rows = [
        _row(31, "№ 3", ["100", "120", "50", ""]),
        _row(32, "KZ-63/OM-03", ["90", "131", "40", ""], against=5),
        _row(1, "1", ["", "", "", "270"]),  # OM-01: only its candidate's column is filled
    ]
    (result,) = _load(ref_warehouse, build_settings, _write(tmp_path / "districts.csv", rows))
    assert (result.status, result.good, result.rejected) == ("loaded", 3, 0), result.problems
    votes = query(
        ref_warehouse,
        "select unit_id, option_id, value from core.protocol_values where line = 'votes' and source = 'haq' "
        "order by unit_id, option_id",
    )
    assert votes == [
        ("KZ-63/1", "against_all", 20), ("KZ-63/1", "om63_01_1", 270),
        ("KZ-63/31", "against_all", 20), ("KZ-63/31", "om63_03_1", 100), ("KZ-63/31", "om63_03_2", 120),
        ("KZ-63/31", "om63_03_3", 50),
        ("KZ-63/32", "against_all", 5), ("KZ-63/32", "om63_03_1", 90), ("KZ-63/32", "om63_03_2", 131),
        ("KZ-63/32", "om63_03_3", 40),
    ]  # fmt: skip
    assert query(ref_warehouse, "select distinct contest_id from core.protocol_values") == [
        ("maslikhat_regional_smd",)
    ]
    staged = query(ref_warehouse, "select unit_id, district from staging.observer_protocols order by 1")
    assert staged == [("KZ-63/1", "1"), ("KZ-63/31", "№ 3"), ("KZ-63/32", "KZ-63/OM-03")]


def test_unknown_names_districts_and_precincts_are_quarantined_naming_file_row_and_column(
    ref_warehouse, build_settings, tmp_path
):
    rows = [
        _row(31, "3", ["100", "120", "50", ""]),  # row 2: good
        _row(33, "3", ["100", "120", "40", "10"]),  # row 3: OM-01's candidate on an OM-03 row
        _row(34, "№ 9", ["100", "120", "50", ""]),  # row 4: no district 9 in East Kazakhstan
        _row(2, "3", ["100", "120", "50", ""]),  # row 5: precinct 2 is in OM-01, not OM-03
        _row(35, "", ["100", "120", "50", ""]),  # row 6: no district at all
    ]
    path = _write(tmp_path / "districts.csv", rows)
    (result,) = _load(ref_warehouse, build_settings, path)
    assert (result.good, result.rejected) == (1, 4)
    problems = "\n".join(result.problems)
    assert (
        "districts.csv row 3: unknown_candidate: district ('Округ')=3, unknown_candidates=column 13 "
        "'Хаттамабаева А.Е.'=10: no candidate of KZ-63/OM-03 by that name" in problems
    )
    assert "districts.csv row 4: unknown_district: district ('Округ')=№ 9" in problems
    assert "districts.csv row 5: precinct_not_in_district: district ('Округ')=3" in problems
    assert "districts.csv row 6: unknown_district" in problems
    quarantined = query(
        ref_warehouse,
        "select source_row, rule, source_ref from quarantine.observer_protocols order by source_row, rule",
    )
    found = {(r, rule) for r, rule, _ in quarantined}
    # row 3's valid ballots also hold the unknown column's 10 votes: valid_is_sum_of_options says so too
    assert found - {(3, "valid_is_sum_of_options")} == {
        (3, "unknown_candidate"), (4, "unknown_district"), (5, "precinct_not_in_district"), (6, "unknown_district"),
    }  # fmt: skip
    assert all(ref.endswith("districts.csv") for _, _, ref in quarantined)
    assert query(ref_warehouse, "select distinct unit_id from core.protocol_values") == [("KZ-63/31",)]


def test_a_candidate_named_by_two_columns_or_with_no_district_is_refused(
    ref_warehouse, build_settings, tmp_path
):
    twice = [*CANDIDATES[:3], "Sulbatayev D."]
    rows = [_row(31, "3", ["100", "120", "50", "7"]), _row(32, "3", ["100", "120", "50", ""])]
    (result,) = _load(ref_warehouse, build_settings, _write(tmp_path / "twice.csv", rows, twice))
    assert (result.good, result.rejected) == (1, 1)
    assert "row 2: unknown_candidate" in result.problems[0]
    assert "'Sulbatayev D.'=7: om63_03_1 again (column 'Сулбатаев Даурен Ержанович')" in result.problems[0]


def test_a_district_id_names_the_contest_when_the_file_has_no_ballot_column(
    ref_warehouse, build_settings, tmp_path
):
    path = tmp_path / "no_ballot.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Облыс", "Учаске №", "Сайлау округі", "Тізімдегі сайлаушылар саны",
                    "Бюллетень алған сайлаушылар саны", "Жарамсыз бюллетеньдер", "Жарамды бюллетеньдер",
                    "Сұлбатаев Дәурен", "Қорапбекова Гүлнар", "Жәшікжанова Айжан", "Против всех"])  # fmt: skip
        w.writerow(["Шығыс Қазақстан облысы", "31", "KZ-63/OM-03", "700", "300", "10", "290", "100", "120", "50",
                    "20"])  # fmt: skip
    (result,) = _load(ref_warehouse, build_settings, path)
    assert (result.good, result.rejected) == (1, 0), result.problems
    assert query(ref_warehouse, "select distinct contest_id, unit_id from core.protocol_values") == [
        ("maslikhat_regional_smd", "KZ-63/31")
    ]
