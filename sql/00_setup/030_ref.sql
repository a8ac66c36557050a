-- ref: reference facts, replaced whole from saylau/reference_data/*.csv on every run.
create table if not exists ref.regions (
    code            varchar primary key,  -- ISO 3166-2:KZ, e.g. 'KZ-11'; the two digits equal the KATO prefix
    kato            varchar not null,
    name_en         varchar not null,
    name_ru         varchar not null,
    name_kk         varchar not null,
    old_iso_alpha   varchar,              -- pre-2020 ISO alpha code, e.g. 'AKM'
    in_2021         boolean not null,     -- one of the 17 units of 2021
    in_2022_plus    boolean not null,     -- one of the 20 units from 2022
    split_from_2022 varchar               -- for units created in 2022: the 2021 unit they came from
);

create table if not exists ref.region_aliases (
    alias       varchar not null,         -- as written in a source
    alias_key   varchar not null,         -- normalised form used for lookup (saylau.reference.normalise_name)
    region_code varchar not null,
    lang        varchar not null,         -- en | ru | kk (any script)
    primary key (alias, lang)
);

create table if not exists ref.region_crosswalk (
    code_2021 varchar not null,
    code_2022 varchar not null,
    relation  varchar not null,           -- same | split | renamed
    note      varchar,
    primary key (code_2021, code_2022)
);

create table if not exists ref.parties (
    party_id varchar primary key,         -- stable across renames: 'amanat' is also the Nur Otan of 2021
    name_en  varchar not null,
    name_ru  varchar not null,
    name_kk  varchar not null,
    short_en varchar not null,
    kind     varchar not null,            -- party | candidate | against_all | answer
    note     varchar,
    origin   varchar not null default 'reference'  -- 'reference' (reference_data/) or 'import:<sha256>'
);

create table if not exists ref.party_aliases (
    alias     varchar not null,
    alias_key varchar not null,
    party_id  varchar not null,
    lang      varchar not null,
    primary key (alias, lang)
);

create table if not exists ref.party_renames (
    party_id    varchar not null,
    old_name_en varchar not null,
    new_name_en varchar not null,
    renamed_on  date not null,
    note        varchar
);

create table if not exists ref.elections (
    election_id      varchar primary key, -- e.g. 'kz-2021-01-10'
    country          varchar not null,    -- ISO 3166-1 alpha-2
    election_date    date not null,
    kind             varchar not null,    -- parliamentary | presidential | referendum
    name_en          varchar not null,
    name_ru          varchar,
    name_kk          varchar,
    utc_offset_hours integer not null,    -- the capital's offset on election day (bulletin times are local)
    regions_vintage  varchar,             -- '2021' (17 units) or '2022' (20 units)
    note             varchar,
    origin           varchar not null default 'reference'  -- 'reference' or 'import:<sha256>' (import-precincts)
);

create table if not exists ref.contests (
    election_id       varchar not null,
    contest_id        varchar not null,   -- mazhilis | maslikhat_regional | maslikhat_city | maslikhat_district | president | referendum
    name_en           varchar not null,
    kind              varchar not null,   -- party_list | mixed | single_member | single_winner | referendum
    level             varchar not null,
    seats             integer,
    threshold_pct     double,
    share_denominator varchar not null,   -- 'valid' (elections) | 'ballots_cast' (referendums)
    turnout_rule      varchar not null,   -- voters who received ballots / voters on the final list
    has_against_all   boolean not null,
    origin            varchar not null default 'reference',
    primary key (election_id, contest_id)
);

-- ref.observer_samples: how each observer organisation chose its precincts (reference data,
-- observer_samples.csv). 'random': drawn at random (intervals and verdicts mean something for the region);
-- 'convenience': chosen otherwise. An organisation not listed counts as 'convenience'.
create table if not exists ref.observer_samples (
    election_id     varchar not null,
    source          varchar not null,    -- the organisation id (raw.observer_files.organisation)
    sample_design   varchar not null,    -- random | convenience
    precincts_drawn integer,             -- precincts the design drew (NULL: not stated)
    description     varchar not null,
    primary key (election_id, source)
);

create table if not exists ref.ballot_options (
    election_id varchar not null,
    contest_id  varchar not null,
    option_id   varchar not null,         -- a ref.parties id (party, candidate, 'against_all', 'yes'/'no')
    position    integer,
    origin      varchar not null default 'reference',
    primary key (election_id, contest_id, option_id)
);

-- ref.candidates: each candidate of a single-winner contest by the parts of the name, as written in each
-- language (saylau.candidates reads a name in any order of its parts, with initials or a case ending).
create table if not exists ref.candidates (
    election_id varchar not null,
    option_id   varchar not null,         -- the ref.parties id on the ballot
    lang        varchar not null,         -- en | ru | kk
    surname     varchar not null,
    given_names varchar not null,         -- "Касым-Жомарт"
    patronymic  varchar,                  -- "Кемелевич" / "Кемелұлы", where recorded
    primary key (election_id, option_id, lang)
);

create table if not exists ref.official_totals (
    election_id varchar not null,
    contest_id  varchar not null,
    item        varchar not null,         -- registered | ballots_issued | invalid | valid | votes | precincts | ...
    option_id   varchar,
    value       bigint not null,
    source      varchar
);

-- The registry of commissions: territorial (tec) and precinct (pec). pec_id = region code + '/' + number,
-- because precinct numbers restart in every region. Filled from the demo election or imports.
create table if not exists ref.commissions (
    election_id   varchar not null,
    commission_id varchar not null,       -- 'KZ-75/123' for a precinct; 'KZ-75/T05' for a territorial commission
    level         varchar not null,         -- tec | pec
    region_code   varchar,
    parent_id     varchar,                  -- a precinct's territorial commission
    number        integer,
    name          varchar,
    is_abroad     boolean default false,
    primary key (election_id, commission_id)
);
