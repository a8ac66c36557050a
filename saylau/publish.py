"""Publishing: the read-only copy analysts open, replaced atomically, plus Parquet files of every mart.

The working database is never opened by analysts. After a successful run its finished layers are copied
into a temporary file in the published folder, which then replaces ``saylau.duckdb`` with one
``os.replace``: a reader sees the previous file or the new one, never a partial one, and a reader that
holds the old file open keeps reading it undisturbed. A run that fails (or is killed) before this step
leaves the previous published file exactly as it was. The run being published is 'publishing' in the
working file; its final status is written into the copy before the rename (``finished_run``), so the
published file never says a run is still publishing, and says it finished only once it is in place.

The Parquet files are swapped as one set: each publish writes every mart into a new hidden folder
(``.parquet-<random>/``) and then repoints the symlink ``parquet`` to it with one ``os.replace``, so
``parquet/`` always holds one publish's whole set. One publisher at a time (a lock on the published
folder); it clears what a killed publisher left behind (temporary files and folders).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from saylau.crashpoints import crashpoint
from saylau.warehouse import table_names

# Everything but staging (unvalidated rows and the staging views) reaches analysts; of intermediate its
# tables (intermediate.int_precinct_protocols feeds the report's forensics plots).
PUBLISHED_SCHEMAS = ("ref", "raw", "core", "intermediate", "quarantine", "marts", "meta")


@dataclass
class PublishResult:
    database: Path
    parquet_dir: Path
    tables: dict[str, int] = field(default_factory=dict)
    parquet_files: list[Path] = field(default_factory=list)


def publish(
    work_db: Path, published_db: Path, parquet_dir: Path, finished_run: tuple[str, str] | None = None
) -> PublishResult:
    """Copy the working warehouse's published schemas to ``published_db`` atomically; export marts to Parquet.

    ``finished_run``: (run id, final status) of the run publishing, its status in the copy's meta.runs."""
    work_db, published_db, parquet_dir = Path(work_db), Path(published_db), Path(parquet_dir)
    published_db.parent.mkdir(parents=True, exist_ok=True)
    with _publisher(published_db.parent):
        _clear_leftovers(published_db, parquet_dir)
        result = _publish_db(work_db, published_db, parquet_dir, finished_run)
        result.parquet_files = export_parquet(published_db, parquet_dir)
    return result


def _publish_db(
    work_db: Path, published_db: Path, parquet_dir: Path, finished_run: tuple[str, str] | None = None
) -> PublishResult:
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
            if finished_run is not None:  # the copy says how the run ended: it lands whole or not at all
                run_id, status = finished_run
                con.execute("update meta.runs set status = ? where run_id = ?", [status, run_id])
            con.execute("checkpoint")
        finally:
            con.close()
        _fsync(tmp)
        crashpoint("publish.temp")
        os.replace(tmp, published_db)
        _fsync_dir(published_db.parent)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
    return result


@contextmanager
def _publisher(folder: Path) -> Iterator[None]:
    """Hold the published folder: one publisher at a time (the lock dies with its process)."""
    fd = os.open(folder, os.O_RDONLY)  # a lock on the folder itself: no lock file to leave behind
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _clear_leftovers(published_db: Path, parquet_dir: Path) -> None:
    """Temporary files and Parquet folders of a publisher that was killed (none is running: we hold the lock)."""
    folder = published_db.parent
    for path in folder.glob(f".{published_db.name}.*.tmp*"):
        path.unlink(missing_ok=True)
    current = parquet_dir.resolve() if parquet_dir.is_symlink() else None
    for path in parquet_dir.parent.glob(f".{parquet_dir.name}-*"):
        if path.is_symlink() or not path.is_dir():
            path.unlink(missing_ok=True)
        elif path.resolve() != current:
            shutil.rmtree(path, ignore_errors=True)


def _work_tables(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    rows = con.execute(
        "select table_name from duckdb_tables() where database_name = 'work' and schema_name = ? order by 1",
        [schema],
    ).fetchall()
    return [r[0] for r in rows]


def export_parquet(published_db: Path, parquet_dir: Path) -> list[Path]:
    """One Parquet file per mart, written into a new folder that then replaces the previous set at once.

    ``parquet_dir`` is a symlink to the current set's folder (``.parquet-<random>`` beside it); the
    symlink is replaced atomically, and the previous folder removed once nothing points at it.
    """
    folder = parquet_dir.parent
    folder.mkdir(parents=True, exist_ok=True)
    new = Path(tempfile.mkdtemp(prefix=f".{parquet_dir.name}-", dir=folder))
    tables = []
    con = duckdb.connect(str(published_db), read_only=True)
    try:
        for table in table_names(con, "marts"):
            con.execute(
                f'copy (select * from marts."{table}") to {_literal(new / f"{table}.parquet")} (format parquet)'
            )
            _fsync(new / f"{table}.parquet")
            tables.append(table)
            crashpoint("publish.parquet")
    finally:
        con.close()
    new.chmod(0o755)  # mkdtemp makes it private
    _fsync_dir(new)
    link = folder / f"{new.name}.link"
    link.symlink_to(new.name)
    if parquet_dir.is_dir() and not parquet_dir.is_symlink():  # a plain folder from before sets were swapped
        parquet_dir.rename(folder / f".{parquet_dir.name}-plain")
    previous = parquet_dir.resolve() if parquet_dir.is_symlink() else None
    os.replace(link, parquet_dir)
    _fsync_dir(folder)
    if previous is not None and previous != new.resolve():
        shutil.rmtree(previous, ignore_errors=True)
    shutil.rmtree(folder / f".{parquet_dir.name}-plain", ignore_errors=True)
    return [parquet_dir / f"{table}.parquet" for table in tables]


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
