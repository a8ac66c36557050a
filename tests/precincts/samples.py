"""Small hand-made precinct tables (CSV text, hand-checkable) and the helpers the precinct tests share.

The real Russian tables are exercised in tests/test_precincts_real.py.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from saylau import marts, runs, warehouse
from saylau.precincts import ImportResult, import_precincts

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


def start(db: Path) -> str:
    """A run for an import to write under (the pipeline's job starts one for every import)."""
    return runs.start_run(db, "import_precincts", {"test": True})


def import_table(
    db: Path, path: Path, fmt: str, election_id: str, *, with_marts: bool = False, **kwargs
) -> ImportResult:
    """Import one table under a new run, then build the marts when the test reads them."""
    result = import_precincts(db, path, fmt, election_id, run_id=start(db), **kwargs)
    if with_marts:
        with warehouse.connect(db) as con:
            marts.build_marts(con)
    return result


def with_cell(body: bytes, line: int, column: int, value: str) -> bytes:
    lines = body.decode().splitlines()
    cells = lines[line - 1].split(",")
    cells[column] = value
    lines[line - 1] = ",".join(cells)
    return "\n".join(lines).encode()


def kz_table(rows: list[list[str]], header: list[str] | None = None) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header or ["Облыс", "Учаске №", "registered"], *rows])
    return out.getvalue().encode()


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


# --------------------------------------------------------------------------------------------------------
# Tables of any year: captions by line, options, consistent protocol numbers

PRECINCTS = [  # (region, tik, uik cell, registered, early, station, outside, cancelled, invalid, votes)
    ("Город Москва", "1 Арбатская", "УИК №1", 1000, 0, 550, 50, 400, 10, (100, 300, 190)),
    ("Город Москва", "1 Арбатская", "УИК № 2", 1500, 10, 700, 40, 750, 0, (50, 600, 100)),
    ("Республика Тыва", "3 Кызылская", "7", 800, 0, 700, 90, 10, 2, (8, 770, 10)),
]


def protocol_numbers(reg, early, station, outside, cancelled, invalid, votes) -> dict[str, int]:
    """Every protocol line of one precinct, consistent by construction (no absentee certificates used)."""
    issued, valid = early + station + outside, sum(votes)
    return {
        "registered": reg, "ballots_received": issued + cancelled, "ballots_issued_early": early,
        "ballots_issued_station": station, "ballots_issued_outside": outside, "ballots_issued": issued,
        "ballots_cancelled": cancelled, "ballots_in_portable": outside,
        "ballots_in_stationary": invalid + valid - outside, "ballots_in_boxes": invalid + valid,
        "invalid": invalid, "valid": valid, "valid_not_counted": 0, "ballots_lost": 0,
        "ballots_unaccounted": 0, "absentee_received": 0, "absentee_issued": 0, "absentee_voted": 0,
        "absentee_cancelled": 0, "absentee_issued_by_tec": 0, "absentee_lost": 0,
    }  # fmt: skip


def year_table(
    captions: dict[str, str],
    options: list[str],
    precincts: list[tuple] = PRECINCTS,
    ids: tuple[str, str, str] = ("region", "tik", "uik"),
    extra: dict[str, list[str]] | None = None,
) -> bytes:
    """A precinct table headed with ``captions`` (caption -> the line it stands for), one column per
    option caption (votes in ``precincts``' order), and ``extra`` text columns."""
    extra = extra or {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*ids, *captions, *options, *extra])
    for i, (region, tik, uik, *numbers) in enumerate(precincts):
        votes = numbers[-1]
        lines = protocol_numbers(*numbers)
        writer.writerow(
            [region, tik, uik, *(lines[line] for line in captions.values()), *votes[: len(options)]]
            + [cells[i] for cells in extra.values()]
        )
    return out.getvalue().encode()
