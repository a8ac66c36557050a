"""Storing a validated export: staging rows, core rows, and which observer copy counts.

Copies of one precinct's protocol from one organisation that disagree are all kept
(``core.observer_protocol_copies``) and flagged; which copy counts is decided in SQL
(``intermediate.int_observer_protocols_resolved``): the single version backed by a photo of the protocol,
otherwise none. Only resolved copies enter ``core.protocol_values`` (:func:`resolve_observer_protocols`).
"""

from __future__ import annotations

import json
import numbers
from datetime import datetime

import duckdb
import pandas as pd

from saylau.config import SQL_DIR
from saylau.load import store
from saylau.observers.columns import TABLES
from saylau.observers.parse import ParsedExport, empty_column
from saylau.protocol import to_long
from saylau.sqlrun import run_file
from saylau.validate import Validated
from saylau.warehouse import insert_frame, table_exists

CORE_TABLES = {
    "protocol": "core.observer_protocol_copies",
    "turnout": "core.observer_turnout",
    "violation": "core.observer_violations",
}
_STAGING_PROTOCOL_LINES = (
    "registered",
    "ballots_received",
    "ballots_issued",
    "ballots_cancelled",
    "ballots_in_boxes",
    "invalid",
    "valid",
)


def delete_file_rows(con: duckdb.DuckDBPyConnection, sha256: str) -> None:
    """Remove every row loaded from one file's bytes (staging, core, quarantine, flags)."""
    for table in [*(f"staging.{t}" for t in TABLES.values()), *CORE_TABLES.values(), "core.validation_flags"]:
        con.execute(f"delete from {table} where source_sha256 = ?", [sha256])
    for table in TABLES.values():
        if table_exists(con, f"quarantine.{table}"):
            con.execute(f"delete from quarantine.{table} where source_sha256 = ?", [sha256])


def _is_count(value: object) -> bool:
    """A vote count that parsed (an int, not a bool, NaN or text as typed)."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def stage_rows(con: duckdb.DuckDBPyConnection, parsed: ParsedExport, run_id: str) -> None:
    """Parsed rows -> ``staging.observer_*`` (as parsed, typed where they parse; no personal data)."""
    frame = parsed.frame.copy()
    frame["run_id"] = run_id
    frame["organisation"] = frame["source"]
    table = f"staging.{TABLES[parsed.kind]}"
    columns = [r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_schema = 'staging' and table_name = ?",
        [TABLES[parsed.kind]],
    ).fetchall()]  # fmt: skip
    if parsed.kind == "protocol":
        frame["votes"] = [
            json.dumps(
                {p: int(v) for p in parsed.columns.parties if _is_count(v := row.get(p))}, ensure_ascii=False
            )
            for row in frame[list(parsed.columns.parties)].to_dict("records")
        ]
    numeric = {"registered", "voters_counted", *_STAGING_PROTOCOL_LINES}
    out = pd.DataFrame(index=frame.index)
    for c in columns:
        if c not in frame.columns:
            continue
        if c in numeric:  # a count that does not parse stays in the quarantine, as written; NULL here
            out[c] = pd.to_numeric(frame[c].map(lambda v: v if isinstance(v, int) else None), errors="coerce")
            out[c] = out[c].astype("Int64")
        elif c == "as_of":
            out[c] = pd.to_datetime(frame[c].map(lambda v: v if isinstance(v, datetime) else None))
        elif c == "source_row":
            out[c] = frame[c].astype("int64")
        else:
            out[c] = (
                frame[c]
                .astype(object)
                .where(frame[c].notna(), None)
                .map(lambda v: None if v is None else str(v))
            )
    insert_frame(con, table, out)


def store_core(
    con: duckdb.DuckDBPyConnection, parsed: ParsedExport, validated: Validated, run_id: str
) -> None:
    """Good rows -> ``core``: protocol copies in long form (one row per line and option, with the copy's
    photo flag) into ``core.observer_protocol_copies``, turnout counts and violation reports as they are."""
    good = validated.good
    if good.empty:
        return
    if parsed.kind == "protocol":
        options = [p for p in parsed.columns.parties if p in good.columns]
        long = to_long(good.assign(run_id=run_id), options)
        extra = good[["source_row", "copy_id", "observer_hash"]].copy()
        # the photo column is optional: a file without one has no copy backed by a photo
        photo = good["photo_ref"] if "photo_ref" in good.columns else empty_column(good)
        extra["has_photo"] = photo.notna() & (photo.astype(str).str.strip() != "")
        long = long.merge(extra, on="source_row", how="left")
        frame, table = long, CORE_TABLES["protocol"]
    else:
        frame = good.assign(run_id=run_id)
        table = CORE_TABLES[parsed.kind]
    columns = [r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_schema = 'core' and table_name = ?",
        [table.split(".")[1]],
    ).fetchall()]  # fmt: skip
    frame = frame[[c for c in columns if c in frame.columns]]
    insert_frame(con, table, frame)


# the views that decide which observer copy counts, in the order they build on each other
OBSERVER_VIEWS = (
    "int_observer_copies_compared.sql",
    "int_observer_protocol_conflicts.sql",
    "int_observer_protocols_resolved.sql",
)


def ensure_views(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create the observer views of ``sql/20_intermediate`` (the loader resolves copies through them)."""
    for name in OBSERVER_VIEWS:
        run_file(con, SQL_DIR / "20_intermediate" / name)


def resolve_observer_protocols(con: duckdb.DuckDBPyConnection) -> int:
    """Replace observers' rows in ``core.protocol_values`` by the copies that count; returns rows written.

    Which copy counts is decided by ``intermediate.int_observer_copies_compared`` (see docs/observers.md).
    """
    ensure_views(con)
    # only rows that came from observers' files: an organisation's precinct table imported under its id
    # (`import-precincts --source <organisation>`, core.precinct_imports) is no copy and stays
    from_files = (
        "t.source in (select distinct organisation from raw.observer_files) "
        "and t.source_sha256 in (select sha256 from raw.observer_files) "
        "and not exists (select 1 from core.precinct_imports as i where i.source_sha256 = t.source_sha256 "
        "and i.source = t.source and i.election_id = t.election_id and i.contest_id = t.contest_id)"
    )
    store.replace(
        con, store.Scope(from_files), select="select * from intermediate.int_observer_protocols_resolved"
    )
    return con.execute(f"select count(*) from core.protocol_values as t where {from_files}").fetchone()[0]


def record_conflicts(con: duckdb.DuckDBPyConnection, run_id: str) -> int:
    """Count precincts whose observer copies disagree with no photo to decide, into ``meta.data_quality``."""
    ensure_views(con)
    n = con.execute(
        "select count(*) from intermediate.int_observer_protocol_conflicts where resolution = 'unresolved'"
    ).fetchone()[0]
    # the unresolved conflicts as they stand now, counted once however often files were loaded
    con.execute("delete from meta.data_quality where rule = 'conflict_unresolved'")
    if n:
        con.execute(
            "insert into meta.data_quality values (?, 'observer_protocols', 'conflict_unresolved', 'flag', ?)",
            [run_id, n],
        )
    return n
