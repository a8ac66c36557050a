"""The archive's manifest: what each archived body was, kept beside the bodies, so the archive folder alone
rebuilds the warehouse on a fresh clone (``saylau rebuild``).

The bodies (:mod:`saylau.archive`) say nothing about where they came from. Next to them, under
``<archive>/manifest/``, every fetch attempt (the row ``raw.fetches`` gets) and every file load (an
observer export or a precinct table, with the parameters it was loaded with) is written as a small gzip
JSON-lines file named by the sha256 of its content: written once, atomically, never changed, so a crash
leaves either the whole record or none, and writing the same records twice stores them once.

- ``manifest/fetches/``: rows of ``raw.fetches`` (without the database's ``fetch_id``).
- ``manifest/loads/``: one record per file load that changed the warehouse: ``op`` (``observer_file`` or
  ``precinct_table``), the file's ``sha256`` and ``path`` as given, when it was loaded, and the arguments
  the load took, so a rebuild repeats the loads in their original order with the archived bytes.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path

import duckdb

from saylau.archive import sha256_of, write_gzip_once

FETCHES, LOADS = "fetches", "loads"
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
    import pandas as pd

    records = read(archive_dir, FETCHES)
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
