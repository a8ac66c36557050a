"""Election forensics: the four plots for the main contest and the forensic marts' figures for every contest."""

from __future__ import annotations

from saylau.report.data import Missing, ReportContext, election_rows, mart_leader
from saylau.report.render import (
    Section,
    doc_link,
    figure,
    fmt_int,
    fmt_pct,
    fmt_signed,
    fmt_text,
    html_table,
    note,
)
from saylau.warehouse import table_exists


def forensics(ctx: ReportContext) -> Section:
    """The four forensic plots for the main contest and the forensic marts' figures for every contest."""
    from saylau import plots

    title = "Election forensics"
    parts = []
    figures = 0
    contest = ctx.main_contest
    if contest is None:
        return Section("forensics", title, note("not available yet: no contest with official results"))
    # the party the forensic marts follow (intermediate.int_contest_leaders: the import's --leader, else the most votes)
    leader = mart_leader(ctx, "marts.forensics_shpilkin", contest)
    parts.append(
        f"<p>Plots for the contest <b>{ctx.contest(contest)}</b> (official precinct protocols); the tables below "
        f"cover every contest. The methods: {doc_link('forensics.md', 'saylau forensics')}.</p>"
    )
    # 1. turnout histogram weighted by voters
    try:
        bins = election_rows(
            ctx, "marts.forensics_shpilkin_bins", where="contest = ?", order="turnout_bin", params=[contest]
        )
        parts.append("<h3>Turnout histogram, weighted by voters</h3>")
        parts.append(
            figure(
                plots.turnout_histogram(bins, f"{contest}: registered voters by precinct turnout"),
                "turnout histogram weighted by voters",
                "Registered voters in precincts of each 1-pp turnout. <b>Clean:</b> one smooth, roughly bell-shaped "
                "hump; a second hump or a long right tail towards 100% (and spikes at round numbers) is what "
                "ballot stuffing and written-in results look like.",
            )
        )
        figures += 1
    except Missing as m:
        parts.append("<h3>Turnout histogram, weighted by voters</h3>" + note(str(m)))
    # 2. fingerprint
    parts.append("<h3>The fingerprint: turnout x leader share</h3>")
    try:
        cells = election_rows(ctx, "marts.forensics_fingerprint", where="contest = ?", params=[contest])
        parts.append(
            figure(
                plots.fingerprint(
                    cells, f"{contest}: voters by turnout and leader share", ctx.party_plain(leader)
                ),
                "turnout x leader share fingerprint",
                "Voters by precinct turnout (x) and the leader's share (y). <b>Clean:</b> one compact, roundish "
                "cluster; a comet tail stretching to the top-right corner (100% turnout, 100% for the leader) is "
                "the signature of stuffing, and a grid of dots at whole percents of written-in numbers.",
            )
        )
        figures += 1
    except Missing as m:
        parts.append(note(str(m)))
    # 3. integer-percent histogram (from the precinct protocols; the test's figures from the mart)
    parts.append("<h3>Integer percents</h3>")
    if table_exists(ctx.con, "intermediate.int_precinct_protocols"):
        values = ctx.con.execute(
            "select 100 * turnout as turnout_pct, 100 * leader_share as share_pct from intermediate.int_precinct_protocols "
            "where election_id = ? and contest_id = ? and registered >= 100",
            [ctx.election_id, contest],
        ).df()
        if len(values):
            parts.append(
                figure(
                    plots.integer_percent_histogram(
                        values["turnout_pct"], values["share_pct"], f"{contest}: precincts per 0.1-pp bin"
                    ),
                    "integer-percent histogram",
                    "Precincts (100+ registered) per 0.1-pp bin of turnout and of the leader's share. "
                    "<b>Clean:</b> ragged but even counts with no comb of spikes at whole percents (70.0%, 75.0%, "
                    "80.0%); such spikes mean figures were set to a target rather than counted.",
                )
            )
            figures += 1
        else:
            parts.append(
                note(f"not available yet: intermediate.int_precinct_protocols is empty for {contest}")
            )
    else:
        parts.append(note("not available yet: intermediate.int_precinct_protocols is missing"))
    try:
        integer = election_rows(ctx, "marts.forensics_integer_percent", order="contest")
        parts.append(
            html_table(
                integer,
                [
                    ("contest", "contest", fmt_text),
                    ("included_precincts", "precincts included", fmt_int),
                    ("observed_integer", "integer (observed)", fmt_int),
                    ("expected_integer", "expected", lambda v: fmt_pct(v, 1)),
                    ("expected_sd", "sd", lambda v: fmt_pct(v, 1)),
                    ("excess", "excess", lambda v: fmt_signed(v, 1)),
                    ("excess_sd", "excess / sd", lambda v: fmt_signed(v, 1)),
                ],
            )
        )
    except Missing as m:
        parts.append(note(str(m)))
    # 4. Shpilkin
    parts.append("<h3>Shpilkin's turnout-bin chart</h3>")
    try:
        bins = election_rows(
            ctx, "marts.forensics_shpilkin_bins", where="contest = ?", order="turnout_bin", params=[contest]
        )
        parts.append(
            figure(
                plots.shpilkin_bins(bins, f"{contest}: votes by precinct turnout", ctx.party_plain(leader)),
                "Shpilkin's turnout-bin chart",
                "Votes for the leader and for everyone else by precinct turnout; the dashed line is what the leader "
                "would get above the most common turnout if those precincts voted like the modal one. <b>Clean:</b> "
                "the two solid curves have the same shape and the dashed line follows the leader's curve; a leader "
                "curve that keeps rising while the others' falls is the anomaly counted below.",
            )
        )
        figures += 1
    except Missing as m:
        parts.append(note(str(m)))
    try:
        shp = election_rows(ctx, "marts.forensics_shpilkin", order="contest")
        parts.append(
            html_table(
                shp,
                [
                    ("contest", "contest", fmt_text),
                    ("leader", "leader", ctx.party),
                    ("modal_turnout_pct", "modal turnout %", lambda v: fmt_pct(v, 1)),
                    ("anomalous_votes", "anomalous votes", fmt_int),
                    ("leader_share_of_ballots_cast_pct", "leader % of ballots cast", fmt_pct),
                    (
                        "clean_leader_share_of_ballots_cast_pct",
                        "leader % of ballots cast, without the anomaly",
                        fmt_pct,
                    ),
                ],
            )
        )
        parts.append(
            "<p class='src'>Shpilkin's shares are of all ballots cast (valid + invalid), the method's "
            "denominator for every contest; an election's official leader share (of valid ballots) is in the "
            "key figures.</p>"
        )
    except Missing as m:
        parts.append(note(str(m)))
    parts.append("<h3>Turnout distribution by region</h3>")
    try:
        dist = election_rows(
            ctx,
            "marts.forensics_distribution",
            where="contest = ?",
            order="region_code nulls first",
            params=[contest],
        )
        parts.append(
            html_table(
                dist,
                [
                    ("region_code", "region", ctx.region),
                    ("precincts", "precincts", fmt_int),
                    ("registered", "registered", fmt_int),
                    ("turnout_mean_pct", "mean turnout %", lambda v: fmt_pct(v, 1)),
                    ("turnout_sd_pct", "sd", lambda v: fmt_pct(v, 1)),
                    ("turnout_skew", "skew", fmt_signed),
                    ("turnout_leader_share_corr", "corr(turnout, leader share of ballots cast)", fmt_signed),
                ],
            )
        )
        parts.append(
            "<p>A strongly positive correlation of turnout and the leader's share within a region is the "
            "statistical trace of ballot stuffing; in a clean region it is near zero.</p>"
        )
    except Missing as m:
        parts.append(note(str(m)))
    parts.append(
        "<p class='src'>marts.forensics_shpilkin_bins, marts.forensics_fingerprint, "
        "marts.forensics_integer_percent, marts.forensics_shpilkin, marts.forensics_distribution, "
        "intermediate.int_precinct_protocols.</p>"
    )
    return Section("forensics", title, "".join(parts), figures)
