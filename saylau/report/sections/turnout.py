"""Turnout through election day: the CEC's bulletins against the observers' head counts."""

from __future__ import annotations

import pandas as pd

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
    parts.append("<p>Latest figure per region, each source's own latest (they count at different hours):</p>")
    parts.append(
        html_table(
            latest_per_region(rows),
            [
                ("region_code", "region", ctx.region),
                ("official_as_of", "official, as of", fmt_time),
                ("official_turnout_pct", "official %", fmt_pct),
                ("observer_as_of", "observers, as of", fmt_time),
                ("observer_turnout_pct", "observers %", fmt_pct),
                ("observed_pecs", "precincts observed", fmt_int),
            ],
        )
    )
    parts.append("<p class='src'>marts.turnout_timeline.</p>")
    return Section("turnout-timeline", title, "".join(parts), 1)


def latest_per_region(rows: pd.DataFrame) -> pd.DataFrame:
    """Per region the official figure of its latest bulletin and the observers' figure of their latest count,
    each with its own time (the CEC's last bulletin is often hours after the observers' last count)."""
    rows = rows.assign(region=rows["region_code"].fillna("KZ")).sort_values("as_of")
    official = rows.dropna(subset=["official_turnout_pct"]).groupby("region").tail(1)
    observer = rows.dropna(subset=["observer_turnout_pct"]).groupby("region").tail(1)
    out = pd.merge(
        official[["region", "as_of", "official_turnout_pct"]].rename(columns={"as_of": "official_as_of"}),
        observer[["region", "as_of", "observer_turnout_pct", "observed_pecs"]].rename(
            columns={"as_of": "observer_as_of"}
        ),
        on="region",
        how="outer",
    )
    out["region_code"] = out["region"].where(out["region"] != "KZ")
    return out.sort_values("region_code", na_position="first")
