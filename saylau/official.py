"""The CEC's staged figures into core: one figure per fact, validated, disagreements quarantined.

The CEC publishes each bulletin and communique in Russian, Kazakh and English. The three versions of one
figure count once in core (the Russian page is cited first, then Kazakh, then English); where the versions
disagree, no version is trusted: all go to quarantine with the rule ``languages_disagree``.
Core holds what each page's latest version states: every run re-derives from staging the units whose
pages changed (all of them in a rebuild), and both give the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from saylau.crashpoints import crashpoint
from saylau.load import store
from saylau.load.store import store_counts, store_protocols, store_rejected
from saylau.reference import default_resolver
from saylau.validate import Validated, validate_frame
from saylau.warehouse import insert_frame, table_exists
from schemas.official import official_protocol_schema, shares_schema, turnout_schema

LANGUAGE_ORDER = {"rus": 0, "kaz": 1, "eng": 2}

# A page corrected after publication keeps its earlier versions in staging (and the archive); core takes
# each page's latest version only: the version fetched last (a correction the CEC reverted counts as
# reverted), among those that did not fail to parse (a page whose new layout breaks the parser keeps its
# last good figures in core while the run reports the failure).
LATEST_PAGES = """
select url, arg_max(sha256, seen) as sha256
from (
    select url, sha256, first_seen_at as seen from raw.pages where parse_status is distinct from 'failed'
    union all
    select f.url, f.sha256, f.requested_at
    from raw.fetches as f
    inner join raw.pages as p
        on p.url = f.url and p.sha256 = f.sha256 and p.parse_status is distinct from 'failed'
    where f.status = 200 and f.sha256 is not null
)
group by url
"""
_LATEST_VERSION = "inner join _latest_pages as v on v.url = t.url and v.sha256 = t.sha256"
# the units a promotion re-validates (promote_official): all of the election's, or those in _units
_IN_UNITS = (
    "exists (select 1 from _units as u where u.contest_id = {t}.contest_id and u.level = {t}.level "
    "and u.unit_id = {t}.unit_id)"
)


@dataclass
class PromotionSummary:
    turnout_rows: int = 0
    protocol_rows: int = 0
    share_rows: int = 0
    quarantined: int = 0
    units: int | None = None  # result units re-validated; None: every unit of the election
    inconsistent: list[str] = field(default_factory=list)  # figures of a page that contradict each other


def _collapse_languages(
    staged: pd.DataFrame, key: list[str], value: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per key with the languages that state it; keys whose language versions disagree set apart."""
    if staged.empty:
        empty = staged.rename(columns={"url": "source_ref", "sha256": "source_sha256"})
        return empty.assign(languages=pd.Series(dtype=str)), staged.iloc[0:0]
    staged = staged.assign(_order=staged["lang"].map(LANGUAGE_ORDER).fillna(9))
    grouped = staged.groupby(key, dropna=False)
    distinct = grouped[value].transform("nunique")
    conflict = staged[distinct > 1].drop(columns="_order")
    agreed = staged[distinct <= 1].sort_values([*key, "_order"])
    first = (
        agreed.assign(languages=_languages_of_keys(agreed, key))
        .drop_duplicates(key, keep="first")
        .drop(columns="_order")
    )
    return first.rename(columns={"url": "source_ref", "sha256": "source_sha256"}), conflict


def _languages_of_keys(rows: pd.DataFrame, key: list[str]) -> pd.Series:
    """For each row, the languages stating its key, sorted and comma-joined ("eng,kaz,rus").

    Vectorised: each language is a bit, OR-ed per key (a Python function per key took minutes for the
    100,000 precincts of a 10x election)."""
    if rows.empty:
        return pd.Series([], index=rows.index, dtype=object)
    names = sorted(set(rows["lang"]))
    bits = {name: 1 << i for i, name in enumerate(names)}
    group = rows.groupby(key, dropna=False, sort=False).ngroup().to_numpy()
    masks = np.zeros(group.max() + 1, dtype=object if len(names) > 62 else np.int64)
    np.bitwise_or.at(masks, group, rows["lang"].map(bits).to_numpy(dtype=masks.dtype))
    per_key = masks[group]
    labels = {m: ",".join(n for n in names if bits[n] & m) for m in set(per_key.tolist())}
    return pd.Series([labels[m] for m in per_key.tolist()], index=rows.index, dtype=rows["lang"].dtype)


