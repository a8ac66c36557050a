"""Benchmark of the scraper against the CEC double on loopback, with per-precinct protocol pages on.

Run: ``.venv/bin/python -m bench.scrape [--regions KZ-75,KZ-71,...] [--scale 10]``. Prints figures; asserts nothing.
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

# Regions whose per-precinct protocol pages the benchmarks switch on: the double's four and East Kazakhstan, so a
# full crawl of the demo election is over the 10,060 pages issue 4 asks for (three languages each).
BENCH_REGIONS = ("KZ-75", "KZ-71", "KZ-55", "KZ-35", "KZ-63")


class ChangingSite:
    """Wraps the CEC double so a chosen share of its documents change (and lose their validators).

    The share lives in shared memory, so it can be set from the benchmark's process while the site serves
    from its own (demo.site.SiteProcess).
    """

    def __init__(self, site, share: float = 0.0) -> None:
        import multiprocessing

        self.site, self.changed = site, 0
        self._share = multiprocessing.get_context("fork").Value("d", share, lock=False)

    @property
    def share(self) -> float:
        return self._share.value

    @share.setter
    def share(self, value: float) -> None:
        self._share.value = value

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


ELECTION = "kz-2021-01-10"


def bench_crawl(
    scale: int = 1,
    regions: tuple[str, ...] | None = None,
    workers: int = 8,
    plain: bool = True,
    keep: Path | None = None,
) -> dict:
    """Full crawl, incremental runs (nothing changed, 5% changed) and the plain loop on the same pages.

    ``scale`` multiplies the demo's precincts (demo.election.generate); ``regions`` are the regions
    publishing per-precinct protocols (default: :data:`BENCH_REGIONS`; ``()`` for none). The site serves
    from a process of its own, as the CEC does from another machine. The 5%-changed run revalidates every
    document (each is due), so all the changed ones are found. With ``keep``, the warehouse
    (``keep/work.duckdb``) and the archive (``keep/archive``) are left there (for the rebuild benchmark).
    Returns the figures: ``<run>_s``, ``<run>_requests``, ``<run>_pages``, ``<run>_not_modified``,
    ``<run>_staged`` for ``full``, ``unchanged`` and ``changed``, plus ``full_pages_per_s``,
    ``plain_s``, ``plain_pages``, ``plain_pages_per_s``, ``ratio`` (plain loop time per page / saylau's),
    ``generate_s``, ``precincts`` and ``protocol_pages_regions``.
    """
    from demo.election import generate
    from demo.site import DemoSite, SiteProcess
    from saylau import pipeline
    from saylau.config import Settings
    from saylau.fetch import FetchPolicy

    figures: dict = {}
    t0 = time.perf_counter()
    election = generate(scale=scale)
    figures["generate_s"] = time.perf_counter() - t0
    figures["precincts"] = len(election.precincts)
    regions = BENCH_REGIONS if regions is None else regions
    kwargs: dict = {"protocols": regions != ()}
    if regions:
        kwargs["protocol_regions"] = tuple(regions)
    changing = ChangingSite(DemoSite(election, **kwargs))
    figures["protocol_pages_regions"] = ",".join(changing.site.protocol_regions) if regions != () else ""
    policy = FetchPolicy(requests_per_second=0, max_concurrency=workers, retries=2, backoff_base=0.01)
    with tempfile.TemporaryDirectory() as tmp, SiteProcess(changing) as running:
        root = keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        s = Settings(build_dir=root, db_override=root / "work.duckdb")
        db = s.work_db

        def timed(key: str, share: float, revisit_after: float = 1800.0) -> None:
            """One election-night run (saylau.pipeline.election_night); the crawl's figure is its steps
            up to promotion (discover, fetch, record and stage, promote), without marts, publish and report."""
            changing.share = share
            steps = pipeline.TimedSteps(workers)
            options = pipeline.NightOptions(running.base_url, ELECTION, policy, workers=workers,
                                            revisit_after=revisit_after)  # fmt: skip
            result = pipeline.election_night(s, options, steps)
            crawl = ("discover-pages", "fetch-batch", "record-and-stage", "promote-official")
            figures[f"{key}_s"] = sum(steps.seconds.get(name, 0.0) for name in crawl)
            # CPU of this process alone (the double serves from its own): every thread, DuckDB's included
            figures[f"{key}_cpu_s"] = sum(steps.cpu_seconds.get(name, 0.0) for name in crawl)
            figures[f"{key}_requests"] = result.requests
            figures[f"{key}_pages"] = result.fetched
            figures[f"{key}_not_modified"] = result.not_modified
            figures[f"{key}_staged"] = result.new_versions

        timed("full", 0.0)
        timed("unchanged", 0.0)
        timed("changed", 0.05, revisit_after=0.0)
        figures["full_pages_per_s"] = figures["full_pages"] / figures["full_s"]
        figures["full_cpu_ms_per_page"] = 1000 * figures["full_cpu_s"] / figures["full_pages"]
        # (a) of issue 20 item 1: each page the full crawl fetched whole, fetched again and parsed with
        # lxml into a tree, one after another; its CPU per page against the crawl's
        pages = sorted(r[0] for r in _pages(db))
        wall, cpu = time.perf_counter(), time.process_time()
        _lxml_loop(pages)
        figures["lxml_s"] = time.perf_counter() - wall
        figures["lxml_pages"] = len(pages)
        figures["lxml_cpu_ms_per_page"] = 1000 * (time.process_time() - cpu) / len(pages)
        figures["cpu_ratio"] = figures["full_cpu_ms_per_page"] / figures["lxml_cpu_ms_per_page"]
        if plain:
            urls = sorted({r[0] for r in _documents(db)})
            t0 = time.perf_counter()
            _plain_loop(urls)
            figures["plain_s"] = time.perf_counter() - t0
            figures["plain_pages"] = len(urls)
            figures["plain_pages_per_s"] = len(urls) / figures["plain_s"]
            figures["ratio"] = figures["full_pages_per_s"] / figures["plain_pages_per_s"]
    figures["peak_mb"] = peak_mb()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", default="", help="regions publishing protocols (default: the demo's)")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--scale", type=int, default=1, help="multiply the demo's precincts (default 1)")
    args = parser.parse_args()
    f = bench_crawl(args.scale, tuple(args.regions.split(",")) if args.regions else None, args.workers)
    print(f"demo election x{args.scale}: {f['precincts']:,} precincts, generated in {f['generate_s']:.1f} s")
    print(f"{'run':32} {'seconds':>8} {'requests':>9} {'pages':>7} {'304s':>6} {'staged':>7} {'pages/s':>8}")
    for key, label in (
        ("full", "full crawl"),
        ("unchanged", "incremental, nothing changed"),
        ("changed", "incremental, 5% changed"),
    ):
        elapsed, pages = f[f"{key}_s"], f[f"{key}_pages"]
        print(
            f"{label:32} {elapsed:8.1f} {f[f'{key}_requests']:9d} {pages:7d} {f[f'{key}_not_modified']:6d} "
            f"{f[f'{key}_staged']:7d} {pages / elapsed if pages else 0:8.0f}"
        )
    print(
        f"{'plain requests + BeautifulSoup':32} {f['plain_s']:8.1f} {'':9} {f['plain_pages']:7d} {'':6} {'':7} "
        f"{f['plain_pages_per_s']:8.0f}"
    )
    print(
        f"ratio (plain loop time / saylau full crawl time): {f['ratio']:.2f}x "
        "(same pages; saylau also archives, records, parses into rows, stages and validates)"
    )
    print(
        f"CPU per page: full crawl {f['full_cpu_ms_per_page']:.2f} ms, bare fetch + lxml tree loop "
        f"{f['lxml_cpu_ms_per_page']:.2f} ms ({f['lxml_pages']} pages): {f['cpu_ratio']:.2f}x"
    )
    print(f"peak memory: {f['peak_mb']:.0f} MB")


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


def _pages(db: Path) -> list[tuple[str]]:
    """Every URL the warehouse fetched whole (listings, probes and documents)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select distinct url from raw.fetches where status = 200").fetchall()
    finally:
        con.close()


def _lxml_loop(urls: list[str]) -> None:
    """The bare loop: fetch each page (requests, one session) and parse it with lxml into a tree."""
    import lxml.html
    import requests

    session = requests.Session()
    for url in urls:
        lxml.html.fromstring(session.get(url, timeout=30).content)


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
