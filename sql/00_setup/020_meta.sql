-- meta.runs: one row per flow run. Together with the archive it says which code and which inputs made a
-- published file.
create table if not exists meta.runs (
    run_id              varchar primary key,  -- uuid of the run (the Prefect flow run id when run as a flow)
    flow                varchar not null,     -- flow name, e.g. 'demo', 'election_night', 'rebuild'
    started_at          timestamptz not null,
    finished_at         timestamptz,
    status              varchar not null,     -- running | completed | failed | crashed (killed; saylau.runs)
    code_version        varchar not null,     -- git commit (+ '-dirty') or package version
    parameters          json,                 -- the run's parameters
    input_manifest_hash varchar,              -- sha256 over the sorted sha256s of every input it read
    mart_checksums      json,                 -- {"marts.x": {"rows": n, "checksum": md5}} of marts it wrote
    error               varchar               -- what went wrong, for failed runs
);

-- meta.data_quality: per run and table, how many rows failed which validation rule (filled by validate).
create table if not exists meta.data_quality (
    run_id      varchar not null,
    table_name  varchar not null,
    rule        varchar not null,
    severity    varchar not null,             -- 'reject' (row quarantined) | 'flag' (row kept, flagged) | 'warn'
    failed_rows bigint not null
);

-- meta.promotions: per election, which page versions its last finished promotion of CEC figures read
-- (saylau.official). A run killed or failed between staging and the end of promotion leaves core behind
-- staging; every run compares this with the pages now latest and promotes again where they differ.
create table if not exists meta.promotions (
    election_id varchar primary key,
    pages       varchar not null,            -- count and order-free hash of the latest (url, sha256) pairs
    run_id      varchar,
    promoted_at timestamptz not null
);

-- meta.promoted_pages: per election, the latest version of every page its last finished promotion read.
-- The next promotion re-validates only the units (contest, level, unit) stated on pages whose latest
-- version changed since (saylau.official.promote_official).
create table if not exists meta.promoted_pages (
    election_id varchar not null,
    url         varchar not null,
    sha256      varchar not null
);

-- meta.model_builds: one row per model (sql/10_staging, 20_intermediate, 30_marts) each time a run builds it
-- (saylau.marts.build_marts): how long it took and how many rows it holds.
create table if not exists meta.model_builds (
    run_id   varchar,                        -- the run (meta.runs) that built it; NULL outside a run
    model    varchar not null,               -- schema.name, e.g. 'marts.results_official'
    seconds  double not null,                -- wall time of its create statement
    rows     bigint,                         -- rows it holds (NULL for a view)
    built_at timestamptz not null
);
