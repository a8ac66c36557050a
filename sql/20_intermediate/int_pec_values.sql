-- intermediate.int_pec_values: the current version (intermediate.int_protocol_values_current) of every
-- precinct figure of every source, with the precinct's region and territorial commission: the input of the
-- precinct-level marts (discrepancy, observer sample, observer effect, results, forensics).
--   election_id, contest_id   the contest
--   source                    'official' or the observer organisation (its resolved copy)
--   unit_id, region_code      the precinct ('KZ-75/372') and its region (else ref.commissions')
--   tec_id                    its territorial commission (ref.commissions.parent_id; NULL when unknown)
--   line, option_id, value    a protocol line (option_id set for line = 'votes') and its value
--   status, as_of             of that version (official rows: final | preliminary; NULL for copies)
create or replace table intermediate.int_pec_values as
with current_values as (
    select * from intermediate.int_protocol_values_current
    where level = 'pec'
),

commissions as (
    select * from staging.stg_ref__precinct_commissions
),

final as (
    select
        v.election_id,
        v.contest_id,
        v.source,
        v.unit_id,
        coalesce(v.region_code, c.region_code) as region_code,
        c.tec_id,
        v.line,
        v.option_id,
        v.value,
        v.status,
        v.as_of
    from current_values as v
    left join commissions as c
        on c.election_id = v.election_id and c.unit_id = v.unit_id
)

select * from final;
