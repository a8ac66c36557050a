"""Benchmark of a first polite crawl: the CEC double crawled from an empty warehouse at the default
politeness (``FetchPolicy()``: 2 requests/s and 2 in flight per host), as the first ``saylau run`` against
the real site would.

Run: ``.venv/bin/python -m bench.polite [--languages rus,kaz,eng] [--protocols]``. Prints figures;
asserts nothing. Target (issue 17): the whole crawl (every step up to promotion) within the time its
requests allow at that rate, ``documents / 2 s^-1`` plus at most 20% (probes of the ID gaps included: they
cost requests too, and discovery keeps them to a share of the pages).

The whole double with per-precinct protocols is ~10k pages (80+ minutes at 2 requests/s), so the default
measures the double without protocol pages (listings, releases, acts, the territorial commissions'
pages and decisions: ~930 documents, ~8 minutes); ``--languages rus`` a third of that.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

ELECTION = "kz-2021-01-10"


def bench_polite(languages: tuple[str, ...] = ("rus", "kaz", "eng"), protocols: bool = False) -> dict:
    """One first crawl at the default politeness; returns ``s`` (discover to promotion), ``requests``,
    ``documents`` (answers with a body), ``probes_404``, ``allowed_s`` (documents / rate * 1.2) and
    ``within`` (s <= allowed_s)."""
    from demo.site import DemoSite, SiteProcess
    from saylau import pipeline, scrape
    from saylau.config import Settings
    from saylau.fetch import FetchPolicy

    policy = FetchPolicy()
    with tempfile.TemporaryDirectory() as tmp, SiteProcess(DemoSite(protocols=protocols)) as running:
        s = Settings(build_dir=Path(tmp), db_override=Path(tmp) / "work.duckdb")
        steps = pipeline.TimedSteps(policy.max_concurrency)
        shape = scrape.SiteShape(base_url=running.base_url, languages=languages)
        options = pipeline.NightOptions(
            running.base_url, ELECTION, policy, workers=policy.max_concurrency, site=shape
        )
        t0 = time.perf_counter()
        try:
            outcome = pipeline.election_night(s, options, steps)
        except pipeline.ScrapeFailed as failed:
            outcome = failed.outcome
        total = time.perf_counter() - t0
        import duckdb

        with duckdb.connect(str(s.work_db), read_only=True) as con:
            misses = con.execute("select count(*) from raw.fetches where status = 404").fetchone()[0]
    crawl = ("restore-fetches", "discover-pages", "fetch-batch", "record-and-stage", "promote-official")
    seconds = sum(steps.seconds.get(name, 0.0) for name in crawl)
    allowed = outcome.fetched / policy.requests_per_second * 1.2
    return {
        "languages": ",".join(languages),
        "protocols": protocols,
        "s": seconds,
        "run_s": total,
        "requests": outcome.requests,
        "documents": outcome.fetched,
        "probes_404": misses,
        "allowed_s": allowed,
        "within": seconds <= allowed,
        "failures": len(outcome.failures),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", default="rus,kaz,eng")
    parser.add_argument("--protocols", action="store_true", help="also the per-precinct protocol pages")
    args = parser.parse_args()
    f = bench_polite(tuple(args.languages.split(",")), args.protocols)
    print(
        f"first polite crawl (2 requests/s, 2 in flight), languages {f['languages']}, "
        f"protocol pages {'on' if f['protocols'] else 'off'}:"
    )
    print(
        f"  {f['documents']} documents, {f['requests']} requests ({f['probes_404']} probes answered 404): "
        f"{f['s']:.0f} s to promotion ({f['run_s']:.0f} s the whole run); allowed {f['allowed_s']:.0f} s "
        f"-> {'within' if f['within'] else 'OVER'}"
    )


if __name__ == "__main__":
    main()
