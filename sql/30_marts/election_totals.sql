-- marts.election_totals: one row per election and contest with the official national figures.
-- Answers: how many voted, how many ballots were valid, who led and with what share?
-- Built from the finest level the official source gives (pec > tec > region > national), but only a level
-- that covers the whole electorate: a level counts when its registered voters reach 99.5% of the coarsest
-- level's (so a few published precinct pages never stand in for the national total) and it gives the
-- invalid (and valid-not-counted) ballots wherever the coarsest level does (the CEC's region table gives
-- neither invalid nor valid ballots, so it never stands in for the national communique).
--   election_id       election (ref.elections)
--   contest           contest id (ref.contests)
--   level             the level the totals were summed from
--   precincts         precincts counted (NULL when no precinct-level rows exist)
--   registered        voters on the final list
--   ballots_issued    voters who received ballots (turnout numerator)
--   turnout_pct       ballots_issued / registered * 100
--   valid, invalid    valid and invalid ballots (valid: where a unit gives party votes but no valid line,
--                     its options' votes added up)
--   leader            the contest's leader (intermediate.int_contest_leaders: the option an import names
--                     with --leader, else the most votes; ties: the smaller id)
--   leader_votes      its votes at the level the totals were summed from
--   leader_share_of_valid_pct         the contest's one official leader share, under its own denominator
--   leader_share_of_ballots_cast_pct  rule (ref.contests.share_denominator), in the column named for it:
--                     of the valid ballots for elections (2022 and 2023: valid including "against all");
--                     of the ballots cast = valid + invalid (+ valid-not-counted) for referendums and for
--                     elections whose law counts all ballots cast (e.g. Russia). The other column is NULL.
--   as_of             latest as_of among the figures used
--   status            final | preliminary: final when every figure used is final
--   origin            counts (the figures above) | shares_only: the contest has no count covering the
--                     electorate yet (the night after the vote the CEC states preliminary percentages
--                     only): turnout_pct and the leader share are the published national percentages, the
--                     counts (registered, ballots, votes) NULL: never made up from the shares
create or replace table marts.election_totals as
with official as (
    select * from intermediate.int_protocol_values_current
    where source = 'official'
),

contest_leaders as (
    select * from intermediate.int_contest_leaders
),

contests as (
    select * from ref.contests
),

shares_only as (
    select * from intermediate.int_results_shares_only
    where level = 'national'
),

-- one row per unit and level: its lines; where a source gives party votes but no valid line (the CEC's
-- region table, a territorial commission's decision), valid = the options' votes added up
units as (
    select
        election_id,
        contest_id,
        level,
        unit_id,
        case level when 'pec' then 1 when 'tec' then 2 when 'region' then 3 else 4 end as fineness,
        max(value) filter (where line = 'registered') as registered,
        max(value) filter (where line = 'ballots_issued') as ballots_issued,
        coalesce(max(value) filter (where line = 'valid'), sum(value) filter (where line = 'votes')) as valid,
        max(value) filter (where line = 'invalid') as invalid,
        max(value) filter (where line = 'valid_not_counted') as valid_not_counted,
        max(as_of) as as_of,
        bool_and(status = 'final') as final
    from official
    group by election_id, contest_id, level, unit_id
),

level_cover as (
    select
        election_id,
        contest_id,
        level,
        any_value(fineness) as fineness,
        sum(registered) as registered,
        -- the level gives a line when every unit of it does
        count(invalid) = count(*) as gives_invalid,
        count(valid_not_counted) = count(*) as gives_valid_not_counted
    from units
    group by election_id, contest_id, level
),

reference_cover as (
    select
        election_id,
        contest_id,
        arg_max(registered, fineness) as coarse_registered,
        arg_max(gives_invalid, fineness) as coarse_gives_invalid,
        arg_max(gives_valid_not_counted, fineness) as coarse_gives_valid_not_counted
    from level_cover
    group by all
),

-- a finer level stands in for a coarser one only when it covers the electorate and gives the lines the
-- coarsest level gives (the CEC's region table has no invalid ballots: the national figures count then)
chosen as (
    select l.election_id, l.contest_id, arg_min(l.level, l.fineness) as level
    from level_cover as l
    inner join reference_cover as r using (election_id, contest_id)
    where
        (r.coarse_registered is null or l.registered >= 0.995 * r.coarse_registered)
        and (l.gives_invalid or not r.coarse_gives_invalid)
        and (l.gives_valid_not_counted or not r.coarse_gives_valid_not_counted)
    group by all
),

lines as (
    select
        u.election_id,
        u.contest_id,
        u.level,
        nullif(count(*) filter (where u.level = 'pec'), 0) as precincts,
        sum(u.registered) as registered,
        sum(u.ballots_issued) as ballots_issued,
        sum(u.valid) as valid,
        sum(u.invalid) as invalid,
        sum(u.valid_not_counted) as valid_not_counted,
        max(u.as_of) as as_of,
        bool_and(u.final) as final
    from units as u
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
    select l.election_id, l.contest_id, l.leader, v.votes as leader_votes
    from contest_leaders as l
    inner join votes as v
        on v.election_id = l.election_id and v.contest_id = l.contest_id and v.option_id = l.leader
),

counted as (
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
        case when c.share_denominator = 'valid' then round(100.0 * w.leader_votes / nullif(l.valid, 0), 2) end
            as leader_share_of_valid_pct,
        case
            when c.share_denominator = 'valid' then null
            else round(
                100.0 * w.leader_votes / nullif(
                    coalesce(l.valid, 0) + coalesce(l.invalid, 0) + coalesce(l.valid_not_counted, 0), 0
                ),
                2
            )
        end as leader_share_of_ballots_cast_pct,
        l.as_of,
        case when l.final then 'final' else 'preliminary' end as status,
        'counts' as origin
    from lines as l
    left join leaders as w using (election_id, contest_id)
    left join contests as c using (election_id, contest_id)
),

-- a contest with no count above the precincts (a few regions' precinct protocols do not make the country)
-- but national shares: the latest national shares, the leader the option with the largest share
shares as (
    select
        s.election_id,
        s.contest,
        s.level,
        null::bigint as precincts,
        null::hugeint as registered,
        null::hugeint as ballots_issued,
        any_value(s.turnout_pct) as turnout_pct,
        null::hugeint as valid,
        null::hugeint as invalid,
        arg_min(s.party, (-s.share_pct, s.party)) as leader,
        null::hugeint as leader_votes,
        -- the CEC states its percentages under the contest's rule
        case when any_value(c.share_denominator) = 'valid' then max(s.share_pct) end
            as leader_share_of_valid_pct,
        case when any_value(c.share_denominator) = 'valid' then null else max(s.share_pct) end
            as leader_share_of_ballots_cast_pct,
        max(s.as_of) as as_of,
        any_value(s.status) as status,
        'shares_only' as origin
    from shares_only as s
    left join contests as c on c.election_id = s.election_id and c.contest_id = s.contest
    anti join (
        select distinct election_id, contest_id from level_cover where level <> 'pec'
    ) as k on k.election_id = s.election_id and k.contest_id = s.contest
    group by s.election_id, s.contest, s.level
),

final as (
    select c.*
    from counted as c
    anti join shares as s on s.election_id = c.election_id and s.contest = c.contest
    union all
    select * from shares
)

select * from final
order by election_id, contest;
