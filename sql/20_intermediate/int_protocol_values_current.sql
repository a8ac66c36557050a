-- int_protocol_values_current: the version of every protocol number that counts now.
-- A source may publish the same figure several times (preliminary at night, final days later, a corrected
-- page); every version stays in core.protocol_values. Here: final beats preliminary, then the latest as_of.
create or replace view core.int_protocol_values_current as
with ranked as (
    select
        *,
        row_number() over (
            partition by election_id, contest_id, source, level, unit_id, line, coalesce(option_id, '')
            order by (status = 'final') desc nulls last, as_of desc nulls last
        ) as version_rank
    from core.protocol_values
)

select * exclude (version_rank)
from ranked
where version_rank = 1;
