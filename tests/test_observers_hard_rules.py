"""Hard rules quarantine, soft rules flag (issue 18 item 2): a copy that cannot be a true protocol is
refused with its rule, file, row and columns, never kept as "1 flagged"."""

from __future__ import annotations

from tests.test_observers import ELECTION, copy, load, query, write_csv


def test_more_valid_than_issued_is_quarantined_not_flagged(wh, build_settings, tmp_path):
    # 950 valid ballots of 700 issued (the boxes and the parties agree with the 950): no true protocol
    bad = copy(
        "12", ballots_issued="700", ballots_cancelled="850", ballots_in_boxes="961", invalid="11", valid="950"
    )
    path = write_csv(tmp_path / "protocols.csv", [copy("11"), bad])
    load(wh, build_settings, path)
    rules = query(
        wh,
        "select rule, source_row, failing_values, source_ref from quarantine.observer_protocols "
        "where election_id = ? order by rule",
        [ELECTION],
    )
    assert {r[0] for r in rules} >= {"valid_le_issued"}, rules
    assert all(r[1] == 3 and r[3].endswith("protocols.csv") for r in rules), rules  # header is row 1
    assert query(wh, "select count(*) from core.protocol_values where unit_id = 'KZ-75/12'") == [(0,)]
    assert query(wh, "select count(*) from core.validation_flags where unit_id = 'KZ-75/12'") == [(0,)]


def test_a_few_ballots_over_issued_is_only_flagged(wh, build_settings, tmp_path):
    odd = copy("13", ballots_in_boxes="905", invalid="15")  # 4 over 901 issued: soft
    load(wh, build_settings, write_csv(tmp_path / "protocols.csv", [odd]))
    assert query(wh, "select rule from core.validation_flags where unit_id = 'KZ-75/13'") == [
        ("boxes_gt_issued",)
    ]
    assert query(wh, "select count(*) from quarantine.observer_protocols") == [(0,)]
