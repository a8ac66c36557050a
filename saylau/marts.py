"""Building the marts from ``sql/`` and fingerprinting what was built.

Marts are rebuilt from scratch on every run (``create or replace``), so a rebuild over the same core
gives the same content; :func:`table_checksum` proves it without comparing file bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from saylau.crashpoints import crashpoint
from saylau.sqlrun import BUILD_PHASES, CheckFailure, run_checks, run_phase
from saylau.warehouse import table_names


class DataCheckError(RuntimeError):
    """One or more ``sql/90_checks`` queries returned rows."""

    def __init__(self, failures: list[CheckFailure]) -> None:
        self.failures = failures
        super().__init__("data checks failed:\n  " + "\n  ".join(str(f) for f in failures))


@dataclass(frozen=True)
class MartChecksum:
    rows: int
    checksum: str


def build_marts(con: duckdb.DuckDBPyConnection) -> dict[str, MartChecksum]:
    """Run staging, intermediate and mart SQL in order, then the checks; return each mart's checksum."""
    for phase in BUILD_PHASES:
        run_phase(con, phase)
        crashpoint("marts.phase")
    failures = run_checks(con)
    if failures:
        raise DataCheckError(failures)
    return mart_checksums(con)


def table_checksum(con: duckdb.DuckDBPyConnection, qualified_table: str) -> MartChecksum:
    """Rows and an order-independent md5 of a table's content (each row rendered as text)."""
    rows, digest = con.execute(
        f"select count(*), coalesce(md5(string_agg(h, '' order by h)), md5('')) "
        f"from (select md5(cast(t as varchar)) as h from {qualified_table} as t)"
    ).fetchone()
    return MartChecksum(rows, digest)


def mart_checksums(con: duckdb.DuckDBPyConnection) -> dict[str, MartChecksum]:
    """Checksum of every table in the ``marts`` schema."""
    return {f"marts.{t}": table_checksum(con, f'marts."{t}"') for t in table_names(con, "marts")}
