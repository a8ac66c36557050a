-- marts.results_official: one row per contest, level, unit, origin and party; no key column NULL.
-- Returns each duplicated key and each row with a NULL where the key allows none.
with mart as (
    select * from marts.results_official
),

duplicates as (
    select 'duplicate key' as failure, election_id, contest, level, unit_code, origin, party, count(*) as rows
    from mart
    group by election_id, contest, level, unit_code, origin, party
    having count(*) > 1
),

null_keys as (
    select 'null key' as failure, election_id, contest, level, unit_code, origin, party, 1 as rows
    from mart
    where
        election_id is null
        or contest is null
        or level is null
        or unit_code is null
        or origin is null
        or party is null
)

select * from duplicates
union all
select * from null_keys
