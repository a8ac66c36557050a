"""Reading an observers' export's cells: headers and rows as text, through the one table reader.

:mod:`saylau.load.tables` reads the bytes (any encoding and separator, XLSX, a zipped table); this module
adds what an observers' export must be on top (a header row, no value under no header, no more rows than
any export has) and reports every problem as an :class:`ObserverFileError` naming the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from saylau.load import tables
from saylau.load.tables import TableFileError
from saylau.parse.numbers import UncertainNumber, count_cell

# An export longer than this is refused: Kazakhstan has about 10,000 precincts, so even a head count at
# every precinct every hour of election day is about half of it. Reading stops there: memory stays bounded.
MAX_ROWS = 250_000


class ObserverFileError(TableFileError):
    """An export that cannot be read at all; the message names the file (and row/column where known)."""


@contextmanager
def observer_file_errors() -> Iterator[None]:
    """The table reader's refusals, as the :class:`ObserverFileError` callers of this package see."""
    try:
        yield
    except ObserverFileError:
        raise
    except TableFileError as exc:
        raise ObserverFileError(str(exc)) from exc


def read_cells(
    body: bytes, file_name: str, max_rows: int | None = None
) -> tuple[list[str], list[tuple[int, list[str | None]]]]:
    """Headers and (row number, cells) of a CSV or XLSX export, every cell as text (empty -> None).

    Row numbers are spreadsheet rows: the header is row 1. Blank rows are skipped (their numbers too).
    Formula cells are read as their formula text, never as a value. A file with more than ``max_rows``
    rows under its header (default :data:`MAX_ROWS`) is refused as soon as reading gets there.
    """
    with observer_file_errors():
        return _read_cells(body, file_name, MAX_ROWS if max_rows is None else max_rows)


def _read_cells(
    body: bytes, file_name: str, limit: int
) -> tuple[list[str], list[tuple[int, list[str | None]]]]:
    rows = tables.read_rows(body, file_name)
    try:
        first = next(rows, None)
        if first is None:
            raise ObserverFileError(f"{file_name}: the file is empty")
        header = [str(h).strip() if h is not None else "" for h in first]
        if not any(header):
            raise ObserverFileError(f"{file_name}: the first row holds no headers (a blank or empty file?)")
        unnamed = [i for i, h in enumerate(header) if not h]  # a value under no header belongs to no column
        out = []
        for number, row in enumerate(rows, start=2):
            if number - 1 > limit:
                raise ObserverFileError(
                    f"{file_name}: more than {limit:,} rows; no observers' export is that long (one row per "
                    f"protocol copy, count or report): split the file, or check what it is"
                )
            cells = [tables.cell_text(c) for c in row]
            if all(c is None for c in cells):
                continue
            if len(cells) > len(header) and any(c is not None for c in cells[len(header) :]):
                raise ObserverFileError(
                    f"{file_name} row {number}: {len(cells)} cells but {len(header)} headers "
                    f"(a stray separator or an unquoted comma?)"
                )
            cells = (cells + [None] * len(header))[: len(header)]
            for i in unnamed:
                if cells[i] is not None:
                    raise ObserverFileError(
                        f"{file_name} row {number}: {cells[i]!r} in column {i + 1}, which has no header "
                        f"(name the column, or delete it)"
                    )
            out.append((number, cells))
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()
    return header, out


def read_headers(body: bytes, file_name: str) -> list[str]:
    """The header row of a CSV or XLSX export (the rest is not read)."""
    with observer_file_errors():
        return tables.read_headers(body, file_name)


# No protocol line of any election counts past this (Kazakhstan has about 12 million voters): a number
# beyond it is a typing slip or an attack, and would not fit the warehouse's integers either.
MAX_COUNT = 1_000_000_000
BEYOND = "beyond any protocol's range"


def parse_count(text: str | None) -> int | str | None:
    """A count as written (:func:`saylau.parse.numbers.count_cell`): ``"1 234"`` -> 1234, an empty cell ->
    None; anything that is not a whole count, or is one beyond :data:`MAX_COUNT` (``9223372036854775808``,
    ``1e400``), stays text (the first said to be :data:`BEYOND`), so validation rejects that row as
    ``wrong_type``, naming the column."""
    try:
        value = count_cell(text)
    except UncertainNumber:
        return text
    if value is not None and abs(value) > MAX_COUNT:
        return f"{BEYOND}: {text.strip()}"  # text no coercion reads as a count, saying why
    return value
