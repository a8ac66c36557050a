"""``quarantine.cec_figures``: the figures of CEC pages set aside by the parsers (:mod:`saylau.parse.setaside`).

:func:`figure_rows` turns a parsed page's set-aside figures into rows of :data:`CEC_FIGURE_COLUMNS`;
:func:`write_figures` inserts them (staging calls both, in the transaction that stages the page's rows).
"""

from __future__ import annotations

import duckdb

from saylau.parse.cec_page import ParsedPage
from saylau.scrape.fetchlog import insert_rows

CEC_FIGURE_COLUMNS = [
    "election_id",
    "contest_id",
    "url",
    "sha256",
    "lang",
    "as_of",
    "kind",
    "subject",
    "text",
    "reason",
    "run_id",
    "rule",
    "level",
    "unit_id",
    "line",
    "option_id",
    "value",
    "share_pct",
    "status",
]


def figure_rows(parsed: ParsedPage, run_id: str | None) -> list[tuple]:
    """One row (in the order of :data:`CEC_FIGURE_COLUMNS`) per figure the page's parser set aside."""
    return [
        (
            parsed.election_id,
            f.contest_id,
            parsed.url,
            parsed.sha256,
            parsed.lang,
            f.as_of,
            f.kind,
            f.subject,
            f.text,
            f.reason,
            run_id,
            f.rule,
            f.level,
            f.unit_id,
            f.line,
            f.option_id,
            f.value,
            f.share_pct,
            f.status,
        )
        for f in parsed.set_aside
    ]


def write_figures(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    """Insert set-aside figures (rows of :func:`figure_rows`); nothing for none."""
    if rows:
        insert_rows(con, "quarantine.cec_figures", CEC_FIGURE_COLUMNS, rows)
