"""The election report: one static, self-contained HTML page per election, built from the published database.

``build_report(published_db, election_id, report_dir)`` writes ``report_dir/<election_id>/index.html``:
styles inline, figures inlined as base64 PNG, no script and no network, so it opens from a file in any
browser. Text is English; regions and parties also carry their Kazakh and Russian names. The database is
opened read-only (the file analysts get), and every section reads only its marts: a section whose mart is
missing or empty says "not available yet" with the mart's name, so the report works at every stage.
"""

from __future__ import annotations

import base64
import html
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from saylau.query import open_published
from saylau.reference import Resolver, default_resolver
from saylau.warehouse import table_exists

# Section ids, in page order: the test and the table of contents rely on them.
SECTION_IDS = (
    "key-figures",
    "observer-summary",
    "regions",
    "turnout-timeline",
    "threshold",
    "precinct-discrepancies",
    "forensics",
    "data-quality",
    "provenance",
)

MAX_TABLE_ROWS = 60


@dataclass
class Section:
    """One section of the report: its anchor id, heading and HTML body."""

    id: str
    title: str
    body: str
    figures: int = 0


@dataclass
class ReportContext:
    """What every section needs: the open published database and the election being reported."""

    con: duckdb.DuckDBPyConnection
    election_id: str
    election_date: date
    name_en: str
    names_local: str
    resolver: Resolver = field(default_factory=default_resolver)
    contests: list[str] = field(default_factory=list)
    main_contest: str | None = None

    def region(self, code: str | None) -> str:
        """A region's English name with its Kazakh and Russian names (HTML); NULL = the whole country."""
        if code is None or code is pd.NA or (isinstance(code, float) and pd.isna(code)) or code in ("KZ", ""):
            return "All Kazakhstan <span class='local'>Бүкіл Қазақстан / Весь Казахстан</span>"
        region = self.resolver.regions.get(code)
        if region is None:
            return esc(code)
        return (
            f"<span class='place'>{esc(region.name_en)} <span class='local'>{esc(region.name_kk)} / "
            f"{esc(region.name_ru)}</span> <span class='code'>{esc(code)}</span></span>"
        )

    def party(self, party_id: str | None) -> str:
        """A party's English name as of the election date, with its Kazakh and Russian names (HTML)."""
        if party_id is None or party_id is pd.NA or (isinstance(party_id, float) and pd.isna(party_id)):
            return ""
        row = self.resolver.parties.get(party_id)
        if row is None:
            return esc(party_id)
        then = self.resolver.party_name_on(party_id, self.election_date)
        if then != row["name_en"]:  # renamed later: today's kk/ru names would be anachronistic
            return f"<span class='place'>{esc(then)} <span class='local'>(now {esc(row['name_en'])})</span></span>"
        return (
            f"<span class='place'>{esc(then)} <span class='local'>{esc(row['name_kk'])} / "
            f"{esc(row['name_ru'])}</span></span>"
        )

    def party_plain(self, party_id: str | None) -> str:
        """A party's English name as of the election date, as plain text (for figures)."""
        if party_id is None:
            return "leader"
        if party_id not in self.resolver.parties:
            return party_id
        return self.resolver.party_name_on(party_id, self.election_date)


class ReportError(ValueError):
    """The report cannot be built: the database or the election is not there."""


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


# ---------------------------------------------------------------------------------------------- data access


def table_columns(con: duckdb.DuckDBPyConnection, qualified: str) -> list[str]:
    schema, name = qualified.split(".", 1)
    rows = con.execute(
        "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
        "order by ordinal_position",
        [schema, name],
    ).fetchall()
    return [r[0] for r in rows]


class Missing(Exception):
    """A mart a section needs is missing or has no rows for the election; the message is the note shown."""


def election_rows(
    ctx: ReportContext, qualified: str, where: str = "", order: str = "", params: Sequence = ()
) -> pd.DataFrame:
    """Rows of a mart for the report's election (raises :class:`Missing` when there are none)."""
    if not table_exists(ctx.con, qualified):
        raise Missing(f"not available yet: {qualified} is missing")
    sql = f"select * from {qualified} where election_id = ?"
    if where:
        sql += f" and ({where})"
    if order:
        sql += f" order by {order}"
    frame = ctx.con.execute(sql, [ctx.election_id, *params]).df()
    if frame.empty:
        raise Missing(f"not available yet: {qualified} is empty for {ctx.election_id}")
    return frame


