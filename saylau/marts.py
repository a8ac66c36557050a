"""Building the marts from ``sql/`` and fingerprinting what was built.

Marts are rebuilt from scratch on every run (``create or replace``), so a rebuild over the same core
gives the same content; :func:`table_checksum` proves it without comparing file bytes. Each model's build
time and rows go to ``meta.model_builds``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from saylau.crashpoints import crashpoint
from saylau.sqlrun import CheckFailure, ModelBuild, model_graph, run_checks, run_models
from saylau.warehouse import table_names


class DataCheckError(RuntimeError):
    """One or more ``sql/90_checks`` queries returned rows."""

    def __init__(self, failures: list[CheckFailure]) -> None:
        self.failures = failures
        super().__init__("data checks failed:\n  " + "\n  ".join(str(f) for f in failures))


@dataclass(frozen=True)
class MartChecksum:
    rows: int
    checksum: str


def build_marts(
    con: duckdb.DuckDBPyConnection, select: Sequence[str] | None = None, run_id: str | None = None
) -> dict[str, MartChecksum]:
    """Build the models in dependency order, then the checks; return each mart's checksum.

    ``select`` (``saylau marts --select``): ``MODEL`` builds that model and what it reads, ``MODEL+`` also
    what reads it; the checks that read a built model (or no model) run. Without it, every model and
    check; the ``marts`` job passes its selection as its run's parameter ``select``. Each model's build
    time is recorded in ``meta.model_builds`` under ``run_id`` (default: the run now ``running``)."""
    running = _running_run(con)
    if select is None and running and running[1] == "marts":
        select = running[2].get("select") or None
    run_id = run_id or (running[0] if running else None)
    graph = model_graph()
    names = graph.select(select) if select else None
    builds = run_models(con, graph, names, after_phase=lambda _phase: crashpoint("marts.phase"))
    record_builds(con, run_id, builds)
    failures = run_checks(con, models=[b.model for b in builds] if select else None)
    if failures:
        raise DataCheckError(failures)
    return mart_checksums(con)


def _running_run(con: duckdb.DuckDBPyConnection) -> tuple[str, str, dict] | None:
    """The run holding the writer lock (the one ``running`` row), if the warehouse records one."""
    try:
        rows = con.execute(
            "select run_id, flow, parameters from meta.runs where status = 'running'"
        ).fetchall()
    except duckdb.CatalogException:
        return None
    if len(rows) != 1:
        return None
    run_id, flow, parameters = rows[0]
    return run_id, flow, json.loads(parameters) if parameters else {}


def record_builds(con: duckdb.DuckDBPyConnection, run_id: str | None, builds: list[ModelBuild]) -> None:
    """One ``meta.model_builds`` row per model built."""
    now = datetime.now(UTC)
    con.executemany(
        "insert into meta.model_builds (run_id, model, seconds, rows, built_at) values (?, ?, ?, ?, ?)",
        [(run_id, b.model, round(b.seconds, 4), b.rows, now) for b in builds],
    )


def table_checksum(con: duckdb.DuckDBPyConnection, qualified_table: str) -> MartChecksum:
    """Rows and an order-independent md5 of a table's content (each row rendered as text)."""
    rows, digest = con.execute(
        f"select count(*), coalesce(md5(string_agg(h, '' order by h)), md5('')) "
        f"from (select md5(cast(t as varchar)) as h from {qualified_table} as t)"
    ).fetchone()
    return MartChecksum(rows, digest)


def mart_checksums(con: duckdb.DuckDBPyConnection) -> dict[str, MartChecksum]:
    """Checksum of every table in the ``marts`` schema."""
    return {f"marts.{t}": table_checksum(con, f'marts."{t}"') for t in table_names(con, "marts")}
