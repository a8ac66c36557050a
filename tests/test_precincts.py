"""Precinct-table import: caption mapping, party columns, parsing, validation routing and loading.

Tables are built here as CSV text (small, hand-checkable); the real Russian tables are exercised in
tests/test_precincts_real.py.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from saylau import reference, warehouse
from saylau.precincts import (
    IZBIRKOM_CAPTIONS,
    PrecinctImportError,
    UnknownCaptionError,
    import_precincts,
    izbirkom_line,
    izbirkom_party,
    parse_izbirkom,
    parse_kz_precinct,
    slug,
)
from saylau.protocol import LINES

# The 2011 captions, in file order, and the lines they stand for (read off the protocol form).
CAPTIONS_2011 = {
    "Число избирателей, внесенных в список избирателей": "registered",
    "Число избирательных бюллетеней, полученных участковой избирательной комиссией": "ballots_received",
    "Число избирательных бюллетеней, выданных избирателям, проголосовавшим досрочно": "ballots_issued_early",
    "Число избирательных бюллетеней, выданных избирателям в помещении для голосования": "ballots_issued_station",
    "Число избирательных бюллетеней, выданных избирателям вне помещения для голосования": "ballots_issued_outside",
    "Число погашенных избирательных бюллетеней": "ballots_cancelled",
    "Число избирательных бюллетеней в переносных ящиках для голосования": "ballots_in_portable",
    "Число избирательных бюллетеней в стационарных ящиках для голосования": "ballots_in_stationary",
    "Число недействительных избирательных бюллетеней": "invalid",
    "Число действительных избирательных бюллетеней": "valid",
    "Число открепительных удостоверений, полученных участковой избирательной комиссией": "absentee_received",
    "Число открепительных удостоверений, выданных избирателям на избирательном участке": "absentee_issued",
    "Число избирателей, проголосовавших по открепительным удостоверениям на избирательном участке": "absentee_voted",
    "Число погашенных неиспользованных открепительных удостоверений": "absentee_cancelled",
    "Число открепительных удостоверений, выданных избирателям территориальной избирательной комиссией": "absentee_issued_by_tec",
    "Число утраченных открепительных удостоверений": "absentee_lost",
    "Число утраченных избирательных бюллетеней": "ballots_lost",
    "Число избирательных бюллетеней, не учтенных при получении": "ballots_unaccounted",
}

# The 2016 wording of the lines whose captions changed.
CAPTIONS_2016 = {
    "Число избирателей, внесенных в список избирателей на момент окончания голосования": "registered",
    "Число избирательных бюллетеней, выданных в помещении для голосования в день голосования": "ballots_issued_station",
    "Число избирательных бюллетеней, выданных вне помещения для голосования в день голосования": "ballots_issued_outside",
    "Число избирательных бюллетеней, содержащихся в переносных ящиках для голосования": "ballots_in_portable",
    "Число избирательных бюллетеней, содержащихся в стационарных ящиках для голосования": "ballots_in_stationary",
    "Число открепительных удостоверений, выданных на избирательном участке до дня голосования": "absentee_issued",
}

PARTIES = [
    '1. Политическая партия "ЯБЛОКО"',
    '2. Всероссийская политическая партия "ЕДИНАЯ РОССИЯ"',
    "3. Политическая партия ЛДПР - Либерально-демократическая партия России",
]


def _row(reg, early, station, outside, cancelled, invalid, votes, lost=0, unaccounted=0):
    """One precinct's protocol numbers in CAPTIONS_2011 order + party votes, consistent by construction."""
    issued = early + station + outside
    valid = sum(votes)
    received = issued + cancelled + lost - unaccounted
    # ballots in boxes = invalid + valid, split portable = outside, stationary = the rest
    portable = outside
    stationary = invalid + valid - portable
    return (
        [reg, received, early, station, outside, cancelled, portable, stationary, invalid, valid],
        [
            0,
            0,
            0,
            0,
            0,
            0,
            lost,
            unaccounted,
        ],
        list(votes),
    )


