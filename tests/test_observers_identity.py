"""Which file a load is (issue 22 item 3): a file is its path in the folder loaded and its election, not
its bare name; loading an earlier version again restores it; bytes loaded under the wrong election are
moved to the right one, a load can be withdrawn, and a rebuild from the archive's manifest ends the same."""

from __future__ import annotations

from typer.testing import CliRunner

from saylau import reference, warehouse
from saylau.cli import app
from saylau.observers import load_observers, withdraw_observers
from saylau.pipeline.rebuild import replay_loads
from tests.test_observers import ELECTION, copy, load, query, write_csv

OTHER = "kz-2022-06-05"  # the referendum: no Mazhilis, no precinct registry here


def values(db) -> list[tuple]:
    return query(
        db,
        "select election_id, unit_id, line, option_id, value from core.protocol_values "
        "where source <> 'official' order by all",
    )


def registered(db) -> dict[str, int]:
    rows = query(
        db,
        "select unit_id, value from core.protocol_values where source <> 'official' and line = 'registered' "
        "and election_id = ?",
        [ELECTION],
    )
    return dict(rows)


def test_files_of_one_name_in_two_folders_are_two_files(wh, build_settings, tmp_path):
    folder = tmp_path / "exports"
    (folder / "north").mkdir(parents=True)
    (folder / "south").mkdir()
    write_csv(folder / "north" / "protocols.csv", [copy(1), copy(2)])
    write_csv(folder / "south" / "protocols.csv", [copy(3), copy(4)])
    results = load(wh, build_settings, folder)
    assert [(r.status, r.superseded) for r in results] == [("loaded", []), ("loaded", [])]
    assert sorted(registered(wh)) == ["KZ-75/1", "KZ-75/2", "KZ-75/3", "KZ-75/4"]
    assert query(wh, "select file_name from raw.observer_files order by 1") == [
        ("north/protocols.csv",),
        ("south/protocols.csv",),
    ]
    # a correction of one of them supersedes that one alone
    write_csv(folder / "south" / "protocols.csv", [copy(3, registered="1600"), copy(4)])
    _, south = load(wh, build_settings, folder, run_id="run-2")
    assert south.status == "loaded" and len(south.superseded) == 1
    assert registered(wh) == {"KZ-75/1": 1500, "KZ-75/2": 1500, "KZ-75/3": 1600, "KZ-75/4": 1500}


def test_loading_an_earlier_version_again_restores_it(wh, build_settings, tmp_path):
    path = tmp_path / "protocols.csv"
    v1 = write_csv(path, [copy(1)]).read_bytes()
    load(wh, build_settings, path, run_id="v1")
    write_csv(path, [copy(1, registered="1600")])
    load(wh, build_settings, path, run_id="v2")
    assert registered(wh) == {"KZ-75/1": 1600}
    path.write_bytes(v1)
    [again] = load(wh, build_settings, path, run_id="v1-again")
    assert again.status == "loaded" and len(again.superseded) == 1
    assert registered(wh) == {"KZ-75/1": 1500}
    [same] = load(wh, build_settings, path, run_id="v1-thrice")
    assert same.status == "unchanged"
    assert query(wh, "select count(*) from raw.observer_files where superseded_by is null") == [(1,)]


def test_a_file_loaded_under_the_wrong_election_moves_and_a_load_can_be_withdrawn(
    wh, build_settings, tmp_path
):
    path = write_csv(tmp_path / "protocols.csv", [copy(1), copy(2)])
    [wrong] = load_observers(wh, [path], election_id=OTHER, run_id="wrong", s=build_settings)
    assert wrong.status == "loaded"
    assert registered(wh) == {}
    [right] = load(wh, build_settings, path, run_id="right")  # the same bytes, the right election
    assert right.status == "loaded" and right.good == 2
    assert right.problems[0] == f"protocols.csv: moved here from election {OTHER}"
    assert {r[0] for r in values(wh)} == {ELECTION}
    assert query(wh, "select count(*) from staging.observer_protocols where election_id = ?", [OTHER]) == [
        (0,)
    ]

    [withdrawn] = withdraw_observers(wh, [path], election_id=ELECTION, run_id="withdraw", s=build_settings)
    assert withdrawn.status == "withdrawn"
    assert values(wh) == [] and query(wh, "select count(*) from raw.observer_files") == [(0,)]
    [nothing] = withdraw_observers(wh, [path], election_id=ELECTION, run_id="again", s=build_settings)
    assert nothing.status == "refused" and "no current load" in nothing.problems[0]
    [back] = load(wh, build_settings, path, run_id="back")  # withdrawn bytes load again
    assert back.status == "loaded" and len(registered(wh)) == 2


def test_a_rebuild_replays_versions_moves_and_withdrawals_to_the_same_state(wh, build_settings, tmp_path):
    folder = tmp_path / "exports"
    (folder / "north").mkdir(parents=True)
    (folder / "south").mkdir()
    north = write_csv(folder / "north" / "protocols.csv", [copy(1)])
    south = write_csv(folder / "south" / "protocols.csv", [copy(2)])
    v1 = south.read_bytes()
    load(wh, build_settings, folder, run_id="r1")
    write_csv(south, [copy(2, registered="1600")])
    load(wh, build_settings, folder, run_id="r2")
    south.write_bytes(v1)
    load(wh, build_settings, folder, run_id="r3")  # v1 again
    load_observers(wh, [north], election_id=OTHER, run_id="r4", s=build_settings)  # moved away...
    load(wh, build_settings, north, run_id="r5")  # ...and back (identity: its bare name now)
    third = write_csv(tmp_path / "third.csv", [copy(3)])
    load(wh, build_settings, third, run_id="r6")
    withdraw_observers(wh, [third], election_id=ELECTION, run_id="r7", s=build_settings)
    before = values(wh)
    assert registered(wh) == {"KZ-75/1": 1500, "KZ-75/2": 1500}

    wh.unlink()  # a fresh warehouse, then every recorded load and withdrawal in order
    warehouse.create_warehouse(wh)
    with warehouse.connect(wh) as con:
        reference.load_reference(con)
        con.executemany(
            "insert into ref.commissions (election_id, commission_id, level, region_code, number) "
            "values ('kz-2021-01-10', ?, 'pec', 'KZ-75', ?)",
            [[f"KZ-75/{n}", n] for n in range(1, 31)],
        )
    replay_loads(build_settings, "rebuild")
    assert values(wh) == before


def test_withdraw_from_the_cli_and_a_run_of_refused_files_is_failed(tmp_path, build_settings):
    runner = CliRunner()
    path = write_csv(tmp_path / "haq.csv", [copy(1)])
    build = tmp_path / "b"
    common = ["--election-id", ELECTION, "--build-dir", str(build)]
    assert runner.invoke(app, ["load-observers", str(path), *common]).exit_code == 0
    out = runner.invoke(app, ["load-observers", "--withdraw", str(path), *common])
    assert out.exit_code == 0 and "haq.csv: withdrawn" in " ".join(out.output.split()), out.output
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01\x02 not a table")
    refused = runner.invoke(app, ["load-observers", str(bad), *common])
    assert refused.exit_code == 1
    db = build / "work" / "saylau.duckdb"
    statuses = query(
        db, "select status, error from meta.runs where flow = 'load_observers' order by started_at"
    )
    assert [s for s, _ in statuses] == ["completed", "completed", "failed"]
    assert "bad.csv" in statuses[-1][1]
