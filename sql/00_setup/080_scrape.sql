-- Scraping the CEC: every fetch attempt, every distinct page version, and the rows parsed from them.

-- raw.fetches: one row per HTTP attempt (retries included), so nothing that happened is lost.
create sequence if not exists raw.fetch_seq;
create table if not exists raw.fetches (
    fetch_id      bigint primary key default nextval('raw.fetch_seq'),
    run_id        varchar,
    url           varchar not null,
    attempt       integer not null,         -- 1 for the first attempt at this URL in this run
    requested_at  timestamptz not null,
    status        integer,                  -- HTTP status; NULL when no answer came (timeout, reset, robots)
    etag          varchar,
    last_modified varchar,
    content_type  varchar,
    retry_after   varchar,
    conditional   boolean not null,         -- sent If-None-Match / If-Modified-Since
    sha256        varchar,                  -- of the body, when one was received whole
    bytes         bigint,
    elapsed_ms    double,
    error         varchar                   -- what went wrong, in words
);

-- raw.pages: one row per distinct version (url, sha256) of a page, with what it was found to be.
create table if not exists raw.pages (
    url           varchar not null,
    sha256        varchar not null,
    first_seen_at timestamptz not null,     -- when this version was first fetched (UTC)
    lang          varchar,                  -- rus | kaz | eng
    page_id       bigint,                   -- the CMS ID in ?ID=
    section       varchar,                  -- releases | acts | tec | listing
    kind          varchar,                  -- saylau.parse.classify.PageKind
    title         varchar,
    encoding      varchar,
    parse_status  varchar,                  -- parsed | unrelated | failed
    parse_error   varchar,                  -- for failed: what was missing, naming URL and sha256
    run_id        varchar,
    primary key (url, sha256)
);

-- staging.cec_turnout: turnout figures as bulletins state them (national: region_code 'KZ').
create table if not exists staging.cec_turnout (
    election_id varchar not null,
    region_code varchar not null,
    as_of       timestamp not null,        -- election day + bulletin time, the capital's local time
    turnout_pct double not null,
    lang        varchar not null,
    url         varchar not null,
    sha256      varchar not null,
    run_id      varchar
);

-- staging.cec_results: figures from results communiques and tables: counts (value) or shares (share_pct).
create table if not exists staging.cec_results (
    election_id varchar not null,
    contest_id  varchar not null,
    level       varchar not null,          -- national | region | tec | pec
    unit_id     varchar not null,
    region_code varchar,
    line        varchar not null,          -- a saylau.protocol LINES name, 'votes', or 'turnout_pct'
    option_id   varchar,
    value       bigint,
    share_pct   double,
    status      varchar not null,          -- preliminary | final
    as_of       timestamp,
    lang        varchar not null,
    url         varchar not null,
    sha256      varchar not null,
    run_id      varchar
);

-- core.turnout_official: the CEC's turnout figures by region (and 'KZ' nationally) through election day,
-- one row per region and bulletin time; the same bulletin in three languages counts once.
create table if not exists core.turnout_official (
    election_id   varchar not null,
    region_code   varchar not null,
    as_of         timestamp not null,       -- the capital's local time
    turnout_pct   double not null,
    source_ref    varchar not null,         -- the page the figure was taken from (Russian first, then Kazakh, English)
    source_sha256 varchar not null,
    languages     varchar not null,         -- the language versions that state the same figure, e.g. 'kaz,rus'
    run_id        varchar
);

-- core.result_shares: percentages a communique states (preliminary results give only these).
create table if not exists core.result_shares (
    election_id   varchar not null,
    contest_id    varchar not null,
    level         varchar not null,
    unit_id       varchar not null,
    region_code   varchar,
    line          varchar not null,         -- 'share' (of an option) or 'turnout_pct'
    option_id     varchar,
    share_pct     double not null,
    status        varchar not null,
    as_of         timestamp,
    source_ref    varchar not null,
    source_sha256 varchar not null,
    languages     varchar not null,
    run_id        varchar
);
