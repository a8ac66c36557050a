"""Smoke check of ``python -m bench`` (the benchmark table) and of the scaled demo election it uses.

A benchmark asserts nothing about speed; these tests only check that the entry point runs end to end and
prints its table, and that a 10x election keeps the calibrated totals.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from demo.election import MAZHILIS_OFFICIAL, PRECINCTS_ABROAD, PRECINCTS_TOTAL, TURNOUT_2200, generate
from saylau.config import PROJECT_ROOT

pytestmark = pytest.mark.slow


def test_bench_quick_prints_the_table(tmp_path: Path) -> None:
    md = tmp_path / "bench.md"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--steps", "crawl,rebuild", "--markdown", str(md)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for figure in ("full crawl: pages/s", "incremental run, nothing changed", "rebuild from archive"):
        assert figure in done.stdout
        assert figure in md.read_text(encoding="utf-8")
    assert "Machine:" in done.stdout


def test_ten_times_the_precincts_keeps_the_calibration() -> None:
    election = generate(scale=10)
    precincts = election.precincts
    assert len(precincts) == (PRECINCTS_TOTAL - PRECINCTS_ABROAD) * 10 + PRECINCTS_ABROAD
    assert precincts["abroad"].sum() == PRECINCTS_ABROAD
    official = election.protocol("mazhilis", "official")
    assert {k: int(official[k].sum()) for k in MAZHILIS_OFFICIAL} == MAZHILIS_OFFICIAL
    by_region = official.groupby("region_code")[["ballots_issued", "registered"]].sum()
    turnout = (by_region["ballots_issued"] / by_region["registered"] * 100).round(1)
    assert turnout.to_dict() == pytest.approx(TURNOUT_2200, abs=0.051)
    assert election.protocol("maslikhat_city")["valid"].ge(0).all()
