"""``make bench`` / ``python -m bench``: every benchmark figure of the warehouse in one table.

Each measurement runs in a fresh subprocess (``bench._step``) so its peak memory (the child's ru_maxrss,
its own subprocesses included) and its caches do not leak into the next one. Rows are figures, columns the
demo election at each scale (``--scale 1,10``: the demo's ~10k precincts and 10x that), plus the target
where the issues set one (targets are for the demo election, 1x).

Options: ``--scale 1,10`` (default), ``--steps crawl,rebuild,marts,prefect`` (default all), ``--regions``
(regions publishing per-precinct protocol pages; default bench.scrape.BENCH_REGIONS, five), ``--quick`` (scale 1, no
per-precinct pages, one marts build: a smoke check), ``--markdown FILE`` (also write the table and the
machine as markdown), ``--json FILE`` (every raw figure).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from bench._step import STEPS
from bench.scrape import BENCH_REGIONS

Figures = dict[str, dict]  # step -> figures of one scale


def _s(x: float) -> str:
    return f"{x:.1f} s" if x >= 1 else f"{x:.2f} s"


def _get(f: Figures, step: str, key: str):
    return f.get(step, {}).get(key)


def _row(step: str, render: Callable[[dict], str]) -> Callable[[Figures], str]:
    def cell(f: Figures) -> str:
        figures = f.get(step)
        if not figures:
            return "–"
        try:
            return render(figures)
        except (KeyError, TypeError, ZeroDivisionError):
            return "–"

    return cell


# (figure, how to render it from one scale's figures, target for the demo election)
ROWS: list[tuple[str, Callable[[Figures], str], str]] = [
    ("precincts in the election", _row("crawl", lambda c: f"{c['precincts']:,}"), ""),
    (
        "full crawl: pages (documents with a body)",
        _row("crawl", lambda c: f"{c['full_pages']:,}"),
        "",
    ),
    ("full crawl: time", _row("crawl", lambda c: _s(c["full_s"])), "< 60 s"),
    ("full crawl: pages/s", _row("crawl", lambda c: f"{c['full_pages_per_s']:,.0f}"), ""),
    (
        "plain requests + BeautifulSoup loop, same pages: pages/s",
        _row("crawl", lambda c: f"{c['plain_pages_per_s']:,.0f}"),
        "",
    ),
    ("saylau / plain loop (pages/s ratio)", _row("crawl", lambda c: f"{c['ratio']:.2f}x"), ""),
    (
        "CPU per page: full crawl (this process, all threads)",
        _row("crawl", lambda c: f"{c['full_cpu_ms_per_page']:.2f} ms"),
        "",
    ),
    (
        "CPU per page: bare loop, fetch + lxml tree, same pages",
        _row("crawl", lambda c: f"{c['lxml_cpu_ms_per_page']:.2f} ms"),
        "",
    ),
    ("crawl / bare loop (CPU per page ratio)", _row("crawl", lambda c: f"{c['cpu_ratio']:.2f}x"), "<= 2x"),
    ("incremental run, nothing changed", _row("crawl", lambda c: _s(c["unchanged_s"])), "< 5 s"),
    (
        "incremental run, 5% of revalidated pages changed",
        _row("crawl", lambda c: f"{_s(c['changed_s'])} ({c['changed_pages']} pages new)"),
        "",
    ),
    (
        "election night without Prefect (crawl, stage, promote, marts, publish, report)",
        _row("prefect", lambda p: _s(p["plain_s"])),
        "",
    ),
    ("election night as the Prefect flow, excl. start-up", _row("prefect", lambda p: _s(p["flow_s"])), ""),
    ("Prefect overhead: flow / without Prefect", _row("prefect", lambda p: f"{p['ratio']:.2f}x"), "<= 1.3x"),
    (
        "Prefect server start-up (harness + first flow run)",
        _row("prefect", lambda p: _s(p["startup_s"])),
        "",
    ),
    ("marts build (median of the builds)", _row("marts", lambda m: _s(m["build_s"])), "< 5 s"),
    (
        "rebuild from archive (re-parse, promote, marts, publish)",
        _row("rebuild", lambda r: f"{_s(r['rebuild_s'])} ({r['pages']:,} pages)"),
        "",
    ),
    ("peak memory: crawl + incremental + plain loop", _row("crawl", lambda c: f"{c['rss_mb']:,.0f} MB"), ""),
    ("peak memory: election night, plain + flow", _row("prefect", lambda p: f"{p['rss_mb']:,.0f} MB"), ""),
    ("peak memory: load demo + marts build", _row("marts", lambda m: f"{m['rss_mb']:,.0f} MB"), ""),
    ("peak memory: rebuild from archive", _row("rebuild", lambda r: f"{r['rss_mb']:,.0f} MB"), ""),
]


def machine() -> dict[str, str]:
    """The machine and software the figures come from."""
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": ram,
        "os": platform.platform(),
        "python": platform.python_version(),
        "duckdb": metadata.version("duckdb"),
        "prefect": metadata.version("prefect"),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load": "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg()),
    }


class LoadSampler:
    """The 1-minute load average every few seconds while the steps run (the machine may be shared)."""

    def __init__(self, every: float = 5.0) -> None:
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every,), daemon=True)

    def _run(self, every: float) -> None:
        while not self._stop.is_set():
            self.samples.append(os.getloadavg()[0])
            self._stop.wait(every)

    def __enter__(self) -> LoadSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> str:
        if not self.samples:
            return "not sampled"
        mean = sum(self.samples) / len(self.samples)
        return f"{min(self.samples):.1f} min, {mean:.1f} mean, {max(self.samples):.1f} max"


def run_child(step: str, scale: int, work: Path, quick: bool, regions: str | None) -> dict:
    """Run one step in a fresh Python process; its figures plus ``rss_mb`` (the child's peak RSS) and
    ``wall_s`` (the whole child, imports and set-up included)."""
    out = work / f"{step}-{scale}.json"
    cmd = [sys.executable, "-m", "bench._step", step, str(scale), str(out)]
    if quick:
        cmd.append("--quick")
    if step in ("crawl", "rebuild"):
        cmd += ["--keep", str(work / f"crawl-{scale}")]
    if regions is not None:
        cmd += ["--regions", regions]
    env = {k: v for k, v in os.environ.items() if k != "SAYLAU_DB"}
    env["SAYLAU_BUILD_DIR"] = str(work / f"build-{step}-{scale}")
    env.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    t0 = time.perf_counter()
    child = subprocess.Popen(cmd, env=env, stdout=sys.stderr, cwd=Path(__file__).resolve().parents[1])
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        print(f"  {step} x{scale} failed (exit {child.returncode})", file=sys.stderr)
        return {}
    figures = json.loads(out.read_text())
    figures["rss_mb"] = usage.ru_maxrss / 1024  # Linux: KiB
    figures["wall_s"] = time.perf_counter() - t0
    return figures


def table(results: dict[int, Figures], fmt: str = "text") -> str:
    scales = sorted(results)
    heads = ["figure", *[f"demo x{s}" if s != 1 else "demo (1x)" for s in scales], "target (1x)"]
    rows = [[label, *[cell(results[s]) for s in scales], target] for label, cell, target in ROWS]
    rows = [r for r in rows if any(c != "–" for c in r[1:-1])]
    if fmt == "markdown":
        lines = ["| " + " | ".join(heads) + " |", "|---" + "|---:" * (len(heads) - 2) + "|---|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in [heads, *rows]) for i in range(len(heads))]
    out = [
        "  ".join(
            h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(heads, widths, strict=True))
        )
    ]
    out.append("  ".join("-" * w for w in widths))
    for r in rows:
        out.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )
    return "\n".join(out)


def notes(results: dict[int, Figures], regions: str | None, quick: bool) -> list[str]:
    where = "none (--quick)" if quick else (regions or ", ".join(BENCH_REGIONS))
    out = [f"Per-precinct protocol pages served for: {where}; pages fetched at unlimited rate, 8 workers."]
    for scale, f in sorted(results.items()):
        marts = f.get("marts", {})
        if marts:
            out.append(
                f"x{scale}: demo folder generated, written and loaded for the marts in {_s(marts['load_s'])}; "
                f"{marts.get('repeat', '?')} builds, first {_s(marts['build_first_s'])}, "
                f"CPU {_s(marts['build_cpu_s'])} (median)."
            )
        p = f.get("prefect", {})
        if p:
            out.append(
                f"x{scale}: Prefect start-up = harness {_s(p['harness_s'])} + first flow run "
                f"{_s(p['first_flow_s'])}."
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="1,10", help="comma-separated scales of the demo (default 1,10)")
    parser.add_argument("--steps", default=",".join(STEPS), help=f"default {','.join(STEPS)}")
    parser.add_argument("--regions", default=None, help="regions publishing protocol pages")
    parser.add_argument("--quick", action="store_true", help="smoke check: scale 1, no protocol pages")
    parser.add_argument("--markdown", type=Path, help="also write the table (and the machine) as markdown")
    parser.add_argument("--json", type=Path, help="also write every raw figure as JSON")
    args = parser.parse_args()
    scales = [1] if args.quick else [int(s) for s in args.scale.split(",") if s]
    steps = [s for s in args.steps.split(",") if s]
    for s in steps:
        if s not in STEPS:
            parser.error(f"unknown step {s!r}; one of {', '.join(STEPS)}")
    if "rebuild" in steps and "crawl" not in steps:
        parser.error("rebuild re-parses the crawl step's archive: add crawl to --steps")
    before = machine()
    results: dict[int, Figures] = {}
    with tempfile.TemporaryDirectory(prefix="saylau-bench-") as tmp, LoadSampler() as load:
        work = Path(tmp)
        for scale in scales:
            results[scale] = {}
            for step in STEPS:
                if step not in steps:
                    continue
                print(f"bench: {step} x{scale} ...", file=sys.stderr, flush=True)
                figures = run_child(step, scale, work, args.quick, args.regions)
                results[scale][step] = figures
                if figures:
                    print(
                        f"bench: {step} x{scale} done in {_s(figures['wall_s'])}", file=sys.stderr, flush=True
                    )
                if step == "rebuild":
                    shutil.rmtree(work / f"crawl-{scale}", ignore_errors=True)
    after = machine()
    m = before
    header = (
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram']} RAM; {m['os']}; Python {m['python']}, "
        f"DuckDB {m['duckdb']}, Prefect {m['prefect']}. Run {m['date']} to {after['date']}; load average "
        f"(1, 5, 15 min) {m['load']} at the start, {after['load']} at the end; 1-minute load during the run "
        f"{load.summary()} (a figure above the core count means other work shared the CPUs)."
    )
    print()
    print(table(results))
    print()
    print(header)
    for line in notes(results, args.regions, args.quick):
        print(line)
    if args.markdown:
        text = [table(results, "markdown"), "", header, ""]
        text += [f"- {line}" for line in notes(results, args.regions, args.quick)]
        args.markdown.write_text("\n".join(text) + "\n", encoding="utf-8")
        print(f"markdown table written to {args.markdown}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"machine": before, "load_samples": load.samples, "results": results}, indent=1, default=str
            )
        )
    if any(not f for r in results.values() for f in r.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
