"""Precinct discrepancies: where the observers' copy of a protocol differs from the official one, one row
per precinct (turnout gap, the leader's votes gap, the lines that differ, the rows' flags)."""

from __future__ import annotations

import pandas as pd

from saylau.report.data import Missing, ReportContext, election_rows, mart_leader
from saylau.report.render import (
    Section,
    esc,
    fmt_int,
    fmt_signed,
    fmt_signed_int,
    fmt_text,
    html_table,
    note,
)
from saylau.warehouse import table_exists

KEYS = ["contest", "source", "pec_id"]


def precinct_flags(ctx: ReportContext) -> pd.DataFrame:
    """The soft rules that flagged each precinct's rows (official or observers'), one row per precinct and
    source: source, pec_id, rules (comma-separated)."""
    if not table_exists(ctx.con, "core.validation_flags"):
        return pd.DataFrame(columns=["source", "pec_id", "rules"])
    return ctx.con.execute(
        "select source, unit_id as pec_id, string_agg(distinct rule, ', ' order by rule) as rules "
        "from core.validation_flags where election_id = ? and level = 'pec' and unit_id is not null "
        "group by all",
        [ctx.election_id],
    ).df()


def per_precinct(ctx: ReportContext, rows: pd.DataFrame) -> pd.DataFrame:
    """One row per contest, organisation and precinct: turnout gap (pp), the leader's votes gap, the lines
    that differ beyond the tolerance, and the soft flags of the official and the observers' rows."""
    rows = rows.assign(flagged=rows["flagged"].fillna(False).astype(bool))
    lines = rows.assign(
        label=[
            f"{line} {party}" if isinstance(party, str) and party else str(line)
            for line, party in zip(rows["line"], rows["party"], strict=False)
        ]
    )
    differ = (
        lines[lines["flagged"]]
        .groupby(KEYS, sort=False)["label"]
        .agg(lambda s: ", ".join(s))
        .rename("lines_differ")
    )
    wide = rows[rows["party"].isna()].pivot_table(
        index=KEYS, columns="line", values=["official_value", "observer_value"], aggfunc="first"
    )

    def turnout(kind: str) -> pd.Series:
        try:
            return 100.0 * wide[(kind, "ballots_issued")] / wide[(kind, "registered")].where(lambda v: v > 0)
        except KeyError:
            return pd.Series(index=wide.index, dtype=float)

    out = pd.DataFrame(index=wide.index)
    out["turnout_gap_pp"] = turnout("official_value") - turnout("observer_value")
    leaders = {c: mart_leader(ctx, "marts.election_totals", c) for c in rows["contest"].unique()}
    votes = rows[(rows["line"] == "votes") & (rows["party"] == rows["contest"].map(leaders))]
    out = out.join(votes.groupby(KEYS)["diff"].sum().rename("leader_votes_gap"), how="outer")
    out = out.join(differ, how="left").reset_index()
    region = rows.drop_duplicates(KEYS).set_index(KEYS)["region_code"]
    out["region_code"] = [region.get(tuple(k)) for k in out[KEYS].itertuples(index=False)]
    out["lines_differ"] = out["lines_differ"].fillna("")
    out["leader"] = out["contest"].map(leaders)
    flags = precinct_flags(ctx)
    observer_flags = dict(
        zip(zip(flags["source"], flags["pec_id"], strict=False), flags["rules"], strict=False)
    )
    official_flags = {p: r for (s, p), r in observer_flags.items() if s == "official"}
    out["flags"] = [
        "; ".join(
            part
            for part in (
                f"observers' copy: {observer_flags[(s, p)]}" if (s, p) in observer_flags else "",
                f"official: {official_flags[p]}" if p in official_flags else "",
            )
            if part
        )
        for s, p in zip(out["source"], out["pec_id"], strict=False)
    ]
    out["differs"] = out["lines_differ"] != ""
    out["abs_gap"] = out["leader_votes_gap"].abs()
    return out.sort_values(
        ["differs", "abs_gap", "contest", "pec_id"], ascending=[False, False, True, True], na_position="last"
    )


def fmt_flags(value: object) -> str:
    if not isinstance(value, str) or not value:
        return ""
    return f"<span class='soft' title='soft rule: plausible but odd'>&#9873; {esc(value)}</span>"


def precinct_discrepancies(ctx: ReportContext) -> Section:
    """Precincts where the observers' copy of the protocol differs from the official one, worst first."""
    title = "Precinct discrepancies (worst first)"
    try:
        rows = election_rows(ctx, "marts.discrepancy_pec", order="pec_id, line, party")
    except Missing as m:
        return Section("precinct-discrepancies", title, note(str(m)))
    table = per_precinct(ctx, rows)
    differ = int(table["differs"].sum())
    soft = int((table["differs"] & (table["flags"] != "")).sum())
    lead = (
        f"<p>At {differ:,} of {len(table):,} precinct protocols compared (contest and organisation) the official "
        "figures differ from the observers' copy beyond a slip of the pen; worst first by the leader's votes. "
        "Turnout gap: official minus observers' turnout at the precinct (pp); leader votes gap: official minus "
        "observers' count of the contest's official leader.</p>"
    )
    if soft:
        lead += (
            f"<p class='soft'>&#9873; {soft:,} of them carry a soft flag (a row plausible but odd, e.g. an "
            "observer's typo): read those differences with care.</p>"
        )
    body = html_table(
        table,
        [
            ("contest", "contest", fmt_text),
            ("source", "observers", fmt_text),
            ("region_code", "region", lambda c: esc(ctx.region_plain(c))),
            ("pec_id", "precinct", lambda v: f"<span class='nowrap'>{fmt_text(v)}</span>"),
            ("turnout_gap_pp", "turnout gap pp", fmt_signed),
            ("leader_votes_gap", "leader votes gap", fmt_signed_int),
            ("lines_differ", "lines that differ", fmt_text),
            ("flags", "flags", fmt_flags),
        ],
        limit=30,
    )
    return Section(
        "precinct-discrepancies",
        title,
        lead
        + body
        + "<p class='src'>marts.discrepancy_pec (one row per protocol line), core.validation_flags."
        f" Every precinct: query the mart; {fmt_int(len(rows))} lines compared.</p>",
    )
