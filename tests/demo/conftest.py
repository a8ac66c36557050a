"""Fixtures for the demo election tests: one generated election per session (it is deterministic)."""

from __future__ import annotations

import pytest

from demo.election import DEFAULT_SEED, Election, generate


@pytest.fixture(scope="session")
def election() -> Election:
    """The demo election of the default seed."""
    return generate(DEFAULT_SEED)
