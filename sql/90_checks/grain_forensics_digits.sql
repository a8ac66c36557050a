-- marts.forensics_digits: one row per contest, region (NULL: all) and option (NULL: all); never NULL:
-- election_id, contest.
-- Returns each duplicated key and each row with a NULL where the key allows none.
with mart as (
    select * from marts.forensics_digits
),

duplicates as (
    select 'duplicate key' as failure, election_id, contest, region_code, option_id, count(*) as rows
    from mart
    group by election_id, contest, region_code, option_id
    having count(*) > 1
),

null_keys as (
    select 'null key' as failure, election_id, contest, region_code, option_id, 1 as rows
    from mart
    where
        election_id is null
        or contest is null
)

select * from duplicates
union all
select * from null_keys
