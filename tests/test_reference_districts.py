"""Single-member districts in the reference data (issue 21): districts, what they cover, candidates."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from saylau import reference, warehouse
from saylau.candidates import district_candidate_names, latin_key

E23 = "kz-2023-03-19"


def _frames(data: Path) -> dict:
    from schemas.reference import REFERENCE_SCHEMAS

    frames = {
        t: REFERENCE_SCHEMAS[t].validate(reference.read_reference(n, data), lazy=True)
        for n, t in reference.REFERENCE_TABLES.items()
    }
    frames["ref.ballot_options"] = reference.with_district_ballots(frames)
    return frames


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "reference_data"
    shutil.copytree(reference.REFERENCE_DATA_DIR, target)
    return target


def test_the_2023_districts_load_with_their_candidates_on_the_ballot(ref_warehouse):
    with warehouse.connect(ref_warehouse, read_only=True) as con:
        per_contest = dict(
            con.execute(
                "select contest_id, count(*) from ref.districts where election_id = ? group by 1", [E23]
            ).fetchall()
        )
        regions = con.execute(
            "select count(distinct region_code) from ref.districts where contest_id = 'mazhilis_smd'"
        ).fetchone()[0]
        kinds = dict(
            con.execute("select contest_id, kind from ref.contests where election_id = ?", [E23]).fetchall()
        )
        lonely = con.execute(
            "select district_id from ref.districts anti join "
            "(select district_id from ref.district_candidates group by 1 having count(*) >= 2) using (district_id)"
        ).fetchall()
        off_ballot = con.execute(
            "select option_id from ref.district_candidates anti join ref.ballot_options "
            "using (election_id, contest_id, option_id)"
        ).fetchall()
        against = con.execute(
            "select contest_id from ref.ballot_options where election_id = ? and option_id = 'against_all' "
            "order by 1",
            [E23],
        ).fetchall()
        unnamed = con.execute(
            "select option_id from ref.district_candidates anti join "
            "(select election_id, option_id from ref.candidates group by all having count(*) = 3) "
            "using (election_id, option_id)"
        ).fetchall()
    assert per_contest == {"mazhilis_smd": 29, "maslikhat_regional_smd": 6, "maslikhat_district": 3}
    assert regions == 20
    assert {kinds[c] for c in per_contest} == {"single_member"}
    assert lonely == [] and off_ballot == [] and unnamed == []  # names in ru, kk and Latin
    assert [a for (a,) in against] == [
        "maslikhat_district",
        "maslikhat_regional_smd",
        "mazhilis",
        "mazhilis_smd",
    ]


def test_the_public_case_district_covers_15_precincts_of_east_kazakhstan(ref_warehouse):
    with warehouse.connect(ref_warehouse, read_only=True) as con:
        row = con.execute(
            "select d.region_code, u.level, u.number_to - u.number_from + 1 from ref.districts as d "
            "join ref.district_units as u using (election_id, district_id) where district_id = 'KZ-63/OM-03'"
        ).fetchone()
    assert row == ("KZ-63", "pec", 15)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("district_units.csv", "kz-2023-03-19,MZ-02,pec,KZ-11,1,30", "kz-2023-03-19,MZ-02,pec,KZ-15,1,30"),
         "is not MZ-02's region"),
        (("district_units.csv", "kz-2023-03-19,MZ-03,pec,KZ-15,1,30", "kz-2023-03-19,MZ-03,pec,KZ-15,1,31"), None),
        (("districts.csv", "kz-2023-03-19,mazhilis_smd,MZ-01,", "kz-2023-03-19,mazhilis,MZ-01,"),
         "is no single_member contest"),
        (("district_candidates.csv", "MZ-01,mz01_1,1,amanat", "MZ-01,mz01_1,1,nur_otan"), "is no party"),
        (("candidates.csv", "kz-2023-03-19,mz01_1,", "kz-2023-03-19,mz01_x,"), "mz01_1 has no names"),
    ],
)  # fmt: skip
def test_broken_district_data_is_refused_naming_the_row(tmp_path, edit, message):
    data = _copy(tmp_path)
    name, old, new = edit
    text = (data / name).read_text(encoding="utf-8")
    assert old in text
    (data / name).write_text(text.replace(old, new), encoding="utf-8")
    if message is None:  # a range running into the neighbouring district's is allowed only within one region
        reference.check_reference_integrity(_frames(data))
        return
    with pytest.raises(ValueError, match=message):
        reference.check_reference_integrity(_frames(data))


def test_one_precinct_in_two_districts_of_a_contest_is_refused(tmp_path):
    data = _copy(tmp_path)
    with (data / "district_units.csv").open("a", encoding="utf-8") as f:
        f.write("kz-2023-03-19,MZ-02,pec,KZ-11,30,31\n")  # 30 is MZ-02's already: fine; 31 is nobody's
        f.write("kz-2023-03-19,MZ-01,pec,KZ-10,29,29\n")  # MZ-01's own again: fine
    reference.check_reference_integrity(_frames(data))
    with (data / "district_units.csv").open("a", encoding="utf-8") as f:
        f.write("kz-2023-03-19,KZ-63/OM-02,pec,KZ-63,45,46\n")  # 45 belongs to OM-03
    with pytest.raises(ValueError, match="KZ-63 45 is in KZ-63/OM-03 and KZ-63/OM-02"):
        reference.check_reference_integrity(_frames(data))


def test_a_district_file_breaking_its_model_is_refused_before_loading(tmp_path):
    import pandera.errors

    data = _copy(tmp_path)
    text = (data / "districts.csv").read_text(encoding="utf-8").replace(",KZ-63/OM-03,", ",KZ-55/OM-09,", 1)
    (data / "districts.csv").write_text(text, encoding="utf-8")
    with pytest.raises(pandera.errors.SchemaErrors):
        reference.load_reference(duckdb.connect(), data_dir=data)


@pytest.mark.parametrize(
    "text",
    ["Сұлбатаев Д.", "Сулбатаев Даурен Ержанович", "Dauren Sulbatayev", "Sulbataev D.", "СҰЛБАТАЕВ Д.Е.",
     "Сұлбатаевқа", "Дәурен Ержанұлы Сұлбатаев", "Sulbataýev"],
)  # fmt: skip
def test_a_district_candidate_is_named_in_any_order_script_or_initials(text):
    assert district_candidate_names(E23, "KZ-63/OM-03").resolve(text) == "om63_03_1"


def test_a_candidate_is_resolved_within_the_district_not_the_election():
    names = district_candidate_names(E23, "KZ-63/OM-03")
    assert names.resolve("Корапбекова Г.") == "om63_03_2"
    assert names.resolve("Qorapbekova") == "om63_03_2"  # the 2021 Kazakh Latin alphabet
    assert names.resolve("Кезекбаев Ғалым") is None  # he stands in district No 2, not here
    assert district_candidate_names(E23, "KZ-63/OM-02").resolve("Кезекбаев Ғалым") == "om63_02_1"
    assert {c.option_id for c in names.candidates} == {"om63_03_1", "om63_03_2", "om63_03_3"}


def test_latin_skeleton_joins_the_scripts():
    assert latin_key("Хаттамаев") == latin_key("Khattamayev") == latin_key("Hattamaev")
    assert latin_key("Сынақов") == latin_key("Synaqov") == latin_key("Synakov")
    assert latin_key("Жәшікжанова") == latin_key("Zhashikzhanova") == latin_key("Jäşikjanova")
