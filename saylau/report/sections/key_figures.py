"""Key figures: the official national figures per contest next to the observers' estimate from their sample."""

from __future__ import annotations

import pandas as pd

from saylau.report.data import SHARE_OF, Missing, ReportContext, election_rows, first_source, resolved_only
from saylau.report.render import Section, esc, fmt_int, fmt_pct, fmt_text, fmt_time, html_table, note


def status_label(status: object, as_of: object) -> str:
    """How final a figure is, as the report says it: 'preliminary, as of ...' or 'final'."""
    if status is None or status != status:  # missing (an old file) or NaN
        return ""
    when = fmt_time(as_of)
    return f"{status}" + (f", as of {when}" if when and when != "–" else "")


# marts.election_totals: the contest's one official leader share, in the column of its denominator
LEADER_SHARE = {"valid": "leader_share_of_valid_pct", "ballots_cast": "leader_share_of_ballots_cast_pct"}
# marts.observer_sample_summary: the observers' share under the same denominator
OBSERVER_SHARE = {"valid": "share_of_valid_pct", "ballots_cast": "share_of_ballots_cast_pct"}


def official_leader_share(ctx: ReportContext, row: object) -> float | None:
    """The contest's official leader share (marts.election_totals), of its own denominator."""
    value = getattr(row, LEADER_SHARE[ctx.denominator(row.contest)], None)
    return None if value is None or pd.isna(value) else float(value)


def results_by_unit(ctx: ReportContext) -> str:
    """The official results of the country and of every region as they stand (marts.results_official): the
    leading option's share, the turnout, and how final they are; shares only where only shares are out."""
    try:
        rows = election_rows(
            ctx,
            "marts.results_official",
            where="level in ('national', 'region') and share_pct is not null",
            order="contest, level desc, unit_code, origin",
        )
    except Missing as m:
        return note(str(m))
    rank = {"published": 0, "summed_from_pec": 1, "shares_only": 2}
    rows = rows.assign(rank=rows["origin"].map(rank).fillna(3), final=(rows["status"] == "final"))
    # per unit the figures that count: final before preliminary, counts before shares
    rows = rows.sort_values(["final", "rank"], ascending=[False, True], kind="stable")
    best = rows
    keys = best.groupby(["contest", "unit_code"], sort=False)[["final", "rank"]].transform("first")
    best = best[(best["final"] == keys["final"]) & (best["rank"] == keys["rank"])]
    best = best.assign(national=best["level"] == "national").sort_values(
        ["contest", "national", "unit_code", "share_pct", "party"],
        ascending=[True, False, True, False, True],
        kind="stable",
    )
    lead = best.groupby(["contest", "unit_code"], sort=False).head(1).copy()
    lead["figures"] = [
        ("shares only" if o == "shares_only" else "counts") + f"; {status_label(s, a)}"
        for o, s, a in zip(lead["origin"], lead["status"], lead["as_of"], strict=False)
    ]
    preliminary = int((lead["status"] == "preliminary").sum())
    head = (
        f"<p class='warn'>Preliminary: {preliminary} of {len(lead)} unit(s) below show preliminary figures; "
        "final figures replace them when the CEC publishes them.</p>"
        if preliminary
        else ""
    )
    return (
        "<h3>Official results, country and regions</h3>"
        + head
        + html_table(
            lead,
            [
                ("contest", "contest", fmt_text),
                ("unit_code", "unit", ctx.region),
                ("party", "leading", ctx.party),
                ("share_pct", f"share % {ctx.share_of(lead['contest'].unique())}", fmt_pct),
                ("turnout_pct", "turnout %", fmt_pct),
                ("figures", "figures", fmt_text),
            ],
        )
        + "<p class='src'>marts.results_official (shares only: the CEC stated percentages, no counts).</p>"
    )


