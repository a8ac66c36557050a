"""Lazy pandera validation with a quarantine: every failure of a table at once, bad rows set aside with why.

:func:`validate_frame` splits a staging frame into rows that pass every *hard* rule (``good``), rows that
fail one or more (``rejected``: the row as it came, one line per rule it broke, with the values that
broke it) and *soft*-rule hits (``flags``: a check declared with ``raise_warning=True``; the row stays in
``good``). :func:`saylau.load.store.store_protocols` writes the three to the warehouse:
``core.protocol_values``, ``quarantine.<table>`` and ``meta.data_quality`` (+ ``core.validation_flags``).
Nothing is dropped silently and nothing is "fixed".
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa
from pandera.errors import ParserError, SchemaErrors

from saylau.protocol import CONTEXT_COLUMNS, KEY_COLUMNS, PROVENANCE_COLUMNS, option_columns

REJECT = "reject"
FLAG = "flag"

# pandera's own check names -> the rule names the quarantine reports
_BUILTIN_RULES = {
    "coerce_dtype": "wrong_type",
    "dtype": "wrong_type",
    "not_nullable": "missing_value",
    "column_in_dataframe": "missing_column",
    "column_in_schema": "unknown_column",
    "field_uniqueness": "duplicate",
    "multiple_fields_uniqueness": "duplicate",
    "duplicates": "duplicate",
}
_BUILTIN_REASONS = {
    "wrong_type": "a value of the wrong type (e.g. text where a count is expected)",
    "missing_value": "a value that must be given is missing",
    "missing_column": "a required column is missing from the table",
    "unknown_column": "a column the schema does not know",
    "duplicate": "a value that must be unique occurs more than once",
}
_OPTIONS_MARKER = "<options>"
_MAX_ROUNDS = 6

COUNT_COLUMNS = ["table_name", "rule", "severity", "failed_rows"]


@dataclass
class Validated:
    """One table's validation outcome."""

    good: pd.DataFrame  # rows passing every hard rule, coerced to the schema's types
    rejected: (
        pd.DataFrame
    )  # failing rows as given + rule, severity, failing_values, reason (one line per rule)
    flags: pd.DataFrame  # soft-rule hits: row key + rule + failing_values (the rows stay in good)
    counts: pd.DataFrame  # table_name, rule, severity, failed_rows
    table_name: str = ""
    key_columns: list[str] = field(default_factory=list)

    @property
    def rejected_rows(self) -> int:
        """How many distinct input rows were rejected."""
        return int(self.rejected["row_position"].nunique()) if len(self.rejected) else 0


def rule_name(check: str | None, by_error: dict[str, str] | None = None) -> str:
    """The reportable rule name of a pandera check (``coerce_dtype('Int64')`` -> ``wrong_type``).

    pandera reports a custom check by its error text; ``by_error`` maps those texts back to check names.
    """
    if check is None:
        return "schema"
    if by_error and str(check) in by_error:
        return by_error[str(check)]
    base = re.sub(r"\(.*$", "", str(check)).strip()
    return _BUILTIN_RULES.get(base, base)


def default_key_columns(frame: pd.DataFrame) -> list[str]:
    """Columns that identify a row for flags: protocol keys, context and provenance the frame has."""
    wanted = (*KEY_COLUMNS, *CONTEXT_COLUMNS, *PROVENANCE_COLUMNS, "copy_id", "row_id")
    return [c for c in wanted if c in frame.columns]


def _split_schema(schema: pa.DataFrameSchema) -> tuple[pa.DataFrameSchema, list[pa.Check], dict]:
    """The schema without its soft checks, the soft frame checks, and the soft column checks by column."""
    hard = copy.deepcopy(schema)
    soft_frame = [c for c in schema.checks if c.raise_warning]
    hard.checks = [c for c in hard.checks if not c.raise_warning]
    soft_columns: dict[str, list[pa.Check]] = {}
    for name, column in hard.columns.items():
        soft = [c for c in column.checks if c.raise_warning]
        if soft:
            soft_columns[name] = soft
            column.checks = [c for c in column.checks if not c.raise_warning]
    return hard, soft_frame, soft_columns


