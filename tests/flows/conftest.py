"""Flow tests share one Prefect temporary server per test process (it costs 10-20 s to start)."""

from __future__ import annotations

import pytest

import flows  # noqa: F401  (sets Prefect's environment before prefect is imported)


@pytest.fixture(scope="session", autouse=True)
def prefect_server():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield
