"""The threshold check: who passes on the official count and on the observers' estimate."""

from __future__ import annotations

from saylau.report.data import Missing, ReportContext, election_rows
from saylau.report.render import Section, doc_link, esc, fmt_bool, fmt_pct, fmt_text, html_table, note


def fmt_verdict(value: object) -> str:
    """The observers' verdict: passes / fails (a random sample), else why there is none."""
    if not isinstance(value, str):
        return "–"
    if value in ("passes", "fails"):
        return fmt_bool(value == "passes")
    return f"<span class='design'>{esc(value)}</span>"


def threshold(ctx: ReportContext) -> Section:
    """Which parties pass the threshold on the official count and on the observers' estimate."""
    title = "Threshold check"
    try:
        rows = election_rows(ctx, "marts.threshold_check", order="contest, official_share_pct desc")
    except Missing as m:
        return Section("threshold", title, note(str(m)))
    preliminary = (
        rows["official_status"].eq("preliminary").any() if "official_status" in rows.columns else False
    )
    verdicts = rows["passes_observer"].astype("boolean")
    differ = rows[verdicts.notna() & (rows["passes_official"].astype("boolean") != verdicts)]
    if verdicts.notna().any():
        lead = (
            f"<p class='warn'>{len(differ)} party result(s) pass on one count and fail on the other.</p>"
            if len(differ)
            else "<p>The official count and the observers' estimate agree on who passes.</p>"
        )
    else:
        lead = "<p>No observers' verdict: no organisation's sample is random with 30 precincts or more.</p>"
    lead += (
        "<p class='src'>A verdict on the observers' count needs a random sample of at least 30 precincts "
        f"({doc_link('observers.md', 'sample design', 'sample-design')}); otherwise the table says "
        "'sample too small' or 'not a random sample' and the observers' share describes the watched "
        "precincts only.</p>"
    )
    if preliminary:
        lead = (
            "<p class='warn'>Preliminary: the official shares below are the CEC's preliminary figures "
            "(shares only where no count is out yet); the final results replace them.</p>" + lead
        )
    share_of = ctx.share_of(rows["contest"].unique())
    table = html_table(
        rows,
        [
            ("contest", "contest", fmt_text),
            ("party", "party", ctx.party),
            ("threshold_pct", "threshold %", fmt_pct),
            ("official_share_pct", f"share % {share_of}, official", fmt_pct),
            ("source", "observers", fmt_text),
            ("observer_share_pct", f"share % {share_of}, observers", fmt_pct),
            ("passes_official", "passes (official)", fmt_bool),
            *(
                [("observer_verdict", "observers' verdict", fmt_verdict)]
                if "observer_verdict" in rows.columns
                else [("passes_observer", "passes (observers)", fmt_bool)]
            ),
            *(
                [("official_status", "official figures", fmt_text)]
                if "official_status" in rows.columns
                else []
            ),
        ],
    )
    return Section("threshold", title, lead + table + "<p class='src'>marts.threshold_check.</p>")
