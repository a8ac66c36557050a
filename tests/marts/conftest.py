"""The demo election loaded into a warehouse once per test session, and its hidden ground truth.

Built with plain function calls (no Prefect, no site): the demo folder is generated, the official precinct
table imported (every contest), the observers' exports loaded and the marts built. Only tests read the
ground truth (``ground_truth/``); the pipeline never does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from saylau import reference, warehouse
from saylau.config import Settings

ELECTION = "kz-2021-01-10"


@dataclass(frozen=True)
class DemoWarehouse:
    """The demo folder, the built warehouse and the ground truth the marts are scored against."""

    folder: Path
    db: Path
    summary: dict  # ground_truth/summary.json
    manipulation: pd.DataFrame  # ground_truth/manipulation.csv
    pec_copies: pd.DataFrame  # ground_truth/protocols_pec.csv: the precincts' own signed protocols
    honest: pd.DataFrame  # ground_truth/protocols_honest.csv: what the voters did
    export_errors: list[dict]  # ground_truth/export_errors.json
    observed: dict[str, set[str]]  # per contest: the precincts observers watched (from the simulation)

    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """Run a read-only query on the built warehouse."""
        con = duckdb.connect(str(self.db), read_only=True)
        try:
            return con.execute(sql, params or []).df()
        finally:
            con.close()


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> DemoWarehouse:
    """Generate the demo election, load it as ``make demo`` does (minus the site) and build the marts."""
    from demo.outputs import generate_into
    from saylau.marts import build_marts
    from saylau.observers import load_observers
    from saylau.precincts import import_precinct_file

    root = tmp_path_factory.mktemp("marts_demo")
    folder = root / "demo"
    generate_into(folder)
    s = Settings(build_dir=root / "build")
    db = s.work_db
    warehouse.create_warehouse(db)
    with warehouse.connect(db) as con:
        reference.load_reference(con)
    import_precinct_file(
        db,
        folder / "official" / "precincts.csv",
        "kz-precinct-csv",
        ELECTION,
        run_id="marts-test",
        archive_dir=s.archive_dir,
    )
    load_observers(db, [folder / "observers"], election_id=ELECTION, run_id="marts-test", s=s)
    with warehouse.connect(db) as con:
        build_marts(con)
    truth = folder / "ground_truth"
    from demo.election import CONTESTS, DEFAULT_SEED, generate

    precincts = generate(DEFAULT_SEED).precincts
    observed = {c: set(precincts.loc[precincts[f"observed_{c}"], "pec_id"]) for c in CONTESTS}
    return DemoWarehouse(
        folder=folder,
        db=db,
        summary=json.loads((truth / "summary.json").read_text(encoding="utf-8")),
        manipulation=pd.read_csv(truth / "manipulation.csv"),
        pec_copies=pd.read_csv(truth / "protocols_pec.csv"),
        honest=pd.read_csv(truth / "protocols_honest.csv"),
        export_errors=json.loads((truth / "export_errors.json").read_text(encoding="utf-8")),
        observed=observed,
    )
