"""Read-only access to the published database: what ``saylau query`` and the report use.

The file is opened ``read_only`` and with file-system access switched off (``enable_external_access``
false, configuration locked), so a query can neither change the database nor ATTACH, COPY or read other
files: an analyst's typo can never write anything.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb


class QueryError(ValueError):
    """A query failed (bad SQL, a write attempted, no published database); the message says why."""


@contextmanager
def open_published(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the published database that cannot touch any other file."""
    db_path = Path(db_path)
    if not db_path.exists():
        raise QueryError(f"no published database at {db_path} (run a flow, or `saylau publish`, first)")
    con = duckdb.connect(
        str(db_path),
        read_only=True,
        config={"enable_external_access": False, "lock_configuration": True},
    )
    try:
        yield con
    finally:
        con.close()


@dataclass
class QueryResult:
    """Column names and rows of a query's answer."""

    columns: list[str]
    rows: list[tuple]

    def to_csv(self) -> str:
        """The answer as CSV text with a header row.

        Text that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return:
        observers' cells are kept as typed, formulas included) gets a leading ``'``; numbers are written as
        numbers.
        """
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow([_inert(c) for c in self.columns])
        writer.writerows([_inert(v) for v in row] for row in self.rows)
        return buf.getvalue()

    def to_json(self) -> str:
        """The answer as a JSON array of objects (dates as ISO text, decimals and big integers as numbers)."""
        return json.dumps(
            [dict(zip(self.columns, row, strict=True)) for row in self.rows],
            ensure_ascii=False,
            default=_json_value,
            indent=1,
        )


def _inert(value: object) -> object:
    """A text cell a spreadsheet would not evaluate (CSV injection); other values unchanged."""
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value


def _json_value(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def run_query(db_path: Path, sql: str) -> QueryResult:
    """Run one read-only SQL query against the published database and return its answer."""
    with open_published(db_path) as con:
        try:
            cursor = con.execute(sql)
            if cursor.description is None:
                return QueryResult([], [])
            columns = [d[0] for d in cursor.description]
            return QueryResult(columns, cursor.fetchall())
        except duckdb.Error as exc:
            raise QueryError(f"{type(exc).__name__}: {exc}") from exc
