-- marts.observer_effect_tec: one row per contest and territorial commission; no key column NULL.
-- Returns each duplicated key and each row with a NULL where the key allows none.
with mart as (
    select * from marts.observer_effect_tec
),

duplicates as (
    select 'duplicate key' as failure, election_id, contest, tec_id, count(*) as rows
    from mart
    group by election_id, contest, tec_id
    having count(*) > 1
),

null_keys as (
    select 'null key' as failure, election_id, contest, tec_id, 1 as rows
    from mart
    where
        election_id is null
        or contest is null
        or tec_id is null
)

select * from duplicates
union all
select * from null_keys
