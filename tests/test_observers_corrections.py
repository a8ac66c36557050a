"""Observers' files over time: corrections, reverts, one file name reused across elections, and other
sources of the same organisation. Each test builds its few rows by hand (helpers of tests/test_observers.py).
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from saylau.observers import load_observers, parse_export
from saylau.precincts import import_precincts
from tests.test_observers import ELECTION, copy, load, query, write_csv

TURNOUT_HEADERS = {
    "region": "Регион",
    "precinct": "№ участка",
    "time": "Время",
    "registered": "Число избирателей в списке",
    "voters_counted": "Проголосовало",
}


def turnout_row(precinct: str, time: str, counted: str, region: str = "г. Алматы") -> dict:
    return {
        "region": region,
        "precinct": precinct,
        "time": time,
        "registered": "1500",
        "voters_counted": counted,
    }


def test_a_file_name_reused_for_another_election_is_not_a_correction(wh, build_settings, tmp_path):
    """Organisations reuse their file names ("turnout.csv") election after election: loading the 2023
    file must not wipe the 2021 counts, which are no earlier version of it."""
    folder_2021, folder_2023 = tmp_path / "2021", tmp_path / "2023"
    folder_2021.mkdir()
    folder_2023.mkdir()
    old = write_csv(folder_2021 / "turnout.csv", [turnout_row("1", "10:00", "150")], TURNOUT_HEADERS)
    new = write_csv(folder_2023 / "turnout.csv", [turnout_row("2", "10:00", "99")], TURNOUT_HEADERS)
    [first] = load(wh, build_settings, old)
    [second] = load_observers_for(wh, build_settings, new, election_id="kz-2023-03-19")
    assert (first.status, second.status) == ("loaded", "loaded")
    assert second.superseded == []
    counts = query(
        wh, "select election_id, unit_id, voters_counted from core.observer_turnout order by election_id"
    )
    assert counts == [(ELECTION, "KZ-75/1", 150), ("kz-2023-03-19", "KZ-75/2", 99)]
    assert query(wh, "select count(*) from staging.observer_turnout") == [(2,)]
    assert query(wh, "select count(*) from raw.observer_files where superseded_by is not null") == [(0,)]


def load_observers_for(db, build_settings, *paths, election_id, run_id="run-x"):
    return load_observers(db, list(paths), election_id=election_id, run_id=run_id, s=build_settings)


def _kz_table() -> bytes:
    """One Almaty precinct, every 2021 Mazhilis party, consistent: 680 valid = 500 + 100 + 40 + 20 + 20."""
    header = ["Облыс", "Учаске №", "Число избирателей в списке", "Выдано бюллетеней", "Бюллетеней в ящиках",
              "Недействительные бюллетени", "Действительные бюллетени", "Nur Otan", "Ak Zhol",
              "Народная партия Казахстана", "Ауыл", "Adal"]  # fmt: skip
    row = ["Алматы қаласы", "21", "1200", "700", "700", "20", "680", "500", "100", "40", "20", "20"]
    out = io.StringIO()
    csv.writer(out).writerows([header, row])
    return out.getvalue().encode()


def test_loading_copies_keeps_the_organisations_imported_precinct_table(wh, build_settings, tmp_path):
    """`import-precincts --source haq` loads an organisation's precinct table into core under its id; a
    protocol-copy file of the same organisation must not delete those rows when it resolves its copies."""
    table = tmp_path / "haq_precincts.csv"
    table.write_bytes(_kz_table())
    imported = import_precincts(
        wh, table, "kz-precinct-csv", ELECTION, source="haq", archive_dir=build_settings.archive_dir,
        run_id="haq-table",
    )  # fmt: skip
    assert imported.rows_loaded == 1
    before = query(
        wh, "select count(*) from core.protocol_values where source = 'haq' and source_sha256 = ?",
        [imported.sha256],
    )  # fmt: skip
    assert before == [(5 + 5,)]  # the table's 5 lines and 5 parties
    [result] = load(wh, build_settings, write_csv(tmp_path / "copies.csv", [copy(1)]), organisation="haq")
    assert result.good == 1
    after = query(
        wh,
        "select unit_id, count(*) from core.protocol_values where source = 'haq' group by 1 order by 1",
    )
    assert after == [("KZ-75/1", 7 + 5), ("KZ-75/21", 5 + 5)]  # the copy's 7 lines and 5 parties


def test_regions_are_read_as_of_the_election(wh, build_settings, tmp_path):
    """2021 had 17 regions: a 2021 copy placed in Abai Region (created 8 June 2022) or under a code no
    region has is quarantined as unknown_region, not stored under that code. Astana / Nur-Sultan is one
    region (KZ-71) under either name."""
    rows = [
        copy(1, region="Абай облысы"),  # did not exist in January 2021
        copy("KZ-10/7"),  # the same, by code
        copy("KZ-99/7"),  # no such region
        copy(5, region="Нур-Султан"),
        copy(6, region="Астана"),
    ]
    [result] = load(wh, build_settings, write_csv(tmp_path / "p.csv", rows))
    assert query(wh, "select source_row, rule from quarantine.observer_protocols order by 1") == [
        (2, "unknown_region"),
        (3, "unknown_region"),
        (4, "unknown_region"),
    ]
    assert result.good == 2
    assert query(wh, "select distinct unit_id from core.observer_protocol_copies order by 1") == [
        ("KZ-71/5",),
        ("KZ-71/6",),
    ]


def test_a_precinct_code_and_a_region_cell_that_disagree_are_quarantined_not_guessed(
    wh, build_settings, tmp_path
):
    """'KZ-75/12' (Almaty) in a row whose region cell says Shymkent: one of the two is a typo, and saylau does
    not pick one. The same code under its own region's name, or with no region cell, loads."""
    rows = [
        copy("KZ-75/12", region="Шымкент"),
        copy("KZ-75/13", region="г. Алматы"),
        copy("KZ-75/14", region=""),
    ]
    [result] = load(wh, build_settings, write_csv(tmp_path / "p.csv", rows))
    assert query(wh, "select source_row, rule from quarantine.observer_protocols order by 1") == [
        (2, "unknown_region")
    ]
    assert result.good == 2
    assert query(wh, "select distinct unit_id from core.observer_protocol_copies order by 1") == [
        ("KZ-75/13",),
        ("KZ-75/14",),
    ]


