"""The one reader of tabular files every loader uses: CSV in any encoding and separator, XLSX, or a zip
holding one of these. Reading is pure (bytes in, rows out); every error names the file (and the row where
there is one) and is a :class:`TableFileError`.

- **Text**: by its byte-order mark (UTF-8, UTF-16, UTF-32), else UTF-8, else Windows-1251 (what Excel in a
  Russian or Kazakh locale saves). A file with NUL bytes is not text (cp1251 reads any byte).
- **Separator**: the one of ``,`` ``;`` tab that the header line holds most (Excel in those locales
  saves semicolons).
- **XLSX**: the first worksheet, read-only; a formula cell is read as its formula text (``"=1+1"``),
  never as the value the file caches for it (which a file can state freely).
- **Zip**: an XLSX is itself a zip; any other zip must hold exactly one ``.csv`` or ``.xlsx``, and is
  refused before unpacking when that member would unpack to more than :data:`MAX_UNPACKED_BYTES`.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import datetime, time

import pandas as pd

MAX_UNPACKED_BYTES = 1_000_000_000  # a zipped table unpacking to more is refused before it is unpacked
SEPARATORS = (",", ";", "\t")
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")


class TableFileError(ValueError):
    """A file that cannot be read as a table; the message names the file (and row)."""


# Byte-order marks of the encodings spreadsheets save "Unicode text" in (longest first: UTF-32 LE starts
# with the UTF-16 LE mark).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(body: bytes, name: str) -> str:
    """A text table's characters: by its byte-order mark, else UTF-8, else Windows-1251.

    Bytes that are none of these (a binary file, a PDF renamed .csv) refuse the file, naming it.
    """
    encoding = next((enc for bom, enc in _BOMS if body.startswith(bom)), None)
    try:
        text = body.decode(encoding) if encoding else body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if encoding:
            raise TableFileError(f"{name}: starts as {encoding} text but is not ({exc.reason})") from exc
        try:
            text = body.decode("cp1251")
        except UnicodeDecodeError as exc2:
            raise TableFileError(f"{name}: neither UTF-8 nor Windows-1251 text") from exc2
    if "\x00" in text:  # text tables hold no NUL; a binary file decodes as cp1251 all the same
        raise TableFileError(f"{name}: not a text file (it holds NUL bytes): neither CSV nor XLSX")
    return text.removeprefix("\ufeff")


def separator_of(text: str) -> str:
    """The separator the header line holds most of (a comma when it holds none)."""
    first = text.split("\n", 1)[0]
    return max(SEPARATORS, key=first.count)


def is_workbook(body: bytes, name: str = "") -> bool:
    """An XLSX workbook (by its name, or a zip holding a workbook part)."""
    if name.lower().endswith((".xlsx", ".xlsm")):
        return True
    if body[:4] != b"PK\x03\x04":
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return "xl/workbook.xml" in z.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError):
        return False


def unpack(body: bytes, name: str) -> tuple[bytes, str]:
    """A zip holding one table -> (its bytes, ``"name!member"``); any other body is returned as it is."""
    if body[:4] != b"PK\x03\x04" or is_workbook(body, name):
        return body, name
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            members = [
                m
                for m in archive.namelist()
                if m.lower().endswith(TABLE_SUFFIXES) and not m.startswith("__") and not m.endswith("/")
            ]
            if len(members) != 1:
                raise TableFileError(
                    f"{name}: expected one table (.csv or .xlsx) inside the zip, found {members}"
                )
            unpacked = archive.getinfo(members[0]).file_size  # reading stops there, whatever the data
            if unpacked > MAX_UNPACKED_BYTES:
                raise TableFileError(
                    f"{name}!{members[0]}: {unpacked:,} bytes unpacked, more than a table can be "
                    f"({MAX_UNPACKED_BYTES:,})"
                )
            return archive.read(members[0]), f"{name}!{members[0]}"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        raise TableFileError(f"{name}: not a readable zip ({exc})") from exc


def cell_text(value: object) -> str | None:
    """A cell as text: empty -> None; spreadsheet whole numbers (``123.0``) as ``"123"``; times as HH:MM."""
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    text = str(value).strip()
    return text or None


def read_rows(body: bytes, name: str) -> Iterator[list[object]]:
    """Every row of the table, the header first, as the file holds them (CSV cells as text, XLSX cells as
    openpyxl gives them, formulas as their text). Close the iterator to release an XLSX early."""
    body, name = unpack(body, name)
    if is_workbook(body, name):
        return _xlsx_rows(body, name)
    return _csv_rows(body, name)


def read_text_rows(body: bytes, name: str) -> Iterator[list[str | None]]:
    """:func:`read_rows` with every cell as text (see :func:`cell_text`)."""
    rows = read_rows(body, name)
    try:
        for row in rows:
            yield [cell_text(c) for c in row]
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()


def read_headers(body: bytes, name: str) -> list[str]:
    """The header row of a table (the rest is not read)."""
    rows = read_rows(body, name)
    try:
        first = next(rows, None)
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()
    if first is None:
        raise TableFileError(f"{name}: the file is empty")
    return [str(h).strip() if h is not None else "" for h in first]


def read_frame(body: bytes, name: str) -> pd.DataFrame:
    """The table as a frame: clean count columns as int64, every other column as text (empty cells as empty
    strings, never NA or 0). The index is the row's line in the file minus 2 (the header is line 1), so
    ``index + 2`` names the line a person finds in the file, blank lines and multi-line cells included."""
    body, name = unpack(body, name)
    if is_workbook(body, name):
        rows = list(read_text_rows(body, name))
        if not rows:
            raise TableFileError(f"{name}: the workbook is empty")
        header = [h or "" for h in rows[0]]
        numbered = [(i, r) for i, r in enumerate(rows[1:]) if any(c is not None for c in r)]
        frame = pd.DataFrame(
            [
                [("" if c is None else c) for c in (r + [None] * len(header))[: len(header)]]
                for _, r in numbered
            ],
            columns=header,
            index=pd.Index([i for i, _ in numbered], dtype="int64"),
        )
        return frame.apply(_infer_counts)
    text = decode_text(body, name)
    separator = separator_of(text)
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=separator, keep_default_na=False, na_values=[], low_memory=False
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
        raise TableFileError(f"{name}: not a readable CSV table ({exc})") from exc
    lines = _record_lines(text, separator)
    if len(lines) == len(frame):
        frame.index = pd.Index(lines, dtype="int64") - 2
    return frame


def _infer_counts(column: pd.Series) -> pd.Series:
    """A column of whole numbers as int64 (as pandas infers a CSV's), else the text as it is."""
    numbers = pd.to_numeric(column, errors="coerce")
    if len(column) and numbers.notna().all() and (numbers % 1 == 0).all():
        return numbers.astype("int64")
    return column


def _record_lines(text: str, separator: str = ",") -> list[int]:
    """The line each data record starts on (header = line 1), skipping blank lines as pandas does."""
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    starts, start = [], 1
    try:
        for row in reader:
            if row and not (len(row) == 1 and not row[0].strip()):
                starts.append(start)
            start = reader.line_num + 1
    except csv.Error:
        return []
    return starts[1:]


def _csv_rows(body: bytes, name: str) -> Iterator[list[str]]:
    text = decode_text(body, name)
    reader = csv.reader(io.StringIO(text), delimiter=separator_of(text))
    try:
        yield from reader
    except csv.Error as exc:  # a field longer than csv's limit, a quote never closed...
        raise TableFileError(f"{name} row {reader.line_num}: not readable as CSV ({exc})") from exc


def _xlsx_rows(body: bytes, name: str) -> Iterator[list[object]]:
    import openpyxl
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    try:
        # data_only=False: a formula cell is read as its formula, never as its cached value
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise TableFileError(f"{name}: not a readable XLSX workbook ({exc})") from exc

    def formula_text(value: object) -> object:
        if isinstance(value, ArrayFormula):
            return str(value.text or "=")
        if isinstance(value, DataTableFormula):
            return f"=TABLE({value.ref})"
        return value

    if not book.worksheets:
        book.close()
        raise TableFileError(f"{name}: the workbook has no worksheet")

    def rows() -> Iterator[list[object]]:
        try:
            for r in book.worksheets[0].iter_rows(values_only=True):
                yield [formula_text(v) for v in r]
        except TableFileError:
            raise
        except Exception as exc:  # a sheet that opens but cannot be read through
            raise TableFileError(f"{name}: not a readable XLSX worksheet ({exc})") from exc
        finally:
            book.close()

    return rows()