def _quarantine_conflicts(
    con, table: str, conflict: pd.DataFrame, value: str, key: list[str], run_id: str
) -> int:
    if conflict.empty:
        return 0
    rows = conflict.rename(columns={"url": "source_ref", "sha256": "source_sha256"}).copy()
    rows["rule"] = "languages_disagree"
    rows["severity"] = "reject"
    rows["failing_values"] = rows["lang"] + ": " + rows[value].astype(str)
    rows["reason"] = "the language versions of the page state different figures"
    rows["row_position"] = range(len(rows))
    validated = Validated(
        good=rows.iloc[0:0],
        rejected=rows,
        flags=pd.DataFrame(),
        counts=pd.DataFrame(
            [
                {
                    "table_name": table,
                    "rule": "languages_disagree",
                    "severity": "reject",
                    "failed_rows": rows.groupby(key, dropna=False).ngroups,
                }
            ]
        ),
        table_name=table,
    )
    store_rejected(con, table, validated, run_id)
    store_counts(con, validated, run_id)
    return len(rows)


def promote_official(
    con: duckdb.DuckDBPyConnection, election_id: str, run_id: str, incremental: bool = True
) -> PromotionSummary:
    """Validate the staged CEC figures of an election and replace its official rows in core.

    Core holds, for every unit, what the latest version of the CEC's pages states, validated. The turnout
    bulletins are always re-validated whole (a few hundred rows). Results are re-validated for the units
    (contest, level, unit) stated on a page whose latest version changed since the last finished promotion
    (``meta.promoted_pages``), before and after the change; with ``incremental=False``, or when the
    election was never promoted, for every unit. Either way the units' core rows, quarantine and flags are
    replaced, so promoting again (a later run, a run after a crash) never logs a rejection twice, and the
    result equals a promotion of everything.
    """
    summary = PromotionSummary()
    pages = latest_pages_fingerprint(con)
    con.execute(f"create or replace temp table _latest_pages as {LATEST_PAGES}")
    units = _changed_units(con, election_id) if incremental else None
    day = con.execute(
        "select election_date from ref.elections where election_id = ?", [election_id]
    ).fetchone()[0]
    regions = [c for c, r in default_resolver().regions.items() if r.exists_on(day)]

    # turnout bulletins
    staged = con.execute(
        f"select t.* from staging.cec_turnout as t {_LATEST_VERSION} where t.election_id = ?", [election_id]
    ).df()
    _delete_quarantine(con, "cec_turnout", election_id)
    key = ["election_id", "region_code", "as_of"]
    agreed, conflict = _collapse_languages(staged, key, "turnout_pct")
    summary.quarantined += _quarantine_conflicts(con, "cec_turnout", conflict, "turnout_pct", key, run_id)
    checked = validate_frame(
        agreed[[*key, "turnout_pct", "source_ref", "source_sha256", "languages"]],
        turnout_schema(regions),
        "cec_turnout",
        key,
    )
    store_rejected(con, "cec_turnout", checked, run_id)
    store_counts(con, checked, run_id)
    summary.quarantined += checked.rejected_rows
    con.execute("delete from core.turnout_official where election_id = ?", [election_id])
    if len(checked.good):
        insert_frame(con, "core.turnout_official", checked.good.assign(run_id=run_id))
    summary.turnout_rows = len(checked.good)
    crashpoint("promote.turnout")

    # results: counts as protocols, percentages as shares, per contest. Every official row of the units
    # re-validated that came from a CEC page is written again: rows of a page's earlier version (a corrected
    # communique) must not stay beside its latest (rows imported from precinct tables are not pages).
    where_units = "" if units is None else " and " + _IN_UNITS.format(t="t")
    for table in ("cec_results", "cec_shares"):
        _delete_quarantine(con, table, election_id, units is not None)
    _delete_page_rows(con, election_id, units is not None)
    staged = con.execute(
        f"select t.* from staging.cec_results as t {_LATEST_VERSION} where t.election_id = ?{where_units}",
        [election_id],
    ).df()
    for contest_id, part in staged.groupby("contest_id"):
        options = [
            r[0]
            for r in con.execute(
                "select option_id from ref.ballot_options where election_id = ? and contest_id = ?",
                [election_id, contest_id],
            ).fetchall()
        ]
        kind = con.execute(
            "select kind from ref.contests where election_id = ? and contest_id = ?",
            [election_id, contest_id],
        ).fetchone()[0]
        key = ["election_id", "contest_id", "level", "unit_id", "line", "option_id", "status", "as_of"]
        counts = part[part["value"].notna()]
        agreed, conflict = _collapse_languages(counts, key, "value")
        summary.quarantined += _quarantine_conflicts(con, "cec_results", conflict, "value", key, run_id)
        summary.protocol_rows += _store_counts_as_protocols(con, agreed, options, kind, run_id)
        shares = part[part["share_pct"].notna()]
        agreed, conflict = _collapse_languages(shares, key, "share_pct")
        summary.quarantined += _quarantine_conflicts(con, "cec_results", conflict, "share_pct", key, run_id)
        checked = validate_frame(
            agreed[[*key, "region_code", "share_pct", "source_ref", "source_sha256", "languages"]],
            shares_schema(options),
            "cec_shares",
            key,
        )
        store_rejected(con, "cec_shares", checked, run_id)
        store_counts(con, checked, run_id)
        summary.quarantined += checked.rejected_rows
        con.execute(
            "delete from core.result_shares as t where election_id = ? and contest_id = ?" + where_units,
            [election_id, contest_id],
        )
        if len(checked.good):
            insert_frame(con, "core.result_shares", checked.good.assign(run_id=run_id))
        summary.share_rows += len(checked.good)
    con.execute("begin transaction")
    con.execute("delete from meta.promoted_pages where election_id = ?", [election_id])
    con.execute("insert into meta.promoted_pages select ?, url, sha256 from _latest_pages", [election_id])
    con.execute(
        "insert or replace into meta.promotions values (?, ?, ?, now())", [election_id, pages, run_id]
    )
    con.execute("commit")
    summary.units = units
    summary.inconsistent = check_levels(con, election_id, run_id)
    return summary


