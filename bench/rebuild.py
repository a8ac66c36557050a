"""Benchmark of the rebuild from the archive (``saylau rebuild`` without Prefect), offline.

Run: ``.venv/bin/python -m bench.rebuild [--scale 10] [--regions KZ-75,...]``. Crawls the CEC double once
(untimed; bench.scrape's full and incremental runs) to fill a warehouse and its archive, then runs
:func:`saylau.pipeline.rebuild` (what ``saylau rebuild`` does) with steps that time themselves: restage
(forget what was parsed, re-parse every archived page version), promote, replay the file loads, marts and
publish. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path


def bench_rebuild(root: Path) -> dict:
    """Rebuild the warehouse ``root/work.duckdb`` from ``root/archive`` (as bench.scrape leaves them with
    ``keep=root``). Returns ``restage_s``, ``promote_s``, ``marts_s``, ``publish_s``, ``rebuild_s`` (the
    sum), ``pages`` (page versions re-parsed) and ``peak_mb``."""
    from saylau import pipeline
    from saylau.config import Settings

    s = Settings(build_dir=root, db_override=root / "work.duckdb")
    steps = pipeline.TimedSteps()
    t0 = time.perf_counter()
    outcome = pipeline.rebuild(s, None, steps)
    total = time.perf_counter() - t0
    names = {"restage": "restage-from-archive", "promote": "promote-official", "marts": "build-marts",
             "publish": "publish", "replay": "replay-file-loads"}  # fmt: skip
    figures = {f"{key}_s": steps.seconds.get(name, 0.0) for key, name in names.items()}
    figures["rebuild_s"] = total
    figures["pages"] = outcome.staged_pages
    figures["failed"] = len(outcome.failures)
    figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def main() -> None:
    from bench.scrape import bench_crawl

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--regions", default=None, help="regions publishing protocols (default: the demo's)")
    args = parser.parse_args()
    regions = tuple(r for r in args.regions.split(",") if r) if args.regions is not None else None
    with tempfile.TemporaryDirectory() as tmp:
        crawl = bench_crawl(args.scale, regions, plain=False, keep=Path(tmp))
        f = bench_rebuild(Path(tmp))
    print(f"rebuild from the archive, demo election x{args.scale} ({crawl['precincts']:,} precincts)")
    print(f"  page versions re-parsed {f['pages']:,} ({f['failed']} failed)")
    for key in ("restage", "promote", "marts", "publish", "rebuild"):
        print(f"  {key:<22} {f[key + '_s']:8.1f} s")
    print(f"  peak memory (incl. the crawl) {f['peak_mb']:.0f} MB")


if __name__ == "__main__":
    main()
