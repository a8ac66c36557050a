"""`saylau serve` on a real local Prefect server: scheduled runs against the demo site, clock moving."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import datetime

import pytest

from demo.clock import CAPITAL, SimClock
from demo.site import start_site
from flows.server import free_port

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("serve")]


def completed_runs(api_url: str) -> list[dict]:
    body = json.dumps({"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}}).encode()
    request = urllib.request.Request(
        f"{api_url}/flow_runs/filter", data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())
    except OSError:
        return []


def _stop_leftover_server(pid_file):
    """If the serve process died without stopping its server (a failing test), stop it here."""
    if pid_file.exists():
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.killpg(int(pid_file.read_text()), signal.SIGKILL)


def test_serve_runs_the_flow_on_schedule_until_stopped(tmp_path):
    clock = SimClock(datetime(2021, 1, 10, 9, 50, tzinfo=CAPITAL), speed=600)  # ten minutes a second
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(SAYLAU_BUILD_DIR=str(tmp_path / "build"), PREFECT_HOME=str(tmp_path / "prefect"))
    log = (tmp_path / "serve.log").open("wb")
    with start_site(clock=clock) as site:
        serve = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "saylau.cli",
                "serve",
                "--base-url",
                site.base_url,
                "--interval",
                "5",
                "--rate",
                "0",
                "--concurrency",
                "8",
                "--server-port",
                str(port),
                "--build-dir",
                str(tmp_path / "build"),
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 240
            runs = []
            while time.monotonic() < deadline and len(runs) < 2:
                assert serve.poll() is None, (tmp_path / "serve.log").read_text(errors="replace")[-3000:]
                time.sleep(3)
                runs = completed_runs(api_url)
        finally:
            os.killpg(serve.pid, signal.SIGINT)
            try:
                serve.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(serve.pid, signal.SIGKILL)
                serve.wait()
            log.close()
            _stop_leftover_server(tmp_path / "build" / "prefect" / "server" / "server.pid")
    assert len(runs) >= 2, (tmp_path / "serve.log").read_text(errors="replace")[-3000:]
    assert {r["name"] for r in runs} and all(r["flow_id"] == runs[0]["flow_id"] for r in runs)
    assert (tmp_path / "build" / "published" / "saylau.duckdb").exists()
    # the server the command started is gone with it
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{api_url}/health", timeout=2)


def test_a_restart_removes_the_runs_an_earlier_serve_scheduled(tmp_path, monkeypatch):
    """Late and future runs of election_night/election-night go before serving again; others stay."""
    from datetime import UTC, timedelta

    from prefect.client.orchestration import get_client
    from prefect.states import Completed, Scheduled

    from flows.schedule import clear_stale_runs
    from flows.scrape import election_night
    from flows.server import local_server

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with local_server(tmp_path / "prefect") as api_url:
        monkeypatch.setenv("PREFECT_API_URL", api_url)
        assert clear_stale_runs() == []  # no deployment yet
        deployment_id = election_night.to_deployment(
            name="election-night", parameters={"base_url": "http://old"}
        ).apply()
        now = datetime.now(UTC)
        with get_client(sync_client=True) as client:
            made = {
                name: client.create_flow_run_from_deployment(deployment_id, state=state, name=name).id
                for name, state in [
                    ("late", Scheduled(scheduled_time=now - timedelta(hours=1))),
                    ("future", Scheduled(scheduled_time=now + timedelta(hours=1))),
                    ("done", Completed()),
                ]
            }
            assert sorted(clear_stale_runs()) == ["future", "late"]
            from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId

            ours = DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id]))
            left = {r.name for r in client.read_flow_runs(deployment_filter=ours)}
        assert left == {"done"}, made
