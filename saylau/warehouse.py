"""Opening and creating the working DuckDB warehouse.

Only one process writes the working file at a time (DuckDB's rule); analysts never open it, they open
the published copy (see :mod:`saylau.publish`). Connections are opened and closed per step: flows pass
paths, never connections.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from saylau.sqlrun import run_phase

WAREHOUSE_SCHEMAS = ("raw", "ref", "staging", "core", "intermediate", "quarantine", "marts", "meta")


@contextmanager
def writer_lock(db_path: Path, timeout: float = 3600.0) -> Iterator[None]:
    """Hold the working warehouse for one pipeline run: a second run (a scheduled run overlapping a manual
    one, say) waits for the first instead of failing on DuckDB's file lock halfway through."""
    import fcntl
    import time

    lock_path = Path(db_path).with_suffix(".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"another run has held {db_path} for over {timeout:.0f} s") from None
                time.sleep(0.5)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def connect(db_path: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the warehouse file, closed (and checkpointed) on exit."""
    db_path = Path(db_path)
    if not read_only:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path), read_only=read_only)
    try:
        yield con
        if not read_only:
            con.execute("checkpoint")
    finally:
        con.close()


def create_warehouse(db_path: Path) -> list[str]:
    """Create every schema and table from ``sql/00_setup`` (idempotent); return the files run."""
    with connect(db_path) as con:
        files = run_phase(con, "00_setup")
    return [f.name for f in files]


def table_exists(con: duckdb.DuckDBPyConnection, qualified: str) -> bool:
    """Whether ``schema.table`` exists (quarantine tables are created by their first rejected row)."""
    schema, name = qualified.split(".", 1)
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchone()[0]
    )


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame, verb: str = "insert") -> int:
    """Insert a pandas frame into ``table`` by column name (``verb``: ``insert``, ``insert or ignore``,
    ``insert or replace``); returns the frame's rows. The one way frames enter the warehouse."""
    if verb not in ("insert", "insert or ignore", "insert or replace"):
        raise ValueError(f"not an insert: {verb!r}")
    con.register("_insert_frame", frame)
    try:
        con.execute(f"{verb} into {table} by name select * from _insert_frame")
    finally:
        con.unregister("_insert_frame")
    return len(frame)


def table_names(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    """Base tables of one schema, sorted."""
    rows = con.execute(
        "select table_name from information_schema.tables "
        "where table_schema = ? and table_type = 'BASE TABLE' order by table_name",
        [schema],
    ).fetchall()
    return [r[0] for r in rows]


def row_counts(
    con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...] = WAREHOUSE_SCHEMAS
) -> dict[str, int]:
    """Rows per table, as ``{"schema.table": n}``."""
    counts = {}
    for schema in schemas:
        for table in table_names(con, schema):
            counts[f"{schema}.{table}"] = con.execute(
                f'select count(*) from "{schema}"."{table}"'
            ).fetchone()[0]
    return counts
