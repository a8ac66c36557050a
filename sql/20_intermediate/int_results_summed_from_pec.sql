-- intermediate.int_results_summed_from_pec: for every level no source published for the contest (tec,
-- region, national), the sum of the official precinct rows (tec from ref.commissions.parent_id), one row per
-- unit and option with the unit's lines: the 'summed_from_pec' rows of marts.results_official (before
-- shares). Columns as intermediate.int_results_published; origin 'summed_from_pec'; status final only when
-- every precinct row of the unit is; region_code NULL for national.
create or replace view intermediate.int_results_summed_from_pec as
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

published_levels as (
    select distinct election_id, contest_id, level from current_values
),

-- every precinct row once per level above it: lines (one row per precinct) and votes apart
rollup_lines as (
    select *, 'tec' as level, tec_id as unit from pec_units where tec_id is not null
    union all
    select *, 'region' as level, region_code as unit from pec_units where region_code is not null
    union all
    select *, 'national' as level, 'KZ' as unit from pec_units
),

rollup_votes as (
    select *, 'tec' as level, tec_id as unit from pec_votes where tec_id is not null
    union all
    select *, 'region' as level, region_code as unit from pec_votes where region_code is not null
    union all
    select *, 'national' as level, 'KZ' as unit from pec_votes
),

units as (
    select
        r.election_id,
        r.contest_id,
        r.level,
        r.unit as unit_id,
        case when r.level = 'national' then null else any_value(r.region_code) end as region_code,
        sum(r.registered)::bigint as registered,
        sum(r.ballots_issued)::bigint as ballots_issued,
        sum(r.invalid)::bigint as invalid,
        sum(r.valid)::bigint as valid,
        sum(r.valid_not_counted)::bigint as valid_not_counted,
        -- a sum is final only when every precinct row of the unit is (max: 'preliminary' > 'final')
        max(r.status) as status,
        max(r.as_of) as as_of
    from rollup_lines as r
    anti join published_levels as p using (election_id, contest_id, level)
    group by r.election_id, r.contest_id, r.level, r.unit
),

votes as (
    select r.election_id, r.contest_id, r.level, r.unit as unit_id, r.option_id, sum(r.value)::bigint as value
    from rollup_votes as r
    anti join published_levels as p using (election_id, contest_id, level)
    group by r.election_id, r.contest_id, r.level, r.unit, r.option_id
),

final as (
    select
        u.election_id,
        u.contest_id,
        u.level,
        u.unit_id,
        u.region_code,
        'summed_from_pec' as origin,
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
