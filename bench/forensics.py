"""Benchmark of a precinct import plus every forensics mart on a real ~96k-precinct election.

Run: ``.venv/bin/python -m bench.forensics [PATH] [--election-id ID]`` (default: the shared Russian 2016
table, the larger of the two). Imports into a fresh temporary warehouse and prints the time of each
phase (parse, validate, load, marts), the time of each forensics SQL file on its own, the process's
CPU time (a figure that other work on a shared machine disturbs less than wall time) and its peak memory. Prints figures; asserts nothing. Target (issue 7): import + every forensics mart < 30 s on
2 cores.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

DEFAULT_TABLE = Path("/work/shared/data/precinct_results/russia_duma_2016.csv.zip")
DEFAULT_ELECTION = "ru-2016-09-18"


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_import(path: Path, election_id: str) -> dict[str, float]:
    """Seconds per phase of one import (marts included) and of each forensics SQL file rerun alone."""
    from saylau import reference, warehouse
    from saylau.precincts import import_precincts
    from saylau.sqlrun import run_file, sql_files

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "work.duckdb"
        warehouse.create_warehouse(db)
        with warehouse.connect(db) as con:
            reference.load_reference(con)
        t0 = time.perf_counter()
        result = import_precincts(db, path, "izbirkom-csv", election_id, archive_dir=Path(tmp) / "archive")
        figures = {"import_total_s": time.perf_counter() - t0}
        figures.update({f"{k}_s": v for k, v in result.timings.items()})
        figures.update({f"{k}_cpu_s": v for k, v in result.cpu_timings.items()})
        figures["precincts"] = result.rows_loaded
        with warehouse.connect(db) as con:
            forensic = [f for f in sql_files("20_intermediate") if f.name.startswith("int_precinct")]
            forensic += [f for f in sql_files("30_marts") if f.name.startswith("forensics_")]
            start = time.perf_counter()
            for path_sql in forensic:
                t, c = time.perf_counter(), time.process_time()
                run_file(con, path_sql)
                figures[f"sql {path_sql.name}_s"] = time.perf_counter() - t
                figures[f"sql {path_sql.name}_cpu_s"] = time.process_time() - c
            figures["forensics_sql_total_s"] = time.perf_counter() - start
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_TABLE)
    parser.add_argument("--election-id", default=DEFAULT_ELECTION)
    args = parser.parse_args()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    wall = time.perf_counter()
    figures = bench_import(args.path, args.election_id)
    after = resource.getrusage(resource.RUSAGE_SELF)
    figures["wall_total_s (incl. the SQL reruns)"] = time.perf_counter() - wall
    figures["cpu_total_s (user + sys, all threads)"] = (after.ru_utime - usage.ru_utime) + (
        after.ru_stime - usage.ru_stime
    )
    print(f"precinct import + marts: {args.path.name} ({figures.pop('precincts'):,} precincts)")
    for name, value in figures.items():
        print(f"  {name:<48} {value:8.2f}")
    print(f"  {'peak memory (MiB)':<48} {peak_memory_mb():8.0f}")


if __name__ == "__main__":
    main()
