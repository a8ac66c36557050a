-- quarantine.cec_figures, for a communique's line set aside: what it would have been (saylau.parse.cec_page
-- parse_results). marts.official_conflicts lists the lines set aside because the page disagrees with itself.
alter table quarantine.cec_figures add column if not exists rule varchar;       -- uncertain_number | named_twice_different | count_contradicts_share | not_on_ballot | unknown_name | ...
alter table quarantine.cec_figures add column if not exists level varchar;      -- national | region | tec | pec
alter table quarantine.cec_figures add column if not exists unit_id varchar;    -- 'KZ' | region code | commission id
alter table quarantine.cec_figures add column if not exists line varchar;       -- a protocol line, 'votes' or 'share'
alter table quarantine.cec_figures add column if not exists option_id varchar;  -- party / candidate / answer
alter table quarantine.cec_figures add column if not exists value bigint;       -- the count as read, if any
alter table quarantine.cec_figures add column if not exists share_pct double;   -- the percentage as read, if any
alter table quarantine.cec_figures add column if not exists status varchar;     -- preliminary | final

-- quarantine.cec_results: a communique's figures whose language versions disagree, or a unit's counts that
-- break a protocol rule (valid_is_sum_of_options, votes_above_ballots: schemas.official; saylau.official); made
-- here with the columns marts.official_conflicts reads, so the mart builds before any dispute (further
-- columns are added as rows arrive, saylau.validate.append_frame).
create table if not exists quarantine.cec_results (
    election_id   varchar,
    contest_id    varchar,
    level         varchar,
    unit_id       varchar,
    region_code   varchar,
    line          varchar,
    option_id     varchar,
    value         double,
    share_pct     double,
    status        varchar,
    as_of         timestamp,
    lang          varchar,
    source_ref    varchar,
    source_sha256 varchar,
    rule          varchar,
    reason        varchar
);
