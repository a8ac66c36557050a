"""Publishing: the read-only copy analysts open, replaced atomically, plus Parquet files of every mart.

The working database is never opened by analysts. After a successful run its finished layers are copied
into a temporary file in the published folder, which then replaces ``saylau.duckdb`` with one
``os.replace``: a reader sees the previous file or the new one, never a partial one, and a reader that
holds the old file open keeps reading it undisturbed. A run that fails before this step leaves the
previous published file exactly as it was.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from saylau.warehouse import table_names

# Everything but staging (unvalidated rows) reaches analysts.
PUBLISHED_SCHEMAS = ("ref", "raw", "core", "quarantine", "marts", "meta")


@dataclass
class PublishResult:
    database: Path
    parquet_dir: Path
    tables: dict[str, int] = field(default_factory=dict)
    parquet_files: list[Path] = field(default_factory=list)


def publish(work_db: Path, published_db: Path, parquet_dir: Path) -> PublishResult:
    """Copy the working warehouse's published schemas to ``published_db`` atomically; export marts to Parquet."""
    work_db, published_db, parquet_dir = Path(work_db), Path(published_db), Path(parquet_dir)
    published_db.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{published_db.name}.", suffix=".tmp", dir=published_db.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # duckdb must create the file itself
    result = PublishResult(published_db, parquet_dir)
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute(f"attach {_literal(work_db)} as work (read_only)")
            for schema in PUBLISHED_SCHEMAS:
                con.execute(f'create schema if not exists "{schema}"')
                for table in _work_tables(con, schema):
                    con.execute(
                        f'create table "{schema}"."{table}" as select * from work."{schema}"."{table}"'
                    )
                    result.tables[f"{schema}.{table}"] = con.execute(
                        f'select count(*) from "{schema}"."{table}"'
                    ).fetchone()[0]
            con.execute("detach work")
            con.execute("checkpoint")
        finally:
            con.close()
        _fsync(tmp)
        os.replace(tmp, published_db)
        _fsync_dir(published_db.parent)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
    result.parquet_files = export_parquet(published_db, parquet_dir)
    return result


def _work_tables(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    rows = con.execute(
        "select table_name from duckdb_tables() where database_name = 'work' and schema_name = ? order by 1",
        [schema],
    ).fetchall()
    return [r[0] for r in rows]


def export_parquet(published_db: Path, parquet_dir: Path) -> list[Path]:
    """One Parquet file per mart, each written to a temporary name and renamed into place."""
    parquet_dir.mkdir(parents=True, exist_ok=True)
    written = []
    con = duckdb.connect(str(published_db), read_only=True)
    try:
        for table in table_names(con, "marts"):
            target = parquet_dir / f"{table}.parquet"
            tmp = parquet_dir / f".{table}.parquet.tmp"
            con.execute(f'copy (select * from marts."{table}") to {_literal(tmp)} (format parquet)')
            os.replace(tmp, target)
            written.append(target)
    finally:
        con.close()
    for stale in set(parquet_dir.glob("*.parquet")) - set(written):
        stale.unlink()
    return written


def _literal(path: Path) -> str:
    """A path as a SQL string literal (ATTACH and COPY take no bound parameters)."""
    return "'" + str(path).replace("'", "''") + "'"


def _fsync(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
