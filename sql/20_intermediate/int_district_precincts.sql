-- intermediate.int_district_precincts: the precincts each single-member district covers, one row each: the
-- precinct ranges of ref.district_units, and every precinct of a territorial commission a district takes
-- whole (its precincts in ref.commissions).
--   election_id, contest_id, district_id, region_code   the district
--   unit_id     the precinct ('KZ-63/31')
--   via         'pec' (a range of precinct numbers) or 'tec' (through its territorial commission)
create or replace table intermediate.int_district_precincts as
with districts as (
    select * from ref.districts
),

district_units as (
    select * from ref.district_units
),

commissions as (
    select * from staging.stg_ref__precinct_commissions
),

numbers as (
    select
        u.election_id,
        d.contest_id,
        u.district_id,
        u.region_code,
        u.level,
        unnest(generate_series(u.number_from, u.number_to)) as number
    from district_units as u
    inner join districts as d using (election_id, district_id)
),

by_number as (
    select
        election_id,
        contest_id,
        district_id,
        region_code,
        region_code || '/' || number as unit_id,
        'pec' as via
    from numbers
    where level = 'pec'
),

by_commission as (
    select n.election_id, n.contest_id, n.district_id, n.region_code, c.unit_id, 'tec' as via
    from numbers as n
    inner join commissions as c
        on
            c.election_id = n.election_id
            and c.tec_id = n.region_code || '/T' || lpad(n.number::varchar, 2, '0')
    where n.level = 'tec'
),

final as (
    select * from by_number
    union all
    select * from by_commission
)

select distinct * from final;
