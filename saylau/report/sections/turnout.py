"""Turnout through election day: the CEC's bulletins against the observers' head counts."""

from __future__ import annotations

from saylau.report.data import Missing, ReportContext, election_rows, first_source
from saylau.report.render import Section, figure, fmt_int, fmt_pct, fmt_time, html_table, note


def turnout_timeline(ctx: ReportContext) -> Section:
    """Official and observers' turnout through election day, nationally (or the best-covered region)."""
    from saylau import plots

    title = "Turnout through election day"
    try:
        rows = election_rows(ctx, "marts.turnout_timeline", order="region_code, as_of")
    except Missing as m:
        return Section("turnout-timeline", title, note(str(m)))
    rows = first_source(rows.assign(contest="all")) if "source" in rows.columns else rows
    national = rows[rows["region_code"].isna() | rows["region_code"].isin(["KZ", ""])]
    if national.empty:
        best = rows.groupby("region_code")["as_of"].count().idxmax()
        national = rows[rows["region_code"] == best]
        where = ctx.region_plain(best)
    else:
        where = "All Kazakhstan"
    png = plots.turnout_timeline(national, f"Turnout through the day: {where}")
    parts = [
        figure(
            png,
            "turnout through election day, official vs observers",
            "The CEC's turnout bulletins and the observers' own head counts at their precincts. <b>Clean:</b> "
            "both curves rise together and level off in the evening; an official curve that pulls away from the "
            "observers' late in the day, or jumps between bulletins, is a warning sign.",
        )
    ]
    latest = rows.sort_values("as_of").groupby(rows["region_code"].fillna("KZ"), as_index=False).tail(1)
    parts.append("<p>Latest figure per region:</p>")
    parts.append(
        html_table(
            latest.sort_values("region_code", na_position="first"),
            [
                ("region_code", "region", ctx.region),
                ("as_of", "as of", fmt_time),
                ("official_turnout_pct", "official %", fmt_pct),
                ("observer_turnout_pct", "observers %", fmt_pct),
                ("observed_pecs", "precincts observed", fmt_int),
            ],
        )
    )
    parts.append("<p class='src'>marts.turnout_timeline.</p>")
    return Section("turnout-timeline", title, "".join(parts), 1)
