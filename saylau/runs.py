"""``meta.runs``: a row per run saying what ran, with which code and inputs, and what it wrote."""

from __future__ import annotations

import hashlib
import json
import subprocess
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

import duckdb

import saylau
from saylau.config import PROJECT_ROOT
from saylau.marts import MartChecksum
from saylau.warehouse import connect


def code_version(root: Path = PROJECT_ROOT) -> str:
    """The git commit the code came from ('-dirty' when the work tree differs), else the package version."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return f"saylau-{saylau.__version__}"
    return commit + ("-dirty" if dirty else "")


def input_manifest_hash(sha256s: Iterable[str]) -> str:
    """One sha256 over the sorted, de-duplicated sha256s of every input a run read."""
    joined = "\n".join(sorted(set(sha256s)))
    return hashlib.sha256(joined.encode()).hexdigest()


def start_run(db_path: Path, flow: str, parameters: Mapping | None = None, run_id: str | None = None) -> str:
    """Record a run as started; returns its id."""
    run_id = run_id or str(uuid.uuid4())
    with connect(db_path) as con:
        con.execute(
            "insert into meta.runs (run_id, flow, started_at, status, code_version, parameters) "
            "values (?, ?, ?, 'running', ?, ?)",
            [
                run_id,
                flow,
                datetime.now(UTC),
                code_version(),
                json.dumps(parameters or {}, default=str, sort_keys=True),
            ],
        )
    return run_id


def finish_run(
    db_path: Path,
    run_id: str,
    status: str,
    input_hash: str | None = None,
    checksums: Mapping[str, MartChecksum] | None = None,
    error: str | None = None,
) -> None:
    """Record how a run ended, with its inputs' hash and the checksum of each mart it wrote."""
    marts = {name: {"rows": c.rows, "checksum": c.checksum} for name, c in (checksums or {}).items()}
    with connect(db_path) as con:
        con.execute(
            "update meta.runs set finished_at = ?, status = ?, input_manifest_hash = ?, "
            "mart_checksums = ?, error = ? where run_id = ?",
            [datetime.now(UTC), status, input_hash, json.dumps(marts, sort_keys=True), error, run_id],
        )


# A run that recorded its end and is copying the warehouse to the published file (saylau.pipeline.bookkeeping
# Run.finish); the copy carries its final status, which the working file takes once the copy is in place.
PUBLISHING = "publishing"
FINAL = ("completed", "failed")

# The jobs of saylau.pipeline: each holds the working database's writer lock (saylau.warehouse.writer_lock)
# for its whole run (saylau.pipeline.bookkeeping.job).
LOCKED_FLOWS = ("election_night", "demo", "rebuild", "load_observers", "import_precincts", "marts")


def set_status(db_path: Path, run_id: str, status: str) -> None:
    """Change a finished run's status only (a run 'publishing' whose published copy is in place)."""
    with connect(db_path) as con:
        con.execute("update meta.runs set status = ? where run_id = ?", [status, run_id])


def _published_status(published_db: Path | None, run_id: str) -> str | None:
    """The status the published file gives a run (its copy landed), or None (no file, or not in it)."""
    if published_db is None or not Path(published_db).exists():
        return None
    try:
        with connect(published_db, read_only=True) as con:
            row = con.execute("select status from meta.runs where run_id = ?", [run_id]).fetchone()
    except duckdb.Error:  # not a warehouse (nothing this run could have published)
        return None
    return row[0] if row and row[0] in FINAL else None


def mark_crashed(
    db_path: Path, flows: Iterable[str] = LOCKED_FLOWS, published_db: Path | None = None
) -> list[str]:
    """Runs left 'running' or 'publishing' that can no longer be: settled; returns the ids of those marked
    'crashed', oldest first.

    Call it holding the writer lock: no other run of ``flows`` can be alive then, so such a row was left by
    a process that died without finishing (SIGKILL, out of memory, power cut). A 'running' one is
    'crashed'; its partial work is taken up by the run that noticed it. A 'publishing' one had recorded its
    end and was copying the warehouse to ``published_db``: when the published file holds the run with its
    final status, the copy landed and the run takes that status ('completed' or 'failed'); otherwise the
    published file is the previous one and the run is 'crashed' (its own error kept after the crash's).
    Without ``published_db`` 'publishing' rows are left for a job that knows it.
    """
    flows = list(flows)
    now = f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC"
    with connect(db_path) as con:
        rows = con.execute(
            "select run_id, status, error from meta.runs where status in ('running', ?) "
            "and flow in (select unnest(?)) order by started_at",
            [PUBLISHING, flows],
        ).fetchall()
    crashed, settled = [], []
    for run_id, status, error in rows:
        if status == "running":
            crashed.append(run_id)
            settled.append(("crashed", f"the run's process ended without finishing (noticed {now})", run_id))
        elif published_db is not None:
            landed = _published_status(published_db, run_id)
            if landed:
                settled.append((landed, error, run_id))
                continue
            crashed.append(run_id)
            why = f"the run's process ended while publishing, before its copy was in place (noticed {now})"
            settled.append(("crashed", why + (f"\n{error}" if error else ""), run_id))
    if settled:
        with connect(db_path) as con:
            con.executemany("update meta.runs set status = ?, error = ? where run_id = ?", settled)
    return crashed
