-- intermediate.int_observer_protocols_resolved: the observers' protocol values that count, in core.protocol_values'
-- shape (one row per line / party vote of the chosen copy of each observed precinct; see
-- int_observer_copies_compared for the rule). The observer loader writes these rows into
-- core.protocol_values with source = the organisation, level = 'pec', status and as_of NULL.
create or replace view intermediate.int_observer_protocols_resolved as
with copies_compared as (
    select * from intermediate.int_observer_copies_compared
),

protocol_copies as (
    select * from core.observer_protocol_copies
),

chosen as (
    select copy_id
    from copies_compared
    where counts
),

final as (
    select
        p.election_id,
        p.contest_id,
        p.source,
        'pec' as level,
        p.unit_id,
        p.region_code,
        p.line,
        p.option_id,
        p.value,
        null::varchar as status,
        null::timestamp as as_of,
        p.source_ref,
        p.source_sha256,
        p.source_row,
        p.run_id
    from protocol_copies as p
    inner join chosen using (copy_id)
)

select * from final;
