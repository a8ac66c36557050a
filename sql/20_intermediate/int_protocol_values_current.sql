-- intermediate.int_protocol_values_current: the version of every protocol number that counts now, the one
-- place this rule is written (every model needing the latest figure reads this view).
-- A source may publish the same figure several times (preliminary at night, final days later, a corrected
-- page); every version stays in core.protocol_values. Here, per election, contest, source, level, unit,
-- line and option: final beats preliminary, then the latest as_of (a missing as_of counts as oldest).
-- Columns as in core.protocol_values; region_code is the unit's (any version's), the rest the chosen
-- version's. A filter on source, level, line or option is pushed below the ranking, so a reader pays only
-- for the rows it reads.
create or replace view intermediate.int_protocol_values_current as
with protocol_values as (
    select * from core.protocol_values
),

ranked as (
    select
        *,
        (case when status = 'final' then 1e12 else 0 end) + coalesce(epoch(as_of), -1e11) as version_rank
    from protocol_values
),

current_versions as (
    -- one aggregate per column (not one struct): a reader's unused columns are never computed
    select
        election_id,
        contest_id,
        source,
        level,
        unit_id,
        any_value(region_code) as region_code,
        line,
        option_id,
        arg_max(value, version_rank) as value,
        arg_max(status, version_rank) as status,
        arg_max(as_of, version_rank) as as_of,
        arg_max(source_ref, version_rank) as source_ref,
        arg_max(source_sha256, version_rank) as source_sha256,
        arg_max(source_row, version_rank) as source_row,
        arg_max(run_id, version_rank) as run_id
    from ranked
    group by election_id, contest_id, source, level, unit_id, line, option_id
),

final as (
    select * from current_versions
)

select * from final;
