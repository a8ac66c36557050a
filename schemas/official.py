"""pandera models of the CEC's own figures once staged (turnout bulletins and result percentages).

Counts from results communiques are validated as wide protocols by :func:`official_protocol_schema`: the
protocol model (:func:`schemas.protocol.protocol_schema`) plus ``votes_above_ballots`` (a unit whose votes
add up to more than its own ballots cannot be a true count; the page states no other figure to trust).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandera.pandas as pa
from pandera.pandas import Check, Column, DataFrameSchema

from schemas.protocol import protocol_schema, votes_above_ballots


def turnout_schema(regions: Iterable[str]) -> DataFrameSchema:
    """A bulletin figure: a share in 0..100 for a region that existed on election day ('KZ' nationally)."""
    return DataFrameSchema(
        {
            "election_id": Column(str),
            "region_code": Column(str, Check.isin([*regions, "KZ"], name="region_exists_on_election_day")),
            "as_of": Column(pa.DateTime, coerce=True),
            "turnout_pct": Column(float, Check.in_range(0, 100, name="share_in_0_100"), coerce=True),
            "source_ref": Column(str),
            "source_sha256": Column(str),
            "languages": Column(str),
        },
        name="official_turnout",
    )


def shares_schema(options: Iterable[str]) -> DataFrameSchema:
    """A stated percentage: in 0..100, and for an option on the contest's ballot."""
    return DataFrameSchema(
        {
            "election_id": Column(str),
            "contest_id": Column(str),
            "level": Column(str, Check.isin(["national", "region", "tec", "pec"])),
            "unit_id": Column(str),
            "line": Column(str, Check.isin(["share", "turnout_pct"])),
            "option_id": Column(str, Check.isin(list(options), name="option_on_ballot"), nullable=True),
            "share_pct": Column(float, Check.in_range(0, 100, name="share_in_0_100"), coerce=True),
            "status": Column(str, Check.isin(["preliminary", "final"])),
            "source_ref": Column(str),
            "source_sha256": Column(str),
            "languages": Column(str),
        },
        name="official_shares",
    )


def official_protocol_schema(contest_kind: str, options: Sequence[str]) -> DataFrameSchema:
    """The model of the counts a CEC page states for its units (no line is required: a page states what
    it states), one contest kind, ``options`` the contest's ballot options."""
    base = protocol_schema(contest_kind, options, required=())
    checks = [*base.checks, votes_above_ballots(options)]
    return DataFrameSchema(base.columns, checks=checks, name=f"official_protocol[{contest_kind}]")
