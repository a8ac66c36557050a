-- marts.observer_effect: one row per election and contest; no key column NULL.
-- Returns each duplicated key and each row with a NULL where the key allows none.
with mart as (
    select * from marts.observer_effect
),

duplicates as (
    select 'duplicate key' as failure, election_id, contest, count(*) as rows
    from mart
    group by election_id, contest
    having count(*) > 1
),

null_keys as (
    select 'null key' as failure, election_id, contest, 1 as rows
    from mart
    where
        election_id is null
        or contest is null
)

select * from duplicates
union all
select * from null_keys
