"""The table model's shared steps (saylau.precincts.table): reading any file a table comes in (through
saylau.load.tables), count cells, names and slugs. Hostile files (issue 9, point 4, for ``saylau
import-precincts``): broken and oversized zips, Unicode exports, binary files. Each is read correctly or
refused with a :class:`PrecinctImportError` naming the file, the one error the command reports as a refusal
(anything else would end in a traceback).
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from saylau.load import tables
from saylau.precincts import PrecinctImportError, parse_kz_precinct, read_table, slug
from saylau.precincts.table import _numbers
from tests.precincts.samples import kz_csv, zipped


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: t.encode("utf-8-sig"),
        lambda t: t.encode("utf-16"),
        lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
        lambda t: t.encode("utf-32"),
        lambda t: zipped({"table.csv": t.encode("utf-16")}),
    ],
    ids=["utf8", "utf8-bom", "utf16", "utf16-be", "utf32", "zipped-utf16"],
)
def test_a_table_in_any_unicode_encoding_reads_the_same(encode):
    text = kz_csv().decode("utf-8")
    table = parse_kz_precinct(encode(text), "kz.csv", "mazhilis")
    expected = parse_kz_precinct(kz_csv(), "kz.csv", "mazhilis")
    assert list(table.wide["unit_id"]) == ["KZ-75/101", "KZ-63/7"]
    assert table.wide.drop(columns="source_ref", errors="ignore").equals(
        expected.wide.drop(columns="source_ref", errors="ignore")
    )


# The reasons are saylau.load.tables' wording (the one reader every loader shares).
BROKEN = {
    "broken.zip": (b"PK\x03\x04" + b"\x00" * 200, "not a readable zip"),
    "truncated.zip": (zipped({"t.csv": kz_csv() * 50})[:120], "not a readable zip"),
    "two.zip": (zipped({"a.csv": kz_csv(), "b.csv": kz_csv()}), "expected one table (.csv or .xlsx)"),
    "binary.csv": (bytes(range(256)) * 16, "neither UTF-8 nor Windows-1251"),
    "pdf.csv": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n\x00\x01 obj stream", "NUL"),
    "utf16_without_bom.csv": (kz_csv().decode().encode("utf-16-le"), "NUL"),
    "empty.csv": (b"", "not a readable CSV"),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_tables_are_refused_naming_the_file(name):
    body, why = BROKEN[name]
    with pytest.raises(PrecinctImportError) as caught:
        read_table(body, name)
    assert str(caught.value).startswith(name) and why in str(caught.value)


def test_a_zip_that_would_unpack_past_the_cap_is_refused_before_unpacking(monkeypatch):
    monkeypatch.setattr(tables, "MAX_UNPACKED_BYTES", 100_000)
    bomb = zipped({"t.csv": b"0," * 1_000_000})  # 2 MB of zeros: a few kB zipped
    assert len(bomb) < 20_000
    with pytest.raises(PrecinctImportError, match=r"^bomb\.zip!t\.csv: 2,000,000 bytes unpacked, more than"):
        read_table(bomb, "bomb.zip")


def test_slugs_transliterate_russian_and_kazakh_names():
    assert slug("Ханты-Мансийский автономный округ - Югра") == "khanty_mansiyskiy_avtonomnyy_okrug_yugra"
    assert slug("Алматы қаласы") == "almaty_qalasy"
    assert slug("12 Северный") == "x_12_severnyy"  # identifiers start with a letter


def test_count_cells_are_read_as_the_one_count_parser_reads_them():
    """Spaces as thousands separators and a spreadsheet's "1500.0" are counts; an empty cell (or a dash,
    "na") stays missing; "15OO", "1.5" and the ambiguous "1.000" are unreadable: kept as written, for the
    quarantine, without turning the readable cells of their column into text."""
    frame = pd.DataFrame(
        {"c": ["1500", "1 500", "1\u00a0500", "1500.0", "", "-", "na", "15OO", "1.5", "1.000"]}
    )
    numbers, as_text = _numbers(frame, {"c": "registered"})
    assert numbers["registered"].tolist() == [
        1500,
        1500,
        1500,
        1500,
        pd.NA,
        pd.NA,
        pd.NA,
        pd.NA,
        pd.NA,
        pd.NA,
    ]
    assert [None if pd.isna(v) else v for v in as_text["registered"]] == [
        1500,
        1500,
        1500,
        1500,
        None,
        None,
        None,
        "15OO",
        "1.5",
        "1.000",
    ]
    clean = pd.DataFrame({"c": [1, 2, 3]})  # a clean column arrives as int64 and stays numbers only
    numbers, as_text = _numbers(clean, {"c": "valid"})
    assert numbers["valid"].tolist() == [1, 2, 3] and as_text == {}


def _xlsx(body: bytes) -> bytes:
    """A CSV's cells as an Excel workbook would hold them (counts as numbers, blank cells empty)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in csv.reader(io.StringIO(body.decode())):
        sheet.append([int(c) if c.isdigit() else (c or None) for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_table_saved_as_xlsx_reads_as_its_csv():
    table = parse_kz_precinct(_xlsx(kz_csv()), "kz.xlsx", "mazhilis")
    expected = parse_kz_precinct(kz_csv(), "kz.csv", "mazhilis")
    assert list(table.wide["unit_id"]) == ["KZ-75/101", "KZ-63/7"]
    assert table.wide.equals(expected.wide)
    zipped_book = parse_kz_precinct(zipped({"kz.xlsx": _xlsx(kz_csv())}), "kz.zip", "mazhilis")
    assert zipped_book.wide.equals(expected.wide)
