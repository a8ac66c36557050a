"""``meta.runs``: a row per run saying what ran, with which code and inputs, and what it wrote."""

from __future__ import annotations

import hashlib
import json
import subprocess
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

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


# The jobs of saylau.pipeline: each holds the working database's writer lock (saylau.warehouse.writer_lock)
# for its whole run (saylau.pipeline.bookkeeping.job).
LOCKED_FLOWS = ("election_night", "demo", "rebuild", "load_observers", "import_precincts", "marts")


def mark_crashed(db_path: Path, flows: Iterable[str] = LOCKED_FLOWS) -> list[str]:
    """Runs still 'running' that can no longer be: marked 'crashed'; returns their ids, oldest first.

    Call it holding the writer lock: no other run of ``flows`` can be alive then, so such a row was left by
    a process that died without finishing (SIGKILL, out of memory, power cut). Its partial work is taken up
    by the run that noticed it.
    """
    flows = list(flows)
    with connect(db_path) as con:
        ids = [
            r[0]
            for r in con.execute(
                "select run_id from meta.runs where status = 'running' and flow in (select unnest(?)) "
                "order by started_at",
                [flows],
            ).fetchall()
        ]
        if ids:
            con.execute(
                "update meta.runs set status = 'crashed', error = ? where run_id in (select unnest(?))",
                [
                    f"the run's process ended without finishing (noticed {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC)",
                    ids,
                ],
            )
    return ids