def first_source(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of the first observer organisation (by name) of each contest, where a mart has a source column
    (several organisations: the report follows one, the mart has them all)."""
    if "source" not in frame.columns or frame.empty:
        return frame
    chosen = frame.dropna(subset=["source"]).groupby("contest")["source"].min()
    keep = frame["source"].isna() | (frame["source"] == frame["contest"].map(chosen))
    return frame[keep]


def resolved_only(frame: pd.DataFrame) -> pd.DataFrame:
    """Observer sample rows on the 'resolved' basis (the copies saylau trusts), where the mart has bases."""
    if "basis" in frame.columns:
        return frame[frame["basis"] == "resolved"]
    return frame


def note(text: str) -> str:
    return f"<p class='na'>{esc(text)}</p>"


# ---------------------------------------------------------------------------------------------- formatting


def fmt_int(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return "–"
    return f"{int(value):,}"


def fmt_pct(value: object, digits: int = 2) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "–"
    return f"{float(value):.{digits}f}"


def fmt_signed(value: object, digits: int = 2) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "–"
    return f"{float(value):+.{digits}f}"


def fmt_bool(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "–"
    return "<span class='yes'>yes</span>" if bool(value) else "<span class='no'>no</span>"


def fmt_text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "–"
    return esc(value)


def fmt_time(value: object) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, datetime | pd.Timestamp):
        return esc(f"{value:%Y-%m-%d %H:%M:%S}")
    return esc(value)


Column = tuple[str, str, Callable[[object], str]]  # (column, header, formatter returning HTML)


def html_table(frame: pd.DataFrame, columns: Sequence[Column], limit: int = MAX_TABLE_ROWS) -> str:
    """An HTML table of ``frame`` (first ``limit`` rows, with a line saying how many were left out)."""
    numeric = {fmt_int, fmt_pct, fmt_signed}
    head = "".join(f"<th class='{'num' if f in numeric else ''}'>{esc(h)}</th>" for _, h, f in columns)
    body = []
    for row in frame.head(limit).itertuples(index=False):
        values = row._asdict()
        cells = "".join(
            f"<td class='{'num' if f in numeric else ''}'>{f(values.get(c))}</td>" for c, _, f in columns
        )
        body.append(f"<tr>{cells}</tr>")
    more = ""
    if len(frame) > limit:
        more = f"<p class='more'>{len(frame) - limit:,} more rows not shown (query the mart for all).</p>"
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}"


def figure(png: bytes, alt: str, caption: str) -> str:
    """A figure with the PNG inlined as a data URL and a caption saying what a clean election looks like."""
    data = base64.b64encode(png).decode("ascii")
    return (
        f"<figure><img src='data:image/png;base64,{data}' alt='{esc(alt)}'>"
        f"<figcaption>{caption}</figcaption></figure>"
    )


def contest_heading(ctx: ReportContext, contest: str) -> str:
    return f"<h3>Contest: {esc(contest)}</h3>"


# ---------------------------------------------------------------------------------------------- sections


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


def observer_summary(ctx: ReportContext) -> Section:
    """The observers' summary table: their sample, turnout, unused and spoiled ballots, party shares."""
    title = "The observers' summary"
    try:
        sample = election_rows(
            ctx, "marts.observer_sample_summary", where="region_code is null", order="contest, share_pct desc"
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
    if "share_valid_pct" not in sample.columns:
        sample = sample.assign(share_valid_pct=None)
    for (contest, source), rows in sample.groupby(["contest", "source"], sort=True, dropna=False):
        first = rows.iloc[0]
        parts.append(f"<h3>Contest: {esc(contest)}; observers: {esc(source)}</h3>")
        parts.append(
            f"<p>{fmt_int(first.get('observed_pecs'))} precincts observed, {fmt_int(first.get('registered'))} "
            f"registered voters there; turnout {fmt_pct(first.get('turnout_pct'))}%, unused ballots "
            f"{fmt_pct(first.get('unused_ballots_pct'))}%, spoiled {fmt_pct(first.get('spoiled_pct'))}%.</p>"
        )
        parts.append(
            html_table(
                rows.sort_values("share_pct", ascending=False),
                [
                    ("party", "party", ctx.party),
                    ("votes", "votes", fmt_int),
                    ("share_pct", "share % of ballots cast (their table)", fmt_pct),
                    ("share_valid_pct", "share % (contest rule)", fmt_pct),
                ],
            )
        )
    parts.append(
        "<p class='src'>marts.observer_sample_summary, basis 'resolved' (copies refused by validation or left "
        "unresolved are not counted), region_code NULL = all the organisation's precincts.</p>"
    )
    return Section("observer-summary", title, "".join(parts))


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
    if "random_sample" in main.columns and (main["random_sample"] == False).any():  # noqa: E712
        parts.append(
            "<p class='warn'>In some regions the observers' precincts cannot be a random sample (they cover too "
            "few territorial commissions): there the interval describes the watched precincts only.</p>"
        )
    turnout = main.drop_duplicates("region_code")
    turnout = turnout.dropna(subset=["official_turnout_pct", "observer_turnout_pct"], how="all")
    labels = {c: _region_plain(ctx, c) for c in main["region_code"].unique()}
    if len(turnout):
        frame = {
            "label": [labels[c] for c in turnout["region_code"]],
            "official": turnout["official_turnout_pct"].astype(float),
            "observer": turnout["observer_turnout_pct"].astype(float),
        }
        if {"turnout_ci_low", "turnout_ci_high"} <= set(turnout.columns):
            frame["ci_low"] = turnout["turnout_ci_low"].astype(float)
            frame["ci_high"] = turnout["turnout_ci_high"].astype(float)
        png = plots.region_intervals(
            pd.DataFrame(frame),
            "turnout_pct",
            f"{contest}: turnout by region",
            "turnout, %",
        )
        parts.append(
            figure(
                png,
                "turnout by region, official vs observers",
                "Official turnout (dot) and the turnout observers counted at their precincts (cross). "
                "<b>Clean:</b> the dots sit close to the crosses in every region; a region where the official "
                "figure is far above what observers saw is where ballots may have been added.",
            )
        )
        figures += 1
    leader = _leader_of(ctx, contest, main)
    shares = main[main["party"] == leader] if leader is not None else main.iloc[0:0]
    if len(shares):
        png = plots.region_intervals(
            pd.DataFrame(
                {
                    "label": [labels[c] for c in shares["region_code"]],
                    "official": shares["official_share_pct"].astype(float),
                    "observer": shares["observer_share_pct"].astype(float),
                    "ci_low": shares["observer_ci_low"].astype(float),
                    "ci_high": shares["observer_ci_high"].astype(float),
                }
            ),
            "share_pct",
            f"{contest}: {ctx.party_plain(leader)} share by region",
            f"{ctx.party_plain(leader)} share, %",
        )
        parts.append(
            figure(
                png,
                "leader share by region, official vs observers with intervals",
                f"{esc(ctx.party_plain(leader))}'s official share (dot) against the observers' estimate (cross) "
                "with its 95% interval. <b>Clean:</b> every dot falls inside its interval; dots to the right of "
                "the interval in many regions point at inflated results.",
            )
        )
        figures += 1
    ordered = rows[rows["contest"] == contest]
    ordered = ordered.assign(abs_gap=ordered["share_gap_pp"].abs()).sort_values(
        ["significant", "abs_gap"], ascending=[False, False], na_position="last"
    )
    parts.append(
        f"<p>{esc(contest)}: {int(ordered['significant'].fillna(False).astype(bool).sum()):,} of {len(ordered):,} "
        "region x party rows differ significantly (official share outside the observers' interval); largest gaps "
        "first (every contest: query marts.discrepancy_region).</p>"
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
                ("official_share_pct", "share % official", fmt_pct),
                ("observer_share_pct", "share % observers", fmt_pct),
                ("share_gap_pp", "gap pp", fmt_signed),
                ("observer_ci_low", "95% low", fmt_pct),
                ("observer_ci_high", "95% high", fmt_pct),
                ("significant", "significant", fmt_bool),
            ],
            limit=25,
        )
    )
    parts.append("<p class='src'>marts.discrepancy_region (region NULL = all the observers' precincts).</p>")
    parts.append(observer_effect_html(ctx))
    return Section("regions", title, "".join(parts), figures)


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
        where = _region_plain(ctx, best)
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


