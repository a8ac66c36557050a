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


DEFAULT_TIMEOUT = 60.0  # seconds a query may run before it is interrupted


@dataclass
class QueryResult:
    """Column names and rows of one statement's answer; ``truncated`` when more rows than asked for."""

    columns: list[str]
    rows: list[tuple]
    truncated: bool = False

    def to_csv(self, header: bool = True) -> str:
        """The answer as CSV text with a header row.

        Text that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return:
        observers' cells are kept as typed, formulas included) gets a leading ``'``; numbers are written as
        numbers, booleans as ``true``/``false``, NULL as an empty cell.
        """
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        if header:
            writer.writerow([_inert(c) for c in self.columns])
        writer.writerows([_csv_value(v) for v in row] for row in self.rows)
        return buf.getvalue()

    def to_json(self) -> str:
        """The answer as a JSON array of objects (dates as ISO text, decimals and big integers as numbers)."""
        return json.dumps(
            [dict(zip(self.columns, row, strict=True)) for row in self.rows],
            ensure_ascii=False,
            default=_json_value,
            indent=1,
        )

    def to_text(self) -> str:
        """The answer as a plain-text table: every value in full (numbers never cut), numbers aligned
        right, text printed literally (no markup is interpreted), NULL as an empty cell."""
        cells = [[_text_value(v) for v in row] for row in self.rows]
        widths = [len(c) for c in self.columns]
        for row in cells:
            for i, cell in enumerate(row):
                widths[i] = max(widths[i], len(cell))
        numeric = [
            bool(self.rows)
            and all(isinstance(r[i], int | float | Decimal) or r[i] is None for r in self.rows)
            for i in range(len(self.columns))
        ]

        def line(values: list[str]) -> str:
            parts = [
                v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric, strict=True)
            ]
            return " | ".join(parts).rstrip()

        out = [line(list(self.columns)), "-+-".join("-" * w for w in widths)]
        out += [line(row) for row in cells]
        return "\n".join(out) + "\n"


def _inert(value: object) -> object:
    """A text cell a spreadsheet would not evaluate (CSV injection); other values unchanged."""
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value


def _csv_value(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _inert(value)


def _text_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value).replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def _json_value(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def run_query(db_path: Path, sql: str) -> QueryResult:
    """Run one read-only SQL query against the published database and return its (last) answer."""
    results = run_queries(db_path, sql)
    return results[-1] if results else QueryResult([], [])


def run_queries(
    db_path: Path, sql: str, max_rows: int | None = None, timeout: float | None = DEFAULT_TIMEOUT
) -> list[QueryResult]:
    """Run every statement of ``sql`` (read-only) against the published database: one answer per
    statement that returns rows, each cut at ``max_rows`` (``truncated`` says so). A statement still
    running after ``timeout`` seconds is interrupted and the error says so. An empty query is an error."""
    import threading

    if not sql.strip().strip(";").strip():
        raise QueryError("the query is empty: give one or more SQL statements")
    with open_published(db_path) as con:
        try:
            statements = con.extract_statements(sql)
        except duckdb.Error as exc:
            raise QueryError(f"{type(exc).__name__}: {exc}") from exc
        if not statements:
            raise QueryError("the query is empty: give one or more SQL statements")
        results = []
        for statement in statements:
            timer = threading.Timer(timeout, con.interrupt) if timeout else None
            if timer:
                timer.daemon = True
                timer.start()
            try:
                cursor = con.execute(statement)
                if cursor.description is None:
                    continue
                columns = [d[0] for d in cursor.description]
                rows = cursor.fetchall() if max_rows is None else cursor.fetchmany(max_rows + 1)
                cut = max_rows is not None and len(rows) > max_rows
                results.append(QueryResult(columns, rows[:max_rows] if cut else rows, cut))
            except duckdb.InterruptException as exc:
                raise QueryError(
                    f"the query ran longer than {timeout:g} s and was stopped (--timeout)"
                ) from exc
            except duckdb.Error as exc:
                raise QueryError(f"{type(exc).__name__}: {exc}") from exc
            finally:
                if timer:
                    timer.cancel()
        return results