def test_a_2023_copy_in_abai_region_is_read(tmp_path):
    body = write_csv(tmp_path / "p.csv", [copy(1, region="Абай облысы")]).read_bytes()
    parsed = parse_export(
        body, "p.csv", election_id="kz-2023-03-19", salt=b"s", election_date=date(2023, 3, 19)
    )
    assert parsed.frame["unit_id"].tolist() == ["KZ-10/1"]
    old = parse_export(body, "p.csv", election_id=ELECTION, salt=b"s", election_date=date(2021, 1, 10))
    assert old.frame["region_code"].tolist() == [None]


@pytest.mark.parametrize(
    "text",
    [
        "Регион;№ участка;Время;Проголосовало;\nг. Алматы;1;10:00;150;\nг. Алматы;2;10:00;120;999\n",
        "Регион;№ участка;;Время;Проголосовало\nг. Алматы;1;;10:00;150\nг. Алматы;2;77;10:00;120\n",
    ],
    ids=["trailing", "middle"],
)
def test_a_value_under_no_header_refuses_the_file_naming_the_row(wh, build_settings, tmp_path, text):
    """A column whose header cell is blank names no line: its values were dropped without a word (a
    party's votes, a count). The file is refused, naming the row, as a row longer than the header is."""
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    [result] = load(wh, build_settings, path)
    assert result.status == "refused"
    assert result.problems[0].startswith("t.csv row 3:")
    assert "no header" in result.problems[0]
    assert query(wh, "select count(*) from staging.observer_turnout") == [(0,)]