def threshold(ctx: ReportContext) -> Section:
    """Which parties pass the threshold on the official count and on the observers' estimate."""
    title = "Threshold check"
    try:
        rows = election_rows(ctx, "marts.threshold_check", order="contest, official_share_pct desc")
    except Missing as m:
        return Section("threshold", title, note(str(m)))
    differ = rows[rows["passes_official"].astype("boolean") != rows["passes_observer"].astype("boolean")]
    lead = (
        f"<p class='warn'>{len(differ)} party result(s) pass on one count and fail on the other.</p>"
        if len(differ)
        else "<p>The official count and the observers' estimate agree on who passes.</p>"
    )
    table = html_table(
        rows,
        [
            ("contest", "contest", fmt_text),
            ("party", "party", ctx.party),
            ("threshold_pct", "threshold %", fmt_pct),
            ("official_share_pct", "share % official", fmt_pct),
            ("source", "observers", fmt_text),
            ("observer_share_pct", "share % observers", fmt_pct),
            ("passes_official", "passes (official)", fmt_bool),
            ("passes_observer", "passes (observers)", fmt_bool),
        ],
    )
    return Section("threshold", title, lead + table + "<p class='src'>marts.threshold_check.</p>")


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
            ("region_code", "region", lambda c: esc(_region_plain(ctx, c))),
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


