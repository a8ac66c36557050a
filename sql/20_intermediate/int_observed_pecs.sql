-- intermediate.int_observed_pecs: precincts where an observer was present on election day, by any trace: a
-- protocol copy of any contest (valid, conflicting or not), a turnout count or a violation report.
--   election_id, unit_id, region_code
--   sources             observer organisations present, comma-separated
--   copy_contests       contests the observers sent a protocol copy of, comma-separated
create or replace table intermediate.int_observed_pecs as
with protocol_copies as (
    select * from core.observer_protocol_copies
),

turnout_counts as (
    select * from core.observer_turnout
),

violations as (
    select * from core.observer_violations
),

traces as (
    select election_id, unit_id, region_code, source, contest_id from protocol_copies
    union all
    select election_id, unit_id, region_code, source, null from turnout_counts
    union all
    select election_id, unit_id, region_code, source, null from violations
    where unit_id is not null
),

final as (
    select
        election_id,
        unit_id,
        any_value(region_code) as region_code,
        string_agg(distinct source, ',' order by source) as sources,
        string_agg(distinct contest_id, ',' order by contest_id) as copy_contests
    from traces
    group by election_id, unit_id
)

select * from final;
