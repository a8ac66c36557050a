"""Observers' exports: header mapping, every injected error kind, personal data, conflicts, idempotency.

Fixture files are written by code into tmp_path: a Russian-headed CSV and a Kazakh-headed XLSX of protocol
copies, turnout counts and violation reports for the 2021 election, with a precinct registry for Almaty
city (KZ-75, precincts 1-30) and none for Akmola (KZ-11).
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import openpyxl
import pytest

from saylau import warehouse
from saylau.archive import Archive
from saylau.observers import (
    ObserverFileError,
    load_observers,
    map_columns,
    parse_count,
    parse_export,
    read_cells,
)

ELECTION = "kz-2021-01-10"
NAME, PHONE, EMAIL = "Сейткали Айгерим", "+7 701 555 12 34", "aigerim@example.kz"

RU = {
    "region": "Регион",
    "precinct": "№ участка",
    "contest": "Бюллетень",
    "registered": "Число избирателей в списке",
    "ballots_received": "Получено бюллетеней",
    "ballots_issued": "Выдано бюллетеней",
    "ballots_cancelled": "Погашено бюллетеней",
    "ballots_in_boxes": "Бюллетеней в ящиках",
    "invalid": "Недействительные бюллетени",
    "valid": "Действительные бюллетени",
    "amanat": "Nur Otan",
    "ak_zhol": "Ак жол",
    "qhp": "Народная партия Казахстана",
    "auyl": "Ауыл",
    "adal": "Adal",
    "observer_name": "ФИО наблюдателя",
    "observer_phone": "Телефон",
    "observer_email": "Эл. почта",
    "photo_ref": "Фото протокола",
    "notes": "Примечание",
}
KK = {
    **RU,
    "region": "Облыс",
    "precinct": "Учаске №",
    "contest": "Бюллетень түрі",
    "registered": "Тізімдегі сайлаушылар саны",
    "ballots_received": "Комиссия алған бюллетеньдер саны",
    "ballots_issued": "Бюллетень алған сайлаушылар саны",
    "ballots_cancelled": "Пайдаланылмаған бюллетеньдер",
    "ballots_in_boxes": "Жәшіктердегі бюллетеньдер",
    "invalid": "Жарамсыз бюллетеньдер",
    "valid": "Жарамды бюллетеньдер",
    "amanat": "Nur Otan партиясы",
    "observer_name": "Байқаушының аты-жөні",
    "observer_phone": "Телефон нөмірі",
    "observer_email": "Электрондық пошта",
    "photo_ref": "Хаттаманың фотосы",
    "notes": "Ескерту",
}


def copy(precinct, region="г. Алматы", contest="Мажилис", **overrides) -> dict:
    """One consistent protocol copy (every relation holds) as an observer types it."""
    row = {
        "region": region,
        "precinct": str(precinct),
        "contest": contest,
        "registered": "1 500",
        "ballots_received": "1550",
        "ballots_issued": "901",
        "ballots_cancelled": "649",
        "ballots_in_boxes": "901",
        "invalid": "11",
        "valid": "890",
        "amanat": "500",
        "ak_zhol": "150",
        "qhp": "100",
        "auyl": "80",
        "adal": "60",
        "observer_name": NAME,
        "observer_phone": PHONE,
        "observer_email": EMAIL,
        "photo_ref": f"IMG_{precinct}.jpg",
        "notes": f"копию выдали, звонить {PHONE}",
    }
    row.update(overrides)
    return row


def write_csv(path: Path, rows: list[dict], headers: dict = RU, delimiter: str = ";") -> Path:
    columns = list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=delimiter)
        w.writerow([headers.get(c, c) for c in columns])
        for row in rows:
            w.writerow([row.get(c) for c in columns])
    return path


def write_xlsx(path: Path, rows: list[dict], headers: dict = KK) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    columns = list(rows[0])
    sheet.append([headers.get(c, c) for c in columns])
    for row in rows:
        sheet.append([_typed(row.get(c)) for c in columns])
    book.save(path)
    return path


def _typed(value):
    """Numbers as spreadsheet numbers (as an export would), text as text."""
    if isinstance(value, str) and value.replace(" ", "").isdigit():
        return int(value.replace(" ", ""))
    return value


def load(db, build_settings, *paths, run_id="run-1", **kw):
    return load_observers(db, list(paths), election_id=ELECTION, run_id=run_id, s=build_settings, **kw)


def query(db, sql, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


# --- parsing --------------------------------------------------------------------------------------------


def test_counts_are_read_as_written():
    assert parse_count("1 500") == 1500 and parse_count("1\u00a0500") == 1500 and parse_count("12.0") == 12
    assert parse_count("12o0") == "12o0" and parse_count(None) is None and parse_count("-3") == -3


def test_headers_in_three_languages_map_to_the_same_columns():
    ru = map_columns(list(RU.values()), "ru.csv")
    kk = map_columns(list(KK.values()), "kk.xlsx")
    assert ru.kind == kk.kind == "protocol"
    assert sorted(ru.columns.values()) == sorted(kk.columns.values())
    assert set(ru.parties) == {"amanat", "ak_zhol", "qhp", "auyl", "adal"}
    turnout = map_columns(["Облыс", "Учаске №", "Уақыт", "Дауыс бергендер (байқаушы санағы)"], "t.csv")
    assert turnout.kind == "turnout"


def test_unmappable_file_is_refused_naming_file_and_headers():
    with pytest.raises(ObserverFileError) as err:
        map_columns([*RU.values(), "Явка, %", "Партия любителей пива"], "export_march.csv")
    message = str(err.value)
    assert "export_march.csv" in message and "'Явка, %'" in message and "'Партия любителей пива'" in message


def test_ragged_row_names_file_and_row(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("Регион;№ участка;Число избирателей в списке\nг. Алматы;1;1500\nг. Алматы;2;1;500;x\n")
    with pytest.raises(ObserverFileError, match=r"bad\.csv row 3"):
        read_cells(path.read_bytes(), "bad.csv")


def test_personal_data_is_hashed_and_scrubbed_at_parse(tmp_path):
    rows = [
        copy(1),
        copy(2, observer_name="Иванов Ерлан", notes="Айгерим Сейткали (соседний участок) видела вброс"),
        copy(
            3, observer_name="Иванов  ерлан", observer_phone="+7 777 000 11 22", notes="Иванову не дали копию"
        ),
    ]
    body = write_csv(tmp_path / "p.csv", rows).read_bytes()
    parsed = parse_export(body, "p.csv", election_id=ELECTION, salt=b"s1")
    frame = parsed.frame
    assert not {"observer_name", "observer_phone", "observer_email"} & set(frame.columns)
    text = frame.astype(str).to_string()
    for secret in (NAME, "Айгерим", "Сейткали", "Иванов", PHONE, "777 000", EMAIL):
        assert secret not in text
    assert frame["notes"].tolist() == [
        "копию выдали, звонить [removed]",
        "[removed] [removed] (соседний участок) видела вброс",
        "[removed] не дали копию",
    ]
    hashes = frame["observer_hash"].tolist()
    assert hashes[0] != hashes[1] and len(hashes[0]) == 16
    assert hashes[1] == hashes[2]  # the same observer (name spelt with other spacing and case) links up
    other_salt = parse_export(body, "p.csv", election_id=ELECTION, salt=b"s2").frame["observer_hash"]
    assert other_salt[0] != hashes[0]  # the hash depends on the secret salt


# --- loading: every error kind --------------------------------------------------------------------------


def test_every_error_kind_lands_where_it_should(wh, build_settings, tmp_path):
    rows = [
        copy(1),  # good
        copy(2),  # good
        copy(3),  # good, but a second observer disagrees (below)
        copy(3, registered="1 600", photo_ref=None),  # disagreeing copy without photo
        copy(4),  # duplicate: the same row twice
        copy(4),
        copy(5, invalid="890", valid="11"),  # swapped columns: valid and invalid
        copy(6, registered="901", ballots_issued="1500"),  # swapped columns: issued > registered
        copy(7, valid="900"),  # lines do not add up: boxes != invalid + valid, valid != party sum
        copy(301),  # mistyped precinct number (Almaty has 30)
        copy(8, registered="12o0"),  # letter o typed for a zero
        copy(9, region="Акмолинская область"),  # no registry for Akmola: kept, flagged
        copy(10, contest="Сенат"),  # no such contest in the election
    ]  # fmt: skip
    path = write_csv(tmp_path / "haq_protocols.csv", rows)
    [result] = load(wh, build_settings, path)
    assert result.status == "loaded" and result.kind == "protocol" and result.rows == 13

    quarantined = query(
        wh,
        "select source_row, rule, failing_values from quarantine.observer_protocols order by source_row, rule",
    )
    by_row: dict[int, set[str]] = {}
    for row, rule, _ in quarantined:
        by_row.setdefault(int(row), set()).add(rule)
    assert by_row == {
        7: {"duplicate_row"},
        8: {"valid_is_sum_of_options"},
        9: {"issued_le_registered", "received_balance"},
        10: {"boxes_balance", "valid_is_sum_of_options"},
        11: {"unknown_precinct"},
        12: {"wrong_type"},
        14: {"unknown_contest"},
    }
    values = {(int(r), rule): v for r, rule, v in quarantined}
    assert values[(11, "unknown_precinct")] == "region=г. Алматы, precinct=301"
    assert values[(12, "wrong_type")] == "registered=12o0"
    # a person reads file, row and the column as the file headed it
    assert any(
        p.startswith("haq_protocols.csv row 12: wrong_type: registered ('Число избирателей в списке')=12o0")
        for p in result.problems
    )
    # core: the good copies, one counted copy per precinct; precinct 3 has two disagreeing copies,
    # only one with a photo: the photo copy counts
    units = query(
        wh,
        "select unit_id, value from core.protocol_values where source = 'observers' and line = 'registered' "
        "order by unit_id",
    )
    assert units == [
        ("KZ-11/9", 1500),
        ("KZ-75/1", 1500),
        ("KZ-75/2", 1500),
        ("KZ-75/3", 1500),
        ("KZ-75/4", 1500),
    ]
    conflicts = query(
        wh, "select unit_id, copies, versions, resolution from intermediate.int_observer_protocol_conflicts"
    )
    assert conflicts == [("KZ-75/3", 2, 2, "photo")]
    flags = query(wh, "select unit_id, rule from core.validation_flags where table_name = 'observer_protocols' "
                      "order by unit_id, rule")  # fmt: skip
    assert ("KZ-11/9", "registry_missing") in flags
    assert [f for f in flags if f[0] == "KZ-75/3"] == [("KZ-75/3", "conflicting_copies")] * 2
    dq = dict(
        query(wh, "select rule, failed_rows from meta.data_quality where table_name = 'observer_protocols'")
    )
    assert dq["unknown_precinct"] == 1 and dq["conflicting_copies"] == 2 and dq["wrong_type"] == 1


def test_conflict_without_photo_counts_neither_copy(wh, build_settings, tmp_path):
    rows = [copy(1, photo_ref=None), copy(1, valid="889", adal="59", invalid="12", photo_ref=None), copy(2)]
    [result] = load(wh, build_settings, write_csv(tmp_path / "p.csv", rows))
    assert result.good == 3
    assert query(wh, "select distinct unit_id from core.protocol_values where source = 'observers'") == [
        ("KZ-75/2",)
    ]
    assert query(
        wh, "select unit_id, resolution, chosen_copy_id from intermediate.int_observer_protocol_conflicts"
    ) == [("KZ-75/1", "unresolved", None)]
    assert query(wh, "select failed_rows from meta.data_quality where rule = 'conflict_unresolved'") == [(1,)]


def test_party_not_on_the_ballot_is_rejected(wh, build_settings, tmp_path):
    # 2021 maslikhat ballots carry the same five parties; OSDP was not on any 2021 ballot
    row = copy(1, contest="Мажилис")
    row["osdp"] = "5"
    headers = {**RU, "osdp": "Общенациональная социал-демократическая партия"}
    rows = [row, {**copy(2), "osdp": None}, {**copy(3, adal="6o"), "osdp": None}]
    [result] = load(wh, build_settings, write_csv(tmp_path / "p.csv", rows, headers))
    assert query(wh, "select source_row, rule from quarantine.observer_protocols order by 1") == [
        (2, "party_not_on_ballot"),
        (4, "wrong_type"),
    ]
    assert result.good == 1
    # staging keeps every copy; its party votes hold only the counts that parsed (no NaN, no typos)
    votes = query(
        wh,
        "select source_row, cast(votes as map(varchar, bigint))['adal'] from staging.observer_protocols order by 1",
    )
    assert votes == [(2, 60), (3, 60), (4, None)]


def test_xlsx_with_kazakh_headers_and_organisation_option(wh, build_settings, tmp_path):
    path = write_xlsx(tmp_path / "kk.xlsx", [copy(11, region="Алматы қаласы", contest="Мәжіліс"), copy(12)])
    [result] = load(wh, build_settings, path, organisation="Әділ сайлау")
    assert result.status == "loaded" and result.good == 2 and result.rejected == 0
    assert query(wh, "select distinct source from core.protocol_values where source <> 'official'") == [
        ("әділ_сайлау",)
    ]
    assert query(
        wh, "select value from core.protocol_values where unit_id = 'KZ-75/11' and option_id = 'amanat'"
    ) == [(500,)]


def test_same_file_twice_adds_nothing_and_a_correction_supersedes(wh, build_settings, tmp_path):
    path = write_csv(tmp_path / "haq.csv", [copy(1), copy(2, valid="900")])
    first = load(wh, build_settings, path)[0]
    counts = warehouse.row_counts
    with warehouse.connect(wh, read_only=True) as con:
        before = counts(con)
    again = load(wh, build_settings, path, run_id="run-2")[0]
    assert again.status == "unchanged"
    assert query(wh, "select count(*) from meta.data_quality where run_id = 'run-2'") == [(0,)]
    with warehouse.connect(wh, read_only=True) as con:
        assert counts(con) == before
    # the organisation sends a corrected file under the same name
    write_csv(path, [copy(1), copy(2)])
    corrected = load(wh, build_settings, path, run_id="run-3")[0]
    assert corrected.superseded == [first.sha256]
    assert query(wh, "select count(*) from quarantine.observer_protocols") == [(0,)]
    assert query(
        wh, "select count(distinct unit_id) from core.protocol_values where source = 'observers'"
    ) == [(2,)]
    assert query(wh, "select count(*) from staging.observer_protocols") == [(2,)]
    manifest = query(wh, "select sha256, superseded_by from raw.observer_files order by loaded_at")
    assert manifest == [(first.sha256, corrected.sha256), (corrected.sha256, None)]
    assert first.sha256 in Archive(build_settings.archive_dir)  # the earlier version stays archived


def test_unmappable_file_is_refused_and_others_still_load(wh, build_settings, tmp_path):
    bad = write_csv(tmp_path / "bad.csv", [{**copy(1), "mystery": "1"}])
    good = write_csv(tmp_path / "good.csv", [copy(1)])
    results = load(wh, build_settings, bad, good)
    assert [r.status for r in results] == ["refused", "loaded"]
    assert "bad.csv" in results[0].problems[0] and "'mystery'" in results[0].problems[0]


def test_turnout_and_violations(wh, build_settings, tmp_path):
    turnout = [
        {"region": "г. Алматы", "precinct": "1", "time": "10:00", "registered": "1500", "voters_counted": "150",
         "observer_name": NAME},
        {"region": "г. Алматы", "precinct": "1", "time": "12:00", "registered": "1500", "voters_counted": "140",
         "observer_name": NAME},  # goes down: flagged
        {"region": "г. Алматы", "precinct": "1", "time": "14:00", "registered": "1500", "voters_counted": "1600",
         "observer_name": NAME},  # over 100 %: flagged
        {"region": "г. Алматы", "precinct": "77", "time": "10:00", "registered": "1500", "voters_counted": "-1",
         "observer_name": NAME},  # unknown precinct and a negative count: rejected
    ]  # fmt: skip
    headers = {"region": "Регион", "precinct": "№ участка", "time": "Время",
               "registered": "Число избирателей в списке", "voters_counted": "Проголосовало",
               "observer_name": "ФИО наблюдателя"}  # fmt: skip
    violations = [
        {"region": "Алматы", "precinct": "1", "time": "09:40", "kind": "observer_expelled",
         "description": f"удалили наблюдателя {NAME}", "observer_name": "Иванов Ерлан", "observer_phone": PHONE},
        {"region": "Алматы", "precinct": "2", "time": "11:00", "kind": None, "description": "нет",
         "observer_name": NAME, "observer_phone": PHONE},
    ]  # fmt: skip
    vheaders = {"region": "Регион", "precinct": "№ участка", "time": "Время", "kind": "Вид нарушения",
                "description": "Описание", "observer_name": "ФИО наблюдателя",
                "observer_phone": "Телефон"}  # fmt: skip
    results = load(
        wh,
        build_settings,
        write_csv(tmp_path / "turnout.csv", turnout, headers),
        write_csv(tmp_path / "violations.csv", violations, vheaders),
    )
    assert [r.kind for r in results] == ["turnout", "violation"]
    assert query(wh, "select as_of::varchar, voters_counted from core.observer_turnout order by as_of") == [
        ("2021-01-10 10:00:00", 150),
        ("2021-01-10 12:00:00", 140),
        ("2021-01-10 14:00:00", 1600),
    ]
    flags = query(
        wh, "select rule from core.validation_flags where table_name = 'observer_turnout' order by 1"
    )
    assert flags == [("turnout_goes_down",), ("turnout_over_100",)]
    rejected = query(wh, "select distinct rule from quarantine.observer_turnout order by 1")
    assert rejected == [("non_negative",), ("unknown_precinct",)]
    assert query(wh, "select kind, description from core.observer_violations") == [
        ("observer_expelled", "удалили наблюдателя [removed]")
    ]
    assert query(wh, "select source_row, rule from quarantine.observer_violations") == [(3, "missing_value")]


def test_personal_data_never_reaches_the_published_database(wh, build_settings, tmp_path):
    from saylau.marts import build_marts
    from saylau.publish import publish

    rows = [copy(1), copy(2, registered="12o0"), copy(301)]  # good, quarantined, quarantined
    load(wh, build_settings, write_csv(tmp_path / "p.csv", rows), write_xlsx(tmp_path / "p.xlsx", [copy(5)]))
    with warehouse.connect(wh) as con:
        build_marts(con)
    published = publish(wh, build_settings.published_db, build_settings.parquet_dir)
    con = duckdb.connect(str(published.database), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables where table_type = 'BASE TABLE'"
        ).fetchall()
        assert ("quarantine", "observer_protocols") in tables and (
            "core",
            "observer_protocol_copies",
        ) in tables
        for schema, table in tables:
            text = " ".join(
                str(v) for row in con.execute(f'select * from "{schema}"."{table}"').fetchall() for v in row
            )
            for secret in (NAME, "Сейткали", PHONE, "701 555", EMAIL):
                assert secret not in text, f"{secret!r} found in {schema}.{table}"
    finally:
        con.close()


def test_copy_whose_list_differs_from_the_official_one_is_rejected(wh, build_settings, tmp_path):
    """A mistyped precinct number that exists in the registry: the voter list gives it away."""
    import pandas as pd

    from saylau.load.store import store_protocols
    from saylau.validate import validate_frame
    from schemas.protocol import protocol_schema

    official = pd.DataFrame(
        [
            {"election_id": ELECTION, "contest_id": "mazhilis", "source": "official", "level": "pec",
             "unit_id": f"KZ-75/{n}", "registered": reg, "ballots_issued": 900, "source_sha256": "0" * 64}
            for n, reg in ((5, 2400), (6, 1510))
        ]
    )  # fmt: skip
    with warehouse.connect(wh) as con:
        store_protocols(
            con, "official_test", validate_frame(official, protocol_schema(), "official_test"), "r0"
        )
    [result] = load(wh, build_settings, write_csv(tmp_path / "p.csv", [copy(5), copy(6)]))
    assert result.good == 1
    assert query(wh, "select source_row, rule, failing_values from quarantine.observer_protocols") == [
        (
            2,
            "list_differs_from_official",
            "region=г. Алматы, precinct=5, registered=1500, official_registered=2400",
        )
    ]


def test_header_only_file_loads_nothing_and_a_bad_time_names_its_column(wh, build_settings, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("Регион;№ участка;Число избирателей в списке\n", encoding="utf-8")
    times = tmp_path / "t.csv"
    times.write_text("Регион;№ участка;Время;Проголосовало\nг. Алматы;1;25:99;100\nг. Алматы;1;10:00;50\n")
    first, second = load(wh, build_settings, empty, times)
    assert (first.status, first.rows) == ("loaded", 0)
    assert (second.kind, second.good, second.rejected) == ("turnout", 1, 1)
    assert second.problems == ["t.csv row 2: wrong_type: as_of ('Время')=25:99"]


def test_windows_1251_comma_separated_export(tmp_path):
    path = write_csv(tmp_path / "w.csv", [copy(1)], delimiter=",")
    body = path.read_text(encoding="utf-8").encode("cp1251", errors="replace")
    parsed = parse_export(body, "w.csv", election_id=ELECTION, salt=b"s")
    assert parsed.kind == "protocol"
    row = parsed.frame.iloc[0]
    assert (row["unit_id"], row["registered"], row["amanat"], row["contest_id"]) == (
        "KZ-75/1",
        1500,
        500,
        "mazhilis",
    )
