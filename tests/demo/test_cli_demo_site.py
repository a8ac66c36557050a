"""`saylau demo-site` serves the CEC double on loopback and says where."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_demo_site_command_serves_and_writes(tmp_path):
    cmd = [sys.executable, "-c", "from saylau.cli import app; app()", "demo-site", "--port", "0",
           "--at", "2021-01-10T12:30", "--write-to", str(tmp_path / "demo")]  # fmt: skip
    env = {**os.environ, "COLUMNS": "200"}
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            match = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
            if match:
                break
        assert match, "".join(lines)
        with urllib.request.urlopen(match.group(1) + "/rus/news/releases/", timeout=10) as r:
            listing = r.read().decode()
        assert "Явка избирателей на 12:00" in listing and "на 14:00" not in listing
        assert (tmp_path / "demo" / "official" / "precincts.csv").exists()
        assert "ground_truth" in "".join(lines)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
