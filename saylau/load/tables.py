"""The one reader of tabular files every loader uses: CSV in any encoding and separator, XLSX, or a zip
holding one of these. Reading is pure (bytes in, rows out); every error names the file (and the row where
there is one) and is a :class:`TableFileError`.

- **Text**: by its byte-order mark (UTF-8, UTF-16, UTF-32), else UTF-8, else Windows-1251 (what Excel in a
  Russian or Kazakh locale saves). A file with NUL bytes is not text (cp1251 reads any byte).
- **Separator**: the one of ``,`` ``;`` tab that the header line holds most (Excel in those locales
  saves semicolons).
- **XLSX**: the first worksheet, streamed row by row as its XML holds them (never padded to the
  dimensions the sheet declares); a formula cell is read as its formula text (``"=1+1"``), never as the
  value the file caches for it (which a file can state freely). Parts unpacking to more than a table is
  (:data:`MAX_SHARED_STRINGS_BYTES`, :data:`MAX_SHEET_BYTES`), a cell past :data:`MAX_COLUMNS` or longer
  than :data:`MAX_CELL_CHARS` refuse the file, naming it (and the row and column).
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
from typing import IO

import pandas as pd

MAX_UNPACKED_BYTES = 1_000_000_000  # a zipped table unpacking to more is refused before it is unpacked
MAX_SHEET_BYTES = 400_000_000  # a worksheet's XML (250,000 rows of 20 cells is about 200 MB)
MAX_SHARED_STRINGS_BYTES = 20_000_000  # the shared strings, read whole when a workbook opens
MAX_SHARED_STRINGS = 600_000  # distinct texts of a workbook (an export's rows are at most 250,000)
MAX_WHOLE = 2**53  # a whole number a spreadsheet (a double) holds exactly; anything past it stays text
MAX_COLUMNS = 1_000  # no table of protocols or counts is wider
MAX_CELL_CHARS = 32_767  # what a spreadsheet cell holds (Excel's limit)
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
        # a column pandas read as decimals or as unsigned 64-bit numbers (1e400 -> inf,
        # 9223372036854775808) is read again as text: its cells as written, for the loader to judge
        inexact = [c for c in frame.columns if frame[c].dtype.kind in "fu"]
        if inexact:
            frame = pd.read_csv(
                io.StringIO(text),
                sep=separator,
                keep_default_na=False,
                na_values=[],
                low_memory=False,
                dtype=dict.fromkeys(inexact, str),
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
    if (
        len(column)
        and numbers.notna().all()
        and (numbers.abs() <= MAX_WHOLE).all()  # 9223372036854775808 or 1e400 stays text, for validation
        and (numbers % 1 == 0).all()
    ):
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


def _xlsx_limits(body: bytes, name: str) -> None:
    """Refuse, before openpyxl reads a byte of it, a workbook whose parts unpack to more than a table is:
    openpyxl reads the whole shared-strings table into memory when it opens a workbook."""
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            for info in z.infolist():
                part = info.filename.lower()
                cap = MAX_SHARED_STRINGS_BYTES if part.endswith("sharedstrings.xml") else MAX_UNPACKED_BYTES
                if part.startswith("xl/worksheets/") and not part.endswith(".rels"):
                    cap = MAX_SHEET_BYTES
                if info.file_size > cap:
                    raise TableFileError(
                        f"{name}: its part {info.filename} unpacks to {info.file_size:,} bytes, more than a "
                        f"table's ({cap:,}): not read"
                    )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise TableFileError(f"{name}: not a readable XLSX workbook ({exc})") from exc


def shared_strings(source: IO[bytes], name: str = "") -> list[str]:
    """A workbook's shared strings, parsed in one linear pass by expat (openpyxl's own reader builds an
    element tree and a Text object per string: minutes for a million of them); more than
    :data:`MAX_SHARED_STRINGS` refuse the file. A string is its text and its runs' texts; phonetic hints
    (``rPh``) are no part of it."""
    from xml.parsers import expat

    strings: list[str] = []
    parts: list[str] = []
    state = {"text": False, "phonetic": 0}

    def local(tag: str) -> str:
        return tag.rsplit(":", 1)[-1]

    def start(tag: str, _attrs: dict) -> None:
        tag = local(tag)
        if tag == "t" and not state["phonetic"]:
            state["text"] = True
        elif tag == "rPh":
            state["phonetic"] += 1

    def end(tag: str) -> None:
        tag = local(tag)
        if tag == "t":
            state["text"] = False
        elif tag == "rPh":
            state["phonetic"] -= 1
        elif tag == "si":
            strings.append("".join(parts).replace("x005F_", ""))
            parts.clear()
            if len(strings) > MAX_SHARED_STRINGS:
                raise TableFileError(
                    f"{name}: more than {MAX_SHARED_STRINGS:,} shared strings; no table holds that many"
                )

    def text(data: str) -> None:
        if state["text"]:
            parts.append(data)

    data = source.read(MAX_SHARED_STRINGS_BYTES + 1)  # the part's size was checked before
    if sum(data.count(tag) for tag in (b"<si>", b"<si ", b":si>", b":si ")) > MAX_SHARED_STRINGS:
        raise TableFileError(
            f"{name}: more than {MAX_SHARED_STRINGS:,} shared strings; no table holds that many"
        )
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise TableFileError(f"{name}: not a readable XLSX workbook (shared strings: {exc})") from exc
    return strings


def _workbook_reader():
    from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader

    class Reader(ExcelReader):
        table_name = ""
        refusal: TableFileError | None = None

        def read_strings(self) -> None:
            ct = self.package.find(SHARED_STRINGS)
            if ct is not None:
                with self.archive.open(ct.PartName[1:]) as src:
                    try:
                        self.shared_strings = shared_strings(src, self.table_name)
                    except TableFileError as exc:  # openpyxl rewords what it catches: keep ours
                        self.refusal = exc
                        raise

    return Reader


def _WorkbookReader(*args, **kwargs):  # noqa: N802 - openpyxl imported only when a workbook is read
    return _workbook_reader()(*args, **kwargs)


def _xlsx_rows(body: bytes, name: str) -> Iterator[list[object]]:
    """The first worksheet's rows, streamed as the sheet's XML holds them: each row as wide as its last
    cell, whatever the sheet declares its dimensions to be (``A1:XFD12000`` with one cell costs nothing);
    a cell past column :data:`MAX_COLUMNS` or longer than a spreadsheet cell can be is an error naming the
    file, row and column."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet._reader import WorkSheetParser
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    _xlsx_limits(body, name)
    reader = None
    try:
        # data_only=False: a formula cell is read as its formula, never as its cached value
        reader = _WorkbookReader(io.BytesIO(body), read_only=True, data_only=False)
        reader.table_name = name
        reader.read()
        book = reader.wb
    except TableFileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        if reader is not None and reader.refusal is not None:
            raise reader.refusal from None
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
    sheet = book.worksheets[0]

    def where(number: int, column: int) -> str:
        return f"{name} row {number} column {get_column_letter(min(column, 16384))}"

    def rows() -> Iterator[list[object]]:
        expected = 1
        try:
            with sheet._get_source() as src:
                parser = WorkSheetParser(
                    src,
                    sheet._shared_strings,
                    data_only=False,
                    epoch=book.epoch,
                    date_formats=book._date_formats,
                    timedelta_formats=book._timedelta_formats,
                )
                for number, cells in parser.parse():
                    while expected < number:  # rows the sheet skips are blank rows
                        yield []
                        expected += 1
                    expected = max(expected, number + 1)
                    row: list[object] = []
                    for cell in cells:
                        column, value = cell["column"], cell["value"]
                        if column > MAX_COLUMNS:
                            raise TableFileError(
                                f"{where(number, column)}: a cell past column {MAX_COLUMNS:,}; no table is that wide"
                            )
                        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                            raise TableFileError(
                                f"{where(number, column)}: a cell of {len(value):,} characters, more than a "
                                f"spreadsheet cell holds ({MAX_CELL_CHARS:,})"
                            )
                        if column > len(row):
                            row.extend([None] * (column - len(row)))
                        row[column - 1] = formula_text(value)
                    yield row
        except TableFileError:
            raise
        except Exception as exc:  # a sheet that opens but cannot be read through
            raise TableFileError(f"{name}: not a readable XLSX worksheet ({exc})") from exc
        finally:
            book.close()

    return rows()
