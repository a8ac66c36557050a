-- intermediate.int_results_published: the official counts as a source gave them (CEC communique or
-- resolution, a territorial commission's decision, the precinct table), one row per unit and option with the
-- unit's lines: the 'published' rows of marts.results_official (before shares).
-- Current versions of each figure (intermediate.int_protocol_values_current; precinct rows through
-- intermediate.int_pec_wide and int_pec_values, picked the same way).
--   election_id, contest_id, level, unit_id, region_code   the unit
--   origin              'published'
--   option_id, votes    an option and its votes
--   registered, ballots_issued, invalid, valid, valid_not_counted   the unit's lines (NULL when not given)
--   status              final when any figure of the unit is (above the precinct); a precinct's as in
--                       intermediate.int_pec_wide
--   as_of               latest as_of among the unit's figures
create or replace view intermediate.int_results_published as
with current_values as (
    select * from intermediate.int_protocol_values_current
    where source = 'official' and level <> 'pec'
),

pec_units as (
    select * from intermediate.int_pec_wide
    where source = 'official'
),

pec_votes as (
    select * from intermediate.int_pec_values
    where source = 'official' and line = 'votes'
),

units as (
    select
        election_id,
        contest_id,
        level,
        unit_id,
        any_value(region_code) as region_code,
        max(value) filter (where line = 'registered') as registered,
        max(value) filter (where line = 'ballots_issued') as ballots_issued,
        max(value) filter (where line = 'invalid') as invalid,
        max(value) filter (where line = 'valid') as valid,
        max(value) filter (where line = 'valid_not_counted') as valid_not_counted,
        case when bool_or(status = 'final') then 'final' else max(status) end as status,
        max(as_of) as as_of
    from current_values
    group by election_id, contest_id, level, unit_id
    union all
    select
        election_id,
        contest_id,
        'pec' as level,
        unit_id,
        region_code,
        registered,
        ballots_issued,
        invalid,
        valid,
        valid_not_counted,
        status,
        as_of
    from pec_units
),

votes as (
    select election_id, contest_id, level, unit_id, option_id, value
    from current_values
    where line = 'votes'
    union all
    select election_id, contest_id, 'pec', unit_id, option_id, value
    from pec_votes
),

final as (
    select
        u.election_id,
        u.contest_id,
        u.level,
        u.unit_id,
        u.region_code,
        'published' as origin,
        v.option_id,
        v.value as votes,
        u.registered,
        u.ballots_issued,
        u.invalid,
        u.valid,
        u.valid_not_counted,
        u.status,
        u.as_of
    from units as u
    inner join votes as v using (election_id, contest_id, level, unit_id)
)

select * from final;