def fmt_signed_int(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "–"
    return f"{int(value):+,}"


def forensics(ctx: ReportContext) -> Section:
    """The four forensic plots for the main contest and the forensic marts' figures for every contest."""
    from saylau import plots

    title = "Election forensics"
    parts = []
    figures = 0
    contest = ctx.main_contest
    if contest is None:
        return Section("forensics", title, note("not available yet: no contest with official results"))
    parts.append(
        f"<p>Plots for the contest <b>{esc(contest)}</b> (official precinct protocols); the tables below cover "
        "every contest. See docs/forensics.md for the methods.</p>"
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
        leader = _leader_of(ctx, contest)
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
    if table_exists(ctx.con, "core.int_precinct_protocols"):
        values = ctx.con.execute(
            "select 100 * turnout as turnout_pct, 100 * leader_share as share_pct from core.int_precinct_protocols "
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
            parts.append(note(f"not available yet: core.int_precinct_protocols is empty for {contest}"))
    else:
        parts.append(note("not available yet: core.int_precinct_protocols is missing"))
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
        leader = _leader_of(ctx, contest)
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
                    ("official_share_pct", "leader % official", fmt_pct),
                    ("clean_share_pct", "leader % without the anomaly", fmt_pct),
                ],
            )
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
                    ("turnout_leader_share_corr", "corr(turnout, leader share)", fmt_signed),
                    ("leader_share_mean_pct", "mean leader share %", lambda v: fmt_pct(v, 1)),
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
        "core.int_precinct_protocols.</p>"
    )
    return Section("forensics", title, "".join(parts), figures)


