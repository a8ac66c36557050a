"""pandera models of observers' staging frames: protocol copies, turnout counts and violation reports.

Protocol copies use the protocol model (:func:`schemas.protocol.protocol_schema`) plus the keys an
observer's copy must satisfy:

hard (row rejected)
    ``unknown_region``       the region text matches no region name or code (or another region than the
                             precinct's ``KZ-xx/n`` code)
    ``bad_precinct_number``  the precinct cell is not a precinct number
    ``unknown_contest``      the ballot / contest cell names no contest of the election
    ``unknown_precinct``     the region has a precinct registry and the precinct is not in it
    ``list_differs_from_official``  the voters on the list differ by > 2% from the official protocol of
                             that precinct (when loaded): most likely a mistyped precinct number
    ``party_not_on_ballot``  a vote count for a party that is not on this contest's ballot
    ``duplicate_row``        the same copy again (same organisation, contest, precinct, numbers and photo)
    ``unknown_district``     a single-member contest's copy whose district cell names none of its districts
    ``unknown_candidate``    a count under a candidate column naming no candidate of the row's district (or
                             naming one a second time)
    ``precinct_not_in_district``  the precinct is not one the named district covers
soft (row kept, flagged)
    ``registry_missing``     no precinct registry for the region: the precinct cannot be checked
    ``conflicting_copies``   another copy of the same precinct's protocol gives different numbers

Turnout counts: a count >= 0 with a time, ``turnout_over_100`` (more voters counted than on the list) and
``turnout_goes_down`` (a later count at the same precinct smaller than an earlier one) are soft.
Violation reports need a kind. All three share the region/precinct/registry rules.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import pandas as pd
import pandera.pandas as pa
from pandera.pandas import Check, Column, DataFrameSchema

from saylau.protocol import LINES
from schemas.protocol import (
    _all_true,
    boxes_far_above_issued,
    non_negative,
    protocol_schema,
    series_goes_down,
    valid_le_issued,
)

# value columns of a copy: two copies "agree" when all of these are equal
PROVENANCE = ("source_ref", "source_sha256", "source_row")


def unknown_region(required: bool = True) -> Check:
    """Hard: the region is not known (or, where a place is required, not given)."""

    def check(df: pd.DataFrame) -> pd.Series:
        given = _given(df, "region") | _given(df, "precinct")
        return df["region_code"].notna() | (~given if not required else False)

    return Check(
        check,
        name="unknown_region",
        error="the region names no region of this election (an unknown name or code, a region that did "
        "not exist on the election day, or a region cell naming another region than the precinct's code)",
        statistics={"lines": ["region"]},
    )


def _given(df: pd.DataFrame, column: str) -> pd.Series:
    if column not in df.columns:
        return pd.Series(False, index=df.index)
    return df[column].notna()


def bad_precinct_number(required: bool = True) -> Check:
    """Hard: the precinct cell is not a precinct number (or, where a place is required, empty)."""

    def check(df: pd.DataFrame) -> pd.Series:
        return df["precinct_number"].notna() | (~_given(df, "precinct") if not required else False)

    return Check(
        check,
        name="bad_precinct_number",
        error="the precinct cell is not a precinct number",
        statistics={"lines": ["precinct"]},
    )


def unknown_contest() -> Check:
    def check(df: pd.DataFrame) -> pd.Series:
        return df["contest_known"].fillna(False).astype(bool)

    return Check(
        check,
        name="unknown_contest",
        error="the ballot names no contest of this election",
        statistics={"lines": ["contest_id"]},
    )


def unknown_precinct(registry: Collection[str], registry_regions: Collection[str]) -> Check:
    """Hard: the precinct is missing from a registry that exists for its region."""
    known, regions = set(registry), set(registry_regions)

    def check(df: pd.DataFrame) -> pd.Series:
        checkable = df["region_code"].isin(regions) & df["precinct_number"].notna()
        return ~checkable | df["unit_id"].isin(known)

    return Check(
        check,
        name="unknown_precinct",
        error="no such precinct in the region's registry (a mistyped number?)",
        statistics={"lines": ["region", "precinct"]},
    )


def registry_missing(registry_regions: Collection[str]) -> Check:
    """Soft: the region has no registry, so the precinct number cannot be checked."""
    regions = set(registry_regions)

    def check(df: pd.DataFrame) -> pd.Series:
        return df["region_code"].isna() | df["region_code"].isin(regions)

    return Check(
        check,
        name="registry_missing",
        error="no precinct registry for the region: the precinct number could not be checked",
        raise_warning=True,
        statistics={"lines": ["region_code", "precinct"]},
    )


def party_not_on_ballot(off_ballot: Sequence[str]) -> Check:
    def check(df: pd.DataFrame) -> pd.Series:
        present = [c for c in off_ballot if c in df.columns]
        if not present:
            return _all_true(df)
        return df[present].isna().all(axis=1)

    return Check(
        check,
        name="party_not_on_ballot",
        error="votes for a party that is not on this contest's ballot",
        statistics={"lines": list(off_ballot)},
    )


def _copy_values(df: pd.DataFrame, value_columns: Sequence[str]) -> list[str]:
    return [c for c in value_columns if c in df.columns]


def duplicate_row(value_columns: Sequence[str]) -> Check:
    """Hard: a later row repeating an earlier copy exactly (the first one is kept).

    The photo reference is part of the copy: a repeat backed by a photo the earlier row lacks (or by
    another photo) is evidence the conflict rule weighs, not a duplicate.
    """

    def check(df: pd.DataFrame) -> pd.Series:
        photo = ["photo_ref"] if "photo_ref" in df.columns else []
        subset = ["source", "contest_id", "unit_id", *_copy_values(df, value_columns), *photo]
        return ~df.duplicated(subset=subset, keep="first")

    return Check(
        check,
        name="duplicate_row",
        error="the same protocol copy again (an earlier row has the same precinct, numbers and photo)",
        statistics={"lines": ["unit_id", "source_row"]},
    )


def conflicting_copies(value_columns: Sequence[str]) -> Check:
    """Soft: copies of one precinct's protocol (same organisation and contest) that disagree."""

    def check(df: pd.DataFrame) -> pd.Series:
        key = ["source", "contest_id", "unit_id"]
        values = _copy_values(df, value_columns)
        signature = pd.util.hash_pandas_object(df[values].astype("string").fillna("<NA>"), index=False)
        versions = signature.groupby([df[k] for k in key], dropna=False).transform("nunique")
        return versions <= 1

    return Check(
        check,
        name="conflicting_copies",
        error="another copy of this precinct's protocol gives different numbers",
        raise_warning=True,
        statistics={"lines": ["unit_id", "photo_ref"]},
    )


