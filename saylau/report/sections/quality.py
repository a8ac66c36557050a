"""Data quality: what was quarantined (refused) or flagged (kept) for the election, by table and rule."""

from __future__ import annotations

import pandas as pd

from saylau.report.data import Missing, ReportContext, election_run_ids, quarantine_tables, table_columns
from saylau.report.render import Section, fmt_int, fmt_text, html_table, note
from saylau.warehouse import table_exists


def data_quality(ctx: ReportContext) -> Section:
    """What was quarantined (refused) or flagged (kept) for this election, by table and rule."""
    title = "Data quality: what was set aside and why"
    parts = []
    quarantined = []
    for table in quarantine_tables(ctx.con):
        columns = set(table_columns(ctx.con, table))
        rule = "rule" if "rule" in columns else "'?'"
        severity = "severity" if "severity" in columns else "'reject'"
        reason = "any_value(reason)" if "reason" in columns else "null"
        # the files' names only (the folder they were loaded from is the loading machine's business)
        source = (
            "string_agg(distinct regexp_extract(source_ref, '[^/\\\\]+$'), ', ')"
            if "source_ref" in columns
            else "null"
        )
        contest = "contest_id" if "contest_id" in columns else "null"
        quarantined.append(
            ctx.con.execute(
                f"select '{table}' as table_name, {contest} as contest, {rule} as rule, {severity} as severity, "
                f"count(*) as rows_, {reason} as example_reason, {source} as sources from {table} "
                "where election_id = ? group by all",
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
                    ("contest", "contest", fmt_text),
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
            "select table_name, contest_id as contest, rule, severity, count(*) as rows_, "
            "any_value(reason) as example_reason "
            "from core.validation_flags where election_id = ? group by all order by rows_ desc, contest",
            [ctx.election_id],
        ).df()
        parts.append(
            "<p>No row of this election was flagged.</p>"
            if flags.empty
            else html_table(
                flags,
                [
                    ("table_name", "table", fmt_text),
                    ("contest", "contest", fmt_text),
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
