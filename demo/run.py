"""The main job on the bundled demo election, in plain functions: what ``make demo`` and ``saylau demo`` run.

The demo election is generated into ``<build>/demo``; the double of the CEC site serves it on loopback
while the election-night job (:func:`saylau.pipeline.election_night`) scrapes it; the demo job
(:func:`saylau.pipeline.demo_files`) then loads the official precinct table and the observers' exports
written beside it, and the 2023 single-member districts' precinct tables and observers' copies
(``demo/election_2023.py``), rebuilds the marts, publishes and writes the 2021 report. ``demo/flow.py`` runs the same
under Prefect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from demo.election import ELECTION_ID
from saylau import pipeline
from saylau.config import Settings
from saylau.fetch import FetchPolicy
from saylau.marts import MartChecksum

DEMO_ELECTION = ELECTION_ID


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


def generate_demo(folder: Path) -> dict[str, str]:
    """Write the demo elections' files: 2021 (official precinct table, observers' exports, ground truth)
    under ``folder``, and the 2023 single-member districts under ``folder/kz-2023-03-19``."""
    from demo import election_2023
    from demo.outputs import generate_into

    written = generate_into(folder)
    election_2023.generate_into(folder / election_2023.ELECTION_ID)
    return written


def demo_elections(folder: Path) -> list[pipeline.ElectionFiles]:
    """What the demo job loads: the 2021 election's files, then the 2023 districts' official precinct
    tables and the observers' copies of them (their district form, through load-observers)."""
    from demo import election_2023 as e23
    from demo.outputs import job_files

    root = folder / e23.ELECTION_ID
    tables = tuple((root / "official" / f"precincts_{c}.csv", c, "official") for c in e23.CONTESTS)
    # the observers' copies in their own district form, loaded as an organisation's file would be
    return [job_files(folder), pipeline.ElectionFiles(e23.ELECTION_ID, tables, (root / "observers",))]


def scrape_double(s: Settings, steps: pipeline.Steps) -> int:
    """Serve the CEC double (its clock after the final results: every page is out) and run election night
    against it at full speed; returns the pages parsed."""
    from demo.site import start_site

    with start_site() as site:
        options = pipeline.NightOptions(
            base_url=site.base_url,
            election_id=DEMO_ELECTION,
            policy=FetchPolicy(requests_per_second=0, max_concurrency=8),
            workers=8,
        )
        return pipeline.election_night(s, options, steps).staged_pages


def run_demo(s: Settings, scrape_site: bool = True, steps: pipeline.Steps = pipeline.PLAIN) -> DemoOutcome:
    """Generate the demo election, scrape its CEC double, load its files, rebuild marts, publish, report."""
    folder = s.build_dir / "demo"
    steps.call("generate-demo-election", generate_demo, folder)
    pages = scrape_double(s, steps) if scrape_site else 0
    files = pipeline.demo_files(s, demo_elections(folder), DEMO_ELECTION, steps=steps)
    precincts = [r for r in files.results if hasattr(r, "rows_loaded")]
    observers = [r for r in files.results if not hasattr(r, "rows_loaded")]
    return DemoOutcome(
        files.run_id,
        s.work_db,
        s.published_db,
        pages,
        sum(r.rows_loaded for r in precincts),
        len(observers),
        [p for r in observers for p in r.problems],
        files.marts,
        files.report,
    )
