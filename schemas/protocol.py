"""pandera model of a wide protocol frame (see :mod:`saylau.protocol`), official and observer alike.

A wide protocol frame has the key columns, a nullable ``Int64`` column per protocol line the source gives
(:data:`saylau.protocol.LINES`) and one column per ballot option. The model checks types and ranges (no
negative counts) and the protocol's control relations, each a *named* check so that a failure says which
rule broke:

hard rules (the row is rejected, see :mod:`saylau.validate`)
    ``required_lines``          a line every protocol of this kind must state is missing
    ``issued_le_registered``    ballots issued to voters <= voters on the list
    ``received_balance``        ballots received = issued + cancelled (+ lost - unaccounted, when given)
    ``boxes_balance``           ballots in boxes = invalid + valid (+ valid_not_counted in referendums)
    ``valid_is_sum_of_options`` valid = sum of the option votes (against-all is an option); where some
                                option cells are blank, the others must not add up to more than valid
    ``non_negative``            no count below zero (per column)
    ``votes_above_ballots``     (the CEC's pages, :func:`schemas.official.official_protocol_schema`) the
                                options' votes, one option's or their sum, above the unit's own ballots:
                                the valid ballots, the ballots in the boxes, or the ballots issued plus 2%
                                (at least 10), whichever the row states

soft rules (``raise_warning=True``: the row is kept and flagged)
    ``boxes_gt_issued``         more ballots in the boxes than were issued to voters
    ``boxes_well_below_issued`` far fewer ballots in the boxes than issued (> 5% and > 10 ballots)
    ``turnout_over_100``        more ballots in the boxes than voters on the list
    ``round_turnout``           turnout is an exact whole percent (>= 100 voters on the list)
    ``duplicate_key``           more than one row for one unit (and time, and status)
    ``blank_option_hides_votes`` an option's cell is blank and the others add up to less than valid: the
                                blank holds votes nobody typed (a blank beside a full sum is a party not on
                                that ballot, or a 0, and is not flagged)

A relation whose lines are absent from the frame is skipped, not failed; so is a row where one of the
relation's own lines is missing (``required_lines`` catches the lines that must be there). Every check is
vectorised over the whole frame. Each check's ``statistics["lines"]`` names the columns it compares, which
:mod:`saylau.validate` uses to write the failing values.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import pandera.pandas as pa
from pandera.pandas import Check, Column, DataFrameSchema

from saylau.protocol import KEY_COLUMNS, LINES, option_columns

CONTEST_KINDS = ("party_list", "mixed", "single_member", "single_winner", "referendum")

# Lines every protocol row must state, whatever its source: the turnout numerator and denominator.
DEFAULT_REQUIRED_LINES = ("registered", "ballots_issued")

OPTIONS_MARKER = "<options>"  # in statistics["lines"]: "the frame's option columns"

HARD_RULES = (
    "required_lines",
    "issued_le_registered",
    "received_balance",
    "boxes_balance",
    "valid_is_sum_of_options",
    "non_negative",
    "valid_le_issued",
    "boxes_far_above_issued",
    "votes_above_ballots",
)
SOFT_RULES = (
    "boxes_gt_issued",
    "boxes_well_below_issued",
    "turnout_over_100",
    "round_turnout",
    "duplicate_key",
    "blank_option_hides_votes",
)


def non_negative() -> Check:
    """A count is zero or more (missing values are not checked)."""
    return Check(lambda s: s >= 0, name="non_negative", error="a count below zero")


def _all_true(df: pd.DataFrame) -> pd.Series:
    return pd.Series(True, index=df.index)


def _has(df: pd.DataFrame, *columns: str) -> bool:
    return all(c in df.columns for c in columns)


def _known(df: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    """Rows where every given column holds a value."""
    return df[list(columns)].notna().all(axis=1)


def _holds(condition: pd.Series, applicable: pd.Series) -> pd.Series:
    """True where the relation holds or does not apply (a missing value is not a failure here)."""
    return (~applicable) | condition.fillna(False).astype(bool)


def _int(df: pd.DataFrame, column: str) -> pd.Series:
    return df[column].astype("Int64")


def required_lines(lines: Sequence[str]) -> Check:
    """Every required line holds a value (a column the frame lacks counts as missing in every row)."""

    def check(df: pd.DataFrame) -> pd.Series:
        ok = _all_true(df)
        for line in lines:
            ok &= df[line].notna() if line in df.columns else False
        return ok

    return Check(
        check,
        name="required_lines",
        error=f"a required line is missing (required: {', '.join(lines)})",
        statistics={"lines": list(lines)},
    )


def issued_le_registered() -> Check:
    def check(df: pd.DataFrame) -> pd.Series:
        if not _has(df, "ballots_issued", "registered"):
            return _all_true(df)
        applicable = _known(df, ["ballots_issued", "registered"])
        return _holds(_int(df, "ballots_issued") <= _int(df, "registered"), applicable)

    return Check(
        check,
        name="issued_le_registered",
        error="ballots issued to voters exceed the voters on the list",
        statistics={"lines": ["ballots_issued", "registered"]},
    )


def received_balance() -> Check:
    def check(df: pd.DataFrame) -> pd.Series:
        parts = ["ballots_received", "ballots_issued", "ballots_cancelled"]
        if not _has(df, *parts):
            return _all_true(df)
        applicable = _known(df, parts)
        accounted = _int(df, "ballots_issued") + _int(df, "ballots_cancelled")
        if "ballots_lost" in df.columns:
            accounted = accounted + _int(df, "ballots_lost").fillna(0)
        if "ballots_unaccounted" in df.columns:
            accounted = accounted - _int(df, "ballots_unaccounted").fillna(0)
        return _holds(_int(df, "ballots_received") == accounted, applicable)

    return Check(
        check,
        name="received_balance",
        error="ballots received != issued + cancelled (+ lost - unaccounted)",
        statistics={
            "lines": [
                "ballots_received",
                "ballots_issued",
                "ballots_cancelled",
                "ballots_lost",
                "ballots_unaccounted",
            ]
        },
    )


def boxes_balance(referendum: bool) -> Check:
    parts = ["ballots_in_boxes", "invalid", "valid"] + (["valid_not_counted"] if referendum else [])

    def check(df: pd.DataFrame) -> pd.Series:
        if not _has(df, *parts):
            return _all_true(df)
        applicable = _known(df, parts)
        counted = _int(df, "invalid") + _int(df, "valid")
        if referendum:
            counted = counted + _int(df, "valid_not_counted")
        return _holds(_int(df, "ballots_in_boxes") == counted, applicable)

    return Check(
        check,
        name="boxes_balance",
        error="ballots in boxes != invalid + valid" + (" + valid not counted" if referendum else ""),
        statistics={"lines": parts},
    )


def _option_columns(df: pd.DataFrame, options: Sequence[str]) -> list[str]:
    present = [o for o in options if o in df.columns] if options else option_columns(df)
    return [o for o in present if pd.api.types.is_numeric_dtype(df[o])]


def valid_is_sum_of_options(options: Sequence[str]) -> Check:
    def check(df: pd.DataFrame) -> pd.Series:
        present = _option_columns(df, options)
        if "valid" not in df.columns or not present:
            return _all_true(df)
        summed = df[present].astype("Int64").sum(axis=1)  # the options given (a blank adds nothing)
        every = _known(df, ["valid", *present])
        some = df["valid"].notna() & ~every & df[present].notna().any(axis=1)
        return _holds(_int(df, "valid") == summed, every) & _holds(summed <= _int(df, "valid"), some)

    return Check(
        check,
        name="valid_is_sum_of_options",
        error="valid ballots != the sum of the options' votes",
        statistics={"lines": ["valid", *(options or [OPTIONS_MARKER])]},
    )


def blank_option_hides_votes(options: Sequence[str]) -> Check:
    def check(df: pd.DataFrame) -> pd.Series:
        present = _option_columns(df, options)
        if "valid" not in df.columns or not present:
            return _all_true(df)
        summed = df[present].astype("Int64").sum(axis=1)
        some = df["valid"].notna() & df[present].isna().any(axis=1) & df[present].notna().any(axis=1)
        return _holds(summed >= _int(df, "valid"), some)

    return Check(
        check,
        name="blank_option_hides_votes",
        error="an option's vote count is blank while the options given add up to less than the valid "
        "ballots: the blank holds votes nobody typed",
        raise_warning=True,
        statistics={"lines": ["valid", *(options or [OPTIONS_MARKER])]},
    )


def boxes_gt_issued() -> Check:
    def check(df: pd.DataFrame) -> pd.Series:
        if not _has(df, "ballots_in_boxes", "ballots_issued"):
            return _all_true(df)
        applicable = _known(df, ["ballots_in_boxes", "ballots_issued"])
        return _holds(_int(df, "ballots_in_boxes") <= _int(df, "ballots_issued"), applicable)

    return Check(
        check,
        name="boxes_gt_issued",
        error="more ballots found in the boxes than were issued to voters",
        raise_warning=True,
        statistics={"lines": ["ballots_in_boxes", "ballots_issued"]},
    )


def valid_le_issued() -> Check:
    """Hard (observers' copies): more valid ballots than ballots issued to voters; no true protocol says so."""

    def check(df: pd.DataFrame) -> pd.Series:
        if not _has(df, "valid", "ballots_issued"):
            return _all_true(df)
        applicable = _known(df, ["valid", "ballots_issued"])
        return _holds(_int(df, "valid") <= _int(df, "ballots_issued"), applicable)

    return Check(
        check,
        name="valid_le_issued",
        error="more valid ballots than ballots issued to voters",
        statistics={"lines": ["valid", "ballots_issued"]},
    )


def boxes_far_above_issued(share: float = 0.02, minimum: int = 10) -> Check:
    """Hard (observers' copies): more ballots in the boxes than issued plus a tolerance (``share`` of the
    issued and at least ``minimum``); a few over is soft (``boxes_gt_issued``)."""

    def check(df: pd.DataFrame) -> pd.Series:
        if not _has(df, "ballots_in_boxes", "ballots_issued"):
            return _all_true(df)
        applicable = _known(df, ["ballots_in_boxes", "ballots_issued"])
        issued = _int(df, "ballots_issued")
        tolerance = (issued * share).clip(lower=minimum)
        return _holds(_int(df, "ballots_in_boxes") <= issued + tolerance, applicable)

    return Check(
        check,
        name="boxes_far_above_issued",
        error=f"more ballots in the boxes than issued plus {share:.0%} (at least {minimum})",
        statistics={"lines": ["ballots_in_boxes", "ballots_issued"], "share": share, "minimum": minimum},
    )


def votes_above_ballots(options: Sequence[str], share: float = 0.02, minimum: int = 10) -> Check:
    """Hard (official figures): the votes the row gives its options add up to more than the unit's own
    ballots, valid or in the boxes, or issued plus a tolerance (``share`` of them, at least ``minimum``:
    the boxes may hold a few more than were issued), whichever lines the row states. The sum is at least
    any one option's votes, so one option above the ballots (a region's leader with 1,175,189 votes of
    341,618 ballots issued) fails it as well."""

    def check(df: pd.DataFrame) -> pd.Series:
        present = _option_columns(df, options)
        if not present:
            return _all_true(df)
        given = df[present].notna().any(axis=1)
        summed = df[present].astype("Int64").sum(axis=1)
        ok = _all_true(df)
        for line in ("valid", "ballots_in_boxes"):
            if line in df.columns:
                ok &= _holds(summed <= _int(df, line), given & df[line].notna())
        if "ballots_issued" in df.columns:
            issued = _int(df, "ballots_issued")
            allowed = issued + (issued * share).round().clip(lower=minimum).astype("Int64")
            ok &= _holds(summed <= allowed, given & issued.notna())
        return ok

    return Check(
        check,
        name="votes_above_ballots",
        error="the options' votes add up to more than the unit's own ballots (valid, in the boxes, or issued "
        f"plus {share:.0%}, at least {minimum})",
        statistics={
            "lines": ["ballots_issued", "ballots_in_boxes", "valid", *(options or [OPTIONS_MARKER])],
            "share": share,
            "minimum": minimum,
        },
    )


def boxes_well_below_issued(share: float = 0.05, minimum: int = 10) -> Check:
    """Soft: far fewer ballots in the boxes than issued (more than ``share`` of them and ``minimum``).

    Voters may carry a ballot away, so a small gap is normal; a large one is how a protocol with the
    issued and cancelled lines exchanged looks (every control relation still holds for such a row).
    """

    def check(df: pd.DataFrame) -> pd.Series:
        if not _has(df, "ballots_in_boxes", "ballots_issued"):
            return _all_true(df)
        boxes, issued = _int(df, "ballots_in_boxes"), _int(df, "ballots_issued")
        applicable = boxes.notna() & issued.notna()
        gap = issued - boxes
        return _holds(~((gap > minimum) & (gap > share * issued)), applicable)

    return Check(
        check,
        name="boxes_well_below_issued",
        error="far fewer ballots in the boxes than were issued (issued and cancelled exchanged?)",
        raise_warning=True,
        statistics={"lines": ["ballots_in_boxes", "ballots_issued", "ballots_cancelled"]},
    )


def turnout_over_100() -> Check:
    def check(df: pd.DataFrame) -> pd.Series:
        if not _has(df, "ballots_in_boxes", "registered"):
            return _all_true(df)
        applicable = _known(df, ["ballots_in_boxes", "registered"])
        return _holds(_int(df, "ballots_in_boxes") <= _int(df, "registered"), applicable)

    return Check(
        check,
        name="turnout_over_100",
        error="more ballots in the boxes than voters on the list (turnout over 100%)",
        raise_warning=True,
        statistics={"lines": ["ballots_in_boxes", "registered"]},
    )


def round_turnout(numerator: str = "ballots_issued", denominator: str = "registered") -> Check:
    """Turnout an exact whole percent (0 and 100 excluded) at a unit with at least 100 voters on the list."""

    def check(df: pd.DataFrame) -> pd.Series:
        if not _has(df, numerator, denominator):
            return _all_true(df)
        num, den = _int(df, numerator), _int(df, denominator)
        applicable = num.notna() & den.notna() & (den >= 100) & (num > 0) & (num < den)
        whole = (num * 100) % den.where(den > 0, 1) == 0
        return _holds(~whole, applicable)

    return Check(
        check,
        name="round_turnout",
        error="turnout is an exact whole percent",
        raise_warning=True,
        statistics={"lines": [numerator, denominator]},
    )


def duplicate_key(key: Sequence[str]) -> Check:
    """More than one row for the same key (all such rows are flagged, none dropped)."""

    def check(df: pd.DataFrame) -> pd.Series:
        present = [k for k in key if k in df.columns]
        return ~df.duplicated(subset=present, keep=False)

    return Check(
        check,
        name="duplicate_key",
        error="more than one row for the same unit",
        raise_warning=True,
        statistics={"lines": list(key)},
    )


def options_non_negative() -> Check:
    """No option column holds a negative count (used when the options are not named up front)."""

    def check(df: pd.DataFrame) -> pd.Series:
        ok = _all_true(df)
        for option in option_columns(df):
            if pd.api.types.is_numeric_dtype(df[option]):
                ok &= ~(df[option] < 0).fillna(False).astype(bool)
        return ok

    return Check(
        check, name="non_negative", error="a count below zero", statistics={"lines": [OPTIONS_MARKER]}
    )


def series_goes_down(keys: Sequence[str], order: str, value: str, name: str = "series_goes_down") -> Check:
    """Soft: in a cumulative time series (turnout through the day), a value below an earlier one.

    Rows are grouped by ``keys`` and ordered by ``order``; a row is flagged when its ``value`` is smaller
    than the largest value before it in its group. E.g. ``series_goes_down(["election_id",
    "region_code"], "as_of", "turnout_pct", "turnout_goes_down")`` for the CEC's turnout bulletins.
    """

    def check(df: pd.DataFrame) -> pd.Series:
        present = [k for k in keys if k in df.columns]
        if order not in df.columns or value not in df.columns:
            return _all_true(df)
        ordered = df.sort_values([*present, order], kind="stable")
        if present:
            keys_of = [ordered[k] for k in present]
            running = ordered.groupby(keys_of, dropna=False, sort=False)[value].cummax()
            earlier_max = running.groupby(keys_of, dropna=False, sort=False).shift()
        else:
            earlier_max = ordered[value].cummax().shift()
        down = (ordered[value] < earlier_max).fillna(False).astype(bool)
        return ~down.reindex(df.index)

    return Check(
        check,
        name=name,
        error=f"{value} below an earlier {value} of the same series",
        raise_warning=True,
        statistics={"lines": [*keys, order, value]},
    )


def _count(required: bool = False) -> Column:
    return Column("Int64", non_negative(), nullable=True, required=required, coerce=True)


def protocol_schema(
    contest_kind: str = "party_list",
    options: Sequence[str] = (),
    required: Sequence[str] = DEFAULT_REQUIRED_LINES,
) -> pa.DataFrameSchema:
    """The model of a wide protocol frame of one contest kind.

    ``options`` are the ballot-option columns (``ref.ballot_options.option_id``); when empty, every
    column that is not a key, context, provenance or line column counts as an option. ``required`` are
    the lines each row must state.
    """
    if contest_kind not in CONTEST_KINDS:
        raise ValueError(f"unknown contest kind {contest_kind!r}; expected one of {CONTEST_KINDS}")
    columns: dict[str, Column] = {
        **{k: Column(str, nullable=False, coerce=True) for k in KEY_COLUMNS},
        "level": Column(str, Check.isin(["national", "region", "tec", "pec"]), nullable=False, coerce=True),
        "region_code": Column(
            str, Check.str_matches(r"^[A-Z]{2}-\w+$"), nullable=True, required=False, coerce=True
        ),
        "status": Column(
            str, Check.isin(["preliminary", "final"]), nullable=True, required=False, coerce=True
        ),
        "as_of": Column(pa.DateTime, nullable=True, required=False, coerce=True),
        "source_ref": Column(str, nullable=True, required=False),
        "source_sha256": Column(str, nullable=True, required=False),
        "source_row": Column("Int64", nullable=True, required=False, coerce=True),
        **{line: _count() for line in LINES},
        **{option: _count() for option in options},
    }
    checks = [
        required_lines(required),
        issued_le_registered(),
        received_balance(),
        boxes_balance(referendum=contest_kind == "referendum"),
        valid_is_sum_of_options(options),
        blank_option_hides_votes(options),
        boxes_gt_issued(),
        boxes_well_below_issued(),
        turnout_over_100(),
        round_turnout(),
        duplicate_key([*KEY_COLUMNS, "as_of", "status"]),
    ]
    if not options:
        checks.append(options_non_negative())
    return DataFrameSchema(
        columns,
        checks=checks,
        name=f"protocol[{contest_kind}]",
        description="wide protocol frame: keys, protocol lines, one column per ballot option",
    )
