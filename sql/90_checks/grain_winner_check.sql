-- marts.winner_check: one row per district and observer organisation (NULL: no copy from the district);
-- never NULL: election_id, contest, district_id, verdict.
-- Returns each duplicated key and each row with a NULL where the key allows none.
with mart as (
    select * from marts.winner_check
),

duplicates as (
    select 'duplicate key' as failure, election_id, contest, district_id, source, count(*) as rows
    from mart
    group by election_id, contest, district_id, source
    having count(*) > 1
),

null_keys as (
    select 'null key' as failure, election_id, contest, district_id, source, 1 as rows
    from mart
    where
        election_id is null
        or contest is null
        or district_id is null
        or verdict is null
)

select * from duplicates
union all
select * from null_keys
