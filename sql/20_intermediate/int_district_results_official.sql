-- intermediate.int_district_results_official: the official count of every single-member district, one row
-- per district and ballot option (its candidates, and "against all" where the contest has it).
-- A district's figures are the ones a source published for it (a CEC or territorial commission's page:
-- level 'district', unit_id = district_id, current version) or, where none was published, the sum of the
-- official protocols of the precincts it covers (intermediate.int_district_precincts); never a mix.
--   election_id, contest_id, district_id   the district
--   origin          'published' | 'summed_from_pec' (NULL: no official figure for the district yet)
--   option_id       a candidate (ref.district_candidates) or 'against_all'
--   is_candidate    false for 'against all'
--   votes           the option's votes (NULL when the district has no official figure)
--   registered, ballots_issued, invalid, valid   the district's lines (NULL when not given)
--   precincts       precincts the district covers; precincts_counted: of them with an official protocol
--   status          final | preliminary (summed: final only when every precinct figure is)
create or replace table intermediate.int_district_results_official as
with district_precincts as (
    select * from intermediate.int_district_precincts
),

current_values as (
    select * from intermediate.int_protocol_values_current
    where source = 'official' and level = 'district'
),

pec_values as (
    select * from intermediate.int_pec_values
    where source = 'official'
),

stood as (
    select * from ref.district_candidates
),

ballot_options as (
    select * from ref.ballot_options
),

published as (
    select
        election_id,
        contest_id,
        unit_id as district_id,
        line,
        option_id,
        value,
        status
    from current_values
),

published_districts as (
    select distinct election_id, contest_id, district_id from published
),

at_precincts as (
    select p.district_id, v.*
    from pec_values as v
    inner join district_precincts as p using (election_id, contest_id, unit_id)
),

summed as (
    select
        election_id,
        contest_id,
        district_id,
        line,
        option_id,
        sum(value) as value,
        case when bool_and(status = 'final') then 'final' else 'preliminary' end as status
    from at_precincts
    anti join published_districts using (election_id, contest_id, district_id)
    group by all
),

figures as (
    select *, 'published' as origin from published
    union all
    select *, 'summed_from_pec' as origin from summed
),

lines as (
    select
        election_id,
        contest_id,
        district_id,
        any_value(origin) as origin,
        max(value) filter (where line = 'registered') as registered,
        max(value) filter (where line = 'ballots_issued') as ballots_issued,
        max(value) filter (where line = 'invalid') as invalid,
        max(value) filter (where line = 'valid') as valid,
        case when bool_and(status = 'final') then 'final' else 'preliminary' end as status
    from figures
    group by all
),

official_pecs as (
    select distinct election_id, contest_id, unit_id, true as has_protocol from pec_values
),

counted as (
    select
        p.election_id,
        p.contest_id,
        p.district_id,
        count(*) as precincts,
        count(*) filter (where o.has_protocol) as precincts_counted
    from district_precincts as p
    left join official_pecs as o using (election_id, contest_id, unit_id)
    group by all
),

options as (
    select election_id, contest_id, district_id, option_id, true as is_candidate
    from stood
    union all
    select distinct
        s.election_id, s.contest_id, s.district_id, 'against_all' as option_id, false as is_candidate
    from stood as s
    inner join ballot_options as b
        on b.election_id = s.election_id and b.contest_id = s.contest_id and b.option_id = 'against_all'
),

votes as (
    select election_id, contest_id, district_id, option_id, value as votes
    from figures
    where line = 'votes'
),

final as (
    select
        o.election_id,
        o.contest_id,
        o.district_id,
        l.origin,
        o.option_id,
        o.is_candidate,
        case when l.origin is not null then coalesce(v.votes, 0) end as votes,
        l.registered,
        l.ballots_issued,
        l.invalid,
        l.valid,
        coalesce(c.precincts, 0) as precincts,
        coalesce(c.precincts_counted, 0) as precincts_counted,
        l.status
    from options as o
    left join lines as l using (election_id, contest_id, district_id)
    left join votes as v using (election_id, contest_id, district_id, option_id)
    left join counted as c using (election_id, contest_id, district_id)
)

select * from final;
