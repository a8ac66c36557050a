"""The archive's manifest: what each archived body was, kept beside the bodies, so the archive folder alone
rebuilds the warehouse on a fresh clone (``saylau rebuild``).

The bodies (:mod:`saylau.archive`) say nothing about where they came from. Next to them, under
``<archive>/manifest/``, every fetch attempt (the row ``raw.fetches`` gets) and every file load (an
observer export or a precinct table, with the parameters it was loaded with) is written as a small gzip
JSON-lines file named by the sha256 of its content: written once, atomically, never changed, so a crash
leaves either the whole record or none, and writing the same records twice stores them once.

- ``manifest/fetches/``: rows of ``raw.fetches`` (without the database's ``fetch_id``).
- ``manifest/journal/``: a run's fetch attempts as they happen, one JSON line per fetch appended to a file
  of the fetching process's own (``<run_id>.<pid>.jsonl``), so a run killed at any moment keeps the record
  of every body it archived. A run that records its attempts (:func:`write` above, then ``raw.fetches``)
  removes its journal; the next run settles what a killed run left (:func:`settle_journals`).
- ``manifest/loads/``: one record per file load that changed the warehouse: ``op`` (``observer_file`` or
  ``precinct_table``), the file's ``sha256`` and ``path`` as given, when it was loaded, and the arguments
  the load took, so a rebuild repeats the loads in their original order with the archived bytes.
"""

from __future__ import annotations

import gzip
import json
import os
import threading
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path

import duckdb

from saylau.archive import sha256_of, write_gzip_once

FETCHES, LOADS, JOURNAL = "fetches", "loads", "journal"
FETCH_KEY = ("run_id", "url", "attempt", "requested_at")


def _default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def write(archive_dir: Path, kind: str, records: Iterable[Mapping]) -> Path | None:
    """Store records of one kind as one content-addressed file; returns its path (None when no records)."""
    lines = [json.dumps(dict(r), default=_default, sort_keys=True, ensure_ascii=False) for r in records]
    if not lines:
        return None
    body = ("\n".join(lines) + "\n").encode("utf-8")
    target = Path(archive_dir) / "manifest" / kind / f"{sha256_of(body)}.jsonl.gz"
    write_gzip_once(target, body)
    return target


def read(archive_dir: Path, kind: str) -> list[dict]:
    """Every record of a kind, each once (a record written twice, e.g. by a rerun after a crash, counts once)."""
    seen: dict[str, dict] = {}
    for path in sorted((Path(archive_dir) / "manifest" / kind).glob("*.jsonl.gz")):
        for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines():
            if line:
                seen.setdefault(line, json.loads(line))
    return list(seen.values())


def restore_fetches(con: duckdb.DuckDBPyConnection, archive_dir: Path) -> int:
    """Insert into ``raw.fetches`` every archived fetch attempt it lacks, in the order they happened;
    returns how many were missing (all of them in a fresh warehouse, none in the one that fetched them)."""
    return insert_missing_fetches(con, read(archive_dir, FETCHES))


def insert_missing_fetches(con: duckdb.DuckDBPyConnection, records: list[dict]) -> int:
    """Insert the fetch ``records`` that ``raw.fetches`` lacks (by run, URL, attempt and time), oldest
    first; returns how many were inserted."""
    import pandas as pd

    if not records:
        return 0
    frame = pd.DataFrame.from_records(records)
    frame["requested_at"] = pd.to_datetime(frame["requested_at"], utc=True, format="ISO8601")
    frame = frame.sort_values(["requested_at", "url", "attempt"], kind="stable")
    columns = [c for c in frame.columns if c != "fetch_id"]
    con.register("_manifest", frame[columns])
    try:
        before = con.execute("select count(*) from raw.fetches").fetchone()[0]
        key = " and ".join(f"f.{k} is not distinct from m.{k}" for k in FETCH_KEY)
        con.execute(
            f"insert into raw.fetches ({', '.join(columns)}) "
            f"select {', '.join('m.' + c for c in columns)} from _manifest as m "
            f"where not exists (select 1 from raw.fetches as f where {key}) "
            "order by m.requested_at, m.url, m.attempt"
        )
        return con.execute("select count(*) from raw.fetches").fetchone()[0] - before
    finally:
        con.unregister("_manifest")


_journal_lock = threading.Lock()


def journal(archive_dir: Path, run_id: str, records: Iterable[Mapping]) -> None:
    """Append fetch records of run ``run_id`` to this process's journal as they happen (one write of whole
    lines on an append-only file: a kill leaves at most a last line cut short, which readers skip). Not
    fsynced: a SIGKILL loses nothing the kernel was handed; a power cut may lose the tail, and the next run
    then fetches those pages again unconditionally (their bodies are in the archive already)."""
    lines = [json.dumps(dict(r), default=_default, sort_keys=True, ensure_ascii=False) for r in records]
    if not lines:
        return
    path = Path(archive_dir) / "manifest" / JOURNAL / f"{run_id}.{os.getpid()}.jsonl"
    data = ("\n".join(lines) + "\n").encode("utf-8")
    with _journal_lock:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)


def journals(archive_dir: Path, run_id: str | None = None) -> list[Path]:
    """The journal files of run ``run_id`` (every run's when None)."""
    folder = Path(archive_dir) / "manifest" / JOURNAL
    return sorted(folder.glob(f"{run_id}.*.jsonl" if run_id else "*.jsonl"))


def read_journals(paths: Iterable[Path]) -> list[dict]:
    """The whole records of the journal files (a line a kill cut short is skipped)."""
    records = []
    for path in paths:
        for line in path.read_bytes().split(b"\n"):
            try:
                records.append(json.loads(line))
            except ValueError:  # empty, or cut short
                continue
    return records


def drop_journals(archive_dir: Path, run_id: str | None = None) -> None:
    """Remove run ``run_id``'s journals (its attempts are in a manifest file and ``raw.fetches`` now)."""
    for path in journals(archive_dir, run_id):
        path.unlink(missing_ok=True)


def settle_journals(con: duckdb.DuckDBPyConnection, archive_dir: Path) -> int:
    """What runs killed while fetching left in their journals: written as a manifest file, inserted into
    ``raw.fetches`` where missing, then the journals removed. Call holding the writer lock, before this
    run fetches (every journal then is a dead run's). Returns the attempts restored."""
    paths = journals(archive_dir)
    if not paths:
        return 0
    records = read_journals(paths)
    write(archive_dir, FETCHES, records)
    restored = insert_missing_fetches(con, records)
    for path in paths:
        path.unlink(missing_ok=True)
    return restored


def record_load(archive_dir: Path, op: str, sha256: str, path: str, loaded_at: datetime, **arguments) -> None:
    """Remember one file load (after it changed the warehouse) so a rebuild can repeat it."""
    write(
        archive_dir,
        LOADS,
        [dict(op=op, sha256=sha256, path=path, loaded_at=loaded_at, arguments=arguments)],
    )


def loads(archive_dir: Path) -> list[dict]:
    """Every recorded file load, oldest first."""
    return sorted(read(archive_dir, LOADS), key=lambda r: (r["loaded_at"], r["op"], r["path"]))
