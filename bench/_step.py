"""One measurement of ``python -m bench`` in its own process: ``python -m bench._step STEP SCALE OUT.json
[--quick] [--keep DIR] [--regions R1,R2]``. Writes the step's figures as JSON to OUT.json."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

STEPS = ("crawl", "rebuild", "marts", "prefect")


def run_step(step: str, scale: int, quick: bool, keep: Path | None, regions: tuple[str, ...] | None) -> dict:
    if quick:
        regions = ()  # no per-precinct protocol pages: a few hundred pages
    if step == "crawl":
        from bench.scrape import bench_crawl

        return bench_crawl(scale, regions, keep=keep)
    if step == "rebuild":
        from bench.rebuild import bench_rebuild

        if keep is None:
            raise SystemExit("rebuild needs --keep DIR (the crawl step's warehouse and archive)")
        return bench_rebuild(keep)
    if step == "marts":
        from bench.marts import bench_marts

        return bench_marts(scale, repeat=1 if quick else 3)
    if step == "prefect":
        from bench.prefect import bench_prefect

        return bench_prefect(scale, regions)
    raise SystemExit(f"unknown step {step!r}; one of {', '.join(STEPS)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=STEPS)
    parser.add_argument("scale", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--regions", default=None)
    args = parser.parse_args()
    regions = tuple(r for r in args.regions.split(",") if r) if args.regions is not None else None
    figures = run_step(args.step, args.scale, args.quick, args.keep, regions)
    args.out.write_text(json.dumps(figures, default=str))


if __name__ == "__main__":
    main()
