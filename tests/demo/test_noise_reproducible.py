"""The noisy double is the same bytes for the same seed, whatever Python's hash seed (a set's order is)."""

from __future__ import annotations

import os
import subprocess
import sys

from saylau.config import PROJECT_ROOT

DIGEST = """
import hashlib
from demo.noise import Noise
from demo.site import DemoSite
site = DemoSite(noise=Noise.real(), elections=("kz-2021-01-10", "kz-2023-03-19"))
h = hashlib.sha256()
for url in sorted(site.figure_urls()):
    h.update(url.encode())
    h.update(site.respond(url).body)
print(h.hexdigest())
"""


def test_noisy_pages_do_not_depend_on_the_hash_seed():
    digests = set()
    for seed in ("0", "1", "6"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", DIGEST],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert out.returncode == 0, out.stderr[-2000:]
        digests.add(out.stdout.strip())
    assert len(digests) == 1
