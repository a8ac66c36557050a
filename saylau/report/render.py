"""The report's HTML: escaping, cell formatters, tables, figures, notes, the style sheet and the page.

Nothing here reads the database: a section hands its rows to :func:`html_table` and its PNGs to
:func:`figure`, and :func:`render_html` puts the sections into one self-contained page.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from saylau.report.data import ReportContext

MAX_TABLE_ROWS = 60
# The project's public documentation: the report is mailed and printed, so it links there, never to a path.
DOCS_BASE_URL = "https://github.com/saylau/saylau/blob/main/docs/"
# Display names of the contests of the report being built (contest id -> "Mazhilis (party list)"), set by
# build_report for the tables' contest columns.
CONTEST_NAMES: ContextVar[Mapping[str, str]] = ContextVar("CONTEST_NAMES", default=MappingProxyType({}))


@dataclass
class Section:
    """One section of the report: its anchor id, heading and HTML body."""

    id: str
    title: str
    body: str
    figures: int = 0
    appendix: bool = False  # shown collapsed at the end of the page (<details>), not printed unless opened


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def note(text: str) -> str:
    return f"<p class='na'>{esc(text)}</p>"


def doc_link(page: str, text: str | None = None, anchor: str = "") -> str:
    """A link to one page of the project's public docs (``page`` like 'forensics.md')."""
    url = DOCS_BASE_URL + page + (f"#{anchor}" if anchor else "")
    return f"<a href='{esc(url)}'>{esc(text or page)}</a>"


def fmt_contest(value: object) -> str:
    """A contest by its display name (the id where the report knows no name)."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "–"
    return esc(CONTEST_NAMES.get().get(str(value), value))


# ---------------------------------------------------------------------------------------------- cells


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


def fmt_signed_int(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "–"
    return f"{int(value):+,}"


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


def fmt_sha(value: object) -> str:
    return f"<code>{esc(value)}</code>"


Column = tuple[str, str, Callable[[object], str]]  # (column, header, formatter returning HTML)


def html_table(frame: pd.DataFrame, columns: Sequence[Column], limit: int = MAX_TABLE_ROWS) -> str:
    """An HTML table of ``frame`` (first ``limit`` rows, with a line saying how many were left out)."""
    numeric = {fmt_int, fmt_pct, fmt_signed, fmt_signed_int}
    # a contest column shows the contest's display name
    columns = [(c, h, fmt_contest if c == "contest" and f is fmt_text else f) for c, h, f in columns]
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
    return (
        f"<div class='tablewrap'><table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        f"</div>{more}"
    )


def figure(png: bytes, alt: str, caption: str) -> str:
    """A figure with the PNG inlined as a data URL and a caption saying what a clean election looks like."""
    data = base64.b64encode(png).decode("ascii")
    return (
        f"<figure><img src='data:image/png;base64,{data}' alt='{esc(alt)}'>"
        f"<figcaption>{caption}</figcaption></figure>"
    )


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
.tablewrap{overflow-x:auto;max-width:100%}td{overflow-wrap:anywhere}
.soft{color:#8a5a00;font-weight:600}.design{color:#475467;font-style:italic}
details.appendix>summary{cursor:pointer;color:#1f4e79;font-size:1.3rem;font-weight:600}
@page{size:A4;margin:11mm 9mm}
@media print{
body{background:#fff;font-size:8pt;line-height:1.25}
header{background:none;color:#000;padding:0 0 3pt;border-bottom:1pt solid #1f4e79}
header h1{font-size:14pt}header .local{color:#475467}
nav{display:none}details.appendix>summary{font-size:9pt}
main{max-width:none;padding:0;margin:0}
section{border:0;border-radius:0;padding:0;margin:0 0 6pt;overflow:visible}
h2{font-size:11pt;margin:6pt 0 3pt;break-after:avoid}h3{font-size:9pt;margin:5pt 0 2pt;break-after:avoid}
p{margin:2pt 0}.tablewrap{overflow:visible}
table{font-size:6.5pt;margin:2pt 0;width:100%;table-layout:auto}
th,td{padding:.5pt 2pt;line-height:1.15}thead{display:table-header-group}tr{break-inside:avoid}
td .local,th .local,td .code{display:none}.place{min-width:0}
.cards{gap:4pt}.card{flex:1 1 150px;padding:2pt 5pt}.big{font-size:11pt}
figure{margin:3pt 0;break-inside:avoid;display:inline-block;width:49%;vertical-align:top}
figure img{max-height:6.2cm;width:auto;max-width:100%}figcaption{font-size:6.5pt;margin-top:1pt}
.src,.more{font-size:6pt}footer{font-size:6pt;padding:2pt}
code{font-size:6pt}a{color:inherit}
#method{columns:2;column-gap:10pt;font-size:7pt}#method h2{column-span:all}
#method ul{margin:1pt 0;padding-left:10pt}
}
"""


def render_html(ctx: ReportContext, sections: Iterable[Section], generated_at: datetime) -> str:
    """The whole page as one HTML string (no external resource of any kind)."""
    sections = list(sections)
    nav = "".join(f"<a href='#{s.id}'>{esc(s.title)}</a>" for s in sections)
    body = "".join(
        f"<section id='{s.id}' data-section='{s.id}'><details class='appendix'><summary>{esc(s.title)}"
        f"</summary>{s.body}</details></section>"
        if s.appendix
        else f"<section id='{s.id}' data-section='{s.id}'><h2>{esc(s.title)}</h2>{s.body}</section>"
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
