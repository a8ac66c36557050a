"""Flow tests: Prefect flows against the CEC double, on one temporary Prefect server per test process."""

from tests.night import FAST

__all__ = ["FAST"]
