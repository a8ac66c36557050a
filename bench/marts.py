"""Benchmark of the whole marts build on the demo election (issue 6).

Run: ``.venv/bin/python -m bench.marts [--repeat N]``. Generates the demo election into a temporary
folder, loads it as ``make demo`` does without the site (official precinct table, observers' exports),
then times ``saylau.marts.build_marts`` (every staging, intermediate and mart file plus the checks) N
times, and each SQL file of the build on its own. Prints wall and CPU seconds (CPU time is less disturbed
by other work on a shared machine). Prints figures; asserts nothing. Target: the whole build < 5 s.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

ELECTION = "kz-2021-01-10"


def load_demo(root: Path, scale: int = 1) -> Path:
    """Generate and load the demo election (``scale`` times its precincts) under ``root``; returns the
    warehouse path."""
    from demo.outputs import generate_into, load_folder
    from saylau.config import Settings

    folder = root / "demo"
    generate_into(folder, scale=scale)
    s = Settings(build_dir=root / "build")
    load_folder(folder, s)
    return s.work_db


def bench_build(db: Path, repeat: int) -> dict[str, float]:
    """Seconds of each whole build (wall and CPU), then of each SQL file run alone, in build order."""
    from saylau import warehouse
    from saylau.marts import build_marts
    from saylau.sqlrun import BUILD_PHASES, run_file, sql_files

    figures: dict[str, float] = {}
    with warehouse.connect(db) as con:
        for i in range(repeat):
            t, c = time.perf_counter(), time.process_time()
            marts = build_marts(con)
            figures[f"build_marts run {i + 1}_s"] = time.perf_counter() - t
            figures[f"build_marts run {i + 1}_cpu_s"] = time.process_time() - c
        figures["marts"] = len(marts)
        for phase in BUILD_PHASES:
            for path in sql_files(phase):
                t = time.perf_counter()
                run_file(con, path)
                figures[f"  {phase}/{path.name}_s"] = time.perf_counter() - t
    return figures


def bench_marts(scale: int = 1, repeat: int = 3) -> dict[str, float]:
    """The demo election (``scale`` times its precincts) loaded into a fresh warehouse, then ``repeat``
    whole mart builds. Returns ``load_s`` (generate, write, import the official table and the observers'
    exports), ``build_s`` (median wall seconds of the builds), ``build_first_s``, ``build_min_s``,
    ``build_cpu_s`` (median CPU seconds), ``marts``, ``repeat`` and ``peak_mb``."""
    import resource
    import statistics

    from saylau import warehouse
    from saylau.marts import build_marts

    figures: dict[str, float] = {"repeat": repeat}
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        db = load_demo(Path(tmp), scale)
        figures["load_s"] = time.perf_counter() - t
        walls, cpus = [], []
        with warehouse.connect(db) as con:
            for _ in range(repeat):
                t, c = time.perf_counter(), time.process_time()
                marts = build_marts(con)
                walls.append(time.perf_counter() - t)
                cpus.append(time.process_time() - c)
    figures.update(
        build_s=statistics.median(walls),
        build_first_s=walls[0],
        build_min_s=min(walls),
        build_cpu_s=statistics.median(cpus),
        marts=len(marts),
        peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="whole builds to time (default 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        db = load_demo(Path(tmp))
        print(f"{'demo generated and loaded':<48} {time.perf_counter() - t:8.2f} s")
        for name, value in bench_build(db, args.repeat).items():
            unit = " s" if name.endswith("_s") else ""
            label = name.removesuffix("_s")
            print(f"{label:<48} {value:8.2f}{unit}" if unit else f"{label:<48} {value:8.0f}")


if __name__ == "__main__":
    main()
