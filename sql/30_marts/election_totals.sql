-- marts.election_totals: one row per election and contest with the official national figures.
-- Answers: how many voted, how many ballots were valid, who led and with what share?
-- Built from the finest level the official source gives (pec > tec > region > national), but only a level
-- that covers the whole electorate: a level counts when its registered voters reach 99.5% of the coarsest
-- level's (so a few published precinct pages never stand in for the national total).
--   election_id       election (ref.elections)
--   contest           contest id (ref.contests)
--   level             the level the totals were summed from
--   precincts         precincts counted (NULL when no precinct-level rows exist)
--   registered        voters on the final list
--   ballots_issued    voters who received ballots (turnout numerator)
--   turnout_pct       ballots_issued / registered * 100
--   valid, invalid    valid and invalid ballots
--   leader            option (party / candidate / answer) with the most votes (ties: the smaller id)
--   leader_votes      its votes
--   leader_share_pct  its share under the contest's own denominator rule (valid ballots for elections,
--                     ballots cast = valid + invalid (+ valid-not-counted) for referendums and for
--                     elections whose law counts all ballots cast, e.g. Russia)
--   as_of             latest as_of among the figures used
create or replace table marts.election_totals as
with official as (
    select * from core.int_protocol_values_current where source = 'official'
),

level_cover as (
    select
        election_id,
        contest_id,
        level,
        case level when 'pec' then 1 when 'tec' then 2 when 'region' then 3 else 4 end as fineness,
        sum(value) filter (where line = 'registered') as registered
    from official
    group by all
),

reference_cover as (
    select election_id, contest_id, arg_max(registered, fineness) as coarse_registered
    from level_cover
    group by all
),

chosen as (
    select l.election_id, l.contest_id, arg_min(l.level, l.fineness) as level
    from level_cover as l
    inner join reference_cover as r using (election_id, contest_id)
    where r.coarse_registered is null or l.registered >= 0.995 * r.coarse_registered
    group by all
),

lines as (
    select
        o.election_id,
        o.contest_id,
        o.level,
        nullif(count(distinct o.unit_id) filter (where o.level = 'pec'), 0) as precincts,
        sum(o.value) filter (where o.line = 'registered') as registered,
        sum(o.value) filter (where o.line = 'ballots_issued') as ballots_issued,
        sum(o.value) filter (where o.line = 'ballots_in_boxes') as ballots_in_boxes,
        sum(o.value) filter (where o.line = 'valid') as valid,
        sum(o.value) filter (where o.line = 'invalid') as invalid,
        sum(o.value) filter (where o.line = 'valid_not_counted') as valid_not_counted,
        max(o.as_of) as as_of
    from official as o
    inner join chosen as c using (election_id, contest_id, level)
    group by all
),

votes as (
    select o.election_id, o.contest_id, o.option_id, sum(o.value) as votes
    from official as o
    inner join chosen as c using (election_id, contest_id, level)
    where o.line = 'votes'
    group by all
),

leaders as (
    -- ties: the smaller option id, as in core.int_contest_leaders
    select election_id, contest_id, arg_min(option_id, (-votes, option_id)) as leader, max(votes) as leader_votes
    from votes
    group by all
),

final as (
    select
        l.election_id,
        l.contest_id as contest,
        l.level,
        l.precincts,
        l.registered,
        l.ballots_issued,
        round(100.0 * l.ballots_issued / nullif(l.registered, 0), 2) as turnout_pct,
        l.valid,
        l.invalid,
        w.leader,
        w.leader_votes,
        round(
            100.0 * w.leader_votes / nullif(
                case c.share_denominator
                    when 'valid' then l.valid
                    else coalesce(l.valid, 0) + coalesce(l.invalid, 0) + coalesce(l.valid_not_counted, 0)
                end, 0
            ), 2
        ) as leader_share_pct,
        l.as_of
    from lines as l
    left join leaders as w using (election_id, contest_id)
    left join ref.contests as c using (election_id, contest_id)
)

select * from final
order by election_id, contest;
