"""Benchmark of the rebuild from the archive (``saylau rebuild`` without Prefect), offline.

Run: ``.venv/bin/python -m bench.rebuild [--scale 10] [--regions KZ-75,...]``. Crawls the CEC double once
(untimed; bench.scrape's full and incremental runs) to fill a warehouse and its archive, then times what
``flows/rebuild.py`` does through the pure functions: ``saylau.scrape.restage_from_archive`` (forget what
was parsed, re-parse every archived page version), ``saylau.official.promote_official``,
``saylau.marts.build_marts`` and ``saylau.publish.publish``. Prints figures; asserts nothing.
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
    from saylau import marts, official, publish, runs, scrape, warehouse
    from saylau.archive import Archive
    from saylau.config import Settings

    s = Settings(build_dir=root, db_override=root / "work.duckdb")
    figures: dict = {}
    run_id = runs.start_run(s.work_db, "rebuild_plain", {})
    t0 = time.perf_counter()
    with warehouse.connect(s.work_db) as con:
        summary = scrape.restage_from_archive(con, Archive(s.archive_dir), None, run_id)
        figures["restage_s"] = time.perf_counter() - t0
        t = time.perf_counter()
        if summary.election_id:
            official.promote_official(con, summary.election_id, run_id, incremental=False)
        figures["promote_s"] = time.perf_counter() - t
        t = time.perf_counter()
        checksums = marts.build_marts(con)
        figures["marts_s"] = time.perf_counter() - t
    runs.finish_run(s.work_db, run_id, "completed", checksums=checksums)
    t = time.perf_counter()
    publish.publish(s.work_db, s.published_db, s.parquet_dir)
    figures["publish_s"] = time.perf_counter() - t
    figures["rebuild_s"] = time.perf_counter() - t0
    figures["pages"] = summary.parsed
    figures["failed"] = len(summary.failed)
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
