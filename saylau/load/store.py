"""The one store of protocol values: every write into ``core.protocol_values`` goes through here, under one
replace rule.

**The rule.** A write names its *scope*: the rows a source's new statement takes the place of (the same
source's bytes, the same import of an election and contest, the units of the CEC's pages re-validated).
What is in scope is removed from ``core.protocol_values`` and, for the validated table the write belongs
to, from ``core.validation_flags`` and ``quarantine.<table>``; then the new good rows go to core, the
rejected rows to quarantine, the soft-rule hits to the flags and the counts to ``meta.data_quality``.
Storing the same statement twice therefore adds nothing, and a correction leaves no trace of what it
corrects. A scope is a condition over the columns the three tables share (``election_id``,
``contest_id``, ``source``, ``level``, ``unit_id``, ``source_ref``, ``source_sha256``), written with
``?`` parameters: never text from a source.

Callers hold the transaction (:func:`replace` does not commit), so a loader's write is whole or absent;
:func:`store_protocols` is the whole write of one validated protocol table in its own transaction.

The other writes of a validation's outcome live here too: rejected rows into ``quarantine.<table>``
(:func:`store_rejected`), soft-rule hits into ``core.validation_flags`` (:func:`store_flags`) and the
per-rule counts into ``meta.data_quality`` (:func:`store_counts`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
import pandas as pd

from saylau.protocol import KEY_COLUMNS, option_columns, to_long
from saylau.validate import Validated, values_text
from saylau.warehouse import insert_frame, table_exists

VALUES = "core.protocol_values"
FLAGS = "core.validation_flags"


@dataclass(frozen=True)
class Scope:
    """What a write replaces: the rows matching ``where`` (aliased ``t``) with ``params``. ``table_name`` is
    the validated table whose flags and quarantine are replaced with the values (None: values only)."""

    where: str
    params: Sequence[object] = field(default_factory=tuple)
    table_name: str | None = None

    @classmethod
    def of_sources(cls, sha256s: Sequence[str], table_name: str | None = None) -> Scope:
        """Everything stated by these source bytes (none: nothing)."""
        if not sha256s:
            return cls("false", (), table_name)
        return cls("t.source_sha256 in (select unnest(?))", (list(sha256s),), table_name)


def clear(con: duckdb.DuckDBPyConnection, scope: Scope) -> None:
    """Remove the scope's protocol values and, with a ``table_name``, its flags and quarantined rows."""
    params = list(scope.params)
    con.execute(f"delete from {VALUES} as t where {scope.where}", params)
    if scope.table_name is None:
        return
    con.execute(
        f"delete from {FLAGS} as t where t.table_name = ? and {scope.where}", [scope.table_name, *params]
    )
    quarantine = quarantine_table(scope.table_name)
    if table_exists(con, quarantine):
        con.execute(f"delete from {quarantine} as t where {scope.where}", params)


def insert_values(con: duckdb.DuckDBPyConnection, long: pd.DataFrame) -> int:
    """Long protocol rows (:func:`saylau.protocol.to_long`'s columns) into core; returns rows written."""
    if long.empty:
        return 0
    return insert_frame(con, VALUES, long)


def insert_select(con: duckdb.DuckDBPyConnection, select: str, params: Sequence[object] = ()) -> int:
    """The rows of a SELECT (of core's columns, in its order, or by name) into core; returns rows written."""
    before = con.execute(f"select count(*) from {VALUES}").fetchone()[0]
    con.execute(f"insert into {VALUES} by name {select}", list(params))
    return con.execute(f"select count(*) from {VALUES}").fetchone()[0] - before


def replace(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    rows: pd.DataFrame | None = None,
    select: str | None = None,
    select_params: Sequence[object] = (),
    validated=None,
    run_id: str | None = None,
) -> int:
    """Apply the rule: clear the scope, then write the new values (a long frame, or a SELECT) and, given
    the :class:`~saylau.validate.Validated` result, its rejected rows, flags and counts under ``run_id``.
    Returns the values written."""
    clear(con, scope)
    written = 0
    if rows is not None:
        written += insert_values(con, rows)
    if select is not None:
        written += insert_select(con, select, select_params)
    if validated is not None:
        if scope.table_name is None:
            raise ValueError("a validated write names its table (Scope.table_name)")
        store_rejected(con, scope.table_name, validated, run_id)
        store_flags(con, scope.table_name, validated, run_id)
        store_counts(con, validated, run_id)
    return written


