-- marts.discrepancy_region: one row per contest, organisation, region (NULL: all) and party; never NULL:
-- election_id, contest, source, party.
-- Returns each duplicated key and each row with a NULL where the key allows none.
with mart as (
    select * from marts.discrepancy_region
),

duplicates as (
    select 'duplicate key' as failure, election_id, contest, source, region_code, party, count(*) as rows
    from mart
    group by election_id, contest, source, region_code, party
    having count(*) > 1
),

null_keys as (
    select 'null key' as failure, election_id, contest, source, region_code, party, 1 as rows
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
