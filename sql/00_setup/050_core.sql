-- core: validated facts. The heart is one long table of protocol values: every number a protocol or a
-- results communique states, keyed by where it came from and what it is.
create table if not exists core.protocol_values (
    election_id   varchar not null,
    contest_id    varchar not null,
    source        varchar not null,  -- 'official' or an observer organisation id
    level         varchar not null,  -- national | region | tec | pec
    unit_id       varchar not null,  -- 'KZ' | region code | commission id
    region_code   varchar,           -- first-level unit, for grouping
    -- line: registered | ballots_received | ballots_issued | ballots_cancelled | ballots_lost | ballots_in_boxes
    -- | invalid | valid | valid_not_counted | votes
    line          varchar not null,
    option_id     varchar,           -- party / candidate / answer for line = 'votes'; NULL otherwise
    value         bigint not null,
    status        varchar,           -- preliminary | final (official); NULL for observer copies
    as_of         timestamp,         -- local time of the capital the figure refers to / was published
    source_ref    varchar,           -- URL or file path
    source_sha256 varchar,           -- the archived bytes it was parsed from
    source_row    integer,           -- row number in a file source
    run_id        varchar
);
