"""The main job on the bundled demo election: what ``make demo`` and ``saylau demo`` run.

The demo election (``demo/``) is generated into ``build/demo``; the double of the CEC site serves it on
loopback while the election-night flow scrapes it; the official precinct table and the observers'
exports written beside it are loaded like any such files; marts are rebuilt and the result published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows.artifacts import report_and_artifacts
from flows.scrape import election_night
from flows.tasks import build_marts, prepare_warehouse, publish_warehouse
from saylau import runs, warehouse
from saylau.config import Settings, settings
from saylau.marts import MartChecksum

DEMO_ELECTION = "kz-2021-01-10"


@dataclass
class DemoOutcome:
    run_id: str
    work_db: Path
    published_db: Path
    pages_parsed: int = 0
    precinct_rows: int = 0
    observer_files: int = 0
    observer_problems: list[str] = field(default_factory=list)
    marts: dict[str, MartChecksum] = field(default_factory=dict)
    report: Path | None = None


@task(name="generate-demo-election", cache_policy=NO_CACHE)
def generate_demo(folder: Path) -> dict[str, str]:
    """Write the demo election's files (official precinct table, observers' exports, ground truth)."""
    from demo.outputs import generate_into

    return generate_into(folder)


@task(name="import-official-precincts", cache_policy=NO_CACHE)
def import_official_precincts(db: Path, table: Path, archive_dir: Path) -> int:
    """Load the official precinct table (kz-precinct-csv), every contest; returns rows imported."""
    from saylau.precincts import import_precinct_file

    results = import_precinct_file(db, table, "kz-precinct-csv", DEMO_ELECTION, archive_dir=archive_dir)
    return sum(r.rows_loaded for r in results)


@task(name="load-observer-exports", cache_policy=NO_CACHE)
def load_observer_exports(db: Path, folder: Path, run_id: str, s: Settings) -> tuple[int, list[str]]:
    """Load every observers' export of the demo; returns (files loaded, problems reported)."""
    from saylau.observers import load_observers

    results = load_observers(db, [folder], election_id=DEMO_ELECTION, run_id=run_id, s=s)
    return len(results), [p for r in results for p in r.problems]


@flow(name="demo", log_prints=False)
def demo_flow(build_dir: str | None = None, scrape_site: bool = True) -> DemoOutcome:
    """Generate the demo election, scrape its CEC double, load its files, rebuild marts and publish."""
    s = Settings(build_dir=Path(build_dir)) if build_dir else settings()
    folder = s.build_dir / "demo"
    generate_demo(folder)
    pages = 0
    if scrape_site:
        from demo.site import start_site

        with start_site() as site:  # the clock stands after the final results: every page is out
            night = election_night(
                base_url=site.base_url,
                election_id=DEMO_ELECTION,
                build_dir=str(s.build_dir),
                requests_per_second=0,
                max_concurrency=8,
                workers=8,
            )
        pages = night.staged_pages
    with warehouse.writer_lock(s.work_db):
        prepare_warehouse(s.work_db)
        runs.mark_crashed(s.work_db)  # holding the writer lock: a 'running' row is a dead run's
        run_id = runs.start_run(
            s.work_db, "demo", {"build_dir": str(s.build_dir)}, run_id=str(flow_run.id or "") or None
        )
        try:
            rows = import_official_precincts(s.work_db, folder / "official" / "precincts.csv", s.archive_dir)
            files, problems = load_observer_exports(s.work_db, folder / "observers", run_id, s)
            checksums = build_marts(s.work_db)
            with warehouse.connect(s.work_db, read_only=True) as con:
                shas = [
                    r[0]
                    for r in con.execute(
                        "select sha256 from raw.files union select sha256 from raw.pages"
                    ).fetchall()
                ]
            runs.finish_run(s.work_db, run_id, "completed", runs.input_manifest_hash(shas), checksums)
            publish_warehouse(s.work_db, s.published_db, s.parquet_dir)
            report = report_and_artifacts(str(s.published_db), str(s.report_dir), DEMO_ELECTION)
        except Exception as exc:
            runs.finish_run(s.work_db, run_id, "failed", error=f"{type(exc).__name__}: {exc}")
            raise
    return DemoOutcome(
        run_id, s.work_db, s.published_db, pages, rows, files, problems, checksums, Path(report)
    )
