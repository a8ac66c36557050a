"""Benchmark of Prefect's own overhead: the same election-night work with and without Prefect.

Run: ``.venv/bin/python -m bench.prefect [--scale 10] [--regions KZ-75,...]``. Prints figures; asserts
nothing. Target (issue 9): the flow takes at most 1.3x the plain functions' time on the demo election,
excluding the Prefect server's start-up (reported on its own).

In one process, against two fresh copies of the CEC double serving the same election (so neither run
finds the other's pages already rendered), each into its own empty build folder:

1. *plain*: :func:`saylau.pipeline.election_night` with plain steps (what ``saylau run`` does): discover,
   fetch, archive, record, parse, stage, promote, marts, finish the run, publish and the report;
2. *flow*: the same job as the ``election_night`` flow (flows/scrape.py: each step a task) under ``prefect_test_harness`` (a temporary
   Prefect server on a temporary SQLite database), with the same fetch policy (unlimited rate, the same
   concurrency). The flow also creates its Prefect artifacts: that is part of what Prefect costs.

Start-up is the harness's start plus a first trivial flow run (the client's first connection and
registration), timed before the election-night flow. Imports (prefect, flows, saylau's modules, matplotlib
through saylau.plots) happen before either run and are not timed.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def plain_night(build_dir: Path, base_url: str, workers: int) -> dict:
    """The election-night work without Prefect; returns pages fetched, versions staged, report written."""
    from saylau import pipeline
    from saylau.config import Settings

    s = Settings(build_dir=build_dir, db_override=None)
    options = pipeline.NightOptions(base_url=base_url, policy=_policy(workers), workers=workers)
    outcome = pipeline.election_night(s, options, pipeline.Steps(workers))
    return {"pages": outcome.fetched, "staged": outcome.new_versions, "report": outcome.report is not None}


def _policy(workers: int):
    from saylau.fetch import FetchPolicy

    # the flow's policy (flows/scrape.py::election_night) at unlimited rate
    return FetchPolicy(
        requests_per_second=0,
        max_concurrency=workers,
        read_timeout=20.0,
        retry_after_max=120.0,
        backoff_base=0.01,
    )


def bench_prefect(scale: int = 1, regions: tuple[str, ...] | None = None, workers: int = 8) -> dict:
    """Seconds of the plain run and of the flow run, their ratio, and the server's start-up.

    Returns ``plain_s``, ``flow_s``, ``ratio`` (flow / plain), ``startup_s`` (harness start + first trivial
    flow run), ``harness_s``, ``first_flow_s``, ``pages`` (documents each run fetched), ``precincts`` and
    ``peak_mb``."""
    from prefect import flow
    from prefect.testing.utilities import prefect_test_harness

    import flows  # noqa: F401  (Prefect's environment before prefect is imported)
    from bench.scrape import BENCH_REGIONS
    from demo.election import generate
    from demo.site import DemoSite, SiteProcess
    from flows.scrape import election_night

    @flow(name="bench-warm-up")
    def warm_up() -> int:
        return 1

    import flows.artifacts  # noqa: F401  (every module either run needs, imported before the clocks start)
    import saylau.marts
    import saylau.official
    import saylau.plots
    import saylau.publish
    import saylau.report  # noqa: F401

    election = generate(scale=scale)
    regions = BENCH_REGIONS if regions is None else regions
    kwargs: dict = {"protocols": regions != ()}
    if regions:
        kwargs["protocol_regions"] = tuple(regions)
    figures: dict = {"precincts": len(election.precincts)}
    # Each run gets a fresh site (no page rendered for the other), serving from its own process (as the CEC
    # does from another machine), both forked before Prefect's harness starts its threads.
    with (
        tempfile.TemporaryDirectory() as tmp,
        SiteProcess(DemoSite(election, **kwargs)) as plain_site,
        SiteProcess(DemoSite(election, **kwargs)) as flow_site,
    ):
        t0 = time.perf_counter()
        plain = plain_night(Path(tmp) / "plain", plain_site.base_url, workers)
        figures["plain_s"] = time.perf_counter() - t0
        figures["pages"] = plain["pages"]
        t0 = time.perf_counter()
        with prefect_test_harness(server_startup_timeout=90):
            figures["harness_s"] = time.perf_counter() - t0
            t1 = time.perf_counter()
            warm_up()
            figures["first_flow_s"] = time.perf_counter() - t1
            figures["startup_s"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            outcome = election_night(
                base_url=flow_site.base_url,
                build_dir=str(Path(tmp) / "flow"),
                requests_per_second=0,
                max_concurrency=workers,
                workers=workers,
                read_timeout=20.0,
                retry_after_max=120.0,
                backoff_base=0.01,
            )
            figures["flow_s"] = time.perf_counter() - t0
        figures["flow_pages"] = outcome.fetched
    figures["ratio"] = figures["flow_s"] / figures["plain_s"]
    figures["peak_mb"] = peak_mb()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--regions", default=None, help="regions publishing protocols (default: the demo's)")
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    regions = tuple(r for r in args.regions.split(",") if r) if args.regions is not None else None
    f = bench_prefect(args.scale, regions, args.workers)
    print(f"election night, demo election x{args.scale} ({f['precincts']:,} precincts, {f['pages']:,} pages)")
    print(f"  without Prefect (pure functions)      {f['plain_s']:8.1f} s")
    print(f"  election_night flow (excl. start-up)  {f['flow_s']:8.1f} s")
    print(f"  ratio flow / plain                    {f['ratio']:8.2f}x (target <= 1.3x)")
    print(
        f"  Prefect server start-up               {f['startup_s']:8.1f} s "
        f"(harness {f['harness_s']:.1f} s + first flow run {f['first_flow_s']:.1f} s)"
    )
    print(f"  peak memory                           {f['peak_mb']:8.0f} MB")


if __name__ == "__main__":
    main()