def list_differs_from_official(official_registered: Mapping[tuple[str, str], int]) -> Check:
    """Hard: the copy's voter list differs by more than 2% (and 10 voters) from the official list of the
    same precinct and contest. Both copy the same protocol form, and a rewrite changes votes, not the
    list, so the copy is most likely attributed to the wrong precinct (a mistyped number); kept in core
    it would pass for a rewritten protocol."""

    def check(df: pd.DataFrame) -> pd.Series:
        if not official_registered or "registered" not in df.columns:
            return _all_true(df)
        keys = pd.Series(list(zip(df["contest_id"], df["unit_id"], strict=True)), index=df.index)
        official = pd.to_numeric(keys.map(official_registered), errors="coerce")
        copy = pd.to_numeric(df["registered"], errors="coerce")
        gap = (copy - official).abs()
        bad = official.notna() & copy.notna() & (gap > 10) & (gap > 0.02 * official)
        return ~bad

    return Check(
        check,
        name="list_differs_from_official",
        error="voters on the list differ from the official list of this precinct (a mistyped precinct number?)",
        statistics={"lines": ["region", "precinct", "registered", "official_registered"]},
    )


def unknown_district() -> Check:
    """Hard: the district form's row of a single-member contest names no district of it."""

    def check(df: pd.DataFrame) -> pd.Series:
        if "district_needed" not in df.columns:
            return _all_true(df)
        return ~df["district_needed"].fillna(False).astype(bool) | df["district_id"].notna()

    return Check(
        check,
        name="unknown_district",
        error="the district cell names no single-member district of this contest (its id, its number in "
        "the region, or its name)",
        statistics={"lines": ["district", "contest_id", "region"]},
    )


def unknown_candidate() -> Check:
    """Hard: a count under a candidate column that names no candidate of the row's district."""

    def check(df: pd.DataFrame) -> pd.Series:
        if "unknown_candidates" not in df.columns:
            return _all_true(df)
        return df["unknown_candidates"].isna()

    return Check(
        check,
        name="unknown_candidate",
        error="a vote count under a column naming no candidate of the row's district (or one named twice)",
        statistics={"lines": ["district", "unknown_candidates"]},
    )


def precinct_not_in_district(district_precincts: Mapping[str, Collection[str]]) -> Check:
    """Hard: the precinct is not one the row's district covers (a mistyped district or precinct)."""

    def check(df: pd.DataFrame) -> pd.Series:
        if "district_id" not in df.columns or not district_precincts:
            return _all_true(df)
        covers = [
            district not in district_precincts or unit in district_precincts[district]
            for district, unit in zip(df["district_id"], df["unit_id"], strict=True)
        ]
        return df["district_id"].isna() | pd.Series(covers, index=df.index)

    return Check(
        check,
        name="precinct_not_in_district",
        error="the precinct is not in the district named (a mistyped district or precinct number?)",
        statistics={"lines": ["district", "region", "precinct"]},
    )