def izbirkom_csv(rows: list[tuple], parties: list[str] = PARTIES, captions=CAPTIONS_2011) -> bytes:
    """An izbirkom-style CSV: region, tik, uik, the 2011 captions, party columns, url."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["region", "tik", "uik", *captions, *parties, "url"])
    for region, tik, uik, numbers in rows:
        main, absentee_and_lost, votes = numbers
        writer.writerow([region, tik, uik, *main, *absentee_and_lost, *votes, "http://example.org/"])
    return out.getvalue().encode()


TABLE = [
    ("Город Москва", "1 Арбатская", "1", _row(1000, 0, 550, 50, 400, 10, (100, 300, 190))),
    ("Город Москва", "1 Арбатская", "2", _row(1500, 10, 700, 40, 750, 0, (50, 600, 100))),
    ("Республика Тыва", "3 Кызылская", "7", _row(800, 0, 700, 90, 10, 2, (8, 770, 10))),
]


def test_both_years_wordings_map_to_canonical_lines():
    for caption, line in {**CAPTIONS_2011, **CAPTIONS_2016}.items():
        assert izbirkom_line(caption) == line, caption
    # "включенных" (later years) and "внесенных" are the same line; quotes and case do not matter
    assert izbirkom_line("Число избирателей, включенных в список избирателей") == "registered"
    assert izbirkom_line("число  недействительных избирательных бюллетеней") == "invalid"
    assert set(IZBIRKOM_CAPTIONS.values()) <= set(LINES)


def test_unknown_caption_is_an_error_naming_it():
    with pytest.raises(UnknownCaptionError, match="Число бюллетеней, съеденных комиссией") as err:
        izbirkom_line("Число бюллетеней, съеденных комиссией", "x.csv")
    assert err.value.caption == "Число бюллетеней, съеденных комиссией"
    body = izbirkom_csv(TABLE).replace("Число погашенных".encode(), "Число сожжённых".encode())
    with pytest.raises(UnknownCaptionError, match="Число сожжённых избирательных бюллетеней"):
        parse_izbirkom(body, "table.csv")


def test_party_captions_with_nested_quotes_and_renamed_forms():
    yabloko = izbirkom_party(
        '5. Политическая партия "Российская объединенная демократическая партия "ЯБЛОКО"'
    )
    assert (yabloko.option_id, yabloko.position) == ("yabloko", 5)
    ldpr_2011 = izbirkom_party('2. Политическая партия "Либерально-демократическая партия России"')
    ldpr_2016 = izbirkom_party("7. Политическая партия ЛДПР - Либерально-демократическая партия России")
    assert ldpr_2011.option_id == ldpr_2016.option_id == "ldpr"
    ur = izbirkom_party('6. Всероссийская политическая партия "ЕДИНАЯ РОССИЯ"')
    assert (ur.option_id, ur.name_en) == ("edinaya_rossiya", "United Russia")
    unknown = izbirkom_party('9. Политическая партия "Партия Любителей Пива"')
    assert unknown.option_id == "partiya_lyubiteley_piva"
    assert izbirkom_party("Число действительных избирательных бюллетеней") is None
    assert slug("Ханты-Мансийский автономный округ - Югра") == "khanty_mansiyskiy_avtonomnyy_okrug_yugra"


def test_parse_izbirkom_zip_gives_wide_rows_with_derived_totals():
    csv_bytes = izbirkom_csv(TABLE)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("2011.csv", csv_bytes)
    table = parse_izbirkom(buf.getvalue(), "t.csv.zip")
    wide = table.wide
    assert list(wide["unit_id"]) == ["RU-gorod_moskva/1/1", "RU-gorod_moskva/1/2", "RU-respublika_tyva/3/7"]
    assert [o.option_id for o in table.options] == ["yabloko", "edinaya_rossiya", "ldpr"]
    assert list(wide["ballots_issued"]) == [600, 750, 790]  # early + station + outside
    assert list(wide["ballots_in_boxes"]) == [600, 750, 790]  # portable + stationary
    assert list(wide["edinaya_rossiya"]) == [300, 600, 770]
    assert list(wide["source_row"]) == [2, 3, 4]
    assert set(table.commissions["level"]) == {"tec", "pec"}


def test_parse_keeps_empty_cells_missing_not_zero():
    body = izbirkom_csv(TABLE).decode().splitlines()
    cells = body[2].split(",")
    cells[3] = ""  # registered of the second precinct
    body[2] = ",".join(cells)
    wide = parse_izbirkom("\n".join(body).encode(), "t.csv").wide
    assert wide["registered"].isna().tolist() == [False, True, False]


@pytest.fixture
def db(ref_warehouse: Path) -> Path:
    return ref_warehouse


def _write(tmp_path: Path, body: bytes, name: str = "table.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(body)
    return path


def test_import_loads_core_registers_election_and_survives_reference_reload(db, tmp_path, build_settings):
    path = _write(tmp_path, izbirkom_csv(TABLE))
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    result = import_precincts(
        db, path, "izbirkom-csv", "ru-2011-12-04", archive_dir=build_settings.archive_dir
    )
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 3, 0)
    assert result.leader == "edinaya_rossiya"
    assert (build_settings.archive_dir / sha[:2] / f"{sha}.gz").exists()
    with warehouse.connect(db) as con:
        assert con.execute("select sha256, kind from raw.files").fetchall() == [(sha, "precinct_table")]
        origin = con.execute(
            "select origin from ref.elections where election_id = 'ru-2011-12-04'"
        ).fetchone()
        assert origin == (f"import:{sha}",)
        (share_rule,) = con.execute(
            "select share_denominator from ref.contests where election_id = 'ru-2011-12-04'"
        ).fetchone()
        assert share_rule == "ballots_cast"
        prov = con.execute(
            "select distinct source_ref, source_sha256 from core.protocol_values where election_id = 'ru-2011-12-04'"
        ).fetchall()
        assert prov == [(str(path), sha)]
        totals = con.execute(
            "select precincts, registered, ballots_issued, leader, leader_votes, leader_share_pct "
            "from marts.election_totals where election_id = 'ru-2011-12-04'"
        ).fetchone()
        # shares of all ballots cast: 1670 / (590 + 10 + 750 + 0 + 788 + 2)
        assert totals == (3, 3300, 2140, "edinaya_rossiya", 1670, round(100 * 1670 / 2140, 2))
        reference.load_reference(con)  # reloading the reference data keeps the imported election
        assert con.execute(
            "select count(*) from ref.ballot_options where election_id = 'ru-2011-12-04'"
        ).fetchone() == (3,)


def test_rows_with_missing_or_unreadable_cells_are_quarantined_not_zero(db, tmp_path, build_settings):
    lines = izbirkom_csv(TABLE).decode().splitlines()
    second = lines[2].split(",")
    second[3 + 9] = ""  # valid ballots missing
    lines[2] = ",".join(second)
    third = lines[3].split(",")
    third[3] = "8OO"  # registered typed with letters O
    lines[3] = ",".join(third)
    path = _write(tmp_path, "\n".join(lines).encode())
    result = import_precincts(
        db, path, "izbirkom-csv", "ru-2011-12-04", archive_dir=build_settings.archive_dir
    )
    assert (result.rows_loaded, result.rows_quarantined) == (1, 2)
    assert result.quarantine_rules == {"required_lines": 1, "wrong_type": 1}
    with warehouse.connect(db) as con:
        rows = con.execute(
            "select unit_id, rule, failing_values, source_row from quarantine.precinct_protocols order by source_row"
        ).fetchall()
        assert [(r[0], r[1], r[3]) for r in rows] == [
            ("RU-gorod_moskva/1/2", "required_lines", 3),
            ("RU-respublika_tyva/3/7", "wrong_type", 4),
        ]
        assert "valid=NA" in rows[0][2] and "8OO" in rows[1][2]
        units = con.execute(
            "select distinct unit_id from core.protocol_values where election_id = 'ru-2011-12-04'"
        ).fetchall()
        assert units == [("RU-gorod_moskva/1/1",)]


def test_control_relation_failure_is_rejected_with_its_rule(db, tmp_path, build_settings):
    rows = list(TABLE)
    region, tik, uik, (main, rest, votes) = rows[0]
    rows[0] = (region, tik, uik, (main, rest, [votes[0] + 5, *votes[1:]]))  # votes no longer sum to valid
    path = _write(tmp_path, izbirkom_csv(rows))
    result = import_precincts(
        db, path, "izbirkom-csv", "ru-2011-12-04", archive_dir=build_settings.archive_dir
    )
    assert result.quarantine_rules == {"valid_is_sum_of_options": 1}
    assert result.rows_loaded == 2


def test_reimport_replaces_the_earlier_import(db, tmp_path, build_settings):
    first = _write(tmp_path, izbirkom_csv(TABLE), "a.csv")
    second = _write(tmp_path, izbirkom_csv(TABLE[:2]), "b.csv")
    for path in (first, second):
        import_precincts(
            db,
            path,
            "izbirkom-csv",
            "ru-2011-12-04",
            archive_dir=build_settings.archive_dir,
            build_marts=False,
        )
    with warehouse.connect(db) as con:
        units = con.execute(
            "select count(distinct unit_id), count(distinct source_sha256) from core.protocol_values"
        ).fetchone()
        assert units == (2, 1)
        assert con.execute("select count(*) from core.precinct_imports").fetchone() == (1,)


def test_leader_option_and_bad_inputs(db, tmp_path, build_settings):
    path = _write(tmp_path, izbirkom_csv(TABLE))
    kwargs = {"archive_dir": build_settings.archive_dir, "build_marts": False}
    result = import_precincts(db, path, "izbirkom-csv", "ru-2011-12-04", leader="ЛДПР", **kwargs)
    assert result.leader == "ldpr"
    with pytest.raises(PrecinctImportError, match="not one of the table's options"):
        import_precincts(db, path, "izbirkom-csv", "ru-2011-12-04", leader="КПРФ", **kwargs)
    with pytest.raises(PrecinctImportError, match="must look like"):
        import_precincts(db, path, "izbirkom-csv", "duma-2011", **kwargs)
    with pytest.raises(PrecinctImportError, match="unknown format"):
        import_precincts(db, path, "xlsx", "ru-2011-12-04", **kwargs)


def kz_csv() -> bytes:
    header = [
        "Облыс",
        "Учаске №",
        "Число избирателей в списке",
        "Выдано бюллетеней",
        "Бюллетеней в ящиках",
        "Недействительные бюллетени",
        "Действительные бюллетени",
        "Nur Otan",
        "Ak Zhol",
    ]
    rows = [
        ["Алматы қаласы", "101", "1200", "700", "700", "20", "680", "500", "180"],
        ["по Восточно-Казахстанской области", "7", "900", "450", "450", "10", "440", "400", ""],
    ]
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode()


def test_parse_kz_precinct_resolves_regions_and_parties():
    table = parse_kz_precinct(kz_csv(), "kz.csv", "mazhilis")
    assert list(table.wide["unit_id"]) == ["KZ-75/101", "KZ-63/7"]
    assert [o.option_id for o in table.options] == ["amanat", "ak_zhol"]
    assert table.wide["ak_zhol"].isna().tolist() == [False, True]
    with pytest.raises(UnknownCaptionError, match="Партия любителей пива"):
        parse_kz_precinct(
            kz_csv().replace(b"Ak Zhol", "Партия любителей пива".encode()), "kz.csv", "mazhilis"
        )


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_a_table_saved_with_semicolons_or_tabs_reads_as_with_commas(delimiter):
    """Excel in a Russian or Kazakh locale writes ';' between cells (in the Windows code page)."""
    rows = list(csv.reader(io.StringIO(kz_csv().decode())))
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    table = parse_kz_precinct(out.getvalue().encode("utf-8"), "kz.csv", "mazhilis")
    assert list(table.wide["unit_id"]) == ["KZ-75/101", "KZ-63/7"]
    assert table.wide["amanat"].tolist() == [500, 400]
    assert table.wide["registered"].tolist() == [1200, 900]


def test_import_kz_precinct_table(db, tmp_path, build_settings):
    path = _write(tmp_path, kz_csv(), "kz.csv")
    result = import_precincts(
        db, path, "kz-precinct-csv", "kz-2021-01-10", archive_dir=build_settings.archive_dir
    )
    assert (result.rows_loaded, result.rows_quarantined, result.leader) == (1, 1, "amanat")
    with warehouse.connect(db) as con:
        origin = con.execute(
            "select origin from ref.elections where election_id = 'kz-2021-01-10'"
        ).fetchone()
        assert origin == ("reference",)  # a Kazakh election is not re-registered
        votes = con.execute(
            "select option_id, value from core.protocol_values where line = 'votes' order by option_id"
        ).fetchall()
        assert votes == [("ak_zhol", 180), ("amanat", 500)]


def test_observers_precinct_table_is_loaded_under_their_source(db, tmp_path, build_settings):
    path = _write(tmp_path, kz_csv(), "kz.csv")
    kwargs = {"archive_dir": build_settings.archive_dir}
    import_precincts(db, path, "kz-precinct-csv", "kz-2021-01-10", source="official", **kwargs)
    import_precincts(db, path, "kz-precinct-csv", "kz-2021-01-10", source="haq", **kwargs)
    with warehouse.connect(db) as con:
        by_source = con.execute(
            "select source, count(distinct unit_id) from core.protocol_values group by 1 order by 1"
        ).fetchall()
        assert by_source == [("haq", 1), ("official", 1)]  # the second import did not replace the first
        assert con.execute("select count(*) from core.int_precinct_protocols").fetchone() == (1,)


def test_an_organisation_named_as_typed_gets_the_id_its_observers_files_use(db, tmp_path, build_settings):
    from saylau.observers import organisation_id

    path = _write(tmp_path, kz_csv(), "kz.csv")
    import_precincts(db, path, "kz-precinct-csv", "kz-2021-01-10", source="Әділ сайлау",
                     archive_dir=build_settings.archive_dir)  # fmt: skip
    with warehouse.connect(db) as con:
        sources = con.execute("select distinct source from core.protocol_values").fetchall()
    assert sources == [(organisation_id("Әділ сайлау"),)] and sources[0][0] != "Әділ сайлау"


def test_a_table_whose_every_row_fails_still_quarantines_them(db, tmp_path, build_settings):
    lines = izbirkom_csv(TABLE).decode().splitlines()
    # every row loses its first absentee-certificate figure (an empty cell, not a zero)
    lines = [lines[0]] + [line.replace(",0,0,0,0,0,0,", ",,0,0,0,0,0,", 1) for line in lines[1:]]
    path = _write(tmp_path, "\n".join(lines).encode())
    result = import_precincts(
        db, path, "izbirkom-csv", "ru-2011-12-04", archive_dir=build_settings.archive_dir
    )
    assert (result.rows_loaded, result.rows_quarantined, result.leader) == (0, 3, "")
    with warehouse.connect(db) as con:
        assert con.execute("select count(*) from quarantine.precinct_protocols").fetchone() == (3,)


def test_leader_given_by_a_kazakh_party_name(db, tmp_path, build_settings):
    path = _write(tmp_path, kz_csv(), "kz.csv")
    result = import_precincts(
        db, path, "kz-precinct-csv", "kz-2021-01-10", leader="Ақ жол", archive_dir=build_settings.archive_dir
    )
    assert result.leader == "ak_zhol"


def test_core_rows_are_exactly_protocol_to_long_of_the_table(db, tmp_path, build_settings):
    from saylau.protocol import to_long

    path = _write(tmp_path, izbirkom_csv(TABLE))
    import_precincts(db, path, "izbirkom-csv", "ru-2011-12-04", archive_dir=build_settings.archive_dir)
    table = parse_izbirkom(path.read_bytes(), str(path))
    wide = table.wide.assign(election_id="ru-2011-12-04", contest_id="duma", source="official", level="pec")
    expected = to_long(wide, [o.option_id for o in table.options])
    want = {
        (r.unit_id, r.line, r.option_id, int(r.value), int(r.source_row))
        for r in expected.itertuples(index=False)
    }
    with warehouse.connect(db) as con:
        got = set(
            con.execute(
                "select unit_id, line, option_id, value, source_row from core.protocol_values "
                "where election_id = 'ru-2011-12-04'"
            ).fetchall()
        )
    assert got == want and len(want) == 3 * (20 + 3)
