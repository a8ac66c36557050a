"""The demo folder is what the pipeline's readers expect: the precinct importer and the observers' parser
read every file without an unknown header, and get the figures the election holds."""

from __future__ import annotations

import pandas as pd

from demo.election import CONTESTS, PARTIES


def test_precinct_importer_reads_each_contest_file(demo_folder, election):
    from saylau.precincts import parse_kz_precinct

    folder, _ = demo_folder
    for contest in CONTESTS:
        path = folder / "official" / f"precincts_{contest}.csv"
        table = parse_kz_precinct(path.read_bytes(), str(path), contest)
        official = election.protocol(contest, "official")
        assert len(table.wide) == len(official), contest
        assert sorted(o.option_id for o in table.options) == sorted(PARTIES)
        for column in ("registered", "ballots_issued", "invalid", *PARTIES):
            assert int(pd.to_numeric(table.wide[column]).sum()) == int(official[column].sum()), (
                contest,
                column,
            )
        assert set(table.wide["unit_id"]) == set(official["pec_id"])


def test_observer_parser_reads_every_export_and_drops_personal_data(demo_folder, election):
    from saylau.observers import parse_export

    folder, _ = demo_folder
    kinds = {}
    for path in sorted((folder / "observers").iterdir()):
        parsed = parse_export(path.read_bytes(), path.name, election_id="kz-2021-01-10", salt=b"test")
        kinds[path.name] = parsed.kind
        frame = parsed.frame
        assert not {"observer_name", "observer_phone"} & set(frame.columns)
        names = set(election.observers["name"])
        assert not any(str(v) in names for v in frame.astype(str).to_numpy().ravel())
    assert set(kinds.values()) == {"protocol", "turnout", "violation"}