def observer_protocol_schema(
    contest_kind: str,
    options: Sequence[str],
    off_ballot: Sequence[str] = (),
    registry: Collection[str] = (),
    registry_regions: Collection[str] = (),
    official_registered: Mapping[tuple[str, str], int] | None = None,
    district_precincts: Mapping[str, Collection[str]] | None = None,
) -> pa.DataFrameSchema:
    """The model of observers' protocol copies of one contest (``options``: the parties on its ballot, or a
    district's candidates; ``off_ballot``: other party or candidate columns the file has; ``registry``:
    known ``unit_id``s of the regions in ``registry_regions``; ``official_registered``: (contest, unit) ->
    official voters on the list; ``district_precincts``: district id -> the precincts it covers)."""
    base = protocol_schema(contest_kind, options=options)
    value_columns = [*LINES, *options]
    checks = [c for c in base.checks if c.name != "duplicate_key"]
    # a copy that cannot be a true protocol is refused, not flagged (docs/observers.md, "The rules")
    checks += [
        valid_le_issued(),
        boxes_far_above_issued(),
        unknown_region(),
        bad_precinct_number(),
        unknown_contest(),
        unknown_precinct(registry, registry_regions),
        registry_missing(registry_regions),
        list_differs_from_official(official_registered or {}),
        party_not_on_ballot(off_ballot),
        unknown_district(),
        unknown_candidate(),
        precinct_not_in_district(district_precincts or {}),
        duplicate_row(value_columns),
        conflicting_copies(value_columns),
    ]
    columns = dict(base.columns)
    columns.update(
        {
            "region": Column(str, nullable=True, required=False),
            "precinct": Column(str, nullable=True, required=False),
            "precinct_number": Column("Int64", nullable=True, coerce=True),
            "contest_known": Column(bool, nullable=True, required=False),
            "photo_ref": Column(str, nullable=True, required=False),
            "notes": Column(str, nullable=True, required=False),
            "observer_hash": Column(str, nullable=True, required=False),
            "copy_id": Column(str, nullable=False, unique=True),
            "district": Column(str, nullable=True, required=False),
            "district_id": Column(str, nullable=True, required=False),
            "unknown_candidates": Column(str, nullable=True, required=False),
        }
    )
    for party in off_ballot:
        columns[party] = Column("Int64", nullable=True, required=False, coerce=True)
    return DataFrameSchema(columns, checks=checks, name=f"observer_protocol[{contest_kind}]")


def _place_checks(
    registry: Collection[str], registry_regions: Collection[str], required: bool = True
) -> list[Check]:
    return [
        unknown_region(required),
        bad_precinct_number(required),
        unknown_precinct(registry, registry_regions),
        registry_missing(registry_regions),
    ]


def _place_columns() -> dict[str, Column]:
    return {
        "source": Column(str, nullable=False),
        "election_id": Column(str, nullable=False),
        "region": Column(str, nullable=True, required=False),
        "region_code": Column(str, nullable=True),
        "precinct": Column(str, nullable=True, required=False),
        "precinct_number": Column("Int64", nullable=True, coerce=True),
        "unit_id": Column(str, nullable=True),
        "observer_hash": Column(str, nullable=True, required=False),
        "source_ref": Column(str, nullable=True, required=False),
        "source_sha256": Column(str, nullable=True, required=False),
        "source_row": Column("Int64", nullable=True, required=False, coerce=True),
    }


def turnout_over_100() -> Check:
    def check(df: pd.DataFrame) -> pd.Series:
        if "registered" not in df.columns:
            return _all_true(df)
        applicable = df["voters_counted"].notna() & df["registered"].notna()
        return ~applicable | (df["voters_counted"] <= df["registered"]).fillna(True).astype(bool)

    return Check(
        check,
        name="turnout_over_100",
        error="more voters counted than on the list (turnout over 100%)",
        raise_warning=True,
        statistics={"lines": ["voters_counted", "registered"]},
    )


def turnout_goes_down() -> Check:
    """Soft: at one precinct, a count smaller than an earlier one (counts are cumulative)."""
    check = series_goes_down(["source", "unit_id"], "as_of", "voters_counted", "turnout_goes_down")
    check.error = "fewer voters counted than at an earlier time at the same precinct"
    return check


def observer_turnout_schema(
    registry: Collection[str] = (), registry_regions: Collection[str] = ()
) -> pa.DataFrameSchema:
    """The model of observers' turnout counts (one row per precinct and time)."""
    columns = _place_columns()
    columns.update(
        {
            "as_of": Column(pa.DateTime, nullable=False, coerce=True),
            "registered": Column("Int64", non_negative(), nullable=True, required=False, coerce=True),
            "voters_counted": Column("Int64", non_negative(), nullable=False, coerce=True),
        }
    )
    checks = [*_place_checks(registry, registry_regions), turnout_over_100(), turnout_goes_down()]
    return DataFrameSchema(columns, checks=checks, name="observer_turnout")


def observer_violation_schema(
    registry: Collection[str] = (), registry_regions: Collection[str] = ()
) -> pa.DataFrameSchema:
    """The model of violation reports (one row per report)."""
    columns = _place_columns()
    columns.update(
        {
            "as_of": Column(pa.DateTime, nullable=True, coerce=True),
            "kind": Column(str, Check.str_length(min_value=1), nullable=False),
            "description": Column(str, nullable=True, required=False),
            "photo_ref": Column(str, nullable=True, required=False),
        }
    )
    return DataFrameSchema(
        columns, checks=_place_checks(registry, registry_regions, required=False), name="observer_violation"
    )
