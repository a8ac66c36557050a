"""Benchmark of a precinct import plus every forensics mart on a real ~96k-precinct election.

Run: ``.venv/bin/python -m bench.forensics [PATH] [--election-id ID]`` (default: the shared Russian 2016
table, the larger of the two, found beside the checkout: ``saylau.config.SHARED_DIR``). Runs the
import-precincts job into a fresh temporary warehouse (the import, then every mart, forensics included,
no publish) and prints wall and CPU seconds (CPU time is disturbed less by other work on a shared machine)
of the whole job, of each step, of the import's own phases, and the peak memory. Prints figures; asserts
nothing.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from saylau.config import SHARED_DIR

DEFAULT_TABLE = SHARED_DIR / "data" / "precinct_results" / "russia_duma_2016.csv.zip"
DEFAULT_ELECTION = "ru-2016-09-18"


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_import(path: Path, election_id: str) -> dict[str, float]:
    """Seconds (wall and CPU) of the import-precincts job (:func:`saylau.pipeline.import_precincts`, what
    ``saylau import-precincts`` runs): the import's own phases (read, validate, store), then the rebuild of
    every mart, forensics included."""
    from saylau import pipeline
    from saylau.config import Settings

    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        s = Settings(build_dir=Path(tmp))
        steps = pipeline.TimedSteps()
        t0, c0 = time.perf_counter(), time.process_time()
        outcome = pipeline.import_precincts(s, path, "izbirkom-csv", election_id, publish=False, steps=steps)
        figures["IMPORT + EVERY MART (the job, no publish)_s"] = time.perf_counter() - t0
        figures["IMPORT + EVERY MART (the job, no publish)_cpu_s"] = time.process_time() - c0
        (result,) = outcome.results
        for name in ("prepare-warehouse", "import-precinct-table", "build-marts"):
            figures[f"  {name}_s"] = steps.seconds[name]
            figures[f"  {name}_cpu_s"] = steps.cpu_seconds[name]
        figures.update({f"    {k}_s": v for k, v in result.timings.items()})
        figures.update({f"    {k}_cpu_s": v for k, v in result.cpu_timings.items()})
        figures["precincts"] = result.rows_loaded
        figures["peak memory after import + marts (MiB)"] = peak_memory_mb()
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
