"""Benchmark of the election report on the demo election.

Run: ``.venv/bin/python -m bench.report [PUBLISHED_DB] [--election-id ID] [--repeat N]``. Without a path,
builds the demo election's published database in a temporary folder first (generation, official precinct
table, observers' exports, turnout bulletins, marts, publish: the test fixture's steps) and says how long
that took. Then times ``saylau.report.build_report`` (wall and CPU seconds, matplotlib's import included
in the first run) and prints the page size and figure count. Prints figures; asserts nothing. Target
(issue 8): the demo report in under 10 s.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "published_db", nargs="?", type=Path, help="Published database (default: build the demo)."
    )
    parser.add_argument("--election-id", default="kz-2021-01-10")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.published_db
        if db is None:
            from demo.report_data import build_demo_published

            started = time.perf_counter()
            db = build_demo_published(Path(tmp) / "build").published_db
            print(f"demo published database built in {time.perf_counter() - started:.1f} s")
        from saylau.report import build_report  # after the build: the import is timed in the first run

        for i in range(args.repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            if i == 0:
                import saylau.plots  # noqa: F401  (matplotlib's import counts in the first run)
            result = build_report(db, args.election_id, Path(tmp) / "report")
            print(
                f"run {i + 1}: report in {time.perf_counter() - wall:.2f} s wall, {time.process_time() - cpu:.2f} s CPU "
                f"({result.figures} figures, {result.path.stat().st_size / 1e6:.2f} MB, "
                f"sections waiting for data: {', '.join(result.unavailable) or 'none'})"
            )


if __name__ == "__main__":
    main()
