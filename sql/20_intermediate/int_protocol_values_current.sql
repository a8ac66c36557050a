-- intermediate.int_protocol_values_current: the version of every protocol number that counts now, the one
-- place this rule is written (every model needing the latest figure reads this view).
-- A source may publish the same figure several times (preliminary at night, final days later, a corrected
-- page); every version stays in core.protocol_values. Here, per election, contest, source, level, unit,
-- line and option: final beats preliminary, then the latest as_of (a missing as_of counts as oldest).
-- Columns as in core.protocol_values; region_code is the unit's (any version's), the rest the chosen
-- version's. A filter on source, level, line or option is pushed below the ranking.
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
    select
        election_id,
        contest_id,
        source,
        level,
        unit_id,
        any_value(region_code) as region_code,
        line,
        option_id,
        arg_max(
            {
                'value': value,
                'status': status,
                'as_of': as_of,
                'source_ref': source_ref,
                'source_sha256': source_sha256,
                'source_row': source_row,
                'run_id': run_id
            },
            version_rank
        ) as version
    from ranked
    group by election_id, contest_id, source, level, unit_id, line, option_id
),

final as (
    select
        election_id,
        contest_id,
        source,
        level,
        unit_id,
        region_code,
        line,
        option_id,
        version.*  -- value, status, as_of, source_ref, source_sha256, source_row, run_id
    from current_versions
)

select * from final;