def test_an_empty_column_without_a_header_is_harmless(wh, build_settings, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Регион;№ участка;Время;Проголосовало;\nг. Алматы;1;10:00;150;\n", encoding="utf-8")
    [result] = load(wh, build_settings, path)
    assert (result.status, result.good) == ("loaded", 1)


def test_a_repeated_copy_with_a_photo_is_not_thrown_away_as_a_duplicate(wh, build_settings, tmp_path):
    """Precinct 3: two copies with the same numbers, the second backed by a photo, and a third copy with
    other numbers, also backed by a photo. Two versions with a photo each: nobody can say which counts
    ('unresolved'). Rejecting the photo-backed repeat as duplicate_row dropped that evidence and made the
    other version win as 'the one with a photo'."""
    rows = [
        copy(3, photo_ref=None),
        copy(3, photo_ref="IMG_3a.jpg"),
        copy(3, registered="1 600", photo_ref="IMG_3b.jpg"),
        copy(4),
        copy(4),  # the very same row again: still a duplicate
    ]
    [result] = load(wh, build_settings, write_csv(tmp_path / "p.csv", rows))
    assert query(wh, "select source_row, rule from quarantine.observer_protocols") == [(6, "duplicate_row")]
    assert result.good == 4
    assert query(
        wh, "select unit_id, copies, versions, resolution from intermediate.int_observer_protocol_conflicts"
    ) == [("KZ-75/3", 3, 2, "unresolved")]
    assert query(wh, "select distinct unit_id from core.protocol_values where source = 'observers'") == [
        ("KZ-75/4",)
    ]


def test_a_protocol_file_without_a_photo_column_loads(wh, build_settings, tmp_path):
    """The photo reference is optional (a copy without one only cannot win a disagreement), but a file
    without the column failed whole with "KeyError: ['photo_ref'] not in index": its good copies lost."""
    rows = [copy(1), copy(2), copy(3, registered="12o0")]
    for row in rows:
        del row["photo_ref"]
    [result] = load(wh, build_settings, write_csv(tmp_path / "p.csv", rows))
    assert (result.status, result.good, result.rejected) == ("loaded", 2, 1)
    assert query(wh, "select distinct unit_id, has_photo from core.observer_protocol_copies order by 1") == [
        ("KZ-75/1", False),
        ("KZ-75/2", False),
    ]
    assert query(
        wh, "select count(distinct unit_id) from core.protocol_values where source = 'observers'"
    ) == [(2,)]


def test_a_protocol_file_without_a_ballot_column_loads_with_contest_given(wh, build_settings, tmp_path):
    """docs/observers.md: "A file with no ballot column needs --contest". Such a file failed whole
    (TypeError in reading the missing column as NaN instead of empty)."""
    rows = [copy(1), copy(2)]
    for row in rows:
        del row["contest"]
    [result] = load(wh, build_settings, write_csv(tmp_path / "p.csv", rows), contest="mazhilis")
    assert (result.status, result.good, result.rejected) == ("loaded", 2, 0)
    assert query(wh, "select distinct contest_id from core.observer_protocol_copies") == [("mazhilis",)]


def test_a_violation_report_without_a_place_loads(wh, build_settings, tmp_path):
    """docs/observers.md: violation reports "need a kind; their place is optional". A file with no
    region or no precinct column failed whole."""
    kind_only = tmp_path / "v1.csv"
    kind_only.write_text("Вид нарушения;Описание\ncarousel_voting;автобус у участка\n", encoding="utf-8")
    region_only = tmp_path / "v2.csv"
    region_only.write_text("Регион;Вид нарушения\nАлматы;copy_refused\n", encoding="utf-8")
    results = load(wh, build_settings, kind_only, region_only)
    assert [(r.status, r.good) for r in results] == [("loaded", 1), ("loaded", 1)]
    assert query(wh, "select kind, region_code from core.observer_violations order by kind") == [
        ("carousel_voting", None),
        ("copy_refused", "KZ-75"),
    ]


def test_a_violation_without_a_precinct_has_no_made_up_unit(wh, build_settings, tmp_path):
    """A report for a region, or for no place at all, belongs to no precinct: its unit_id is empty, not
    'Алматы/?' or '?/?' (which a query grouping by precinct would read as precincts)."""
    path = tmp_path / "v.csv"
    path.write_text(
        "Регион;№ участка;Вид нарушения\nАлматы;;copy_refused\n;;carousel_voting\nАлматы;7;observer_expelled\n",
        encoding="utf-8",
    )
    [result] = load(wh, build_settings, path)
    assert (result.status, result.good) == ("loaded", 3)
    assert query(wh, "select kind, region_code, unit_id from core.observer_violations order by kind") == [
        ("carousel_voting", None, None),
        ("copy_refused", "KZ-75", None),
        ("observer_expelled", "KZ-75", "KZ-75/7"),
    ]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (
            "Регион;№ участка;Время;Проголосовало;Проголосовало\nг. Алматы;1;10:00;100;200\n",
            "columns 4 and 5",
        ),
        (
            "Регион;№ участка;Бюллетень;Число избирателей в списке;Число избирателей в списке;Выдано бюллетеней\n"
            "г. Алматы;1;Мажилис;1500;1600;900\n",
            "columns 4 and 5",
        ),
        (
            "Регион;№ участка;Бюллетень;Число избирателей в списке;Выдано бюллетеней;Nur Otan;Nur Otan\n"
            "г. Алматы;1;Мажилис;1500;900;500;300\n",
            "columns 6 and 7",
        ),
    ],
    ids=["count", "line", "party"],
)
def test_the_same_header_twice_refuses_the_file(wh, build_settings, tmp_path, text, where):
    """Two columns under one header (two ballots side by side, a column pasted twice): the second
    column's numbers silently replaced the first's (a count, a voter list), or the file failed with a
    TypeError (a party). Refused, naming the header and both column numbers, as two different headers
    of one line already were."""
    path = tmp_path / "p.csv"
    path.write_text(text, encoding="utf-8")
    [result] = load(wh, build_settings, path)
    assert result.status == "refused"
    message = result.problems[0]
    assert message.startswith("p.csv:") and where in message


def test_a_blank_party_cell_that_hides_votes_is_flagged_one_that_cannot_be_is_not(
    wh, build_settings, tmp_path
):
    """Valid = 890 on every copy. Adal blank and the others 830: the blank holds 60 votes nobody typed
    (kept, flagged). Adal blank and the others 930: impossible (quarantined). Adal blank and the others 890:
    Adal is not on that ballot or got 0 (kept, not flagged)."""
    rows = [copy(1, adal=""), copy(2), copy(3, adal="", amanat="600"), copy(4, adal="", amanat="560")]
    [result] = load(wh, build_settings, write_csv(tmp_path / "p.csv", rows))
    assert query(wh, "select source_row, rule from quarantine.observer_protocols") == [
        (4, "valid_is_sum_of_options")
    ]
    assert result.good == 3
    assert query(wh, "select unit_id, rule from core.validation_flags order by 1") == [
        ("KZ-75/1", "blank_option_hides_votes")
    ]
