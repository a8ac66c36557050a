"""Reference data and the name resolver."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pandera.errors
import pytest

from saylau import reference, warehouse
from saylau.reference import Resolver, UnknownNameError, normalise_name


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # Russian bulletins: dative case, abbreviations, cities with and without "г."
        ("по Восточно-Казахстанской области", "KZ-63"),
        ("ВКО", "KZ-63"),
        ("ЗКО", "KZ-27"),
        ("СКО", "KZ-59"),
        ("по г. Нур-Султан", "KZ-71"),
        ("в Нур-Султане", "KZ-71"),
        ("по городу Алматы", "KZ-75"),
        ("по Шымкенту", "KZ-79"),
        ("по Туркестанский области", "KZ-61"),  # misspelling seen in a bulletin
        ("Абайская область", "KZ-10"),
        ("область Абай", "KZ-10"),
        # Kazakh, Cyrillic and Latin script
        ("Ақмола облысы бойынша", "KZ-11"),
        ("Нұр-Сұлтан қаласы", "KZ-71"),
        ("Ақтөбеде облысы", "KZ-15"),
        ("ШҚО", "KZ-63"),
        ("Aqmola oblysy", "KZ-11"),
        ("Алматы облысы", "KZ-19"),
        ("Алматы қаласы", "KZ-75"),
        # English, including number-first bulletins' "in Akmola region"
        ("Astana", "KZ-71"),
        ("Nur-Sultan", "KZ-71"),
        ("Mangistau", "KZ-47"),
        ("Mangystau Region", "KZ-47"),
        ("Akmola region", "KZ-11"),
        ("Almaty Region", "KZ-19"),
        ("Almaty city", "KZ-75"),
        # spacing and dashes as copied from web pages
        ("Северо\u2013Казахстанская\u00a0область", "KZ-59"),
    ],
)
def test_region_variants_resolve(resolver, text, code):
    assert resolver.region(text) == code


def test_every_official_name_resolves_to_its_own_code(resolver):
    with (reference.REFERENCE_DATA_DIR / "regions.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for column in ("name_en", "name_ru", "name_kk"):
                assert resolver.region(row[column]) == row["code"], row[column]


def test_unknown_region_names_the_text(resolver):
    with pytest.raises(UnknownNameError, match="по Атлантидской области"):
        resolver.region("по Атлантидской области")


def test_region_must_exist_on_the_day(resolver):
    assert resolver.region("Абай облысы", on=date(2023, 3, 19)) == "KZ-10"
    with pytest.raises(UnknownNameError, match="did not exist on 2021-01-10"):
        resolver.region("Абай облысы", on=date(2021, 1, 10))


@pytest.mark.parametrize(
    ("text", "party"),
    [
        ("Nur Otan", "amanat"),
        ("«Нұр Отан»", "amanat"),
        ("AMANAT", "amanat"),
        ("AQ JOL", "ak_zhol"),
        ("«Ақ жол»", "ak_zhol"),
        ("НПК", "qhp"),
        ("ҚХП", "qhp"),
        ("Народная партия Казахстана", "qhp"),
        ("Birlik", "adal"),
        ("ADAL", "adal"),
        ("против всех", "against_all"),
        ("бәріне қарсы", "against_all"),
    ],
)
def test_party_variants_resolve(resolver, text, party):
    assert resolver.party(text) == party


def test_unknown_party_names_the_text(resolver):
    with pytest.raises(UnknownNameError, match="Партия любителей пива"):
        resolver.party("Партия любителей пива")


def test_party_names_follow_renames(resolver):
    assert resolver.party_name_on("amanat", date(2021, 1, 10)) == "Nur Otan"
    assert resolver.party_name_on("amanat", date(2023, 3, 19)) == "Amanat"
    assert resolver.party_name_on("adal", date(2020, 1, 1)) == "Birlik"


def test_normalise_keeps_city_and_region_apart():
    assert normalise_name("Алматы қаласы") != normalise_name("Алматы облысы")
    assert normalise_name("по Акмолинской области") == normalise_name("Акмолинская область")


def test_reference_tables_hold_the_verified_facts(ref_warehouse):
    with warehouse.connect(ref_warehouse, read_only=True) as con:
        assert con.execute("select count(*) from ref.regions where in_2021").fetchone()[0] == 17
        assert con.execute("select count(*) from ref.regions where in_2022_plus").fetchone()[0] == 20
        splits = con.execute(
            "select code_2021, list(code_2022 order by code_2022) from ref.region_crosswalk "
            "where relation = 'split' group by 1 order by 1"
        ).fetchall()
        assert splits == [
            ("KZ-19", ["KZ-19", "KZ-33"]),
            ("KZ-35", ["KZ-35", "KZ-62"]),
            ("KZ-63", ["KZ-10", "KZ-63"]),
        ]
        contests = dict(
            con.execute(
                "select election_id || '/' || contest_id, share_denominator from ref.contests"
            ).fetchall()
        )
        assert contests["kz-2024-10-06/referendum"] == "ballots_cast"
        assert contests["kz-2021-01-10/mazhilis"] == "valid"
        assert {
            "kz-2021-01-10/maslikhat_regional",
            "kz-2021-01-10/maslikhat_city",
            "kz-2022-11-20/president",
            "kz-2023-03-19/mazhilis",
        } <= set(contests)
        mazhilis = con.execute(
            "select seats, threshold_pct from ref.contests where election_id = 'kz-2021-01-10' "
            "and contest_id = 'mazhilis'"
        ).fetchone()
        assert mazhilis == (98, 7.0)


def _copy_reference(tmp_path: Path) -> Path:
    target = tmp_path / "reference_data"
    shutil.copytree(reference.REFERENCE_DATA_DIR, target)
    return target


def test_alias_to_unknown_region_is_refused_before_loading(ref_warehouse, tmp_path):
    data = _copy_reference(tmp_path)
    with (data / "region_aliases.csv").open("a", encoding="utf-8") as f:
        f.write("Атлантида,KZ-99,ru\n")
    with warehouse.connect(ref_warehouse) as con:
        with pytest.raises(ValueError, match="KZ-99"):
            reference.load_reference(con, data_dir=data)
        assert (
            con.execute("select count(*) from ref.region_aliases where region_code = 'KZ-99'").fetchone()[0]
            == 0
        )
        assert con.execute("select count(*) from ref.regions").fetchone()[0] == 20


def test_malformed_region_code_fails_pandera(tmp_path):
    data = _copy_reference(tmp_path)
    text = (data / "regions.csv").read_text(encoding="utf-8").replace("KZ-11,11,", "KZ11,11,")
    (data / "regions.csv").write_text(text, encoding="utf-8")
    with pytest.raises(pandera.errors.SchemaErrors, match="KZ11"):
        reference.load_reference(__import__("duckdb").connect(), data_dir=data)


def test_alias_clash_between_regions_is_refused(tmp_path):
    data = _copy_reference(tmp_path)
    with (data / "region_aliases.csv").open("a", encoding="utf-8") as f:
        f.write("по ВКО,KZ-27,ru\n")  # normalises like "ВКО", which is East Kazakhstan
    frames = {t: reference.read_reference(n, data) for n, t in reference.REFERENCE_TABLES.items()}
    with pytest.raises(ValueError, match="point at different ids"):
        reference.check_reference_integrity(frames)
