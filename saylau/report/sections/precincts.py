"""Precinct discrepancies: where the observers' copy of a protocol differs from the official one."""

from __future__ import annotations

from saylau.report.data import Missing, ReportContext, election_rows
from saylau.report.render import Section, esc, fmt_bool, fmt_int, fmt_signed_int, fmt_text, html_table, note


def precinct_discrepancies(ctx: ReportContext) -> Section:
    """Precincts where the observers' copy of the protocol differs from the official one, worst first."""
    title = "Precinct discrepancies (worst first)"
    try:
        rows = election_rows(
            ctx,
            "marts.discrepancy_pec",
            order="flagged desc nulls last, abs(diff) desc nulls last, pec_id, line",
        )
    except Missing as m:
        return Section("precinct-discrepancies", title, note(str(m)))
    flagged = int(rows["flagged"].fillna(False).astype(bool).sum())
    pecs = rows.loc[rows["flagged"].fillna(False).astype(bool), "pec_id"].nunique()
    lead = (
        f"<p>{flagged:,} protocol lines at {pecs:,} precincts are flagged (official number differs from the "
        f"observers' copy), out of {len(rows):,} lines compared.</p>"
    )
    table = html_table(
        rows,
        [
            ("contest", "contest", fmt_text),
            ("source", "observers", fmt_text),
            ("region_code", "region", lambda c: esc(ctx.region_plain(c))),
            ("pec_id", "precinct", lambda v: f"<span class='nowrap'>{fmt_text(v)}</span>"),
            ("line", "line", fmt_text),
            ("party", "party", ctx.party),
            ("official_value", "official", fmt_int),
            ("observer_value", "observers", fmt_int),
            ("diff", "official - observers", fmt_signed_int),
            ("flagged", "flagged", fmt_bool),
        ],
        limit=40,
    )
    return Section(
        "precinct-discrepancies", title, lead + table + "<p class='src'>marts.discrepancy_pec.</p>"
    )
