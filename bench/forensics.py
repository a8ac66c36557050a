"""Benchmark of a precinct import plus every forensics mart on a real ~96k-precinct election.

Run: ``.venv/bin/python -m bench.forensics [PATH] [--election-id ID]`` (default: the shared Russian 2016
table, the larger of the two). Imports into a fresh temporary warehouse, then builds every forensics mart
(the precinct intermediate and ``sql/30_marts/forensics_*.sql``), and prints wall and CPU seconds (CPU
time is disturbed less by other work on a shared machine) of each phase and SQL file, the total, the
full mart build of the warehouse for context, and the peak memory. Prints figures; asserts nothing. Target (issue 7): import + every forensics mart < 30 s on
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
    """Seconds (wall and CPU) of one import's phases, of every forensics mart built after it, and of the
    full mart build (every engineer's marts) for comparison."""
    from saylau import marts, reference, warehouse
    from saylau.precincts import import_precincts
    from saylau.sqlrun import run_file, sql_files

    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "work.duckdb"
        warehouse.create_warehouse(db)
        with warehouse.connect(db) as con:
            reference.load_reference(con)
        t0, c0 = time.perf_counter(), time.process_time()
        result = import_precincts(
            db, path, "izbirkom-csv", election_id, archive_dir=Path(tmp) / "archive", build_marts=False
        )
        figures["import (parse + validate + load)_s"] = time.perf_counter() - t0
        figures["import (parse + validate + load)_cpu_s"] = time.process_time() - c0
        figures.update({f"  {k}_s": v for k, v in result.timings.items() if k != "marts"})
        figures.update({f"  {k}_cpu_s": v for k, v in result.cpu_timings.items() if k != "marts"})
        figures["precincts"] = result.rows_loaded
        forensic = [f for f in sql_files("20_intermediate") if f.name.startswith("int_precinct")]
        forensic += [f for f in sql_files("30_marts") if f.name.startswith("forensics_")]
        with warehouse.connect(db) as con:
            con.execute("set enable_progress_bar = false")
            t1, c1 = time.perf_counter(), time.process_time()
            for path_sql in forensic:
                t, c = time.perf_counter(), time.process_time()
                run_file(con, path_sql)
                figures[f"  sql {path_sql.name}_s"] = time.perf_counter() - t
                figures[f"  sql {path_sql.name}_cpu_s"] = time.process_time() - c
            figures["every forensics mart_s"] = time.perf_counter() - t1
            figures["every forensics mart_cpu_s"] = time.process_time() - c1
            figures["IMPORT + EVERY FORENSICS MART_s"] = time.perf_counter() - t0
            figures["IMPORT + EVERY FORENSICS MART_cpu_s"] = time.process_time() - c0
            figures["peak memory after import + forensics (MiB)"] = peak_memory_mb()
            t2, c2 = time.perf_counter(), time.process_time()
            marts.build_marts(con)
            figures["full mart build, every mart of the warehouse (context)_s"] = time.perf_counter() - t2
            figures["full mart build, every mart of the warehouse (context)_cpu_s"] = time.process_time() - c2
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_TABLE)
    parser.add_argument("--election-id", default=DEFAULT_ELECTION)
    args = parser.parse_args()
    figures = bench_import(args.path, args.election_id)
    print(f"precinct import + marts: {args.path.name} ({figures.pop('precincts'):,} precincts)")
    for name, value in figures.items():
        print(f"  {name:<64} {value:8.2f}")
    print(f"  {'peak memory at the end (MiB)':<64} {peak_memory_mb():8.0f}")


if __name__ == "__main__":
    main()
