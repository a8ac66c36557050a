-- Validation flags and observers' data: staging tables per export kind, the files they came from, and the
-- quarantine tables of what was refused. Personal data never lands here: observers' names, phones and
-- e-mails are replaced by a salted hash (observer_hash) before staging (see saylau/observers.py).

-- core.validation_flags: soft-rule hits (row kept in core, flagged): one row per row and rule.
create table if not exists core.validation_flags (
    table_name     varchar not null,  -- staging table validated, e.g. 'observer_protocols'
    run_id         varchar not null,
    row_position   bigint,            -- position of the row in the validated frame
    rule           varchar not null,  -- e.g. boxes_gt_issued, round_turnout, conflicting_copies
    severity       varchar not null,  -- 'flag'
    failing_values varchar,           -- the values that broke the rule, as 'line=value, ...'
    reason         varchar,           -- the rule in words
    election_id    varchar,
    contest_id     varchar,
    source         varchar,
    level          varchar,
    unit_id        varchar,
    region_code    varchar,
    row_key        varchar,           -- for tables without protocol keys: their key as 'column=value, ...'
    source_ref     varchar,           -- file path or URL
    source_sha256  varchar,
    source_row     bigint
);

-- raw.observer_files: every observer export read, and which later file superseded it. The bytes of every
-- version stay in the archive; only the newest version of a file name feeds staging and core.
create table if not exists raw.observer_files (
    sha256        varchar not null,
    file_name     varchar not null,    -- base name: a later file of the same name and organisation is a correction
    path          varchar not null,
    kind          varchar not null,    -- protocol | turnout | violation | aggregate
    organisation  varchar not null,    -- the observer organisation (the `source` of its protocol values)
    rows          bigint,
    loaded_at     timestamptz not null,
    run_id        varchar,
    superseded_by varchar,             -- sha256 of the corrected file that replaced this one; NULL = current
    primary key (sha256, organisation, kind)
);

-- staging.observer_protocols: one row per protocol copy (wide), as typed by observers, not yet trusted.
create table if not exists staging.observer_protocols (
    copy_id           varchar not null,  -- file sha256 + ':' + row number: one protocol copy
    organisation      varchar not null,
    election_id       varchar not null,
    contest_id        varchar,
    region_code       varchar,
    precinct          varchar,           -- precinct number as written
    unit_id           varchar,           -- region_code/number
    registered        bigint,
    ballots_received  bigint,
    ballots_issued    bigint,
    ballots_cancelled bigint,
    ballots_in_boxes  bigint,
    invalid           bigint,
    valid             bigint,
    votes             json,              -- {"option_id": votes, ...}
    photo_ref         varchar,
    notes             varchar,
    observer_hash     varchar,           -- salted sha256 of the observer's name/phone/e-mail; never the values
    source_ref        varchar not null,
    source_sha256     varchar not null,
    source_row        integer not null,
    run_id            varchar,
    district          varchar            -- single-member district as written (the district form)
);

-- warehouses created before the district form (issue 21)
alter table staging.observer_protocols add column if not exists district varchar;

-- staging.observer_turnout: observers' own counts of voters through the day at their precincts.
create table if not exists staging.observer_turnout (
    organisation   varchar not null,
    election_id    varchar not null,
    region_code    varchar,
    precinct       varchar,
    unit_id        varchar,
    as_of          timestamp,         -- local time of the count
    registered     bigint,
    voters_counted bigint,
    observer_hash  varchar,
    source_ref     varchar not null,
    source_sha256  varchar not null,
    source_row     integer not null,
    run_id         varchar
);

-- staging.observer_violations: violation reports.
create table if not exists staging.observer_violations (
    organisation  varchar not null,
    election_id   varchar not null,
    region_code   varchar,
    precinct      varchar,
    unit_id       varchar,
    as_of         timestamp,
    kind          varchar,
    description   varchar,
    photo_ref     varchar,
    observer_hash varchar,
    source_ref    varchar not null,
    source_sha256 varchar not null,
    source_row    integer not null,
    run_id        varchar
);

-- core.observer_protocol_copies: every protocol copy that passed validation, long (one row per line /
-- option), all copies kept. Which copy counts is decided by core.int_observer_protocols_resolved.
create table if not exists core.observer_protocol_copies (
    copy_id       varchar not null,
    election_id   varchar not null,
    contest_id    varchar not null,
    source        varchar not null,   -- the observer organisation
    unit_id       varchar not null,
    region_code   varchar,
    line          varchar not null,
    option_id     varchar,
    value         bigint not null,
    has_photo     boolean not null,
    observer_hash varchar,
    source_ref    varchar,
    source_sha256 varchar,
    source_row    integer,
    run_id        varchar
);

