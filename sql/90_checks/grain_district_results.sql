-- marts.district_results: one row per district and ballot option; never NULL: election_id, contest,
-- district_id, option_id.
-- Returns each duplicated key and each row with a NULL where the key allows none.
with mart as (
    select * from marts.district_results
),

duplicates as (
    select 'duplicate key' as failure, election_id, contest, district_id, option_id, count(*) as rows
    from mart
    group by election_id, contest, district_id, option_id
    having count(*) > 1
),

null_keys as (
    select 'null key' as failure, election_id, contest, district_id, option_id, 1 as rows
    from mart
    where
        election_id is null
        or contest is null
        or district_id is null
        or option_id is null
)

select * from duplicates
union all
select * from null_keys
