"""The method section (issue 18 item 4): after the findings, before the appendix, saying for this election
where the figures come from, what each contest's shares are of, and what the observers' sample allows."""

from __future__ import annotations

import re

from saylau import reference, warehouse
from saylau.report.data import report_context
from saylau.report.sections.method import method
from tests.report.pages import sections_of


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_method_comes_after_the_findings_and_before_the_appendix(small_report):
    _, page = small_report
    ids = re.findall(r"<section id='([a-z-]+)'", page)
    assert ids.index("key-figures") < ids.index("forensics") < ids.index("method") < ids.index("provenance")
    assert "<details" not in sections_of(page)["method"]  # printed, not collapsed like the appendix


def test_method_says_what_this_elections_figures_are(small_report):
    """The small fixture: 60 official precincts (a final precinct table), 20 precincts of the organisation
    'observers' (ref.observer_samples lists its 2021 sample as random), the 2021 Mazhilis (no 'against
    all')."""
    _, page = small_report
    text = _text(sections_of(page)["method"])
    assert "pec: 60 unit(s), final" in text
    assert "Mazhilis (party list): share of valid ballots" in text
    assert "against all" not in text.split("Mazhilis (party list):")[1].split("Regional")[0]
    assert "Mazhilis (party list): random sample of 20 precincts (observers)" in text
    assert "(below the 30 precincts a verdict needs)" in text
    assert (
        "https://github.com/saylau/saylau/blob/main/docs/observers.md#sample-design"
        in sections_of(page)["method"]
    )


def test_a_referendum_says_shares_of_ballots_cast_and_2023_says_against_all(tmp_path):
    """ref.contests decides the rule: the 2022 referendum's options are shares of all ballots cast; the
    2023 Mazhilis list vote has 'against all' among the valid ballots; no figure yet says so."""
    db = tmp_path / "w.duckdb"
    warehouse.create_warehouse(db)
    with warehouse.connect(db) as con:
        reference.load_reference(con)
        referendum = _text(method(report_context(con, "kz-2022-06-05")).body)
        mazhilis_2023 = _text(method(report_context(con, "kz-2023-03-19")).body)
    assert "share of all ballots cast (valid and invalid)" in referendum
    assert "share of valid ballots" not in referendum.split("names its denominator.")[1].split("Turnout")[0]
    assert "No official figure is in the warehouse yet" in referendum
    assert "No observers' copy is in the warehouse for this election" in referendum
    assert "'against all' counts as a valid ballot" in mazhilis_2023
