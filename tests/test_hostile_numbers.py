"""Absurd numbers and files that cost CPU (issue 22 item 4): a number beyond any protocol's range sets
aside its row naming the column and never loses the file; the notes scrubber and the XLSX reader are
linear in their input, and each hostile file ends quickly with an error naming it (and row and column)."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from saylau.load.tables import TableFileError, read_rows
from saylau.observers.personal import scrub_text
from tests.precincts.samples import import_table, kz_table
from tests.test_observers import copy, load, query, write_csv

ABSURD = ["9223372036854775808", "1e400", "2000000000", "-5000000000", "1" * 400]


def test_absurd_numbers_set_aside_their_row_naming_the_column(wh, build_settings, tmp_path):
    rows = [copy(1)] + [copy(n, registered=v) for n, v in enumerate(ABSURD, start=2)] + [copy(9)]
    path = write_csv(tmp_path / "absurd.csv", rows)
    [result] = load(wh, build_settings, path)
    assert (result.status, result.good, result.rejected) == ("loaded", 2, len(ABSURD)), result.problems
    for n, value in enumerate(ABSURD, start=3):
        [problem] = [p for p in result.problems if p.startswith(f"absurd.csv row {n}: ")]
        assert "wrong_type: registered" in problem and value in problem, problem
    assert query(wh, "select count(*) from quarantine.observer_protocols") != [(0,)]


def test_absurd_numbers_in_a_workbook(wh, build_settings, tmp_path):
    book = openpyxl.Workbook()
    columns = list(copy(1))
    book.active.append([c for c in columns])
    from tests.test_observers import RU

    book.active["A1"].value = None
    book.active.delete_rows(1)
    book.active.append([RU.get(c, c) for c in columns])
    for n, registered in ((1, 1500), (2, 9.3e18), (3, 1500)):
        row = copy(n)
        book.active.append([registered if c == "registered" else row[c] for c in columns])
    book.save(tmp_path / "absurd.xlsx")
    [result] = load(wh, build_settings, tmp_path / "absurd.xlsx")
    assert (result.status, result.good, result.rejected) == ("loaded", 2, 1), result.problems
    assert any(p.startswith("absurd.xlsx row 3: wrong_type: registered") for p in result.problems)


def test_absurd_numbers_in_a_precinct_table_set_aside_their_row(ref_warehouse, tmp_path, build_settings):
    header = ["Облыс", "Учаске №", "Число избирателей в списке", "Выдано бюллетеней", "Бюллетеней в ящиках",
              "Недействительные бюллетени", "Действительные бюллетени", "Nur Otan", "Ak Zhol",
              "Народная партия Казахстана", "Ауыл", "Adal"]  # fmt: skip
    numbers = ["700", "700", "20", "680", "500", "100", "40", "20", "20"]
    for bad in ("9223372036854775808", "1e400", "2000000000"):
        rows = [["Алматы қаласы", "1", "1500", *numbers], ["Алматы қаласы", "2", bad, *numbers]]
        path = tmp_path / "kz.csv"
        path.write_bytes(kz_table(rows, header))
        result = import_table(
            ref_warehouse, path, "kz-precinct-csv", "kz-2021-01-10", archive_dir=build_settings.archive_dir
        )
        assert (result.rows_loaded, result.rows_quarantined) == (1, 1), bad
        [(row, rule, values)] = query(
            ref_warehouse, "select source_row, rule, failing_values from quarantine.precinct_protocols"
        )
        assert (row, rule) == (3, "wrong_type") and bad in values and values.startswith("registered="), values


HOSTILE_NOTES = [
    "a" * 40_000,  # a run of an address's letters with no @
    "a." * 20_000,
    ("x" * 30 + "@") * 1_300,  # many @, none followed by a domain
    "a@" + "b-" * 20_000,  # a domain without a dot
    "1(" * 20_000,  # a phone-like run that never ends on a digit
]


def test_the_notes_scrubber_is_linear_on_hostile_notes():
    t0 = time.monotonic()
    for note in HOSTILE_NOTES:
        scrub_text(note)
    assert time.monotonic() - t0 < 5  # 77 s before (quadratic backtracking); milliseconds now
    # and it still finds what it is for
    note = "звонить +7 701 555 12 34 или aigerim@example.kz, в 22:40 уч. 12, 8(701)5551234; 1-2-3"
    assert scrub_text(note) == "звонить [removed] или [removed], в 22:40 уч. 12, [removed]; 1-2-3"
    assert scrub_text("x!a.b+c@mail.example.kz.") == "x![removed]"


# --- hostile workbooks -------------------------------------------------------------------------------------


def _workbook() -> bytes:
    out = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append(["Регион", "№ участка", "Время", "Проголосовало"])
    book.active.append(["г. Алматы", 1, "10:00", 5])
    book.save(out)
    return out.getvalue()


def _patched(body: bytes, part: str, change, extra: dict[str, bytes] | None = None) -> bytes:
    src, out = zipfile.ZipFile(io.BytesIO(body)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            z.writestr(info.filename, change(data) if info.filename == part else data)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def _cells(extra_rows: bytes, dimension: bytes = b"A1:D2") -> bytes:
    def change(sheet: bytes) -> bytes:
        sheet = sheet.replace(b'<dimension ref="A1:D2"/>', b'<dimension ref="' + dimension + b'"/>')
        return sheet.replace(b"</sheetData>", extra_rows + b"</sheetData>")

    return _patched(_workbook(), "xl/worksheets/sheet1.xml", change)


def _shared_strings(strings: bytes) -> bytes:
    def types(data: bytes) -> bytes:
        return data.replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )

    body = _patched(_workbook(), "[Content_Types].xml", types)

    def rels(data: bytes) -> bytes:
        return data.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )

    sst = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + strings + b"</sst>"
    return _patched(body, "xl/_rels/workbook.xml.rels", rels, {"xl/sharedStrings.xml": sst})


def _read(body: bytes, name: str) -> list:
    return list(read_rows(body, name))


def test_declared_dimensions_cost_nothing():
    body = _cells(b'<row r="12000"><c r="A12000"><v>7</v></c></row>', b"A1:XFD12000")
    t0 = time.monotonic()
    rows = _read(body, "wide.xlsx")
    assert time.monotonic() - t0 < 30  # 190 s before: every row padded to 16,384 cells
    assert len(rows) == 12000 and rows[-1] == [7] and rows[5] == [] and len(rows[0]) == 4


HOSTILE_BOOKS = {
    "xfd.xlsx": (
        lambda: _cells(b'<row r="12000"><c r="XFD12000"><v>1</v></c></row>', b"A1:XFD12000"),
        "xfd.xlsx row 12000 column XFD: a cell past column 1,000",
    ),
    "inline.xlsx": (
        lambda: _cells(
            b'<row r="3"><c r="B3" t="inlineStr"><is><t>' + b"x" * 100_000_000 + b"</t></is></c></row>"
        ),
        "inline.xlsx row 3 column B: a cell of 100,000,000 characters",
    ),
    "strings.xlsx": (
        lambda: _shared_strings(b"<si><t>a</t></si>" * 740_000),  # 12.5 MB of tiny strings
        "strings.xlsx: more than 600,000 shared strings",
    ),
    "bomb.xlsx": (
        lambda: _shared_strings(b"<si><t>" + b"a" * 300_000_000 + b"</t></si>"),
        "bomb.xlsx: its part xl/sharedStrings.xml unpacks to 300,000,",
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE_BOOKS))
def test_hostile_workbooks_are_refused_quickly_naming_file_row_and_column(name):
    make, message = HOSTILE_BOOKS[name]
    body = make()
    t0 = time.monotonic()
    with pytest.raises(TableFileError) as refused:
        _read(body, name)
    assert time.monotonic() - t0 < 30
    assert str(refused.value).startswith(message), str(refused.value)


def test_a_hostile_workbook_is_refused_and_the_other_files_load(wh, build_settings, tmp_path):
    bad = tmp_path / "a_wide.xlsx"
    bad.write_bytes(HOSTILE_BOOKS["xfd.xlsx"][0]())
    good = write_csv(tmp_path / "b_good.csv", [copy(1)])
    refused, loaded = load(wh, build_settings, bad, good)
    assert refused.status == "refused" and refused.problems[0].startswith("a_wide.xlsx row 12000 column XFD")
    assert loaded.status == "loaded" and loaded.good == 1


def test_workbooks_still_read_dates_formulas_and_shared_strings(tmp_path: Path):
    import datetime as dt

    book = openpyxl.Workbook()
    book.active.append(["Время", "Формула", "Текст"])
    book.active.append([dt.time(10, 30), "=1+1", "общий"])
    book.active.append([dt.datetime(2021, 1, 10, 22, 0), "=SUM(A1:A2)", "общий"])
    book.save(tmp_path / "b.xlsx")
    rows = _read((tmp_path / "b.xlsx").read_bytes(), "b.xlsx")
    assert rows[1] == [dt.time(10, 30), "=1+1", "общий"]
    assert rows[2] == [dt.datetime(2021, 1, 10, 22, 0), "=SUM(A1:A2)", "общий"]