REGIONS_ABOVE_NATIONAL = "regions_above_national"
VOTES_ABOVE_BALLOTS = "votes_above_ballots"  # schemas.protocol.votes_above_ballots

# One page's regions that add up to more than its national figure, for a line or an option's votes (the
# latest version of every page; a page that states both levels contradicts itself).
_LEVELS = """
with page as (
    select v.contest_id, v.level, v.unit_id, v.line, v.option_id, v.value, v.status, v.as_of,
           v.source_ref, v.source_sha256
    from core.protocol_values as v
    join _latest_pages as p on p.url = v.source_ref and p.sha256 = v.source_sha256
    where v.election_id = ? and v.source = 'official' and v.level in ('national', 'region')
),
regions as (
    select contest_id, line, option_id, source_ref, source_sha256, sum(value) as regions_value,
           count(*) as regions
    from page where level = 'region'
    group by all
)
select n.contest_id, n.unit_id, n.line, n.option_id, n.value, r.regions_value, r.regions, n.source_ref,
       n.source_sha256
from page as n
join regions as r
    on r.contest_id = n.contest_id and r.line = n.line and r.option_id is not distinct from n.option_id
   and r.source_ref = n.source_ref and r.source_sha256 = n.source_sha256
where n.level = 'national' and r.regions_value > n.value
order by n.contest_id, n.line, n.option_id, n.source_ref
"""


def check_levels(con: duckdb.DuckDBPyConnection, election_id: str, run_id: str) -> list[str]:
    """The election's official figures that contradict each other, one line each for the run's failures
    (the latest version of every page, whatever this promotion re-validated):

    - a unit whose votes add up to more than its own ballots: quarantined by its validation
      (``votes_above_ballots`` in ``quarantine.cec_results``, with the page), listed here while it stays;
    - regions adding up to more than the national figure the same page states beside them: the national
      row is flagged (``regions_above_national``; which level is wrong the page does not say, so neither
      is set aside).
    """
    problems = _votes_above_ballots(con, election_id)
    con.execute(
        "delete from core.validation_flags where table_name = 'cec_results' and rule = ? and election_id = ?",
        [REGIONS_ABOVE_NATIONAL, election_id],
    )
    rows = con.execute(_LEVELS, [election_id]).fetchall()
    flags = []
    for contest, unit, line, option, value, summed, regions, url, sha in rows:
        what = f"{option} votes" if line == "votes" and option else line
        text = f"{regions} regions add up to {summed:,}, above the national {value:,} ({what}, {contest})"
        problems.append(f"{url}: {text}")
        flags.append(
            [run_id, REGIONS_ABOVE_NATIONAL, f"national={value}, regions={summed}", text, election_id, contest,
             unit, url, sha]
        )  # fmt: skip
    if flags:
        con.executemany(
            "insert into core.validation_flags (table_name, run_id, rule, severity, failing_values, reason, "
            "election_id, contest_id, source, level, unit_id, source_ref, source_sha256) "
            "values ('cec_results', ?, ?, 'flag', ?, ?, ?, ?, 'official', 'national', ?, ?, ?)",
            flags,
        )
    return problems


def _votes_above_ballots(con: duckdb.DuckDBPyConnection, election_id: str) -> list[str]:
    """One line per unit of a page quarantined for votes above its own ballots."""
    if not table_exists(con, "quarantine.cec_results"):
        return []
    rows = con.execute(
        "select * from quarantine.cec_results where election_id = ? and rule = ?",
        [election_id, VOTES_ABOVE_BALLOTS],
    ).df()
    problems = []
    for r in rows.sort_values(["source_ref", "contest_id", "level", "unit_id"]).itertuples():
        values = getattr(r, "failing_values", None) or ""
        problems.append(
            f"{r.source_ref}: {r.level} {r.unit_id} states more votes than its ballots ({values}; "
            f"{r.contest_id}), quarantined ({VOTES_ABOVE_BALLOTS})"
        )
    return problems


