"""Run the warehouse's plain .sql files in order.

``sql/`` holds one folder per phase (``00_setup``, ``10_staging``, ``20_intermediate``, ``30_marts``,
``90_checks``); files run in name order. Setup files are idempotent DDL; model files end in
``create or replace``; check files are queries whose every returned row is a failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from saylau.config import SQL_DIR

BUILD_PHASES = ("10_staging", "20_intermediate", "30_marts")


class SqlFileError(RuntimeError):
    """A .sql file failed; the message names the file."""


@dataclass(frozen=True)
class CheckFailure:
    """A check query that returned rows: the file, how many rows, and the first few of them."""

    check: str
    rows: int
    sample: list[tuple]

    def __str__(self) -> str:
        return f"{self.check}: {self.rows} offending row(s), e.g. {self.sample[:3]}"


def sql_files(phase: str, sql_dir: Path = SQL_DIR) -> list[Path]:
    """The .sql files of one phase, in the order they run."""
    return sorted((sql_dir / phase).glob("*.sql"))


def run_file(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Execute every statement of one file; a failure names the file."""
    try:
        con.execute(path.read_text(encoding="utf-8"))
    except duckdb.Error as exc:
        raise SqlFileError(f"{path.relative_to(path.parent.parent)}: {exc}") from exc


def run_phase(con: duckdb.DuckDBPyConnection, phase: str, sql_dir: Path = SQL_DIR) -> list[Path]:
    """Run one phase's files in order and return them."""
    files = sql_files(phase, sql_dir)
    for path in files:
        run_file(con, path)
    return files


def run_checks(con: duckdb.DuckDBPyConnection, sql_dir: Path = SQL_DIR) -> list[CheckFailure]:
    """Run every check query; each returned row is a failure."""
    failures = []
    for path in sql_files("90_checks", sql_dir):
        try:
            rows = con.execute(path.read_text(encoding="utf-8")).fetchall()
        except duckdb.Error as exc:
            raise SqlFileError(f"90_checks/{path.name}: {exc}") from exc
        if rows:
            failures.append(CheckFailure(path.stem, len(rows), rows[:5]))
    return failures