-- core.observer_turnout and core.observer_violations: validated rows of the other two kinds.
create table if not exists core.observer_turnout (
    source         varchar not null,
    election_id    varchar not null,
    region_code    varchar,
    unit_id        varchar not null,
    as_of          timestamp not null,
    registered     bigint,
    voters_counted bigint not null,
    observer_hash  varchar,
    source_ref     varchar,
    source_sha256  varchar,
    source_row     integer,
    run_id         varchar
);

create table if not exists core.observer_violations (
    source        varchar not null,
    election_id   varchar not null,
    region_code   varchar,
    unit_id       varchar,
    as_of         timestamp,
    kind          varchar not null,
    description   varchar,
    photo_ref     varchar,
    observer_hash varchar,
    source_ref    varchar,
    source_sha256 varchar,
    source_row    integer,
    run_id        varchar
);

-- core.published_aggregates: observers' (or anyone's) published summary tables, loaded as they are,
-- one row per cell; core.aggregate_warnings: the internal-consistency warnings, naming the cell.
create table if not exists core.published_aggregates (
    table_id      varchar not null,    -- file name stem, e.g. 'observer_sample_2021_seed_table'
    row_label     varchar not null,    -- the first column's value, e.g. 'mazhilis'
    column_name   varchar not null,
    value         double,
    source_ref    varchar,
    source_sha256 varchar,
    run_id        varchar
);

create table if not exists core.aggregate_warnings (
    table_id      varchar not null,
    row_label     varchar not null,
    cell          varchar not null,    -- 'row_label/column' of the cell the warning is about
    rule          varchar not null,
    message       varchar not null,
    source_ref    varchar,
    source_sha256 varchar,
    run_id        varchar
);

-- quarantine.observer_*: rejected rows, one row per row and rule, with the values as written (text) and
-- their source. Columns beyond these (party votes, lines the file had) are added by the loader as they
-- come (saylau.validate.append_frame), so a quarantined row keeps everything it was sent with except
-- personal data.
create table if not exists quarantine.observer_protocols (
    table_name     varchar,
    run_id         varchar,
    quarantined_at timestamp,
    rule           varchar,           -- the rule that failed (docs/observers.md)
    severity       varchar,           -- 'reject'
    failing_values varchar,           -- 'column=value, ...' as written
    reason         varchar,           -- the rule in words
    row_position   bigint,
    source         varchar,           -- the organisation
    organisation   varchar,
    election_id    varchar,
    contest_id     varchar,
    region         varchar,           -- as written
    precinct       varchar,           -- as written
    region_code    varchar,
    unit_id        varchar,
    copy_id        varchar,
    photo_ref      varchar,
    notes          varchar,
    observer_hash  varchar,
    source_ref     varchar,           -- file path
    source_sha256  varchar,
    source_row     bigint             -- spreadsheet row (header = 1)
);

create table if not exists quarantine.observer_turnout (
    table_name     varchar,
    run_id         varchar,
    quarantined_at timestamp,
    rule           varchar,
    severity       varchar,
    failing_values varchar,
    reason         varchar,
    row_position   bigint,
    source         varchar,
    organisation   varchar,
    election_id    varchar,
    region         varchar,
    precinct       varchar,
    region_code    varchar,
    unit_id        varchar,
    as_of          varchar,
    registered     varchar,
    voters_counted varchar,
    observer_hash  varchar,
    source_ref     varchar,
    source_sha256  varchar,
    source_row     bigint
);

create table if not exists quarantine.observer_violations (
    table_name     varchar,
    run_id         varchar,
    quarantined_at timestamp,
    rule           varchar,
    severity       varchar,
    failing_values varchar,
    reason         varchar,
    row_position   bigint,
    source         varchar,
    organisation   varchar,
    election_id    varchar,
    region         varchar,
    precinct       varchar,
    region_code    varchar,
    unit_id        varchar,
    as_of          varchar,
    kind           varchar,
    description    varchar,
    photo_ref      varchar,
    observer_hash  varchar,
    source_ref     varchar,
    source_sha256  varchar,
    source_row     bigint
);

-- meta.data_quality_inputs: which inputs (sha256) each run's meta.data_quality counts were found in, per
-- table; a rerun over inputs already counted adds no counts (saylau.validate.store_counts).
create table if not exists meta.data_quality_inputs (
    run_id        varchar not null,
    table_name    varchar not null,
    source_sha256 varchar not null
);