def data_quality(ctx: ReportContext) -> Section:
    """What was quarantined (refused) or flagged (kept) for this election, by table and rule."""
    title = "Data quality: what was set aside and why"
    parts = []
    quarantined = []
    for table in _tables(ctx.con, "quarantine"):
        columns = set(table_columns(ctx.con, table))
        if "election_id" not in columns:
            continue
        rule = "rule" if "rule" in columns else "'?'"
        severity = "severity" if "severity" in columns else "'reject'"
        reason = "any_value(reason)" if "reason" in columns else "null"
        source = "string_agg(distinct source_ref, ', ')" if "source_ref" in columns else "null"
        quarantined.append(
            ctx.con.execute(
                f"select '{table}' as table_name, {rule} as rule, {severity} as severity, count(*) as rows_, "
                f"{reason} as example_reason, {source} as sources from {table} where election_id = ? group by all",
                [ctx.election_id],
            ).df()
        )
    frame = pd.concat(quarantined) if quarantined else pd.DataFrame()
    parts.append("<h3>Quarantined rows (refused, kept with their reason)</h3>")
    if frame.empty:
        parts.append("<p>No row of this election was quarantined.</p>")
    else:
        frame = frame.sort_values("rows_", ascending=False)
        parts.append(
            html_table(
                frame,
                [
                    ("table_name", "table", fmt_text),
                    ("rule", "rule", fmt_text),
                    ("severity", "severity", fmt_text),
                    ("rows_", "rows", fmt_int),
                    ("example_reason", "example reason", fmt_text),
                    ("sources", "files", fmt_text),
                ],
            )
        )
    parts.append("<h3>Flagged rows (kept in core, marked by a soft rule)</h3>")
    if table_exists(ctx.con, "core.validation_flags"):
        flags = ctx.con.execute(
            "select table_name, rule, severity, count(*) as rows_, any_value(reason) as example_reason "
            "from core.validation_flags where election_id = ? group by all order by rows_ desc",
            [ctx.election_id],
        ).df()
        parts.append(
            "<p>No row of this election was flagged.</p>"
            if flags.empty
            else html_table(
                flags,
                [
                    ("table_name", "table", fmt_text),
                    ("rule", "rule", fmt_text),
                    ("severity", "severity", fmt_text),
                    ("rows_", "rows", fmt_int),
                    ("example_reason", "example reason", fmt_text),
                ],
            )
        )
    else:
        parts.append(note("not available yet: core.validation_flags is missing"))
    parts.append("<h3>Validation results of the runs that loaded this election</h3>")
    try:
        runs = election_run_ids(ctx)
        if not table_exists(ctx.con, "marts.data_quality"):
            raise Missing("not available yet: marts.data_quality is missing")
        dq = ctx.con.execute(
            "select * from marts.data_quality where list_contains(?, run_id) order by run_id, table_name, rule",
            [runs],
        ).df()
        if dq.empty:
            raise Missing(f"not available yet: marts.data_quality is empty for {ctx.election_id}")
        parts.append(
            html_table(
                dq,
                [
                    ("run_id", "run", lambda v: fmt_text(str(v)[:8])),
                    ("table_name", "table", fmt_text),
                    ("rule", "rule", fmt_text),
                    ("severity", "severity", fmt_text),
                    ("failed_rows", "rows", fmt_int),
                ],
            )
        )
    except Missing as m:
        parts.append(note(str(m)))
    parts.append("<p class='src'>quarantine.*, core.validation_flags, marts.data_quality.</p>")
    return Section("data-quality", title, "".join(parts))


