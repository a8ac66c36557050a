-- marts.forensics_distribution: one row per contest and region (NULL: all); never NULL: election_id,
-- contest.
-- Returns each duplicated key and each row with a NULL where the key allows none.
with mart as (
    select * from marts.forensics_distribution
),

duplicates as (
    select 'duplicate key' as failure, election_id, contest, region_code, count(*) as rows
    from mart
    group by election_id, contest, region_code
    having count(*) > 1
),

null_keys as (
    select 'null key' as failure, election_id, contest, region_code, 1 as rows
    from mart
    where
        election_id is null
        or contest is null
)

select * from duplicates
union all
select * from null_keys
