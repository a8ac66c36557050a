"""A killed ``saylau serve`` or ``saylau demo`` leaves its Prefect server (serve's own, or the temporary one)
running; the next start stops it (issue 22 item 6), by the id it recorded and only when that process still
is a server started for that home."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from flows.server import TEMPORARY_APP, stop_stale_server, temporary_server

# argv words of a Prefect server, without being one: a process that sleeps
SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)", "prefect", "server", "start"]


def _start(args, home) -> subprocess.Popen:
    """Start ``args`` in a session of its own (as serve starts its server) and wait until it runs them."""
    env = {**os.environ, "PREFECT_HOME": str(home)}
    return _wait_exec(subprocess.Popen(args, env=env, start_new_session=True), args)


def _wait_exec(process: subprocess.Popen, args) -> subprocess.Popen:
    """Wait until ``process`` runs ``args`` (on a loaded machine the child may not have exec'd yet, and its
    /proc entry still shows the parent's command line)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if Path(f"/proc/{process.pid}/cmdline").read_bytes().split(b"\0")[1:2] == [args[1].encode()]:
                break
        except OSError:
            pass
        time.sleep(0.05)
    return process


def test_the_server_a_killed_serve_left_is_stopped_by_the_next_start(tmp_path):
    home = tmp_path / "prefect"
    home.mkdir()
    server = _start(SLEEPER, home)
    try:
        (home / "server.pid").write_text(str(server.pid))
        assert stop_stale_server(home, grace=10) == server.pid
        assert server.wait(timeout=10) is not None
        assert not (home / "server.pid").exists()
    finally:
        if server.poll() is None:
            server.kill()


def test_a_pid_file_naming_another_process_stops_nothing(tmp_path):
    home, elsewhere = tmp_path / "prefect", tmp_path / "other"
    home.mkdir()
    other = _start(SLEEPER, elsewhere)  # a server of another home
    plain = _start([sys.executable, "-c", "import time; time.sleep(120)"], home)  # not a server
    try:
        for process in (other, plain):
            (home / "server.pid").write_text(str(process.pid))
            assert stop_stale_server(home) is None
            assert process.poll() is None
        (home / "server.pid").write_text("not a number")
        assert stop_stale_server(home) is None
    finally:
        for process in (other, plain):
            process.kill()
            process.wait()


# argv words of Prefect's temporary server (uvicorn running the API app), without being one
TEMPORARY = [sys.executable, "-c", "import time; time.sleep(120)", "uvicorn", "--factory", TEMPORARY_APP]


def test_a_temporary_server_sharing_its_dead_parents_group_is_stopped(tmp_path):
    home = tmp_path / "prefect"
    home.mkdir()
    env = {**os.environ, "PREFECT_HOME": str(home)}
    server = subprocess.Popen(
        TEMPORARY, env=env
    )  # not a group leader: Prefect starts it in the caller's group
    try:
        _wait_exec(server, TEMPORARY)
        (home / "server.pid").write_text(str(server.pid))
        assert stop_stale_server(home, grace=10) == server.pid
        assert server.wait(timeout=10) is not None
    finally:
        if server.poll() is None:
            server.kill()


# A verb that runs a flow under Prefect's temporary server (saylau demo), reduced to the server: it
# enters temporary_server, says so, and waits to be killed.
VERB = """
import sys, time
from pathlib import Path
from flows.server import temporary_server
with temporary_server(Path(sys.argv[1])) as api_url:
    print(api_url, flush=True)
    time.sleep(300)
"""


def test_the_temporary_server_of_a_killed_demo_is_stopped_by_the_next_run(tmp_path, monkeypatch):
    home = tmp_path / "prefect"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env |= {"PREFECT_HOME": str(home), "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90"}
    verb = subprocess.Popen(
        [sys.executable, "-c", VERB, str(home)], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        api_url = verb.stdout.readline().strip()
        assert api_url.startswith("http://127.0.0.1:"), api_url
        pid = int((home / "server.pid").read_text())
        verb.kill()  # SIGKILL: no atexit, no finally; the server outlives it
        verb.wait(timeout=10)
        assert Path(f"/proc/{pid}").exists()

        # the next run (here with a server configured, so it starts none) stops the leftover first
        monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
        with temporary_server(home) as configured:
            assert configured == "http://127.0.0.1:9/api"
            assert not Path(f"/proc/{pid}").exists() or b"zombie" in Path(f"/proc/{pid}/status").read_bytes()
        assert not (home / "server.pid").exists()
    finally:
        if verb.poll() is None:
            verb.kill()
        if (home / "server.pid").exists():  # the fix missing: do not leave the server behind
            stop_stale_server(home, grace=5)
