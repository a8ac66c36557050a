-- marts.election_totals: one row per election and contest; no key column NULL; one official leader share
-- per contest (of valid ballots or of ballots cast, never both).
-- Returns each duplicated key, each row with a NULL where the key allows none and each row with two shares.
with mart as (
    select * from marts.election_totals
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
),

two_leader_shares as (
    select 'two leader shares' as failure, election_id, contest, 1 as rows
    from mart
    where leader_share_of_valid_pct is not null and leader_share_of_ballots_cast_pct is not null
)

select * from duplicates
union all
select * from null_keys
union all
select * from two_leader_shares
