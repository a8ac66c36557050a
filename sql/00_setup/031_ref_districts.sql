-- ref: single-member districts (from 2023), replaced whole from saylau/reference_data/ on every run.
-- A district of a contest of kind single_member (the Mazhilis' 29, the regional and district maslikhats').
create table if not exists ref.districts (
    election_id varchar not null,
    contest_id  varchar not null,         -- mazhilis_smd | maslikhat_regional_smd | maslikhat_district
    district_id varchar not null,         -- 'MZ-07' (Mazhilis, numbered nationally), 'KZ-63/OM-03', 'KZ-63/T01/DM-02'
    number      integer not null,         -- the district's number on the forms
    region_code varchar not null,
    tec_id      varchar,                  -- a district maslikhat's territorial commission
    name_ru     varchar not null,
    name_kk     varchar not null,
    name_en     varchar not null,
    note        varchar,
    primary key (election_id, district_id)
);

-- What a district covers: precinct numbers of its region (level 'pec') or whole territorial commissions
-- (level 'tec', by their number: 'KZ-75/T03' is 3), as inclusive ranges.
create table if not exists ref.district_units (
    election_id varchar not null,
    district_id varchar not null,
    level       varchar not null,         -- pec | tec
    region_code varchar not null,
    number_from integer not null,
    number_to   integer not null
);

-- Who stands in each district: the candidate's option id (names in ref.candidates), ballot position and
-- who nominated them (a ref.parties id, or 'self').
create table if not exists ref.district_candidates (
    election_id  varchar not null,
    contest_id   varchar not null,
    district_id  varchar not null,
    option_id    varchar not null,
    position     integer not null,
    nominated_by varchar not null,
    primary key (election_id, option_id)
);