def _check_lines(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> dict[str, list[str]]:
    """Per frame-level check name: the columns whose values explain a failure."""
    out: dict[str, list[str]] = {}
    for check in schema.checks:
        lines = (check.statistics or {}).get("lines") or []
        expanded: list[str] = []
        for line in lines:
            if line == _OPTIONS_MARKER:
                expanded += [c for c in option_columns(frame) if c not in expanded]
            elif line in frame.columns and line not in expanded:
                expanded.append(line)
        out.setdefault(str(check.name), [])
        out[str(check.name)] += [c for c in expanded if c not in out[str(check.name)]]
    return out


def values_text(frame: pd.DataFrame, positions: pd.Index, columns: Sequence[str]) -> pd.Series:
    """``"a=1, b=2"`` for each row position, naming the given columns' values (missing shown as NA)."""
    if not columns:
        return pd.Series("", index=positions, dtype=object)
    sub = frame.loc[positions, list(columns)]
    parts = [c + "=" + sub[c].astype(object).where(sub[c].notna(), "NA").astype(str) for c in columns]
    text = parts[0]
    for part in parts[1:]:
        text = text + ", " + part
    return text


def _names_by_error(schema: pa.DataFrameSchema) -> dict[str, str]:
    """Error text -> check name, for every custom check of the schema (how pandera reports them)."""
    checks = list(schema.checks) + [c for col in schema.columns.values() for c in col.checks]
    return {c.error: str(c.name) for c in checks if c.error and c.name}


def _check_errors(schema: pa.DataFrameSchema) -> dict:
    """Rule -> reason in words. A built-in check two columns share (``isin``) gets the reasons of both,
    each naming its column, so a reason never states another column's allowed values alone."""
    errors = dict(_BUILTIN_REASONS)
    errors.update({str(c.name): c.error or "" for c in schema.checks})
    by_rule: dict[str, list[str]] = {}
    for name, column in schema.columns.items():
        for c in column.checks:
            by_rule.setdefault(str(c.name), []).append(_column_reason(str(name), c))
    for rule, reasons in by_rule.items():
        errors.setdefault(rule, "; ".join(dict.fromkeys(reasons)))
    for name, column in schema.columns.items():  # (column, rule) -> that column's reason
        for c in column.checks:
            errors[(str(name), str(c.name))] = _column_reason(str(name), c)  # type: ignore[index]
    return errors


def _column_reason(column: str, check: pa.Check) -> str:
    """A column check's rule in words: its own error text, or for pandera's built-ins what they require."""
    stats = check.statistics or {}
    name = str(check.name)
    if name == "isin":
        return f"{column} must be one of: {', '.join(map(str, stats.get('allowed_values', [])))}"
    if name == "str_matches":
        return f"{column} must match the pattern {stats.get('pattern')}"
    if name == "in_range":
        return f"{column} must be between {stats.get('min_value')} and {stats.get('max_value')}"
    if name in ("greater_than_or_equal_to", "greater_than"):
        return f"{column} must be {'at least' if name.endswith('equal_to') else 'above'} {stats.get('min_value')}"
    if name in ("less_than_or_equal_to", "less_than"):
        return (
            f"{column} must be {'at most' if name.endswith('equal_to') else 'below'} {stats.get('max_value')}"
        )
    return check.error or name


def _row_failures(
    failure_cases: pd.DataFrame, original: pd.DataFrame, schema: pa.DataFrameSchema
) -> pd.DataFrame:
    """Row-level failure cases -> one record per (row position, rule) with the failing values as text."""
    fc = failure_cases.copy()
    by_error = _names_by_error(schema)
    fc["rule"] = fc["check"].map(lambda c: rule_name(c, by_error))
    fc["position"] = fc["index"].astype("int64")
    is_frame = fc["schema_context"] == "DataFrameSchema"
    records = []
    column_level = fc[~is_frame]
    if len(column_level):
        case = column_level["failure_case"].astype(object)
        text = column_level["column"].astype(str) + "=" + case.where(case.notna(), "NA").astype(str)
        records.append(
            pd.DataFrame({"position": column_level["position"], "rule": column_level["rule"], "text": text})
        )
    frame_level = fc[is_frame].drop_duplicates(["position", "rule"])
    lines = _check_lines(schema, original)
    for rule, part in frame_level.groupby("rule", sort=False):
        columns = lines.get(str(rule), [])
        positions = pd.Index(part["position"].unique())
        text = values_text(original, positions, list(dict.fromkeys(columns)))
        records.append(pd.DataFrame({"position": positions, "rule": rule, "text": text.to_numpy()}))
    out = pd.concat(records, ignore_index=True).drop_duplicates()
    if out.duplicated(["position", "rule"]).any():
        out = out.groupby(["position", "rule"], sort=False, as_index=False)["text"].agg("; ".join)
    return out


def _type_failures(work: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Values that cannot become their column's type (``12o0`` for a count), found before any check runs.

    Such rows are rejected as ``wrong_type`` and left out of the relation checks, which could not compare
    them; every other row is then checked against every rule in one pass.
    """
    parts = []
    for name, column in schema.columns.items():
        if name not in work.columns or not column.coerce or column.dtype is None:
            continue
        try:
            column.dtype.try_coerce(work[name])
        except ParserError as exc:
            cases = exc.failure_cases
            if cases is None or not len(cases) or cases["index"].isna().all():
                continue
            cases = cases[cases["index"].notna()]
            parts.append(
                pd.DataFrame(
                    {
                        "position": cases["index"].astype("int64").to_numpy(),
                        "rule": "wrong_type",
                        "text": (name + "=" + cases["failure_case"].astype(str)).to_numpy(),
                    }
                )
            )
    if not parts:
        return pd.DataFrame({"position": pd.Series(dtype="int64"), "rule": [], "text": []})
    out = pd.concat(parts, ignore_index=True)
    return out.groupby(["position", "rule"], sort=False, as_index=False)["text"].agg("; ".join)


def _structural_failures(fc: pd.DataFrame, positions: pd.Index, by_error: dict[str, str]) -> pd.DataFrame:
    """Failures with no row (a required column missing): every remaining row fails, naming the column."""
    structural = fc.assign(rule=fc["check"].map(lambda c: rule_name(c, by_error)))
    parts = []
    for rule, part in structural.groupby("rule", sort=False):
        named = zip(part["column"].fillna(""), part["failure_case"].astype(str), strict=True)
        what = "; ".join(sorted({f"{c}: {v}" if c else v for c, v in named}))
        parts.append(pd.DataFrame({"position": positions, "rule": rule, "text": what}))
    return pd.concat(parts, ignore_index=True)


def validate_frame(
    frame: pd.DataFrame,
    schema: pa.DataFrameSchema,
    table_name: str,
    key_columns: Sequence[str] | None = None,
) -> Validated:
    """Validate lazily (all failures at once) and split the frame into good, rejected and flagged rows.

    A row rejected for a type error is not checked further (its other values cannot be compared), so a
    row lists every rule it breaks among those that could be evaluated. Structural failures (a required
    column missing) reject every row, naming the column.
    """
    work = frame.reset_index(drop=True)
    keys = list(key_columns) if key_columns is not None else default_key_columns(work)
    hard, soft_frame, soft_columns = _split_schema(schema)
    errors = _check_errors(schema)
    failures: list[pd.DataFrame] = []
    by_error = _names_by_error(schema)
    type_failures = _type_failures(work, schema)
    remaining = work
    if len(type_failures):
        failures.append(type_failures)
        remaining = work.drop(index=pd.Index(type_failures["position"].unique()))
    good = work.iloc[0:0]
    for _ in range(_MAX_ROUNDS):
        if remaining.empty:
            good = remaining
            break
        try:
            good = hard.validate(remaining, lazy=True)
            break
        except SchemaErrors as exc:
            fc = exc.failure_cases
            row_level = fc[fc["index"].notna()]
            if row_level.empty:
                failures.append(_structural_failures(fc, remaining.index, by_error))
                good = remaining.iloc[0:0]
                break
            found = _row_failures(row_level, work, schema)
            failures.append(found)
            remaining = remaining.drop(index=pd.Index(found["position"].unique()))
    else:  # pragma: no cover - every round removes rows, so this needs > _MAX_ROUNDS kinds of failure
        raise RuntimeError(f"{table_name}: validation did not settle after {_MAX_ROUNDS} rounds")

    rejected = _rejected_frame(work, failures, errors)
    flags = _flags_frame(good, soft_frame, soft_columns, schema, keys)
    counts = _counts(table_name, rejected, flags)
    return Validated(
        good=good.reset_index(drop=True) if len(good) else good,
        rejected=rejected,
        flags=flags,
        counts=counts,
        table_name=table_name,
        key_columns=keys,
    )


def _rejected_frame(work: pd.DataFrame, failures: list[pd.DataFrame], errors: dict) -> pd.DataFrame:
    columns = [*work.columns, "row_position", "rule", "severity", "failing_values", "reason"]
    if not failures:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    found = pd.concat(failures, ignore_index=True).sort_values(["position", "rule"], kind="stable")
    rows = work.loc[found["position"]].reset_index(drop=True)
    rows["row_position"] = found["position"].to_numpy()
    rows["rule"] = found["rule"].to_numpy()
    rows["severity"] = REJECT
    rows["failing_values"] = found["text"].to_numpy()
    # a column check's failure ("status=draft") gets its own column's reason, not every column's
    column = found["text"].astype(str).str.extract(r"^([^=;]+)=", expand=False).to_numpy()
    rows["reason"] = [
        errors.get((c, r)) or errors.get(r) or r for c, r in zip(column, rows["rule"], strict=True)
    ]
    return rows


def _flags_frame(
    good: pd.DataFrame,
    soft_frame: list[pa.Check],
    soft_columns: dict[str, list[pa.Check]],
    schema: pa.DataFrameSchema,
    keys: list[str],
) -> pd.DataFrame:
    columns = [*keys, "row_position", "rule", "severity", "failing_values", "reason"]
    parts = []
    if len(good):
        lines = _check_lines(schema, good)
        for check in soft_frame:
            passed = check(good).check_output
            bad = good.index[~passed.fillna(True).astype(bool).to_numpy()]
            if len(bad):
                text = values_text(good, bad, lines.get(str(check.name), []))
                parts.append(_flag_rows(good, bad, keys, str(check.name), text, check.error))
        for column, checks in soft_columns.items():
            if column not in good.columns:
                continue
            for check in checks:
                passed = check(good[column]).check_output
                bad = good.index[~passed.fillna(True).astype(bool).to_numpy()]
                if len(bad):
                    text = values_text(good, bad, [column])
                    parts.append(_flag_rows(good, bad, keys, str(check.name), text, check.error))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return pd.concat(parts, ignore_index=True)[columns]


def _flag_rows(
    good: pd.DataFrame, bad: pd.Index, keys: list[str], rule: str, text: pd.Series, error: str | None
) -> pd.DataFrame:
    rows = good.loc[bad, keys].reset_index(drop=True)
    rows["row_position"] = bad.to_numpy()
    rows["rule"] = rule
    rows["severity"] = FLAG
    rows["failing_values"] = text.to_numpy()
    rows["reason"] = error or rule
    return rows


def _counts(table_name: str, rejected: pd.DataFrame, flags: pd.DataFrame) -> pd.DataFrame:
    parts = []
    for frame in (rejected, flags):
        if len(frame):
            grouped = frame.groupby(["rule", "severity"], as_index=False)["row_position"].nunique()
            parts.append(grouped.rename(columns={"row_position": "failed_rows"}))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COUNT_COLUMNS})
    counts = pd.concat(parts, ignore_index=True)
    counts.insert(0, "table_name", table_name)
    counts["failed_rows"] = counts["failed_rows"].astype("int64")
    return counts[COUNT_COLUMNS].sort_values(["severity", "rule"]).reset_index(drop=True)
