"""Benchmark of validation and observer loading.

Run: ``.venv/bin/python -m bench.validate [--rows 100000]``. Prints figures; asserts nothing.
Target (issue 5): pandera validation of a 100k-row protocol frame in a few seconds on 2 cores.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def protocol_frame(rows: int, broken_every: int = 1000, seed: int = 1) -> pd.DataFrame:
    """A consistent wide protocol frame of ``rows`` precincts, one in ``broken_every`` breaking a relation."""
    rng = np.random.default_rng(seed)
    registered = rng.integers(100, 3000, rows)
    issued = (registered * rng.uniform(0.3, 0.9, rows)).astype(int)
    cancelled = rng.integers(0, 200, rows)
    invalid = rng.integers(0, 20, rows)
    valid = issued - invalid
    parties = {}
    left = valid.copy()
    for name, share in (("amanat", 0.6), ("ak_zhol", 0.12), ("qhp", 0.1), ("auyl", 0.08)):
        parties[name] = (valid * share).astype(int)
        left -= parties[name]
    parties["adal"] = left
    frame = pd.DataFrame(
        {
            "election_id": "bench",
            "contest_id": "mazhilis",
            "source": "official",
            "level": "pec",
            "unit_id": [f"KZ-11/{i}" for i in range(rows)],
            "registered": registered,
            "ballots_received": issued + cancelled,
            "ballots_issued": issued,
            "ballots_cancelled": cancelled,
            "ballots_in_boxes": issued,
            "invalid": invalid,
            "valid": valid,
            **parties,
        }
    )
    frame.loc[::broken_every, "valid"] += 1
    return frame


def bench_validation(rows: int) -> dict[str, float]:
    from saylau.validate import validate_frame
    from schemas.protocol import protocol_schema

    frame = protocol_frame(rows)
    schema = protocol_schema(options=["amanat", "ak_zhol", "qhp", "auyl", "adal"])
    t0 = time.perf_counter()
    validated = validate_frame(frame, schema, "bench")
    seconds = time.perf_counter() - t0
    return {
        "rows": rows,
        "seconds": seconds,
        "rejected_rows": validated.rejected_rows,
        "flags": len(validated.flags),
    }


def bench_demo_observers() -> dict[str, float]:
    """Seconds to load every observer export of the demo election into a fresh warehouse."""
    from demo.outputs import generate_into
    from saylau import reference, warehouse
    from saylau.config import Settings
    from saylau.observers import load_observers

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate_into(root / "demo")
        s = Settings(build_dir=root / "build")
        warehouse.create_warehouse(s.work_db)
        with warehouse.connect(s.work_db) as con:
            reference.load_reference(con)
        t0 = time.perf_counter()
        results = load_observers(
            s.work_db, [root / "demo" / "observers"], election_id="kz-2021-01-10", run_id="bench", s=s
        )
        seconds = time.perf_counter() - t0
    return {"files": len(results), "rows": sum(r.rows for r in results), "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    v = bench_validation(args.rows)
    print(
        f"validate_frame: {v['rows']:,} protocol rows in {v['seconds']:.2f} s "
        f"({v['rows'] / v['seconds']:,.0f} rows/s; {v['rejected_rows']} rejected, {v['flags']} flags)"
    )
    o = bench_demo_observers()
    print(f"load_observers (demo exports): {o['files']} files, {o['rows']:,} rows in {o['seconds']:.2f} s")


if __name__ == "__main__":
    main()
