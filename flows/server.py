"""A real local Prefect server for scheduled runs (the temporary one cannot schedule).

``saylau serve`` uses the server ``PREFECT_API_URL`` names, or starts ``prefect server start`` on loopback
itself (its database under the build folder, so it needs nothing installed) and stops it on exit. A
server left running by a ``serve`` that was killed (SIGKILL leaves no time to stop it) is stopped by the
next start: its id is in ``<home>/server.pid``, and it is stopped only when that process still is the
Prefect server started for this home (:func:`stop_stale_server`).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(api_url.rstrip("/") + "/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _is_our_server(pid: int, home: Path) -> bool:
    """Whether process ``pid`` is a ``prefect server start`` whose PREFECT_HOME is ``home`` (a pid file
    outlives its process, and the id may have been given to another since)."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    except OSError:
        return False
    words = {a.decode(errors="replace") for a in argv}
    return {"prefect", "server", "start"} <= words and f"PREFECT_HOME={home}".encode() in environ


def stop_stale_server(home: Path, grace: float = 20.0) -> int | None:
    """Stop the server a killed ``serve`` left running for ``home`` (by the id it recorded); returns its
    id, or None when there was none."""
    pid_file = home / "server.pid"
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    if not _is_our_server(pid, home):
        pid_file.unlink(missing_ok=True)
        return None
    try:
        os.killpg(pid, signal.SIGTERM)  # it was started in a session of its own: its group is its own
        deadline = time.monotonic() + grace
        while _is_our_server(pid, home) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _is_our_server(pid, home):
            os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    pid_file.unlink(missing_ok=True)
    return pid


@contextmanager
def local_server(home: Path, port: int | None = None, timeout: float = 120.0) -> Iterator[str]:
    """The API URL of a Prefect server: the configured one if it answers, else one started here and stopped after."""
    configured = os.environ.get("PREFECT_API_URL")
    if configured and healthy(configured):
        yield configured
        return
    home.mkdir(parents=True, exist_ok=True)
    stop_stale_server(home)  # a killed serve's server, still holding its memory and its database
    port = port or free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_API_URL": api_url,
    }
    log = open(home / "server.log", "ab")  # noqa: SIM115 - closed below, after the server stops
    process = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    (home / "server.pid").write_text(str(process.pid))
    try:
        deadline = time.monotonic() + timeout
        while not healthy(api_url):
            if process.poll() is not None:
                raise RuntimeError(
                    f"prefect server exited with {process.returncode}; see {home / 'server.log'}"
                )
            if time.monotonic() > deadline:
                raise TimeoutError(f"prefect server did not answer on {api_url} within {timeout:.0f} s")
            time.sleep(0.5)
        yield api_url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        (home / "server.pid").unlink(missing_ok=True)
        log.close()