def quarantine_table(table_name: str) -> str:
    """``quarantine.<table>`` for a staging table name (``staging.x`` or ``x``)."""
    name = table_name.split(".")[-1]
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise ValueError(f"not a usable table name: {table_name!r}")
    return f"quarantine.{name}"


def _duck_type(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "bigint"
    if pd.api.types.is_float_dtype(series):
        return "double"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "timestamp"
    return "varchar"


def append_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Append a frame to a table by column name, creating the table or adding columns as needed.

    Quarantined rows keep every column they came with, so the table grows to the union of columns.
    Values are stored as text unless the column is numeric or a time, which keeps a bad value as written.
    """
    schema, name = table.split(".")
    existing = dict(
        con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchall()
    )
    if not existing:
        cols = ", ".join(f'"{c}" {_duck_type(frame[c])}' for c in frame.columns)
        con.execute(f"create table if not exists {table} ({cols})")
    else:
        for c in frame.columns:
            if c not in existing:
                con.execute(f'alter table {table} add column "{c}" {_duck_type(frame[c])}')
    if frame.empty:
        return
    insert_frame(con, table, frame)


def _text_columns(frame: pd.DataFrame, keep: Sequence[str] = ()) -> pd.DataFrame:
    """Columns other than ``keep`` as text (rejected values are kept as written, whatever their type)."""
    out = frame.copy()
    for c in out.columns:
        if c not in keep:
            out[c] = (
                out[c].astype(object).where(out[c].notna(), None).map(lambda v: None if v is None else str(v))
            )
    return out


def store_rejected(con: duckdb.DuckDBPyConnection, table_name: str, validated: Validated, run_id: str) -> int:
    """Rejected rows -> ``quarantine.<table>`` with run id and time; returns rows written."""
    if validated.rejected.empty:
        return 0
    rows = _text_columns(validated.rejected, keep=("row_position", "source_row"))
    rows["row_position"] = validated.rejected["row_position"].astype("int64").to_numpy()
    if "source_row" in rows.columns:
        rows["source_row"] = pd.to_numeric(rows["source_row"], errors="coerce").astype("Int64")
    rows["table_name"] = table_name
    rows["run_id"] = run_id
    rows["quarantined_at"] = datetime.now(UTC).replace(tzinfo=None)
    append_frame(con, quarantine_table(table_name), rows)
    return len(rows)


def store_flags(con: duckdb.DuckDBPyConnection, table_name: str, validated: Validated, run_id: str) -> int:
    """Soft-rule hits -> ``core.validation_flags`` (protocol key columns + a text key for other tables)."""
    if validated.flags.empty:
        return 0
    flags = validated.flags
    out = pd.DataFrame(
        {
            "table_name": table_name,
            "run_id": run_id,
            "row_position": flags["row_position"].astype("int64").to_numpy(),
            "rule": flags["rule"].astype(str).to_numpy(),
            "severity": flags["severity"].astype(str).to_numpy(),
            "failing_values": flags["failing_values"].astype(str).to_numpy(),
            "reason": flags["reason"].astype(str).to_numpy(),
        }
    )
    for c in (*KEY_COLUMNS, "region_code", "source_ref", "source_sha256"):
        out[c] = flags[c].astype(object).where(flags[c].notna(), None).to_numpy() if c in flags else None
    out["source_row"] = (
        pd.to_numeric(flags["source_row"], errors="coerce").astype("Int64").to_numpy()
        if "source_row" in flags
        else pd.NA
    )
    out["source_row"] = out["source_row"].astype("Int64")
    other = [k for k in validated.key_columns if k not in out.columns and k in flags.columns]
    if other:
        text = values_text(flags, flags.index, other)
        out["row_key"] = text.to_numpy()
    else:
        out["row_key"] = None
    return insert_frame(con, FLAGS, out)


def store_counts(con: duckdb.DuckDBPyConnection, validated: Validated, run_id: str) -> int:
    """Per-rule counts -> ``meta.data_quality`` for this run; returns rows written.

    Counts belong to the inputs they were found in: when every input of this table (``source_sha256`` and
    contest: one file may hold several contests) was counted by an earlier run already, a rerun over the same inputs adds nothing, so rebuilding from
    unchanged inputs leaves ``marts.data_quality`` as it was. Inputs are listed in
    ``meta.data_quality_inputs``.
    """
    if validated.counts.empty:
        return 0
    table = str(validated.counts["table_name"].iloc[0])
    inputs = _source_contests(validated)
    if inputs:
        seen = con.execute(
            "select count(distinct (source_sha256, coalesce(contest_id, ''))) from meta.data_quality_inputs "
            "where table_name = ? and (source_sha256, coalesce(contest_id, '')) in "
            "(select (unnest(?), unnest(?)))",
            [table, [sha for sha, _ in inputs], [contest for _, contest in inputs]],
        ).fetchone()[0]
        if seen == len(inputs):
            return 0
        con.executemany(
            "insert into meta.data_quality_inputs (run_id, table_name, source_sha256, contest_id) "
            "values (?, ?, ?, ?)",
            [[run_id, table, sha, contest or None] for sha, contest in inputs],
        )
    counts = validated.counts.assign(run_id=run_id)
    return insert_frame(con, "meta.data_quality", counts)


def integer_option_columns(frame: pd.DataFrame) -> list[str]:
    """Option columns holding counts (free-text extras such as a photo reference are not options)."""
    return [c for c in option_columns(frame) if pd.api.types.is_integer_dtype(frame[c])]


def store_protocols(
    con: duckdb.DuckDBPyConnection,
    table_name: str,
    validated: Validated,
    run_id: str,
    replace_by_source: bool = True,
) -> None:
    """Write one validated protocol table to the warehouse, in one transaction.

    Good rows go to ``core.protocol_values`` (long, via :func:`saylau.protocol.to_long`), rejected rows to
    ``quarantine.<table_name>`` (with rule, failing values and their source: ``source_ref`` +
    ``source_row`` or URL + ``source_sha256``), soft-rule hits to ``core.validation_flags`` and the counts
    to ``meta.data_quality``. What an earlier run stored from the same source bytes (``source_sha256``)
    and table is replaced, so storing the same input twice adds nothing. A caller that has removed what it
    replaces itself (``replace_by_source=False``: promotion, which re-validates units, not whole sources)
    only adds.
    """
    good = validated.good
    shas = _source_shas(validated) if replace_by_source else []
    rows = to_long(good.assign(run_id=run_id), integer_option_columns(good)) if len(good) else None
    con.execute("begin transaction")
    try:
        replace(con, Scope.of_sources(shas, table_name), rows=rows, validated=validated, run_id=run_id)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


def _source_contests(validated: Validated) -> list[tuple[str, str]]:
    """The (source sha256, contest) pairs a validated table's rows came from (contest '' where none)."""
    pairs: set[tuple[str, str]] = set()
    for frame in (validated.good, validated.rejected):
        if "source_sha256" not in frame.columns or frame.empty:
            continue
        contests = frame["contest_id"] if "contest_id" in frame.columns else pd.Series("", index=frame.index)
        both = pd.DataFrame({"sha": frame["source_sha256"], "contest": contests.fillna("").astype(str)})
        pairs |= {
            (str(s), c) for s, c in both.dropna(subset=["sha"]).drop_duplicates().itertuples(index=False)
        }
    return sorted(pairs)


def _source_shas(validated: Validated) -> list[str]:
    shas: set[str] = set()
    for frame in (validated.good, validated.rejected):
        if "source_sha256" in frame.columns:
            shas |= {str(s) for s in frame["source_sha256"].dropna().unique()}
    return sorted(shas)
