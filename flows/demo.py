"""The main job on the bundled demo election: what ``make demo`` and ``saylau demo`` run."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from prefect import flow
from prefect.runtime import flow_run

from flows.tasks import build_marts, prepare_warehouse, publish_warehouse
from saylau import runs
from saylau.config import Settings, settings
from saylau.marts import MartChecksum
from saylau.reference import reference_file_hashes


@dataclass
class DemoOutcome:
    run_id: str
    work_db: Path
    published_db: Path
    reference_rows: dict[str, int] = field(default_factory=dict)
    marts: dict[str, MartChecksum] = field(default_factory=dict)
    published_tables: dict[str, int] = field(default_factory=dict)


@flow(name="demo", log_prints=False)
def demo_flow(build_dir: str | None = None) -> DemoOutcome:
    """Build the warehouse, load reference data, rebuild marts and publish, recording the run in meta.runs."""
    s = Settings(build_dir=Path(build_dir)) if build_dir else settings()
    db = s.work_db
    ref_rows = prepare_warehouse(db)
    run_id = runs.start_run(
        db, "demo", {"build_dir": str(s.build_dir)}, run_id=str(flow_run.id or "") or None
    )
    try:
        checksums = build_marts(db)
        inputs = runs.input_manifest_hash(reference_file_hashes().values())
        runs.finish_run(db, run_id, "completed", input_hash=inputs, checksums=checksums)
        published = publish_warehouse(db, s.published_db, s.parquet_dir)
    except Exception as exc:
        runs.finish_run(db, run_id, "failed", error=f"{type(exc).__name__}: {exc}")
        raise
    return DemoOutcome(run_id, db, s.published_db, ref_rows, checksums, published.tables)