def key_figures(ctx: ReportContext) -> Section:
    """Official national figures per contest next to the observers' estimate from their sample."""
    parts = []
    try:
        totals = election_rows(ctx, "marts.election_totals", order="contest")
    except Missing as m:
        return Section("key-figures", "Key figures", note(str(m)))
    observer: dict[str, dict] = {}
    observer_note = ""
    try:
        sample = election_rows(ctx, "marts.observer_sample_summary", where="region_code is null")
        sample = first_source(resolved_only(sample))
        for contest, rows in sample.groupby("contest"):
            first = rows.iloc[0]
            share_column = OBSERVER_SHARE[ctx.denominator(contest)]
            observer[contest] = {
                "observed_pecs": first.get("observed_pecs"),
                "turnout_pct": first.get("turnout_pct"),
                "source": first.get("source"),
                "shares": dict(zip(rows["party"], rows.get(share_column, [None] * len(rows)), strict=False)),
            }
    except Missing as m:
        observer_note = note(str(m) + " (observer columns left empty)")
    cards = []
    for row in totals.itertuples(index=False):
        obs = observer.get(row.contest, {})
        status = getattr(row, "status", None)
        label = status_label(status, row.as_of)
        registered = (
            f"of {fmt_int(row.registered)} registered"
            if row.registered == row.registered
            else "(shares only)"
        )
        cards.append(
            "<div class='card'>"
            f"<h3>{esc(row.contest)}</h3>"
            + (f"<p class='{'warn' if status == 'preliminary' else 'src'}'>{esc(label)}</p>" if label else "")
            + f"<p class='big'>{fmt_pct(row.turnout_pct)}%</p><p>official turnout "
            f"{registered}"
            + (f"; observers {fmt_pct(obs.get('turnout_pct'))}%" if obs else "")
            + f"</p><p class='big'>{fmt_pct(official_leader_share(ctx, row))}%</p><p>"
            f"{esc(SHARE_OF[ctx.denominator(row.contest)])}: {ctx.party(row.leader)}, official"
            + (
                f"; observers {fmt_pct(obs['shares'].get(row.leader))}%"
                if obs and row.leader in obs.get("shares", {})
                else ""
            )
            + "</p></div>"
        )
    parts.append(f"<div class='cards'>{''.join(cards)}</div>")
    frame = totals.copy()
    frame["observer_turnout_pct"] = [observer.get(c, {}).get("turnout_pct") for c in frame["contest"]]
    frame["observer_leader_share_pct"] = [
        observer.get(c, {}).get("shares", {}).get(leader)
        for c, leader in zip(frame["contest"], frame["leader"], strict=False)
    ]
    frame["observed_pecs"] = [observer.get(c, {}).get("observed_pecs") for c in frame["contest"]]
    denominators = sorted({ctx.denominator(c) for c in frame["contest"]}, key=list(SHARE_OF).index)
    for d in denominators:
        if LEADER_SHARE[d] not in frame.columns:  # a file older than the split by denominator
            frame[LEADER_SHARE[d]] = None
    frame["figures"] = [
        status_label(s, a)
        for s, a in zip(frame.get("status", [None] * len(frame)), frame["as_of"], strict=False)
    ]
    parts.append(
        html_table(
            frame,
            [
                ("contest", "contest", fmt_text),
                ("precincts", "precincts", fmt_int),
                ("registered", "registered", fmt_int),
                ("ballots_issued", "ballots issued", fmt_int),
                ("turnout_pct", "turnout %, official", fmt_pct),
                ("observer_turnout_pct", "turnout %, observers", fmt_pct),
                ("valid", "valid", fmt_int),
                ("invalid", "invalid", fmt_int),
                ("leader", "leader", ctx.party),
                *((LEADER_SHARE[d], f"leader % {SHARE_OF[d]}, official", fmt_pct) for d in denominators),
                (
                    "observer_leader_share_pct",
                    f"leader % {ctx.share_of(frame['contest'])}, observers",
                    fmt_pct,
                ),
                ("observed_pecs", "precincts observed", fmt_int),
                ("figures", "official figures", fmt_text),
            ],
        )
    )
    parts.append(observer_note)
    parts.append(results_by_unit(ctx))
    parts.append(
        "<p class='src'>Official: marts.election_totals (finest level covering the electorate). "
        "Observers: marts.observer_sample_summary (their sample of precincts, all regions, the copies saylau "
        "trusts; shares of the same ballots as the official share). Observers' figures describe the precincts "
        "they watched, not the country.</p>"
    )
    return Section("key-figures", "Key figures: official vs observers", "".join(parts))
