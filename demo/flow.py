"""The ``demo`` flow: :func:`demo.run.run_demo` (the main job on the bundled demo election) under Prefect."""

from __future__ import annotations

from pathlib import Path

from prefect import flow

from demo.run import DEMO_ELECTION, DemoOutcome, run_demo
from flows.tasks import PrefectSteps
from saylau.config import Settings, settings

__all__ = ["DEMO_ELECTION", "DemoOutcome", "demo_flow"]


@flow(name="demo", log_prints=False)
def demo_flow(build_dir: str | None = None, scrape_site: bool = True) -> DemoOutcome:
    """Generate the demo election, scrape its CEC double, load its files, rebuild marts and publish."""
    s = Settings(build_dir=Path(build_dir)) if build_dir else settings()
    return run_demo(s, scrape_site, PrefectSteps())
