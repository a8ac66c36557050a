"""Named kill points, so tests can SIGKILL a run at a chosen step and check what a rerun makes of it.

``crashpoint(name)`` does nothing unless the environment variable ``SAYLAU_CRASH_AT`` equals ``name``
(then the process kills itself the first time it gets there) or ``name:N`` (the N-th time). The kill is
a real ``SIGKILL``: no ``finally``, no ``atexit``, no flush gets to run, exactly as when the machine's
OOM killer or a power cut ends a run. With the variable unset a call costs one dict lookup.

Points, in the order an election-night run (``saylau.pipeline.election_night``) reaches them:

===================== ==========================================================================
``fetch.archived``    a fetched body was written to the archive (once per body; discovery's
                      listings and probes first, then the fetch batches): mid-fetch, nothing of
                      this run recorded in ``raw.fetches`` yet
``record.insert``     every body archived, before ``raw.fetches`` gets this run's attempts
``stage.start``       ``raw.fetches`` recorded, before any page is parsed and staged
``stage.table``       inside staging's write, after each table (``raw.pages``, then
                      ``staging.cec_turnout``, ``staging.cec_results``) got its rows
``promote.turnout``   core's official turnout replaced, the results not promoted yet
``marts.phase``       after each phase of the mart build (10_staging, 20_intermediate, 30_marts),
                      before the checks
``publish.temp``      the published copy is written whole under its temporary name, before the
                      rename that puts it in place
``publish.parquet``   after each mart's Parquet file is written (into the run's new folder)
``night.published``   the database and Parquet files published, before the report and the run's end
===================== ==========================================================================

Only the process that reaches the point dies: with the threads task runner (the default) that is the
whole run.
"""

from __future__ import annotations

import os
import signal
import threading

ENV = "SAYLAU_CRASH_AT"

_lock = threading.Lock()
_reached: dict[str, int] = {}


def crashpoint(name: str) -> None:
    """SIGKILL this process if ``SAYLAU_CRASH_AT`` names this point (``name`` or ``name:N``)."""
    target = os.environ.get(ENV)
    if not target or not target.startswith(name):
        return
    point, _, nth = target.partition(":")
    if point != name:
        return
    with _lock:
        _reached[name] = _reached.get(name, 0) + 1
        if _reached[name] >= int(nth or 1):
            os.kill(os.getpid(), signal.SIGKILL)
