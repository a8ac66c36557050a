"""The method: how the report's figures are made, after the findings and before the appendix.

The findings' captions say in a line what each figure is; this section says it once in full, for this
election: where the figures came from and how final they are, what each contest's shares are of, what
turnout is, what the observers' samples can and cannot say, which rows were set aside, and what the
forensic signals mean. Every statement links to the project's public docs for the detail.
"""

from __future__ import annotations

import pandas as pd

from saylau.report.data import ReportContext
from saylau.report.render import Section, doc_link, esc, fmt_int
from saylau.warehouse import table_exists

SHARE_RULE = {
    "valid": "share of valid ballots",
    "ballots_cast": "share of all ballots cast (valid and invalid)",
}


def _frame(ctx: ReportContext, table: str, sql: str) -> pd.DataFrame:
    """``sql`` (with one ``?`` for the election) over ``table``, or no rows where the table is missing."""
    if not table_exists(ctx.con, table):
        return pd.DataFrame()
    return ctx.con.execute(sql, [ctx.election_id]).df()


def _official_sources(ctx: ReportContext) -> str:
    """Where the official figures came from and how final they are, per level."""
    levels = _frame(
        ctx,
        "core.protocol_values",
        "select level, coalesce(status, 'unstated') as status, count(distinct unit_id) as units, "
        "max(as_of) as as_of from core.protocol_values where election_id = ? and source = 'official' "
        "group by all order by level, status",
    )
    if levels.empty:
        return (
            "<p>No official figure is in the warehouse yet: the results sections say 'not available yet' "
            "until the Central Election Commission (CEC) publishes them.</p>"
        )
    items = "".join(
        f"<li>{esc(r.level)}: {fmt_int(r.units)} unit(s), {esc(r.status)}"
        + (f", latest as of {esc(f'{r.as_of:%Y-%m-%d %H:%M}')}" if pd.notna(r.as_of) else "")
        + "</li>"
        for r in levels.itertuples()
    )
    return (
        "<p>Official figures are read from the CEC's pages (and per-precinct tables where published), "
        "each archived with its address and checksum (see the appendix). The latest figure of each unit "
        "is shown with its status: <em>preliminary</em> until the final results replace it. Where only "
        f"shares were published, shares are shown; no vote count is derived. Held:</p><ul>{items}</ul>"
    )


def _shares(ctx: ReportContext) -> str:
    """What each contest's shares are of, and what turnout is."""
    contests = _frame(
        ctx,
        "ref.contests",
        "select contest_id, share_denominator, has_against_all from ref.contests where election_id = ?",
    )
    if len(contests):
        contests = contests.iloc[contests["contest_id"].map(ctx.contest_rank).argsort(kind="stable")]
    items = []
    for r in contests.itertuples():
        rule = SHARE_RULE.get(r.share_denominator, esc(r.share_denominator))
        against = (
            " ('against all' counts as a valid ballot and has a share of its own)"
            if r.has_against_all
            else ""
        )
        items.append(f"<li>{ctx.contest(r.contest_id)}: {rule}{against}</li>")
    listed = f"<ul>{''.join(items)}</ul>" if items else ""
    return (
        "<p>In elections a share is of the valid ballots, in referendums of all ballots cast; every "
        f"header names its denominator.</p>{listed}"
        "<p>Turnout: voters who received a ballot over voters on the final list. Observers count it at "
        "their own precincts, which need not look like the region around them.</p>"
    )


def _observers(ctx: ReportContext) -> str:
    """The observers' samples: which organisations, how they chose precincts, what that allows."""
    design = _frame(
        ctx,
        "intermediate.int_observer_sample_design",
        "select contest_id, source, observed_pecs, is_random, min_pecs, design_label "
        "from intermediate.int_observer_sample_design where election_id = ?",
    )
    rule = (
        "<p>Observers' figures come from their protocol copies. Intervals and 'significant' verdicts are "
        "given only for a random sample of at least 30 precincts; any other sample describes the "
        f"watched precincts only ({doc_link('observers.md', 'sample design', 'sample-design')}).</p>"
    )
    if design.empty:
        return rule + "<p>No observers' copy is in the warehouse for this election.</p>"
    design = design.iloc[design["contest_id"].map(ctx.contest_rank).argsort(kind="stable")]
    items = "".join(
        f"<li>{ctx.contest(r.contest_id)}: {esc(r.design_label)}"
        + (
            f" (below the {fmt_int(r.min_pecs)} precincts a verdict needs)"
            if r.observed_pecs < r.min_pecs
            else ""
        )
        + "</li>"
        for r in design.itertuples()
    )
    return rule + f"<ul>{items}</ul>"


def _validation(ctx: ReportContext) -> str:
    """Which rows were set aside and which only marked."""
    return (
        "<p>A row that cannot be a true protocol (valid above issued, votes above valid, more in the "
        "boxes than issued) is quarantined with its rule, file, row and column and counts nowhere; a "
        "possible but odd row is kept and marked 'flagged'; disagreeing copies are resolved by a "
        f"documented rule or shown as a conflict ({doc_link('observers.md', 'the rules', 'the-rules')}). "
        "A discrepancy is the official figure minus the observers' copy of the same precinct and line "
        f"({doc_link('marts.md', 'discrepancy marts')}).</p>"
    )


def _forensics(ctx: ReportContext) -> str:
    """What the forensic signals are and are not."""
    return (
        "<p>Distributions, whole-per-cent excess, Shpilkin's estimate and last digits, from per-precinct "
        "official figures, show departures from what counting alone produces: a reason to look closer, "
        f"not proof of fraud ({doc_link('forensics.md', 'forensics marts', 'forensics-marts')}).</p>"
    )


def method(ctx: ReportContext) -> Section:
    """How this election's figures were made and what they can say."""
    body = (
        "<h3>Where the figures come from</h3>"
        + _official_sources(ctx)
        + "<h3>Shares and turnout</h3>"
        + _shares(ctx)
        + "<h3>The observers' samples</h3>"
        + _observers(ctx)
        + "<h3>Checks and discrepancies</h3>"
        + _validation(ctx)
        + "<h3>Forensic signals</h3>"
        + _forensics(ctx)
    )
    return Section("method", "Method", body)
