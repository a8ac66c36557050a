"""Validating a parsed precinct table and storing it, inside the caller's transaction: good rows to
``core.protocol_values``, rejects to ``quarantine.precinct_protocols``, flags and counts, the file in
``raw.files`` and the import in ``core.precinct_imports`` (which an import of the same election, contest and
source replaces, with everything the earlier one loaded).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import duckdb
import pandas as pd

from saylau.load import store
from saylau.precincts.register import ElectionInfo
from saylau.precincts.table import PrecinctTable
from saylau.protocol import LINES

PROTOCOL_TABLE = (
    "precinct_protocols"  # validation's table name: rejects land in quarantine.precinct_protocols
)


def validate_precincts(wide: pd.DataFrame, options: list[str], contest_kind: str = "party_list"):
    """Validate wide precinct rows with the shared protocol model (:mod:`schemas.protocol`).

    Every line the table gives and every option is required, so a row with an empty cell is rejected
    (``required_lines``) rather than loaded with a gap or a zero. Returns :class:`saylau.validate.Validated`.
    """
    from saylau.validate import validate_frame
    from schemas.protocol import protocol_schema

    given = [line for line in LINES if line in wide.columns]
    schema = protocol_schema(contest_kind, options=options, required=[*given, *options])
    return validate_frame(wide, schema, PROTOCOL_TABLE)


def store_validated(
    con: duckdb.DuckDBPyConnection,
    validated,
    option_ids: list[str],
    run_id: str,
    info: ElectionInfo,
    source: str = "official",
) -> int:
    """Write a validated precinct table through the one store (:func:`saylau.load.store.replace`), inside the
    caller's transaction: earlier rows of this contest from the same bytes replaced (one file may hold several
    contests), good rows to ``core.protocol_values``, rejects
    to ``quarantine.precinct_protocols``, soft flags and per-rule counts. The wide -> long step (3 million
    values for a Russian table) is DuckDB's UNPIVOT, which gives :func:`saylau.protocol.to_long`'s rows
    (missing values not emitted) several times faster than melting in pandas. Returns values inserted.
    """
    good = validated.good
    shas = sorted(
        {
            str(x)
            for f in (good, validated.rejected)
            if "source_sha256" in f
            for x in f["source_sha256"].dropna()
        }
    )
    scope = store.Scope(
        "t.election_id = ? and t.contest_id = ? and t.source = ? and t.source_sha256 in (select unnest(?))",
        [info.election_id, info.contest_id, source, shas],
        PROTOCOL_TABLE,
    )
    inserted = 0
    if len(good):
        lines = [line for line in LINES if line in good.columns]
        values = [*lines, *option_ids]
        # the import's constants (election, contest, source, file) go in as parameters, not as
        # per-row columns: carrying them through the 3-million-row unpivot doubled the load's cost
        frame = good[["unit_id", "region_code", "status", "source_row", *values]].copy()
        for column in values:
            numbers = frame[column].astype("Int64")
            # plain int64 where nothing is missing: DuckDB scans numpy columns faster than masked ones
            frame[column] = numbers.astype("int64") if numbers.notna().all() else numbers
        constants = [info.election_id, info.contest_id, source]
        provenance = [str(good["source_ref"].iloc[0]), str(good["source_sha256"].iloc[0]), run_id]
        quoted = ", ".join(f'"{c}"' for c in values)
        options = ", ".join(f"'{o}'" for o in option_ids) or "''"
        select = (
            "select ? as election_id, ? as contest_id, ? as source, 'pec' as level, unit_id, region_code, "
            f"case when name in ({options}) then 'votes' else name end as line, "
            f"case when name in ({options}) then name end as option_id, "
            "value, status, null::timestamp as as_of, ? as source_ref, ? as source_sha256, source_row, "
            f"? as run_id from (unpivot _precinct_wide on {quoted} into name name value value)"
        )
        con.register("_precinct_wide", frame)
        try:
            inserted = store.replace(
                con, scope, select=select, select_params=[*constants, *provenance], validated=validated,
                run_id=run_id,
            )  # fmt: skip
        finally:
            con.unregister("_precinct_wide")
    else:
        store.replace(con, scope, validated=validated, run_id=run_id)
    return inserted


def record_file(con: duckdb.DuckDBPyConnection, sha256: str, path_ref: str, size: int, run_id: str) -> None:
    """The file's row in ``raw.files`` (kept from the first import of the same bytes)."""
    con.execute(
        "insert or ignore into raw.files (sha256, path, kind, bytes, read_at, run_id) "
        "values (?, ?, 'precinct_table', ?, ?, ?)",
        [sha256, path_ref, size, datetime.now(UTC), run_id],
    )


def record_import(
    con: duckdb.DuckDBPyConnection,
    info: ElectionInfo,
    fmt: str,
    path_ref: str,
    sha256: str,
    leader_id: str,
    chosen_by: str,
    table: PrecinctTable,
    validated,
    run_id: str,
    source: str = "official",
) -> None:
    """Drop what earlier imports of this election, contest and source loaded (core rows, quarantined
    rows, flags); record this import."""
    earlier = (
        "t.election_id = ? and t.contest_id = ? and t.source = ? "
        "and t.source_sha256 in (select source_sha256 from core.precinct_imports where election_id = ? "
        "and contest_id = ? and source = ? and source_sha256 <> ?)"
    )
    key = [info.election_id, info.contest_id, source, info.election_id, info.contest_id, source, sha256]
    store.clear(con, store.Scope(earlier, key, PROTOCOL_TABLE))
    con.execute(
        "delete from core.precinct_imports where election_id = ? and contest_id = ? and source = ?",
        [info.election_id, info.contest_id, source],
    )
    con.execute(
        "insert into core.precinct_imports (election_id, contest_id, format, source_ref, source_sha256, "
        "leader, leader_chosen_by, rows_read, rows_loaded, rows_quarantined, run_id, imported_at, source) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            info.election_id,
            info.contest_id,
            fmt,
            path_ref,
            sha256,
            leader_id,
            chosen_by,
            table.rows_read,
            len(validated.good),
            validated.rejected_rows,
            run_id,
            datetime.now(UTC),
            source,
        ],
    )


def in_transaction(con: duckdb.DuckDBPyConnection, work: Callable[[], None]) -> None:
    """Run ``work`` in one transaction: all of it is written, or none."""
    con.execute("begin transaction")
    try:
        work()
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
