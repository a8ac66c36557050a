-- Precinct-level imports (saylau import-precincts) and the settings of the forensics marts.

-- core.precinct_imports: one row per import of a precinct table: which file, which leader the forensics
-- marts follow, and how many rows landed in core or in quarantine.
create table if not exists core.precinct_imports (
    election_id      varchar not null,
    contest_id       varchar not null,
    format           varchar not null,     -- izbirkom-csv | kz-precinct-csv
    source_ref       varchar not null,     -- the file path as given
    source_sha256    varchar not null,     -- sha256 of the file's bytes (archived under build/archive)
    leader           varchar not null,     -- option_id the forensics marts treat as the leader ('' = none)
    leader_chosen_by varchar not null,     -- 'most_votes' (default) | 'user' | 'none' (no row loaded)
    rows_read        bigint not null,      -- precinct rows in the file
    rows_loaded      bigint not null,      -- precinct rows now in core.protocol_values
    rows_quarantined bigint not null,      -- precinct rows in quarantine.precinct_protocols
    run_id           varchar,
    imported_at      timestamptz not null
);
-- the source the rows were loaded under: 'official' (a commission's table) or an observer organisation
alter table core.precinct_imports add column if not exists source varchar default 'official';

-- meta.forensics_parameters: tunable settings of the forensics marts (edit a value, rerun `saylau marts`).
create table if not exists meta.forensics_parameters (
    name  varchar primary key,
    value double not null,
    note  varchar
);

-- (sqlfluff's DuckDB dialect wants the rows of a values list unindented)
-- noqa: disable=LT02
insert or ignore into meta.forensics_parameters values
    ('shpilkin_mode_min_pct', 20, 'lowest turnout (pct) where the Shpilkin modal bin is searched'),
    ('shpilkin_mode_max_pct', 70, 'turnout (pct) below which the Shpilkin modal bin is searched'),
    ('integer_min_registered', 100, 'integer-percent test: precincts with at least this many registered'),
    ('integer_max_pct', 99, 'integer-percent test: precincts with turnout and leader share at most this'),
    ('integer_tolerance_pp', 0.05, 'integer-percent test: within this many pp of a whole percent');
-- noqa: enable=LT02
