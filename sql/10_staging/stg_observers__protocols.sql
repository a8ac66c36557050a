-- staging.stg_observers__protocols: the observers' protocol rows as they sent them (staging.observer_protocols,
-- the newest version of each file), before validation, renamed and cast for the models that read them.
--   election_id, contest_id     the contest (NULL when the row named none saylau knows)
--   source                      the observer organisation (staging's `organisation`)
--   unit_id, region_code        the precinct as typed ('KZ-75/372'; NULL when not recognised) and its region
--   registered ... valid        protocol lines as typed
--   party_votes                 map option_id -> votes (staging's `votes`, JSON)
--   source_ref, source_row      the file and row
create or replace view staging.stg_observers__protocols as
with source as (
    select * from staging.observer_protocols
),

renamed as (
    select
        election_id,
        contest_id,
        organisation as source,
        unit_id,
        region_code,
        registered,
        ballots_received,
        ballots_issued,
        ballots_cancelled,
        ballots_in_boxes,
        invalid,
        valid,
        cast(votes as map(varchar, bigint)) as party_votes,  -- noqa: LT01
        source_ref,
        source_row
    from source
)

select * from renamed;
