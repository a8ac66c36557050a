"""Prefect artifacts of a run: what the run found, readable in the Prefect UI without opening DuckDB.

What they hold is :func:`saylau.report.artifacts.run_summary` (no Prefect there); this module only creates
them on the current flow or task run: one markdown artifact (the summary) and a table artifact per key mart.
Call ``run_artifacts`` (or ``report_and_artifacts``) as the last step of a flow, after publishing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID

from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from saylau.report.artifacts import TABLES, artifact_key, run_summary, summary_markdown

__all__ = [
    "TABLES",
    "RunArtifacts",
    "artifact_key",
    "create_run_artifacts",
    "report_and_artifacts",
    "run_artifacts",
    "summary_markdown",
]


@dataclass
class RunArtifacts:
    """The artifacts created: the summary's id and each table artifact's key and id."""

    summary: UUID
    tables: dict[str, UUID] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def create_run_artifacts(
    published_db: Path | str, election_id: str, report_path: Path | str | None = None
) -> RunArtifacts:
    """Create the summary (markdown) and the key tables (table artifacts) of ``election_id`` on the current
    flow or task run, from the published database."""
    found = run_summary(Path(published_db), election_id, Path(report_path) if report_path else None)
    created = RunArtifacts(
        create_markdown_artifact(found.markdown, key=found.key, description=found.description),
        missing=found.missing,
    )
    for table in found.tables:
        created.tables[table.key] = create_table_artifact(
            table.rows, key=table.key, description=table.description
        )
    return created


@task(name="run-artifacts", cache_policy=NO_CACHE)
def run_artifacts(published_db: str, election_id: str, report_path: str | None = None) -> RunArtifacts:
    """The artifacts of a run, as a task (the last step of a flow, after publishing)."""
    return create_run_artifacts(published_db, election_id, report_path)


@task(name="report-and-artifacts", cache_policy=NO_CACHE)
def report_and_artifacts(published_db: str, report_dir: str, election_id: str) -> str:
    """The election's HTML report (saylau.report) and the run's artifacts; returns the report's path.
    The last step of a flow, after publishing."""
    from saylau.report import build_report

    report = build_report(Path(published_db), election_id, Path(report_dir))
    create_run_artifacts(published_db, election_id, report.path)
    return str(report.path)
