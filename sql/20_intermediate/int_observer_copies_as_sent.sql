-- intermediate.int_observer_copies_as_sent: the observers' protocol copies as they sent them, one per precinct,
-- before saylau's validation: what the observers' own summary table was computed from.
-- From staging.stg_observers__protocols (the newest version of each file): a row sent twice with the same
-- numbers counts once; of copies of one precinct with different numbers the first sent counts (file name,
-- then row). Rows the validation refused (a mistyped precinct number, parties that do not add up) are
-- here with their numbers as typed. One typing slip is undone, because its signature is unambiguous:
-- ballots issued and ballots cancelled typed in each other's place (the copy's "cancelled" equals its
-- ballots in the boxes, its "issued" does not, and the two still add up to the ballots received).
-- For what saylau trusts, use intermediate.int_pec_wide (resolved copies, nothing repaired).
--   election_id, contest_id, source (organisation), unit_id (precinct as typed), region_code
--   registered ... valid        protocol lines as typed (issued / cancelled swapped back, see above)
--   swapped_issued_cancelled    the copy had issued and cancelled in each other's place
--   ballots_cast                valid + invalid
--   party_votes                 map option_id -> votes
create or replace table intermediate.int_observer_copies_as_sent as
with observer_protocols as (
    select * from staging.stg_observers__protocols
),

copies as (
    select
        *,
        row_number() over (
            partition by election_id, contest_id, source, unit_id
            order by source_ref, source_row
        ) as copy_rank,
        coalesce(
            ballots_cancelled = ballots_in_boxes
            and ballots_issued <> ballots_in_boxes
            and ballots_issued + ballots_cancelled = ballots_received,
            false
        ) as swapped
    from observer_protocols
    where contest_id is not null and unit_id is not null
),

final as (
    select
        election_id,
        contest_id,
        source,
        unit_id,
        region_code,
        registered,
        ballots_received,
        case when swapped then ballots_cancelled else ballots_issued end as ballots_issued,
        case when swapped then ballots_issued else ballots_cancelled end as ballots_cancelled,
        ballots_in_boxes,
        invalid,
        valid,
        coalesce(valid, 0) + coalesce(invalid, 0) as ballots_cast,
        party_votes,
        swapped as swapped_issued_cancelled
    from copies
    where copy_rank = 1
)

select * from final;