def provenance(ctx: ReportContext) -> Section:
    """Which runs, code versions and source files / pages (with sha256 and fetch time) made these figures."""
    title = "Provenance"
    parts = []
    runs = election_run_ids(ctx)
    if table_exists(ctx.con, "meta.runs"):
        frame = ctx.con.execute(
            "select run_id, flow, started_at, finished_at, status, code_version, input_manifest_hash "
            "from meta.runs where list_contains(?, run_id) order by started_at desc",
            [runs],
        ).df()
        parts.append("<h3>Runs</h3>")
        if frame.empty:
            parts.append(note(f"not available yet: meta.runs has no run for {ctx.election_id}"))
        else:
            latest = frame.iloc[0]
            parts.append(
                f"<p>Latest run {esc(latest['run_id'])} ({esc(latest['flow'])}, {esc(latest['status'])}), code "
                f"version <code>{esc(latest['code_version'])}</code>.</p>"
            )
            parts.append(
                html_table(
                    frame,
                    [
                        ("run_id", "run", fmt_text),
                        ("flow", "flow", fmt_text),
                        ("started_at", "started (UTC)", fmt_time),
                        ("finished_at", "finished (UTC)", fmt_time),
                        ("status", "status", fmt_text),
                        ("code_version", "code version", fmt_text),
                        (
                            "input_manifest_hash",
                            "inputs sha256",
                            lambda v: fmt_text(str(v)[:16] if v else None),
                        ),
                    ],
                )
            )
    else:
        parts.append(note("not available yet: meta.runs is missing"))
    parts.append("<h3>Source files</h3>")
    files = _source_files(ctx, runs)
    parts.append(
        note(f"not available yet: raw.files / raw.observer_files hold no file for {ctx.election_id}")
        if files.empty
        else html_table(
            files,
            [
                ("kind", "kind", fmt_text),
                ("path", "file", fmt_text),
                ("sha256", "sha256", lambda v: f"<code>{esc(v)}</code>"),
                ("bytes", "bytes", fmt_int),
                ("read_at", "read (UTC)", fmt_time),
            ],
        )
    )
    parts.append("<h3>Pages fetched from the CEC site</h3>")
    pages = _source_pages(ctx, runs)
    parts.append(
        note(f"not available yet: raw.pages holds no page for {ctx.election_id}")
        if pages.empty
        else html_table(
            pages,
            [
                ("url", "URL", fmt_text),
                ("kind", "kind", fmt_text),
                ("sha256", "sha256", lambda v: f"<code>{esc(v)}</code>"),
                ("fetched_at", "fetched (UTC)", fmt_time),
            ],
            limit=200,
        )
    )
    parts.append(
        "<p class='src'>meta.runs, raw.files, raw.observer_files, raw.pages, raw.fetches. Every byte is kept in "
        "the archive under its sha256; <code>saylau rebuild</code> replays it.</p>"
    )
    return Section("provenance", title, "".join(parts))


SECTIONS: tuple[Callable[[ReportContext], Section], ...] = (
    key_figures,
    observer_summary,
    regions,
    turnout_timeline,
    threshold,
    precinct_discrepancies,
    forensics,
    data_quality,
    provenance,
)


# ---------------------------------------------------------------------------------------------- helpers


def _tables(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = ? order by 1", [schema]
    ).fetchall()
    return [f"{schema}.{r[0]}" for r in rows]


def _region_plain(ctx: ReportContext, code: str | None) -> str:
    if code is None or code in ("KZ", ""):
        return "All Kazakhstan"
    region = ctx.resolver.regions.get(code)
    return region.name_en if region else str(code)


def _leader_of(ctx: ReportContext, contest: str, rows: pd.DataFrame | None = None) -> str | None:
    """The contest's official leader (marts.election_totals), else the party with the top official share."""
    if table_exists(ctx.con, "marts.election_totals"):
        found = ctx.con.execute(
            "select leader from marts.election_totals where election_id = ? and contest = ?",
            [ctx.election_id, contest],
        ).fetchone()
        if found and found[0]:
            return found[0]
    if rows is not None and len(rows) and "official_share_pct" in rows:
        return rows.sort_values("official_share_pct", ascending=False)["party"].iloc[0]
    return None


def election_run_ids(ctx: ReportContext) -> list[str]:
    """Runs that loaded anything of this election (from the rows' run ids and the runs' parameters)."""
    sources = []
    for table in (
        "core.protocol_values",
        "core.turnout_official",
        "core.result_shares",
        "core.observer_turnout",
        "core.observer_violations",
        "core.validation_flags",
        "core.precinct_imports",
        *[t for t in _tables(ctx.con, "quarantine")],
    ):
        if table_exists(ctx.con, table) and {"run_id", "election_id"} <= set(table_columns(ctx.con, table)):
            sources.append(f"select distinct run_id from {table} where election_id = $e")
    if table_exists(ctx.con, "meta.runs"):
        sources.append(
            "select run_id from meta.runs where json_extract_string(parameters, '$.election_id') = $e"
        )
    if not sources:
        return []
    rows = ctx.con.execute(
        f"select distinct run_id from ({' union all '.join(sources)}) where run_id is not null order by 1",
        {"e": ctx.election_id},
    ).fetchall()
    return [r[0] for r in rows]


