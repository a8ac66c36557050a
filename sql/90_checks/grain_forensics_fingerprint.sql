-- marts.forensics_fingerprint: one row per contest and turnout x leader-share cell; no key column NULL.
-- Returns each duplicated key and each row with a NULL where the key allows none.
with mart as (
    select * from marts.forensics_fingerprint
),

duplicates as (
    select 'duplicate key' as failure, election_id, contest, turnout_bin, share_bin, count(*) as rows
    from mart
    group by election_id, contest, turnout_bin, share_bin
    having count(*) > 1
),

null_keys as (
    select 'null key' as failure, election_id, contest, turnout_bin, share_bin, 1 as rows
    from mart
    where
        election_id is null
        or contest is null
        or turnout_bin is null
        or share_bin is null
)

select * from duplicates
union all
select * from null_keys
