"""Provenance: the runs, code versions and source files and pages (sha256, fetch time) behind the figures."""

from __future__ import annotations

from pathlib import PurePath

from saylau.report.data import ReportContext, election_run_ids, source_files, source_pages
from saylau.report.render import Section, esc, fmt_int, fmt_sha, fmt_text, fmt_time, html_table, note
from saylau.warehouse import table_exists


def provenance(ctx: ReportContext) -> Section:
    """Which runs, code versions and source files / pages (with sha256 and fetch time) made these figures."""
    title = "Appendix: provenance (runs, files and pages behind the figures)"
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
    files = source_files(ctx, runs)
    parts.append(
        note(f"not available yet: raw.files / raw.observer_files hold no file for {ctx.election_id}")
        if files.empty
        else html_table(
            files,
            [
                ("kind", "kind", fmt_text),
                # the file's name only: the folder it was loaded from is the loading machine's business
                ("path", "file", lambda v: fmt_text(PurePath(str(v)).name if v else None)),
                ("sha256", "sha256", fmt_sha),
                ("bytes", "bytes", fmt_int),
                ("read_at", "read (UTC)", fmt_time),
            ],
        )
    )
    parts.append("<h3>Pages fetched from the CEC site</h3>")
    pages = source_pages(ctx, runs)
    parts.append(
        note(f"not available yet: raw.pages holds no page for {ctx.election_id}")
        if pages.empty
        else html_table(
            pages,
            [
                ("url", "URL", fmt_text),
                ("kind", "kind", fmt_text),
                ("sha256", "sha256", fmt_sha),
                ("fetched_at", "fetched (UTC)", fmt_time),
            ],
            limit=200,
        )
    )
    parts.append(
        "<p class='src'>meta.runs, raw.files, raw.observer_files, raw.pages, raw.fetches. Every byte is kept in "
        "the archive under its sha256; <code>saylau rebuild</code> replays it.</p>"
    )
    return Section("provenance", title, "".join(parts), appendix=True)
