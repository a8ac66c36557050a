"""The report's data access: the election's context, its marts' rows, and where its figures came from.

Every section reads through these functions from the published database (opened read-only). A mart
that is missing, or has no rows for the election, raises :class:`Missing` with the note the section shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from saylau.reference import Resolver, default_resolver
from saylau.report.render import esc
from saylau.warehouse import table_exists, table_names


class ReportError(ValueError):
    """The report cannot be built: the database or the election is not there."""


class Missing(Exception):
    """A mart a section needs is missing or has no rows for the election; the message is the note shown."""


def _blank(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value))


# What a share is of, as the report's headers say it (ref.contests.share_denominator).
SHARE_OF = {"valid": "of valid ballots", "ballots_cast": "of ballots cast"}


@dataclass
class ReportContext:
    """What every section needs: the open published database and the election being reported."""

    con: duckdb.DuckDBPyConnection
    election_id: str
    election_date: date
    name_en: str
    names_local: str
    resolver: Resolver = field(default_factory=default_resolver)
    contests: list[str] = field(default_factory=list)  # in ballot order
    main_contest: str | None = None
    contest_names: dict[str, str] = field(default_factory=dict)
    denominators: dict[str, str] = field(default_factory=dict)  # contest -> valid | ballots_cast

    def contest(self, contest_id: str | None) -> str:
        """A contest's display name ('Mazhilis (party list)'), HTML-escaped."""
        if _blank(contest_id):
            return ""
        return esc(self.contest_names.get(contest_id, contest_id))

    def denominator(self, contest_id: object) -> str:
        """What a contest's official shares are of: 'valid' (elections) or 'ballots_cast' (referendums)."""
        return "valid" if self.denominators.get(contest_id) == "valid" else "ballots_cast"

    def share_of(self, contest_ids: Sequence[object]) -> str:
        """The denominator of these contests' shares as a header says it ('of valid ballots')."""
        found = {self.denominator(c) for c in contest_ids} or {"valid"}
        if len(found) > 1:
            return "of valid ballots (elections) or of ballots cast (referendums)"
        return SHARE_OF[found.pop()]

    def contest_rank(self, contest_id: object) -> int:
        """Where a contest stands on the ballot (unknown contests last)."""
        return self.contests.index(contest_id) if contest_id in self.contests else len(self.contests)

    def region(self, code: str | None) -> str:
        """A region's English name with its Kazakh and Russian names (HTML); NULL = the whole country."""
        if _blank(code) or code in ("KZ", ""):
            return "All Kazakhstan <span class='local'>Бүкіл Қазақстан / Весь Казахстан</span>"
        region = self.resolver.regions.get(code)
        if region is None:
            return esc(code)
        return (
            f"<span class='place'>{esc(region.name_en)} <span class='local'>{esc(region.name_kk)} / "
            f"{esc(region.name_ru)}</span> <span class='code'>{esc(code)}</span></span>"
        )

    def region_plain(self, code: str | None) -> str:
        """A region's English name as plain text (for figures); NULL = the whole country."""
        if code is None or code in ("KZ", ""):
            return "All Kazakhstan"
        region = self.resolver.regions.get(code)
        return region.name_en if region else str(code)

    def party(self, party_id: str | None) -> str:
        """A party's English name as of the election date, with its Kazakh and Russian names (HTML)."""
        if _blank(party_id):
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


def report_context(con: duckdb.DuckDBPyConnection, election_id: str) -> ReportContext:
    """The context of one election's report (raises :class:`ReportError` for an unknown election)."""
    row = con.execute(
        "select election_date, name_en, name_kk, name_ru from ref.elections where election_id = ?",
        [election_id],
    ).fetchone()
    if row is None:
        raise ReportError(f"election {election_id!r} is not in ref.elections of the published database")
    election_date, name_en, name_kk, name_ru = row
    contests, main = main_contest(con, election_id)
    local = " / ".join(esc(n) for n in (name_kk, name_ru) if n)
    rows = con.execute(
        "select contest_id, coalesce(name_en, contest_id), share_denominator from ref.contests "
        "where election_id = ?",
        [election_id],
    ).fetchall()
    names = {contest: name for contest, name, _ in rows}
    return ReportContext(
        con,
        election_id,
        election_date,
        name_en,
        f"<span class='local'>{local}</span>",
        contests=contests,
        main_contest=main,
        contest_names=names,
        denominators={contest: denominator for contest, _, denominator in rows},
    )


# Ballot order: the national contest first (Mazhilis, President, referendum), then the maslikhats from the
# regional down to the district ones.
BALLOT_LEVELS = ("national", "region", "city", "district")


def main_contest(con: duckdb.DuckDBPyConnection, election_id: str) -> tuple[list[str], str | None]:
    """The election's contests in ballot order, and the one the plots follow (most precincts, then most
    registered)."""
    contests = [
        r[0]
        for r in con.execute(
            "select contest_id from ref.contests where election_id = ? "
            "order by coalesce(list_position(?, level), 99), contest_id",
            [election_id, list(BALLOT_LEVELS)],
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


# ---------------------------------------------------------------------------------------------- marts


def table_columns(con: duckdb.DuckDBPyConnection, qualified: str) -> list[str]:
    schema, name = qualified.split(".", 1)
    rows = con.execute(
        "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
        "order by ordinal_position",
        [schema, name],
    ).fetchall()
    return [r[0] for r in rows]


def quarantine_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The quarantine tables that hold rows of elections (with an election_id column), qualified."""
    tables = [f"quarantine.{t}" for t in table_names(con, "quarantine")]
    return [t for t in tables if "election_id" in table_columns(con, t)]


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
    return in_ballot_order(ctx, frame)


def in_ballot_order(ctx: ReportContext, frame: pd.DataFrame) -> pd.DataFrame:
    """The rows with their contests in ballot order (Mazhilis first), each contest's rows as they came."""
    if "contest" not in frame.columns or frame.empty:
        return frame
    rank = frame["contest"].map(ctx.contest_rank)
    return frame.iloc[rank.argsort(kind="stable")].reset_index(drop=True)


def mart_leader(ctx: ReportContext, mart: str, contest: str) -> str | None:
    """The leader a mart states for one contest of the election (its ``leader`` column), None when the mart
    is missing or has no row for it. The report ranks no party itself: marts.election_totals states the
    official leader, marts.forensics_shpilkin the one the forensic marts follow."""
    if not table_exists(ctx.con, mart):
        return None
    found = ctx.con.execute(
        f"select leader from {mart} where election_id = ? and contest = ? limit 1", [ctx.election_id, contest]
    ).fetchone()
    return found[0] if found and found[0] else None


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


# ---------------------------------------------------------------------------------------------- provenance


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
        *quarantine_tables(ctx.con),
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


def source_files(ctx: ReportContext, runs: list[str]) -> pd.DataFrame:
    """The files (official tables, observers' exports) the runs read, with sha256, size and read time."""
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


def source_pages(ctx: ReportContext, runs: list[str]) -> pd.DataFrame:
    """The CEC pages the election's figures came from (or the runs fetched), with sha256 and fetch time."""
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