def _changed_units(con: duckdb.DuckDBPyConnection, election_id: str) -> int | None:
    """Into temp table ``_units``: (contest_id, level, unit_id) stated on a page version that became, or
    stopped being, a page's latest since the election's last finished promotion. Returns how many, or
    None when the election was never promoted (every unit)."""
    if not con.execute(
        "select count(*) from meta.promotions where election_id = ?", [election_id]
    ).fetchone()[0]:
        return None
    con.execute(
        """
        create or replace temp table _units as
        with before as (select url, sha256 from meta.promoted_pages where election_id = $e),
        added as (select url, sha256 from _latest_pages except select url, sha256 from before),
        dropped as (select url, sha256 from before except select url, sha256 from _latest_pages),
        changed as (select * from added union select * from dropped)
        select distinct r.contest_id, r.level, r.unit_id
        from staging.cec_results as r
        inner join changed as c on c.url = r.url and c.sha256 = r.sha256
        where r.election_id = $e
        """,
        {"e": election_id},
    )
    return con.execute("select count(*) from _units").fetchone()[0]


def _delete_quarantine(
    con: duckdb.DuckDBPyConnection, table: str, election_id: str, in_units: bool = False
) -> None:
    """Remove the election's rows (of the units re-validated) from a CEC quarantine table, if it exists."""
    if table_exists(con, f"quarantine.{table}"):
        where = " and " + _IN_UNITS.format(t="t") if in_units else ""
        con.execute(f"delete from quarantine.{table} as t where election_id = ?{where}", [election_id])


def _delete_page_rows(con: duckdb.DuckDBPyConnection, election_id: str, in_units: bool = False) -> None:
    """Remove the election's official protocol values and cec_results flags (of the units re-validated)
    that were parsed from a CEC page, any version, so promotion writes them again from the latest only."""
    units = " and " + _IN_UNITS.format(t="t") if in_units else ""
    from_pages = (
        "t.election_id = ? and t.source = 'official' "
        "and exists (select 1 from raw.pages as p where p.url = t.source_ref and p.sha256 = t.source_sha256)"
    )
    store.clear(con, store.Scope(from_pages + units, [election_id]))
    con.execute(
        "delete from core.validation_flags as t where t.table_name = 'cec_results' and t.election_id = ?"
        + units,
        [election_id],
    )


def latest_pages_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """The page versions promotion reads (the latest of every URL), as a count and an order-free hash."""
    count, digest = con.execute(
        f"select count(*), coalesce(bit_xor(hash(url, sha256)), 0) from ({LATEST_PAGES})"
    ).fetchone()
    return f"{count}:{digest}"


def pending_promotions(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Elections with staged CEC figures whose last finished promotion read other page versions than the
    latest (or that were never promoted): a run killed or failed between staging and the end of promotion
    left their core rows behind staging."""
    pages = latest_pages_fingerprint(con)
    return [
        r[0]
        for r in con.execute(
            "select s.election_id from (select election_id from staging.cec_turnout "
            "union select election_id from staging.cec_results) as s "
            "left join meta.promotions as p using (election_id) "
            "where p.pages is distinct from ? order by 1",
            [pages],
        ).fetchall()
    ]


def _store_counts_as_protocols(con, agreed: pd.DataFrame, options: list[str], kind: str, run_id: str) -> int:
    if agreed.empty:
        return 0
    agreed = agreed.assign(column=agreed["option_id"].where(agreed["line"] == "votes", agreed["line"]))
    index = [
        "election_id",
        "contest_id",
        "level",
        "unit_id",
        "region_code",
        "status",
        "as_of",
        "source_ref",
        "source_sha256",
    ]
    # one wide row per unit and version; the key may hold NULLs (no region nationally), so group by number
    agreed = agreed.assign(_row=agreed.groupby(index, dropna=False, sort=True).ngroup())
    keys = agreed.drop_duplicates("_row").set_index("_row")[index]
    values = agreed.pivot_table(index="_row", columns="column", values="value", aggfunc="first")
    wide = keys.join(values).reset_index(drop=True)
    wide.columns.name = None
    wide.insert(2, "source", "official")
    for column in values.columns:
        wide[column] = wide[column].astype("Int64")
    contest_kind = "referendum" if kind == "referendum" else "party_list"
    validated = validate_frame(wide, official_protocol_schema(contest_kind, options), "cec_results")
    # promotion removed the units' rows, quarantine and flags itself: the page (source) may state other units
    store_protocols(con, "cec_results", validated, run_id, replace_by_source=False)
    return len(validated.good)
