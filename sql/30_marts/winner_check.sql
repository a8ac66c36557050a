-- marts.winner_check: does the observers' evidence change who won a single-member district? One row per
-- district and observer organisation (source NULL: no organisation sent a copy from the district).
-- The copies cover part of a district, or all of it; the rest of the district is counted as the official
-- count states it. Nothing here estimates the precincts without copies.
--   election_id, contest, district_id, district_number, region_code   the district
--   official_winner, official_runner_up, official_margin_votes, official_margin_pct   marts.district_results
--   source            the observer organisation (its resolved copies of the contest)
--   district_pecs, copied_pecs, coverage_pecs_pct      precincts the district covers / with a copy / share
--   district_registered, copied_registered, coverage_voters_pct   voters on the lists of the district / of
--                     the copied precincts (their official list, else the copy's) / share
--   copies_winner, copies_runner_up, copies_margin_votes   the winner and margin by the copies alone, over
--                     the copied precincts only
--   shift_votes       at the copied precincts that have an official protocol (a copy of a precinct without
--                     one shows no shift), the official winner's lead over the official runner-up in the
--                     official count minus that lead on the copies: votes the official count moved between
--                     the two (positive: toward the official winner); NULL when no copied precinct has one
--   combined_winner, combined_margin_votes   the district counted with the copies where they exist and the
--                     official count elsewhere (every precinct copied: the copies' count; NULL when a
--                     copied precinct has no official protocol to take out)
--   reverses          the copies' votes alone (the rest official) give the district another winner
--   coverage_to_reverse_pct   the least share of the district's voters that copies would have to cover,
--                     differing from the official count at the rate the compared ones do (shift_votes per
--                     voter on the lists of the copied precincts with an official protocol), for the shift
--                     to use up the official margin: official_margin_votes * compared voters /
--                     (shift_votes * district_registered) * 100, the point where winner and runner-up tie
--                     (above it the runner-up leads). At or below coverage_voters_pct when the copies
--                     reverse the winner to the runner-up; over 100 when even copies of every voter at
--                     that rate would not; NULL when shift_votes is NULL or <= 0 (no rate to reverse)
--   verdict           reversed | confirmed (every precinct copied, the same winner) | open (partly
--                     copied, coverage_to_reverse_pct <= 100: the uncovered precincts, differing as the
--                     copied ones do, would reverse it) | holds (partly copied, they would not) | not_observed
create or replace table marts.winner_check as
with results as (
    select * from marts.district_results
),

district_precincts as (
    select * from intermediate.int_district_precincts
),

pec_wide as (
    select * from intermediate.int_pec_wide
),

pec_votes as (
    select * from intermediate.int_pec_values
    where line = 'votes'
),

districts as (
    select
        election_id,
        contest,
        district_id,
        any_value(district_number) as district_number,
        any_value(region_code) as region_code,
        any_value(winner) as official_winner,
        any_value(runner_up) as official_runner_up,
        any_value(margin_votes) as official_margin_votes,
        any_value(margin_pct) as official_margin_pct,
        any_value(registered) as district_registered,
        any_value(precincts) as district_pecs
    from results
    group by all
),

official_pecs as (
    select election_id, contest_id as contest, unit_id, registered
    from pec_wide
    where source = 'official'
),

copied as (
    -- a copied precinct's voters from its official list, else the copy's; has_official: there is an
    -- official protocol to compare the copy with
    select
        p.election_id,
        p.contest_id as contest,
        p.district_id,
        w.source,
        w.unit_id,
        coalesce(o.registered, w.registered) as registered,
        o.unit_id is not null as has_official
    from district_precincts as p
    inner join pec_wide as w
        on w.election_id = p.election_id and w.contest_id = p.contest_id and w.unit_id = p.unit_id
    left join official_pecs as o
        on o.election_id = w.election_id and o.contest = w.contest_id and o.unit_id = w.unit_id
    where w.source <> 'official'
),

coverage as (
    select
        election_id,
        contest,
        district_id,
        source,
        count(*) as copied_pecs,
        sum(registered) as copied_registered,
        count(*) filter (where has_official) as copied_with_official,
        -- the voters over which the copies' rate of shift is measured (precincts with both counts)
        sum(registered) filter (where has_official) as compared_registered
    from copied
    group by all
),

copy_votes as (
    select
        c.election_id,
        c.contest,
        c.district_id,
        c.source,
        v.option_id,
        sum(v.value) as copy_votes,
        coalesce(sum(v.value) filter (where c.has_official), 0) as copy_votes_compared
    from copied as c
    inner join pec_votes as v
        on
            v.election_id = c.election_id and v.contest_id = c.contest
            and v.unit_id = c.unit_id and v.source = c.source
    group by all
),

official_at_copied as (
    select c.election_id, c.contest, c.district_id, c.source, v.option_id, sum(v.value) as official_votes
    from copied as c
    inner join pec_votes as v
        on
            v.election_id = c.election_id and v.contest_id = c.contest
            and v.unit_id = c.unit_id and v.source = 'official'
    group by all
),

options as (
    select
        k.election_id,
        k.contest,
        k.district_id,
        k.source,
        r.option_id,
        r.is_candidate,
        coalesce(cv.copy_votes, 0) as copy_votes,
        coalesce(oc.official_votes, 0) as official_at_copied,
        coalesce(cv.copy_votes_compared, 0) as copy_at_compared,
        case
            when k.copied_pecs >= d.district_pecs then coalesce(cv.copy_votes, 0)
            when k.copied_with_official = k.copied_pecs
                then r.votes - coalesce(oc.official_votes, 0) + coalesce(cv.copy_votes, 0)
        end as combined_votes
    from coverage as k
    inner join districts as d using (election_id, contest, district_id)
    inner join results as r using (election_id, contest, district_id)
    left join copy_votes as cv using (election_id, contest, district_id, source, option_id)
    left join official_at_copied as oc using (election_id, contest, district_id, source, option_id)
),

ranked as (
    select
        *,
        case when is_candidate then row_number() over (
            partition by election_id, contest, district_id, source, is_candidate
            order by copy_votes desc, option_id
        ) end as copies_rank,
        case when is_candidate and combined_votes is not null then row_number() over (
            partition by election_id, contest, district_id, source, is_candidate
            order by combined_votes desc, option_id
        ) end as combined_rank
    from options
),

by_source as (
    select
        r.election_id,
        r.contest,
        r.district_id,
        r.source,
        max(r.option_id) filter (where r.copies_rank = 1) as copies_winner,
        max(r.option_id) filter (where r.copies_rank = 2) as copies_runner_up,
        max(r.copy_votes) filter (where r.copies_rank = 1)
        - max(r.copy_votes) filter (where r.copies_rank = 2) as copies_margin_votes,
        -- compared where both counts exist: a copied precinct without an official protocol is no shift
        max(r.official_at_copied - r.copy_at_compared) filter (where r.option_id = d.official_winner)
        - max(r.official_at_copied - r.copy_at_compared) filter (where r.option_id = d.official_runner_up)
            as shift_votes,
        max(r.option_id) filter (where r.combined_rank = 1) as combined_winner,
        max(r.combined_votes) filter (where r.combined_rank = 1)
        - max(r.combined_votes) filter (where r.combined_rank = 2) as combined_margin_votes
    from ranked as r
    inner join districts as d using (election_id, contest, district_id)
    group by all
),

checked as (
    select
        d.election_id,
        d.contest,
        d.district_id,
        d.district_number,
        d.region_code,
        d.official_winner,
        d.official_runner_up,
        d.official_margin_votes,
        d.official_margin_pct,
        k.source,
        d.district_pecs,
        coalesce(k.copied_pecs, 0) as copied_pecs,
        round(100.0 * coalesce(k.copied_pecs, 0) / nullif(d.district_pecs, 0), 2) as coverage_pecs_pct,
        d.district_registered,
        coalesce(k.copied_registered, 0) as copied_registered,
        round(100.0 * coalesce(k.copied_registered, 0) / nullif(d.district_registered, 0), 2)
            as coverage_voters_pct,
        s.copies_winner,
        s.copies_runner_up,
        s.copies_margin_votes,
        case when k.copied_with_official > 0 then s.shift_votes end as shift_votes,
        s.combined_winner,
        s.combined_margin_votes,
        coalesce(s.combined_winner <> d.official_winner, false) as reverses,
        -- official margin / (shift per compared voter * the district's voters): where the shift would
        -- use the margin up (unrounded here: the verdict compares it)
        case
            when s.shift_votes > 0 and k.copied_with_official > 0
                then
                    100.0 * d.official_margin_votes * k.compared_registered
                    / (s.shift_votes * nullif(d.district_registered, 0))
        end as coverage_to_reverse
    from districts as d
    left join coverage as k using (election_id, contest, district_id)
    left join by_source as s using (election_id, contest, district_id, source)
),

final as (
    select
        * exclude (coverage_to_reverse),
        round(coverage_to_reverse, 2) as coverage_to_reverse_pct,
        case
            when copied_pecs = 0 then 'not_observed'
            when reverses then 'reversed'
            when copied_pecs >= district_pecs then 'confirmed'
            when coverage_to_reverse <= 100 then 'open'
            else 'holds'
        end as verdict
    from checked
)

select * from final
order by election_id, contest, district_number, district_id, source;
