"""``saylau demo-site``: build the CEC double the command line asks for and serve it on loopback until
Ctrl-C (the CLI parses the options and hands over here)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from demo.clock import AFTER_EVERYTHING, SimClock
from demo.election import DEFAULT_SEED, generate
from demo.faults import FaultConfig
from demo.noise import Noise
from demo.outputs import write_election
from demo.site import DemoSite, make_server


def serve_double(
    *,
    port: int,
    host: str,
    seed: int | None,
    at: str | None,
    speed: float,
    faults: str,
    fault_seed: int,
    protocols: bool,
    write_to: Path | None,
    elections: str,
    noise: Noise,
    say: Callable[[str], None],
) -> None:
    """Serve the double until interrupted; ``say`` prints a line."""
    election = generate(DEFAULT_SEED if seed is None else seed)
    if write_to is not None:
        files = write_election(election, write_to)
        say(f"Wrote {len(files)} files to {write_to} (ground truth under ground_truth/)")
    served = tuple(e.strip() for e in elections.split(",") if e.strip())
    # one election and no --at: the clock stands after its every page; several: the site's own default
    # (a week after the last election's last page)
    clock = SimClock(datetime.fromisoformat(at), speed=speed) if at else None
    if clock is None and len(served) == 1:
        clock = SimClock(AFTER_EVERYTHING, speed=speed)
    site = DemoSite(
        election,
        clock=clock,
        faults=FaultConfig.named(faults, fault_seed),
        protocols=protocols,
        noise=noise,
        elections=served,
    )
    server = make_server(site, host, port)
    bound_host, bound_port = server.server_address[:2]
    say(f"Serving the CEC double at http://{bound_host}:{bound_port}/rus/news/releases/")
    say(
        f"Simulated time {site.clock.now():%Y-%m-%d %H:%M} (UTC+6), speed x{speed:g}, faults: {faults}. "
        "Ctrl-C stops."
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        say("Stopped.")
    finally:
        server.server_close()
