"""A killed ``saylau serve`` leaves its Prefect server running; the next start stops it (issue 22 item 6),
by the id it recorded and only when that process still is the server started for that home."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from flows.server import stop_stale_server

# argv words of a Prefect server, without being one: a process that sleeps
SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)", "prefect", "server", "start"]


def _start(args, home) -> subprocess.Popen:
    """Start ``args`` and wait until it runs them (on a loaded machine the child may not have exec'd yet,
    and its /proc entry still shows the parent's command line)."""
    env = {**os.environ, "PREFECT_HOME": str(home)}
    process = subprocess.Popen(args, env=env, start_new_session=True)
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
