"""The demo folder: official precinct table, observers' exports as their platform gives them, ground truth."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
from openpyxl import load_workbook

from demo.election import PARTIES, generate
from demo.outputs import PRECINCT_CSV_COLUMNS, write_election
from saylau.config import REFERENCE_DATA_DIR
from saylau.reference import default_resolver


def _read_export(path) -> list[list[str]]:
    """Rows (header first) of an observers' export, CSV or XLSX, as strings."""
    if path.suffix == ".csv":
        return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    ws = load_workbook(path, read_only=True).active
    return [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]


def test_same_seed_gives_the_same_bytes(demo_folder, tmp_path):
    folder, digests = demo_folder
    again = write_election(generate(), tmp_path / "again")
    assert again == digests
    assert json.loads((folder / "MANIFEST.json").read_text()) == digests
    assert any(name.endswith(".xlsx") for name in digests)


def test_official_precinct_table_is_complete_and_documented(demo_folder):
    folder, _ = demo_folder
    table = pd.read_csv(folder / "official" / "precincts.csv", dtype={"pec_id": str})
    assert tuple(table.columns) == PRECINCT_CSV_COLUMNS
    mazh = table[table["contest_id"] == "mazhilis"]
    assert len(mazh) == 10_060 and mazh["registered"].sum() == 11_919_241
    assert mazh["amanat"].sum() == 5_148_074 and mazh["invalid"].sum() == 297_718
    assert set(table["contest_id"]) == {"mazhilis", "maslikhat_regional", "maslikhat_city"}
    assert not table.duplicated(["contest_id", "pec_id"]).any()
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "demo.md").read_text(encoding="utf-8")
    for column in PRECINCT_CSV_COLUMNS:
        assert f"`{column}`" in docs, column


def test_observer_headers_come_from_the_loader_mapping(demo_folder):
    folder, _ = demo_folder
    mapping = pd.read_csv(REFERENCE_DATA_DIR / "observer_columns.csv", dtype=str)
    known = {(k, h) for k, h in zip(mapping["file_kind"], mapping["header"], strict=True)}
    resolver = default_resolver()
    kinds = set()
    for path in sorted((folder / "observers").iterdir()):
        kind = path.name.split("_")[0].rstrip("s")
        kinds.add((kind, path.suffix))
        header = _read_export(path)[0]
        parties = []
        for h in header:
            if (kind, h) not in known:
                parties.append(resolver.party(h))  # raises UnknownNameError for an unmapped header
        assert parties == (list(PARTIES) if kind == "protocol" else []), path.name
        # personal data travels in the exports (the pipeline must drop it)
        canon = {mapping.loc[(mapping["file_kind"] == kind) & (mapping["header"] == h), "canonical"].iat[0] for h in header if (kind, h) in known}  # fmt: skip
        assert {"observer_name", "observer_phone"} <= canon
    assert {k for k, _ in kinds} == {"protocol", "turnout", "violation"}
    assert {s for _, s in kinds} == {".csv", ".xlsx"}


def test_injected_errors_are_in_the_files_where_the_ground_truth_says(demo_folder, election):
    folder, _ = demo_folder
    errors = json.loads((folder / "ground_truth" / "export_errors.json").read_text(encoding="utf-8"))
    assert {e["kind"] for e in errors} == {"mistyped_precinct", "swapped_columns", "does_not_add_up", "duplicate", "conflicting_copy"}  # fmt: skip
    pec = election.protocol("mazhilis", "pec").set_index("pec_id")
    for e in errors:
        rows = _read_export(folder / "observers" / e["file"])
        row = rows[e["data_row"]]  # header is rows[0]
        numbers = [int(v) for v in row[3:15]]
        registered, received, issued, cancelled, boxes, invalid, valid, *votes = numbers
        if e["kind"] == "mistyped_precinct":
            assert row[1] != e["pec_id"].split("/")[1]
        elif e["kind"] == "swapped_columns":
            assert issued != boxes and cancelled == boxes
        elif e["kind"] == "does_not_add_up":
            assert sum(votes) == valid + 100
        elif e["kind"] == "duplicate":
            assert rows[e["data_row"] - 1] == row
        elif e["kind"] == "conflicting_copy":
            previous = rows[e["data_row"] - 1]
            assert previous[:3] == row[:3] and previous[3:15] != row[3:15] and previous[15] != row[15]
        if e["kind"] not in ("duplicate", "mistyped_precinct", "conflicting_copy") and row[2] in (
            "Мажилис",
            "Мәжіліс",
        ):
            assert registered == pec.at[e["pec_id"], "registered"]


def test_ground_truth_stays_in_its_own_folder(demo_folder):
    folder, digests = demo_folder
    truth = [p for p in digests if p.startswith("ground_truth/")]
    assert {
        "ground_truth/manipulation.csv",
        "ground_truth/summary.json",
        "ground_truth/export_errors.json",
    } <= set(truth)
    official_header = (folder / "official" / "precincts.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "stuffed" not in official_header and "kind" not in official_header
    summary = json.loads((folder / "ground_truth" / "summary.json").read_text(encoding="utf-8"))
    assert summary["totals"]["mazhilis"]["official"]["amanat"] == 5_148_074
    assert summary["totals"]["mazhilis"]["honest"]["amanat"] < 5_148_074


def test_same_bytes_in_another_process_with_another_hash_seed(demo_folder, tmp_path):
    import os
    import subprocess
    import sys

    _, digests = demo_folder
    code = (
        "import json, sys; from pathlib import Path; from demo.outputs import generate_into; "
        "print(json.dumps(generate_into(Path(sys.argv[1]))))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "other")],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert json.loads(out.stdout) == digests
