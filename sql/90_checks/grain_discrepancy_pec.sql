-- marts.discrepancy_pec: one row per contest, organisation, precinct, line and party (party NULL for a line
-- that is not votes); never NULL: election_id, contest, source, pec_id, line.
-- Returns each duplicated key and each row with a NULL where the key allows none.
with mart as (
    select * from marts.discrepancy_pec
),

duplicates as (
    select 'duplicate key' as failure, election_id, contest, source, pec_id, line, party, count(*) as rows
    from mart
    group by election_id, contest, source, pec_id, line, party
    having count(*) > 1
),

null_keys as (
    select 'null key' as failure, election_id, contest, source, pec_id, line, party, 1 as rows
    from mart
    where
        election_id is null
        or contest is null
        or source is null
        or pec_id is null
        or line is null
)

select * from duplicates
union all
select * from null_keys
