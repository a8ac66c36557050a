"""Shared fixtures: every test gets its own build folder; warehouses are built by code, not committed."""

from __future__ import annotations

from pathlib import Path

import pytest

from saylau import reference, warehouse
from saylau.config import Settings


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Make ``--dist loadgroup`` group again: pytest-xdist 3.8 appends ``@group`` to ``item._nodeid``, which
    pytest 9.2 no longer reads (the id is ``item._id``), so every group was spread over both workers and
    each worker built the group's session fixtures again. Same suffix, set where pytest 9.2 reads it."""
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import coerce_node_id

    for item in items:
        marks = item.iter_markers("xdist_group")
        names = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in marks})
        if names and "@" not in item.nodeid:
            item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(names)}")


@pytest.fixture
def build_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings pointing at a fresh build folder under tmp_path (also exported for subprocesses)."""
    monkeypatch.setenv("SAYLAU_BUILD_DIR", str(tmp_path / "build"))
    monkeypatch.delenv("SAYLAU_DB", raising=False)
    return Settings(build_dir=tmp_path / "build")


@pytest.fixture
def ref_warehouse(build_settings: Settings) -> Path:
    """A working warehouse with schemas created and reference data loaded; returns its path."""
    db = build_settings.work_db
    warehouse.create_warehouse(db)
    with warehouse.connect(db) as con:
        reference.load_reference(con)
    return db


@pytest.fixture
def wh(ref_warehouse: Path) -> Path:
    """The reference warehouse plus a precinct registry for Almaty city (KZ-75/1..30) in the 2021 election:
    what the observers' loader tests check precinct numbers against."""
    with warehouse.connect(ref_warehouse) as con:
        con.executemany(
            "insert into ref.commissions (election_id, commission_id, level, region_code, number) "
            "values ('kz-2021-01-10', ?, 'pec', 'KZ-75', ?)",
            [[f"KZ-75/{n}", n] for n in range(1, 31)],
        )
    return ref_warehouse
