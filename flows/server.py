"""The Prefect servers a verb starts: a real local one for scheduled runs, the temporary one for a flow run.

``saylau serve`` uses the server ``PREFECT_API_URL`` names, or starts ``prefect server start`` on loopback
itself (its database under the build folder, so it needs nothing installed) and stops it on exit
(:func:`local_server`). ``saylau demo`` runs its flow under Prefect's temporary server, which this
process starts before the flow does (:func:`temporary_server`). A server left running by a verb that was
killed (SIGKILL leaves no time to stop it) is stopped by the verb's next start: its id is in
``<home>/server.pid``, and it is stopped only when that process still is a Prefect server (``prefect
server start``, or the temporary server's ``uvicorn ... prefect.server.api.server:create_app``) of this
home (:func:`stop_stale_server`).
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


TEMPORARY_APP = "prefect.server.api.server:create_app"  # what Prefect's temporary server runs (uvicorn)


def _is_our_server(pid: int, home: Path) -> bool:
    """Whether process ``pid`` is a Prefect server (``prefect server start`` or the temporary server)
    whose PREFECT_HOME is ``home`` (a pid file outlives its process, and the id may have been given to
    another since)."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    except OSError:
        return False
    words = {a.decode(errors="replace") for a in argv}
    server = {"prefect", "server", "start"} <= words or TEMPORARY_APP in words
    return server and f"PREFECT_HOME={home}".encode() in environ


def _signal(pid: int, sig: int) -> None:
    """Signal a server: its whole group when it leads one (``serve`` starts it in a session of its own),
    else the process alone (the temporary server shares its dead parent's group)."""
    if os.getpgid(pid) == pid:
        os.killpg(pid, sig)
    else:
        os.kill(pid, sig)


def stop_stale_server(home: Path, grace: float = 20.0) -> int | None:
    """Stop the server a killed verb (``serve``, ``demo``) left running for ``home`` (by the id it
    recorded); returns its id, or None when there was none."""
    pid_file = home / "server.pid"
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    if not _is_our_server(pid, home):
        pid_file.unlink(missing_ok=True)
        return None
    try:
        _signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while _is_our_server(pid, home) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _is_our_server(pid, home):
            _signal(pid, signal.SIGKILL)
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


@contextmanager
def temporary_server(home: Path) -> Iterator[str]:
    """The API URL a flow run in this process uses: the configured one (``PREFECT_API_URL``), else Prefect's
    temporary server, started here (the instance the flow's client would start itself) with its id in
    ``<home>/server.pid`` and stopped after. ``home`` is the PREFECT_HOME the server runs with; a server
    a killed run left for it is stopped first."""
    home.mkdir(parents=True, exist_ok=True)
    stop_stale_server(home)
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        yield configured
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # port None: the one instance Prefect's clients start and use
    server.start()
    assert server.server_process is not None
    (home / "server.pid").write_text(str(server.server_process.pid))
    try:
        yield server.api_url
    finally:
        server.stop()
        (home / "server.pid").unlink(missing_ok=True)
