-- marts.threshold_check: one row per contest, party and organisation (NULL: no observer sent copies); never
-- NULL: election_id, contest, party.
-- Returns each duplicated key and each row with a NULL where the key allows none.
with mart as (
    select * from marts.threshold_check
),

duplicates as (
    select 'duplicate key' as failure, election_id, contest, party, source, count(*) as rows
    from mart
    group by election_id, contest, party, source
    having count(*) > 1
),

null_keys as (
    select 'null key' as failure, election_id, contest, party, source, 1 as rows
    from mart
    where
        election_id is null
        or contest is null
        or party is null
)

select * from duplicates
union all
select * from null_keys
