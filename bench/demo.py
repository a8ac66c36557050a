"""Benchmark of the demo election: generation time and the CEC double's requests per second on loopback.

Run: ``.venv/bin/python -m bench.demo [--seconds 5] [--clients 4]``. Prints figures; asserts nothing.
Targets (issue 3): generation < 10 s; >= 500 requests/s on 2 cores.
"""

from __future__ import annotations

import argparse
import http.client
import tempfile
import threading
import time
from pathlib import Path


def bench_generation() -> dict[str, float]:
    """Seconds to generate the election, and to write its folder."""
    from demo.election import generate
    from demo.outputs import write_election

    t0 = time.perf_counter()
    election = generate()
    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        write_election(election, Path(tmp))
    t2 = time.perf_counter()
    return {"generate_s": t1 - t0, "write_s": t2 - t1}


def bench_site(seconds: float, clients: int) -> dict[str, float]:
    """Requests per second a few keep-alive clients get from the site (a mix of pages)."""
    from demo.election import generate
    from demo.site import DemoSite, start_site

    site = DemoSite(generate(), protocols=True)
    urls = ["/rus/news/releases/", "/kaz/news/releases/index.php?PAGEN_1=2", "/rus/territorial/75/"]
    urls += [
        f"/{lang}/news/{i.section}/index.php?ID={i.id}"
        for i in site.content.items
        for lang in ("rus", "kaz", "eng")
    ]
    urls += [f"/rus/territorial/75/protocols/index.php?PEC={n}" for n in range(1, 40)]
    counts = [0] * clients
    errors = [0] * clients
    with start_site(site) as running:
        host, port = running.server.server_address[:2]
        for url in urls:  # warm the page cache once, as a long-running server would be
            site.respond(url)
        stop = time.perf_counter() + seconds

        def work(k: int) -> None:
            conn = http.client.HTTPConnection(host, port, timeout=10)
            i = k
            while time.perf_counter() < stop:
                try:
                    conn.request("GET", urls[i % len(urls)])
                    conn.getresponse().read()
                    counts[k] += 1
                except (OSError, http.client.HTTPException):
                    errors[k] += 1
                    conn.close()
                    conn = http.client.HTTPConnection(host, port, timeout=10)
                i += clients
            conn.close()

        threads = [threading.Thread(target=work, args=(k,)) for k in range(clients)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t0
    return {"requests": sum(counts), "errors": sum(errors), "seconds": elapsed, "rps": sum(counts) / elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    gen = bench_generation()
    print(
        f"demo election: generate {gen['generate_s']:.2f} s, write folder {gen['write_s']:.2f} s (target < 10 s)"
    )
    site = bench_site(args.seconds, args.clients)
    print(
        f"demo site: {site['requests']} requests in {site['seconds']:.1f} s with {args.clients} keep-alive clients "
        f"= {site['rps']:.0f} requests/s ({site['errors']} errors; target >= 500/s on 2 cores)"
    )


if __name__ == "__main__":
    main()
