-- core.int_contest_leaders: per contest, the option with the most official votes (the party whose
-- "votes added" the discrepancy and observer-effect marts follow).
-- Reads core.protocol_values itself (files here run in name order), current versions as in
-- core.int_protocol_values_current (final beats preliminary, then the latest as_of).
--   election_id, contest_id   the contest
--   level                     the official level the votes were summed at: the coarsest given
--                             (national > region > tec > pec)
--   leader, leader_votes      the option with the most votes there (ties: the smaller option id) and its votes
create or replace table core.int_contest_leaders as
with official as (
    select
        election_id,
        contest_id,
        level,
        case level when 'national' then 1 when 'region' then 2 when 'tec' then 3 else 4 end as coarseness,
        unit_id,
        option_id,
        arg_max(value, (case when status = 'final' then 1e12 else 0 end) + coalesce(epoch(as_of), -1e11))
            as value
    from core.protocol_values
    where source = 'official' and line = 'votes'
    group by election_id, contest_id, level, unit_id, option_id
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

final as (
    select
        election_id,
        contest_id,
        any_value(level) as level,
        arg_min(option_id, (-votes, option_id)) as leader,
        max(votes) as leader_votes
    from votes
    group by all
)

select * from final;
