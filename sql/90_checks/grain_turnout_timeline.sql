-- marts.turnout_timeline: one row per election, region ('KZ': the country), hour and organisation (NULL:
-- none counted); never NULL: election_id, region_code, as_of.
-- Returns each duplicated key and each row with a NULL where the key allows none.
with mart as (
    select * from marts.turnout_timeline
),

duplicates as (
    select 'duplicate key' as failure, election_id, region_code, as_of, source, count(*) as rows
    from mart
    group by election_id, region_code, as_of, source
    having count(*) > 1
),

null_keys as (
    select 'null key' as failure, election_id, region_code, as_of, source, 1 as rows
    from mart
    where
        election_id is null
        or region_code is null
        or as_of is null
)

select * from duplicates
union all
select * from null_keys
