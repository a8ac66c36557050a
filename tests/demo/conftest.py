"""Fixtures for the demo election tests: one generated election per session (it is deterministic)."""

from __future__ import annotations

import pytest

from demo.election import DEFAULT_SEED, Election, generate


@pytest.fixture(scope="session")
def election() -> Election:
    """The demo election of the default seed."""
    return generate(DEFAULT_SEED)


@pytest.fixture(scope="session")
def demo_folder(election: Election, tmp_path_factory: pytest.TempPathFactory):
    """The default election written to a folder: (folder, path -> sha256)."""
    from demo.outputs import write_election

    folder = tmp_path_factory.mktemp("demo")
    return folder, write_election(election, folder)


@pytest.fixture(scope="session")
def site(election: Election):
    """The demo site's logic over the default election, clock after every publication, no faults."""
    from demo.site import DemoSite

    return DemoSite(election, protocols=True)


@pytest.fixture
def running_site(election: Election):
    """A demo site served on a free loopback port (stopped after the test); yields the RunningSite."""
    from demo.site import DemoSite, start_site

    with start_site(DemoSite(election, protocols=True)) as running:
        yield running
