"""Hostile precinct tables (issue 9, point 4, for ``saylau import-precincts``): broken and oversized zips,
Unicode exports, binary files. Each is read correctly or refused with a :class:`PrecinctImportError` naming
the file, the one error the command reports as a refusal (anything else would end in a traceback).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from saylau import precincts
from saylau.precincts import PrecinctImportError, import_precinct_file, parse_kz_precinct, read_table
from tests.test_precincts import kz_csv


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


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


BROKEN = {
    "broken.zip": (b"PK\x03\x04" + b"\x00" * 200, "not a readable zip"),
    "truncated.zip": (zipped({"t.csv": kz_csv() * 50})[:120], "not a readable zip"),
    "two.zip": (zipped({"a.csv": kz_csv(), "b.csv": kz_csv()}), "expected one .csv"),
    "binary.csv": (bytes(range(256)) * 16, "not UTF-8, UTF-16, UTF-32 or CP1251"),
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
    monkeypatch.setattr(precincts, "MAX_UNPACKED_BYTES", 100_000)
    bomb = zipped({"t.csv": b"0," * 1_000_000})  # 2 MB of zeros: a few kB zipped
    assert len(bomb) < 20_000
    with pytest.raises(PrecinctImportError, match=r"^bomb\.zip!t\.csv: 2,000,000 bytes unpacked, more than"):
        read_table(bomb, "bomb.zip")


def test_the_command_refuses_a_broken_zip_naming_it(ref_warehouse, build_settings, tmp_path):
    path: Path = tmp_path / "table.zip"
    path.write_bytes(b"PK\x03\x04not a zip at all")
    with pytest.raises(PrecinctImportError, match=f"^{path}: not a readable zip"):
        import_precinct_file(
            ref_warehouse, path, "kz-precinct-csv", "kz-2021-01-10", archive_dir=build_settings.archive_dir
        )
