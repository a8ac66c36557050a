"""Key figures: the official national figures per contest next to the observers' estimate from their sample."""

from __future__ import annotations

from saylau.report.data import Missing, ReportContext, election_rows, first_source, resolved_only
from saylau.report.render import Section, esc, fmt_int, fmt_pct, fmt_text, html_table, note


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
        share_column = "share_valid_pct" if "share_valid_pct" in sample.columns else "share_pct"
        for contest, rows in sample.groupby("contest"):
            first = rows.iloc[0]
            observer[contest] = {
                "observed_pecs": first.get("observed_pecs"),
                "turnout_pct": first.get("turnout_pct"),
                "source": first.get("source"),
                "shares": dict(zip(rows["party"], rows[share_column], strict=False)),
            }
    except Missing as m:
        observer_note = note(str(m) + " (observer columns left empty)")
    cards = []
    for row in totals.itertuples(index=False):
        obs = observer.get(row.contest, {})
        cards.append(
            "<div class='card'>"
            f"<h3>{esc(row.contest)}</h3>"
            f"<p class='big'>{fmt_pct(row.turnout_pct)}%</p><p>official turnout of "
            f"{fmt_int(row.registered)} registered"
            + (f"; observers {fmt_pct(obs.get('turnout_pct'))}%" if obs else "")
            + f"</p><p class='big'>{fmt_pct(row.leader_share_pct)}%</p><p>{ctx.party(row.leader)}, official"
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
                ("leader_share_pct", "leader %, official", fmt_pct),
                ("observer_leader_share_pct", "leader %, observers", fmt_pct),
                ("observed_pecs", "precincts observed", fmt_int),
            ],
        )
    )
    parts.append(observer_note)
    parts.append(
        "<p class='src'>Official: marts.election_totals (finest level covering the electorate). "
        "Observers: marts.observer_sample_summary (their sample of precincts, all regions, the copies saylau "
        "trusts; shares under the contest's own rule). Observers' figures describe the precincts they watched, "
        "not the country.</p>"
    )
    return Section("key-figures", "Key figures: official vs observers", "".join(parts))
