-- marts.discrepancy_pec_summary: one row per contest, organisation and party; no key column NULL.
-- Returns each duplicated key and each row with a NULL where the key allows none.
with mart as (
    select * from marts.discrepancy_pec_summary
),

duplicates as (
    select 'duplicate key' as failure, election_id, contest, source, party, count(*) as rows
    from mart
    group by election_id, contest, source, party
    having count(*) > 1
),

null_keys as (
    select 'null key' as failure, election_id, contest, source, party, 1 as rows
    from mart
    where
        election_id is null
        or contest is null
        or source is null
        or party is null
)

select * from duplicates
union all
select * from null_keys
