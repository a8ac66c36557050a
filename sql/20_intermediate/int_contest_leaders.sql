-- intermediate.int_contest_leaders: per contest, the option every mart with a leader follows (the
-- forensics marts, the discrepancy summary's is_leader, the observer effect, election_totals), the one
-- place this rule is written. The leader an import names (`saylau import-precincts --leader`: the latest
-- official import of the contest with core.precinct_imports.leader_chosen_by = 'user'), else the option
-- with the most official votes at the coarsest official level given (national > region > tec > pec);
-- ties: the smaller option id (saylau.precincts.choose_leader's rule).
--   election_id, contest_id   the contest
--   level                     the official level the votes were summed at: the coarsest given
--   leader                    the option followed
--   leader_votes              its votes at that level
--   leader_chosen_by          user (named by an import) | most_votes
create or replace table intermediate.int_contest_leaders as
with official_votes as (
    select * from intermediate.int_protocol_values_current
    where source = 'official' and line = 'votes'
),

precinct_imports as (
    select * from core.precinct_imports
    where source = 'official'
),

official as (
    select
        election_id,
        contest_id,
        level,
        case level when 'national' then 1 when 'region' then 2 when 'tec' then 3 else 4 end as coarseness,
        option_id,
        value
    from official_votes
),

level_choice as (
    select election_id, contest_id, min(coarseness) as coarseness
    from official
    group by all
),

votes as (
    select o.election_id, o.contest_id, o.level, o.option_id, sum(o.value) as votes
    from official as o
    inner join level_choice as l using (election_id, contest_id, coarseness)
    group by all
),

most_votes as (
    select
        election_id,
        contest_id,
        any_value(level) as level,
        arg_min(option_id, (-votes, option_id)) as leader,
        max(votes) as leader_votes
    from votes
    group by all
),

latest_import as (
    select
        election_id,
        contest_id,
        arg_max(leader, imported_at) as leader,
        arg_max(leader_chosen_by, imported_at) as leader_chosen_by
    from precinct_imports
    group by all
),

named as (
    select election_id, contest_id, leader
    from latest_import
    where leader_chosen_by = 'user' and leader <> ''
),

final as (
    select
        m.election_id,
        m.contest_id,
        m.level,
        coalesce(n.leader, m.leader) as leader,
        case when n.leader is null then m.leader_votes else coalesce(v.votes, 0) end as leader_votes,
        case when n.leader is null then 'most_votes' else 'user' end as leader_chosen_by
    from most_votes as m
    left join named as n using (election_id, contest_id)
    left join votes as v
        on v.election_id = m.election_id and v.contest_id = m.contest_id and v.option_id = n.leader
)

select * from final;
