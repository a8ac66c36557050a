-- int_pec_values: the precinct-level figures of every source, an input of the discrepancy, observer-sample
-- and observer-effect marts.
-- Reads core.protocol_values itself (files here run in name order): the current version of every
-- precinct figure of every source, ranked as in core.int_protocol_values_current (final beats
-- preliminary, then the latest as_of).

-- int_pec_values (a temporary table: it lives for the connection that builds the marts; a second on-disk
-- copy of every precinct value would cost more to write than it gives): one row per source, contest,
-- precinct, line and option: the value that counts.
--   election_id, contest_id   the contest
--   source                    'official' or the observer organisation (its resolved copy)
--   unit_id, region_code      the precinct ('KZ-75/372') and its region
--   tec_id                    its territorial commission (ref.commissions.parent_id; NULL when unknown)
--   line, option_id, value    a protocol line (option_id set for line = 'votes') and its value
--   status, as_of             of that version (official rows: final | preliminary; NULL for copies)
drop table if exists core.int_pec_values;  -- persisted by the first version of this file

create or replace temp table int_pec_values as
with pec as (
    select
        *,
        (case when status = 'final' then 1e12 else 0 end) + coalesce(epoch(as_of), -1e11) as version_rank
    from core.protocol_values
    where level = 'pec'
),

current_values as (
    select
        election_id,
        contest_id,
        source,
        unit_id,
        any_value(region_code) as region_code,
        line,
        option_id,
        arg_max(value, version_rank) as value,
        arg_max(status, version_rank) as status,
        arg_max(as_of, version_rank) as as_of
    from pec
    group by election_id, contest_id, source, unit_id, line, option_id
),

final as (
    select
        v.election_id,
        v.contest_id,
        v.source,
        v.unit_id,
        coalesce(v.region_code, c.region_code) as region_code,
        c.parent_id as tec_id,
        v.line,
        v.option_id,
        v.value,
        v.status,
        v.as_of
    from current_values as v
    left join ref.commissions as c
        on c.election_id = v.election_id and c.commission_id = v.unit_id and c.level = 'pec'
)

select * from final;