def _source_files(ctx: ReportContext, runs: list[str]) -> pd.DataFrame:
    frames = []
    if table_exists(ctx.con, "raw.files"):
        frames.append(
            ctx.con.execute(
                "select kind, path, sha256, bytes, read_at from raw.files where list_contains(?, run_id)",
                [runs],
            ).df()
        )
    if table_exists(ctx.con, "raw.observer_files"):
        frames.append(
            ctx.con.execute(
                "select o.kind, o.path, o.sha256, f.bytes, o.loaded_at as read_at from raw.observer_files as o "
                "left join raw.files as f using (sha256) where list_contains(?, o.run_id)",
                [runs],
            ).df()
        )
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames).drop_duplicates(["sha256", "path"]).sort_values(["kind", "path"])


def _source_pages(ctx: ReportContext, runs: list[str]) -> pd.DataFrame:
    if not table_exists(ctx.con, "raw.pages"):
        return pd.DataFrame()
    used = []
    for table in ("core.turnout_official", "core.result_shares", "core.protocol_values"):
        if table_exists(ctx.con, table):
            used.append(f"select distinct source_sha256 as sha256 from {table} where election_id = $e")
    fetched = (
        "(select max(requested_at) from raw.fetches as f where f.sha256 = p.sha256 and f.url = p.url)"
        if table_exists(ctx.con, "raw.fetches")
        else "p.first_seen_at"
    )
    sql = (
        f"select p.url, p.kind, p.sha256, coalesce({fetched}, p.first_seen_at) as fetched_at from raw.pages as p "
        f"where p.sha256 in ({' union '.join(used) or 'select null'}) or list_contains($runs, p.run_id) "
        "order by p.url, fetched_at"
    )
    return ctx.con.execute(sql, {"e": ctx.election_id, "runs": runs}).df()


def _main_contest(con: duckdb.DuckDBPyConnection, election_id: str) -> tuple[list[str], str | None]:
    """The election's contests, and the one the plots follow (most precincts, then most registered)."""
    contests = [
        r[0]
        for r in con.execute(
            "select contest_id from ref.contests where election_id = ? order by contest_id", [election_id]
        ).fetchall()
    ]
    main = None
    if table_exists(con, "marts.election_totals"):
        found = con.execute(
            "select contest from marts.election_totals where election_id = ? "
            "order by precincts desc nulls last, registered desc nulls last, contest limit 1",
            [election_id],
        ).fetchone()
        main = found[0] if found else None
    return contests, main or (contests[0] if contests else None)


# ---------------------------------------------------------------------------------------------- the page

STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;margin:0;color:#1d2430;
background:#f6f7f9;line-height:1.45}
header{background:#1f4e79;color:#fff;padding:1.2rem 2rem}
header h1{margin:0 0 .3rem;font-size:1.6rem}header p{margin:.1rem 0;opacity:.9}header .local{color:#dbe7f5}
nav{background:#fff;border-bottom:1px solid #dde2ea;padding:.5rem 2rem;font-size:.9rem}
nav a{margin-right:1rem;color:#1f4e79;text-decoration:none}
main{max-width:1100px;margin:0 auto;padding:1rem 2rem 3rem}
section{background:#fff;border:1px solid #dde2ea;border-radius:6px;padding:1rem 1.4rem;margin:1rem 0;overflow-x:auto}
h2{margin:.2rem 0 .8rem;color:#1f4e79;font-size:1.3rem}h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.4rem 0}
th,td{border-bottom:1px solid #e6e9ef;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#f0f3f7}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.local{color:#667085;font-size:.85em}.place{display:inline-block;min-width:10rem}.code{color:#98a2b3;font-size:.8em}
.na{background:#fff8e6;border-left:4px solid #f0b429;padding:.4rem .7rem;color:#6b4e00}
.warn{color:#a4262c;font-weight:600}.nowrap{white-space:nowrap}.yes{color:#1a7f37}.no{color:#a4262c}
.src,.more{color:#667085;font-size:.8rem}
.cards{display:flex;flex-wrap:wrap;gap:.8rem}.card{flex:1 1 220px;border:1px solid #dde2ea;border-radius:6px;
padding:.6rem .9rem}.card h3{margin:0}.card p{margin:.1rem 0}.big{font-size:1.6rem;font-weight:700;color:#1f4e79}
figure{margin:.8rem 0}figure img{max-width:100%;height:auto;display:block}
figcaption{font-size:.85rem;color:#475467;margin-top:.3rem}code{font-size:.8rem;word-break:break-all}
footer{text-align:center;color:#667085;font-size:.8rem;padding:1rem}
"""


def render_html(ctx: ReportContext, sections: Iterable[Section], generated_at: datetime) -> str:
    """The whole page as one HTML string (no external resource of any kind)."""
    sections = list(sections)
    nav = "".join(f"<a href='#{s.id}'>{esc(s.title)}</a>" for s in sections)
    body = "".join(
        f"<section id='{s.id}' data-section='{s.id}'><h2>{esc(s.title)}</h2>{s.body}</section>"
        for s in sections
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{esc(ctx.name_en)}: saylau report</title><style>{STYLE}</style></head><body>"
        f"<header><h1>{esc(ctx.name_en)}</h1><p>{ctx.names_local}</p>"
        f"<p>Election {esc(ctx.election_id)}, held {ctx.election_date:%d %B %Y}. Official results against "
        "independent observers' evidence.</p></header>"
        f"<nav>{nav}</nav><main>{body}</main>"
        f"<footer>Built by saylau from the published database at {generated_at:%Y-%m-%d %H:%M} UTC. "
        "Shares follow each contest's own rule (valid ballots for elections, all ballots cast for "
        "referendums); turnout = voters who received ballots / voters on the final list.</footer>"
        "</body></html>"
    )


@dataclass
class ReportResult:
    """A written report: where it is, what it holds and how long it took."""

    election_id: str
    path: Path
    sections: list[Section]
    seconds: float

    @property
    def figures(self) -> int:
        return sum(s.figures for s in self.sections)

    @property
    def unavailable(self) -> list[str]:
        """The sections (ids) that show a 'not available yet' note somewhere."""
        return [s.id for s in self.sections if "class='na'" in s.body]


def report_context(con: duckdb.DuckDBPyConnection, election_id: str) -> ReportContext:
    """The context of one election's report (raises :class:`ReportError` for an unknown election)."""
    row = con.execute(
        "select election_date, name_en, name_kk, name_ru from ref.elections where election_id = ?",
        [election_id],
    ).fetchone()
    if row is None:
        raise ReportError(f"election {election_id!r} is not in ref.elections of the published database")
    election_date, name_en, name_kk, name_ru = row
    contests, main = _main_contest(con, election_id)
    local = " / ".join(esc(n) for n in (name_kk, name_ru) if n)
    return ReportContext(
        con,
        election_id,
        election_date,
        name_en,
        f"<span class='local'>{local}</span>",
        contests=contests,
        main_contest=main,
    )


def build_report(published_db: Path, election_id: str, report_dir: Path) -> ReportResult:
    """Write ``report_dir/<election_id>/index.html`` from the published database (opened read-only)."""
    started = time.perf_counter()
    published_db = Path(published_db)
    if not published_db.exists():
        raise ReportError(f"no published database at {published_db} (run a flow, or `saylau publish`, first)")
    with open_published(published_db) as con:
        ctx = report_context(con, election_id)
        sections = [make(ctx) for make in SECTIONS]
    page = render_html(ctx, sections, datetime.now(UTC))
    target = Path(report_dir) / election_id / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".html.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(target)
    return ReportResult(election_id, target, sections, time.perf_counter() - started)


def reportable_elections(published_db: Path) -> list[str]:
    """Elections the published database holds any figure for (official, observers' or turnout bulletins)."""
    with open_published(Path(published_db)) as con:
        sources = [
            f"select distinct election_id from {t}"
            for t in ("core.protocol_values", "core.turnout_official", "core.observer_turnout")
            if table_exists(con, t)
        ]
        if not sources:
            return []
        rows = con.execute(
            f"select distinct election_id from ({' union '.join(sources)}) order by 1"
        ).fetchall()
    return [r[0] for r in rows]


def build_reports(
    published_db: Path, report_dir: Path, election_ids: Sequence[str] | None = None
) -> list[ReportResult]:
    """One report per election (every election with figures when ``election_ids`` is None)."""
    ids = list(election_ids) if election_ids else reportable_elections(published_db)
    return [build_report(published_db, e, report_dir) for e in ids]
