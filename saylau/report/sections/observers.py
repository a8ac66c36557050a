"""The observers' sections: their summary table, and official results at precincts with and without
observers (shown under the regions)."""

from __future__ import annotations

from saylau.report.data import Missing, ReportContext, election_rows, resolved_only
from saylau.report.render import Section, esc, fmt_int, fmt_pct, fmt_signed, fmt_text, html_table, note


def observer_summary(ctx: ReportContext) -> Section:
    """The observers' summary table: their sample, turnout, unused and spoiled ballots, party shares."""
    title = "The observers' summary"
    try:
        sample = election_rows(
            ctx,
            "marts.observer_sample_summary",
            where="region_code is null",
            order="contest, share_of_ballots_cast_pct desc",
        )
    except Missing as m:
        return Section("observer-summary", title, note(str(m)))
    parts = []
    sample = resolved_only(sample)
    if sample.empty:
        return Section(
            "observer-summary",
            title,
            note("not available yet: marts.observer_sample_summary has no resolved rows"),
        )
    if "source" not in sample.columns:
        sample = sample.assign(source=None)
    sample = sample.sort_values("source", kind="stable", na_position="last")
    sample = sample.iloc[sample["contest"].map(ctx.contest_rank).argsort(kind="stable")]
    for (contest, source), rows in sample.groupby(["contest", "source"], sort=False, dropna=False):
        first = rows.iloc[0]
        parts.append(f"<h3>{ctx.contest(contest)}; observers: {esc(source)}</h3>")
        parts.append(
            f"<p>{fmt_int(first.get('observed_pecs'))} precincts observed, {fmt_int(first.get('registered'))} "
            f"registered voters there; turnout {fmt_pct(first.get('turnout_pct'))}%, unused ballots "
            f"{fmt_pct(first.get('unused_ballots_pct'))}%, spoiled {fmt_pct(first.get('spoiled_pct'))}%.</p>"
        )
        parts.append(
            html_table(
                rows.sort_values("share_of_ballots_cast_pct", ascending=False),
                [
                    ("party", "party", ctx.party),
                    ("votes", "votes", fmt_int),
                    ("share_of_ballots_cast_pct", "share % of ballots cast (their table)", fmt_pct),
                    # the contest's own rule where it is not the ballots cast (elections)
                    *(
                        [("share_of_valid_pct", "share % of valid ballots", fmt_pct)]
                        if ctx.denominator(contest) == "valid"
                        else []
                    ),
                ],
            )
        )
    parts.append(
        "<p class='src'>marts.observer_sample_summary, basis 'resolved' (copies refused by validation or left "
        "unresolved are not counted), region_code NULL = all the organisation's precincts.</p>"
    )
    return Section("observer-summary", title, "".join(parts))


def observer_effect_html(ctx: ReportContext) -> str:
    """Official results at precincts with and without observers, within the same territorial commissions."""
    parts = ["<h3>Precincts with and without observers</h3>"]
    try:
        rows = election_rows(ctx, "marts.observer_effect", order="contest")
    except Missing as m:
        return parts[0] + note(str(m))
    parts.append(
        html_table(
            rows,
            [
                ("contest", "contest", fmt_text),
                ("tecs", "territorial commissions", fmt_int),
                ("observed_pecs", "observed precincts", fmt_int),
                ("unobserved_pecs", "unobserved", fmt_int),
                ("observed_turnout_pct", "turnout % observed", fmt_pct),
                ("unobserved_turnout_pct", "turnout % unobserved", fmt_pct),
                ("excess_turnout_pp", "excess pp", fmt_signed),
                ("excess_ballots", "excess ballots", fmt_int),
                ("leader", "leader", ctx.party),
                ("excess_leader_votes", "excess leader votes", fmt_int),
                ("copy_turnout_pct", "turnout % by observers' copies", fmt_pct),
                ("excess_turnout_vs_copies_pp", "excess pp over copies", fmt_signed),
                ("excess_ballots_vs_copies", "excess ballots over copies", fmt_int),
                ("excess_leader_votes_vs_copies", "excess leader votes over copies", fmt_int),
            ],
        )
    )
    parts.append(
        "<p>Official turnout where observers were present against their unobserved neighbours in the same "
        "territorial commission. <b>Clean:</b> no systematic gap; a higher turnout and leader vote where nobody "
        "watched suggests ballots were added there (part of a gap can be who lives where observers go). "
        "The last columns compare with what the observed commissions signed (the observers' copies) instead "
        "of the official figures of the observed precincts, which a territorial commission may have "
        "rewritten as well.</p>"
        "<p class='src'>marts.observer_effect (per commission: marts.observer_effect_tec).</p>"
    )
    return "".join(parts)
