-- intermediate.int_observer_copies_compared: every current copy of a precinct protocol sent by observers, compared with
-- the other copies of the same protocol (same election, contest, organisation and precinct), and whether it
-- is the copy that counts.
--
-- The rule (docs/observers.md): copies that agree count once. When copies disagree, the one version backed
-- by a photo of the protocol counts; when no version, or more than one disagreeing version, has a photo,
-- none counts: the precinct is left out of the observers' figures and listed in
-- intermediate.int_observer_protocol_conflicts for someone to check against the photos or the observer.
--   copy_id        file sha256 (16 hex) + ':' + row number of the copy
--   signature      md5 of the copy's numbers (line:option=value, sorted): equal signature = same numbers
--   has_photo      the copy gives a protocol-photo reference
--   versions       distinct signatures among the precinct's copies (1 = they all agree)
--   photo_versions distinct signatures among the copies with a photo
--   copies         copies of the precinct's protocol
--   resolution     agreed | photo | unresolved
--   counts         true for the single copy whose numbers enter core.protocol_values
create or replace view intermediate.int_observer_copies_compared as
with protocol_copies as (
    select * from core.observer_protocol_copies
),

copies as (
    select
        copy_id,
        election_id,
        contest_id,
        source,
        unit_id,
        any_value(region_code) as region_code,
        bool_or(has_photo) as has_photo,
        md5(
            string_agg(
                line || ':' || coalesce(option_id, '') || '=' || value::varchar, ';' order by line, option_id
            )
        ) as signature,
        min(source_ref) as source_ref,
        min(source_row) as source_row
    from protocol_copies
    group by copy_id, election_id, contest_id, source, unit_id
),

unit_versions as (
    select
        election_id,
        contest_id,
        source,
        unit_id,
        count(distinct signature) as versions,
        count(distinct signature) filter (where has_photo) as photo_versions,
        count(*) as copies
    from copies
    group by election_id, contest_id, source, unit_id
),

ranked as (
    select
        c.*,
        u.versions,
        u.photo_versions,
        u.copies,
        case
            when u.versions = 1 then 'agreed'
            when u.photo_versions = 1 then 'photo'
            else 'unresolved'
        end as resolution,
        -- the copy to keep: a photo-backed one first (for 'photo' that is the one photo version)
        row_number() over (
            partition by c.election_id, c.contest_id, c.source, c.unit_id
            order by c.has_photo desc, c.source_ref, c.source_row, c.copy_id
        ) as pick
    from copies as c
    inner join unit_versions as u using (election_id, contest_id, source, unit_id)
),

final as (
    select
        * exclude (pick),
        resolution <> 'unresolved' and pick = 1 as counts
    from ranked
)

select * from final;
