-- marts.observer_sample_summary: one row per contest, organisation, basis, region (NULL: all) and party;
-- never NULL: election_id, contest, source, basis, party.
-- Returns each duplicated key and each row with a NULL where the key allows none.
with mart as (
    select * from marts.observer_sample_summary
),

duplicates as (
    select
        'duplicate key' as failure, election_id, contest, source, basis, region_code, party, count(*) as rows
    from mart
    group by election_id, contest, source, basis, region_code, party
    having count(*) > 1
),

null_keys as (
    select 'null key' as failure, election_id, contest, source, basis, region_code, party, 1 as rows
    from mart
    where
        election_id is null
        or contest is null
        or source is null
        or basis is null
        or party is null
)

select * from duplicates
union all
select * from null_keys
