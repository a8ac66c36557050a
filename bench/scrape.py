"""Benchmark of the scraper against the CEC double on loopback, with per-precinct protocol pages on.

Run: ``.venv/bin/python -m bench.scrape [--regions KZ-75,KZ-71,...]``. Prints figures; asserts nothing.
Targets (issue 4): a full crawl of ~10k pages at unlimited rate in under 60 s on 2 cores; an unchanged
incremental run in under 5 s (plus Prefect's start-up when run as a flow).

Measured: the full crawl (discover, fetch, archive, record, parse, stage, validate into core) in pages/s;
an incremental run when nothing changed and when 5% of the pages changed; peak memory; and the same
pages fetched and parsed by a plain sequential requests + BeautifulSoup loop, as a ratio.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path


class ChangingSite:
    """Wraps the CEC double so a chosen share of its documents change (and lose their validators)."""

    def __init__(self, site, share: float = 0.0) -> None:
        self.site, self.share, self.changed = site, share, 0

    def respond(self, target, headers=None):
        from demo.faults import unit

        changes = self.share and ("ID=" in target or "PEC=" in target) and unit("bench", target) < self.share
        if changes:
            headers = {
                k: v
                for k, v in (headers or {}).items()
                if k.lower() not in ("if-none-match", "if-modified-since")
            }
        response = self.site.respond(target, headers)
        if changes and response.status == 200:
            self.changed += 1
            response.body = response.body.replace(b"</body>", b"<!-- corrected --></body>")
            response.headers = [
                (k, v) for k, v in response.headers if k.lower() not in ("etag", "last-modified")
            ]
        return response

    def __getattr__(self, name):
        return getattr(self.site, name)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    from demo.site import DemoSite, start_site
    from saylau import official, reference, scrape, warehouse
    from saylau.archive import Archive
    from saylau.fetch import FetchPolicy, LiveFetcher

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", default="", help="regions publishing protocols (default: the demo's)")
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()

    kwargs = {"protocols": True}
    if args.regions:
        kwargs["protocol_regions"] = tuple(args.regions.split(","))
    changing = ChangingSite(DemoSite(**kwargs))
    policy = FetchPolicy(requests_per_second=0, max_concurrency=args.workers, retries=2, backoff_base=0.01)
    with tempfile.TemporaryDirectory() as tmp, start_site(site=changing) as running:
        db, archive = Path(tmp) / "w.duckdb", Archive(Path(tmp) / "archive")
        warehouse.create_warehouse(db)
        with warehouse.connect(db) as con:
            reference.load_reference(con)
        shape = scrape.SiteShape(base_url=running.base_url)
        rows = []

        def timed(label: str, share: float) -> scrape.CrawlSummary:
            changing.share = share
            t0 = time.perf_counter()
            with warehouse.connect(db) as con:
                result = scrape.crawl(
                    con, LiveFetcher(policy), shape, archive, label, "kz-2021-01-10", args.workers
                )
                if result.stage.new_versions:  # as the flow does: nothing new staged, nothing to promote
                    official.promote_official(con, "kz-2021-01-10", label)
            elapsed = time.perf_counter() - t0
            rows.append((label, elapsed, result))
            return result

        full = timed("full crawl", 0.0)
        timed("incremental, nothing changed", 0.0)
        timed("incremental, 5% changed", 0.05)

        urls = sorted({r[0] for r in _documents(db)})
        t0 = time.perf_counter()
        _plain_loop(urls)
        plain = time.perf_counter() - t0

    print(f"{'run':32} {'seconds':>8} {'requests':>9} {'pages':>7} {'304s':>6} {'staged':>7} {'pages/s':>8}")
    for label, elapsed, r in rows:
        print(
            f"{label:32} {elapsed:8.1f} {r.requests:9d} {r.pages:7d} {r.not_modified:6d} "
            f"{r.stage.new_versions:7d} {r.pages / elapsed if r.pages else 0:8.0f}"
        )
    full_elapsed = rows[0][1]
    print(
        f"{'plain requests + BeautifulSoup':32} {plain:8.1f} {'':9} {len(urls):7d} {'':6} {'':7} "
        f"{len(urls) / plain:8.0f}"
    )
    print(
        f"ratio (plain loop time / saylau full crawl time): {plain / full_elapsed * full.pages / len(urls):.2f}x "
        "(same pages; saylau also archives, records, parses into rows, stages and validates)"
    )
    print(f"peak memory: {peak_mb():.0f} MB")


def _documents(db: Path) -> list[tuple[str]]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select distinct url from raw.fetches where status = 200 and (url like '%ID=%' "
            "or url like '%PEC=%')"
        ).fetchall()
    finally:
        con.close()


def _plain_loop(urls: list[str]) -> None:
    """What a first scraper would do: one request after another, parse with BeautifulSoup, take the text."""
    import requests
    from bs4 import BeautifulSoup

    session = requests.Session()
    for url in urls:
        html = session.get(url, timeout=30).text
        BeautifulSoup(html, "lxml").get_text("\n")


if __name__ == "__main__":
    main()
