-- staging.stg_ref__precinct_commissions: the precinct commissions of ref.commissions, renamed for joining
-- to protocol rows.
--   election_id     the election
--   unit_id         the precinct ('KZ-75/372': ref's commission_id)
--   region_code     its region
--   tec_id          its territorial commission (ref's parent_id; NULL when unknown)
create or replace view staging.stg_ref__precinct_commissions as
with commissions as (
    select * from ref.commissions
),

renamed as (
    select
        election_id,
        commission_id as unit_id,
        region_code,
        parent_id as tec_id
    from commissions
    where level = 'pec'
)

select * from renamed;
