"""By region: official against observers' turnout and leader share, with the observers' intervals."""

from __future__ import annotations

import pandas as pd

from saylau.report.data import Missing, ReportContext, election_rows, first_source, mart_leader
from saylau.report.render import (
    Section,
    doc_link,
    esc,
    figure,
    fmt_bool,
    fmt_pct,
    fmt_signed,
    fmt_text,
    html_table,
    note,
)
from saylau.report.sections.observers import observer_effect_html
from saylau.warehouse import table_exists

WATCHED_ONLY = "describe the watched precincts only"


def sample_design_line(ctx: ReportContext, contest: str, source: str | None) -> str:
    """The organisation's sample of the contest in words (intermediate.int_observer_sample_design)."""
    if source is None or not table_exists(ctx.con, "intermediate.int_observer_sample_design"):
        return ""
    found = ctx.con.execute(
        "select design_label from intermediate.int_observer_sample_design "
        "where election_id = ? and contest_id = ? and source = ?",
        [ctx.election_id, contest, source],
    ).fetchone()
    return found[0] if found else ""


def regions(ctx: ReportContext) -> Section:
    """Official vs observer turnout and leader share per region, with the observers' intervals."""
    from saylau import plots

    title = "By region: official vs observers"
    try:
        rows = election_rows(ctx, "marts.discrepancy_region", order="contest, region_code nulls first, party")
    except Missing as m:
        return Section("regions", title, note(str(m)) + observer_effect_html(ctx))
    rows = first_source(rows)
    parts = []
    figures = 0
    contest = ctx.main_contest if ctx.main_contest in set(rows["contest"]) else rows["contest"].iloc[0]
    main = rows[(rows["contest"] == contest) & rows["region_code"].notna()]
    source = main["source"].dropna().iloc[0] if "source" in main and main["source"].notna().any() else None
    if source:
        parts.append(f"<p>Plots for the contest <b>{esc(contest)}</b>, observers: <b>{esc(source)}</b>.</p>")
    random = (
        main["random_sample"].fillna(False).astype(bool) if "random_sample" in main else main["party"].isna()
    )
    any_random = bool(random.any())
    design = sample_design_line(ctx, contest, source)
    if design:
        parts.append(f"<p class='design'>Sample: {esc(design)}.</p>")
    if not random.all():
        parts.append(
            f"<p class='warn'>{'In some regions the' if any_random else 'The'} observers' precincts are not a "
            "random sample (not drawn at random, or covering too few territorial commissions): there the "
            f"observers' figures {WATCHED_ONLY}, with no interval and no verdict of significance "
            f"({doc_link('observers.md', 'sample design', 'sample-design')}).</p>"
        )
    turnout = main.drop_duplicates("region_code")
    turnout = turnout.dropna(subset=["official_turnout_pct", "observer_turnout_pct"], how="all")
    labels = {c: ctx.region_plain(c) for c in main["region_code"].unique()}
    if len(turnout):
        frame = {
            "label": [labels[c] for c in turnout["region_code"]],
            "official": turnout["official_turnout_pct"].astype(float),
            "observer": turnout["observer_turnout_pct"].astype(float),
        }
        if {"turnout_ci_low", "turnout_ci_high"} <= set(turnout.columns):
            frame["ci_low"] = turnout["turnout_ci_low"].astype(float)
            frame["ci_high"] = turnout["turnout_ci_high"].astype(float)
        if not any_random:
            frame.pop("ci_low", None), frame.pop("ci_high", None)
        png = plots.region_intervals(
            pd.DataFrame(frame),
            "turnout_pct",
            f"{ctx.contest_names.get(contest, contest)}: turnout by region"
            + ("" if any_random else f"\nobservers: {WATCHED_ONLY}"),
            "turnout, %",
        )
        parts.append(
            figure(
                png,
                "turnout by region, official vs observers",
                "Official turnout of each whole region (dot) and the turnout observers counted at their "
                "precincts (cross). "
                + (
                    "<b>Clean:</b> the dots sit close to the crosses in every region."
                    if any_random
                    else f"The observers' figures {WATCHED_ONLY} (not a random sample: urban precincts, for "
                    "one, vote differently), so a gap here is no measure of ballots added."
                ),
            )
        )
        figures += 1
    leader = mart_leader(ctx, "marts.election_totals", contest)
    shares = main[main["party"] == leader] if leader is not None else main.iloc[0:0]
    if len(shares):
        png = plots.region_intervals(
            pd.DataFrame(
                {
                    "label": [labels[c] for c in shares["region_code"]],
                    "official": shares["official_share_pct"].astype(float),
                    "observer": shares["observer_share_pct"].astype(float),
                    **(
                        {
                            "ci_low": shares["observer_ci_low"].astype(float),
                            "ci_high": shares["observer_ci_high"].astype(float),
                        }
                        if any_random
                        else {}
                    ),
                }
            ),
            "share_pct",
            f"{ctx.contest_names.get(contest, contest)}: {ctx.party_plain(leader)} share by region"
            + ("" if any_random else f"\nobservers: {WATCHED_ONLY}"),
            f"{ctx.party_plain(leader)} share {ctx.share_of([contest])}, %",
        )
        parts.append(
            figure(
                png,
                "leader share by region, official vs observers with intervals",
                f"{esc(ctx.party_plain(leader))}'s official share (dot) against the observers' figure (cross)"
                + (
                    " with its 95% interval (random samples only). <b>Clean:</b> every dot falls inside its "
                    "interval; dots to the right of the interval in many regions point at inflated results."
                    if any_random
                    else f". The observers' figures {WATCHED_ONLY}: no interval, no verdict."
                ),
            )
        )
        figures += 1
    ordered = rows[rows["contest"] == contest]
    ordered = ordered.assign(abs_gap=ordered["share_gap_pp"].abs()).sort_values(
        ["significant", "abs_gap"], ascending=[False, False], na_position="last"
    )
    ordered = ordered.assign(
        sample=[
            "random sample" if r is True else WATCHED_ONLY
            for r in ordered.get("random_sample", [None] * len(ordered))
        ]
    )
    verdicts = int(ordered["significant"].notna().sum())
    parts.append(
        f"<p>{ctx.contest(contest)}: "
        + (
            f"{int(ordered['significant'].fillna(False).astype(bool).sum()):,} of {verdicts:,} region x party rows "
            "with a random sample differ significantly (official share outside the observers' interval); "
            if verdicts
            else "no region's sample is random, so no row has an interval or a verdict; "
        )
        + "largest gaps first (every contest: query marts.discrepancy_region).</p>"
    )
    parts.append(
        html_table(
            ordered,
            [
                ("contest", "contest", fmt_text),
                ("region_code", "region", ctx.region),
                ("party", "party", ctx.party),
                ("official_turnout_pct", "turnout % official", fmt_pct),
                ("observer_turnout_pct", "turnout % observers", fmt_pct),
                ("turnout_gap_pp", "gap pp", fmt_signed),
                ("official_share_pct", f"share % {ctx.share_of([contest])}, official", fmt_pct),
                ("observer_share_pct", f"share % {ctx.share_of([contest])}, observers", fmt_pct),
                ("share_gap_pp", "gap pp", fmt_signed),
                ("sample", "observers' sample", fmt_text),
                *(
                    [
                        ("observer_ci_low", "95% low", fmt_pct),
                        ("observer_ci_high", "95% high", fmt_pct),
                        ("significant", "significant", fmt_bool),
                    ]
                    if verdicts
                    else []
                ),
            ],
            limit=25,
        )
    )
    parts.append("<p class='src'>marts.discrepancy_region (region NULL = all the observers' precincts).</p>")
    parts.append(observer_effect_html(ctx))
    return Section("regions", title, "".join(parts), figures)
