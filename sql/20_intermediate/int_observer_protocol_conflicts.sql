-- intermediate.int_observer_protocol_conflicts: precincts whose protocol copies from one observer organisation disagree.
-- One row per precinct and contest; analysts see here which precincts the observers' figures leave out
-- (resolution 'unresolved') or decided by the photo-backed copy (resolution 'photo').
--   election_id, contest_id, source (organisation), unit_id (pec id), region_code
--   copies          copies received
--   versions        distinct sets of numbers among them
--   photo_versions  distinct sets of numbers among the copies with a protocol photo
--   resolution      photo (the photo-backed version counts) | unresolved (no copy counts)
--   chosen_copy_id  the copy that counts (NULL when unresolved)
--   copy_ids        every copy, 'copy_id@file:row', for looking them up in core.observer_protocol_copies
create or replace view intermediate.int_observer_protocol_conflicts as
with copies_compared as (
    select * from intermediate.int_observer_copies_compared
),

conflicting as (
    select *
    from copies_compared
    where versions > 1
),

final as (
    select
        election_id,
        contest_id,
        source,
        unit_id,
        any_value(region_code) as region_code,
        any_value(copies) as copies,
        any_value(versions) as versions,
        any_value(photo_versions) as photo_versions,
        any_value(resolution) as resolution,
        max(case when counts then copy_id end) as chosen_copy_id,
        string_agg(copy_id || '@' || source_ref || ':' || source_row::varchar, '; ' order by copy_id)
            as copy_ids
    from conflicting
    group by election_id, contest_id, source, unit_id
)

select * from final;
