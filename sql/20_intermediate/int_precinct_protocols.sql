-- int_precinct_values / core.int_precinct_protocols: official precinct-level protocols, one row per
-- precinct, the input of every forensics mart.
-- Versions are ranked as in core.int_protocol_values_current (final beats preliminary, then the latest
-- as_of); this file reads core.protocol_values itself because files here run in name order and it sorts
-- first, and because picking versions of precinct rows only, by aggregation, is much cheaper.

-- int_precinct_values (a temporary table: it lives for the connection that builds the marts, as a
-- second on-disk copy of millions of precinct values would cost more to write than it gives): the
-- current value of every line and option at each official precinct.
--   election_id, contest_id, unit_id, region_code   the precinct
--   line, option_id, value                           a protocol line (or votes of an option) and its value
drop table if exists core.int_precinct_values;  -- persisted by earlier versions of this file

create or replace temp table int_precinct_values as
with pec as (
    select
        *,
        -- version rank: final beats preliminary, then the latest as_of (a missing as_of counts as oldest)
        (case when status = 'final' then 1e12 else 0 end) + coalesce(epoch(as_of), -1e11) as version_rank
    from core.protocol_values
    where source = 'official' and level = 'pec'
),

final as (
    select
        election_id,
        contest_id,
        unit_id,
        any_value(region_code) as region_code,
        line,
        option_id,
        arg_max(value, version_rank) as value
    from pec
    group by election_id, contest_id, unit_id, line, option_id
)

select * from final;

-- core.int_precinct_protocols: one row per official precinct with the lines forensics need.
--   registered, ballots_issued, ballots_in_boxes, invalid, valid   protocol lines (NULL when not given)
--   ballots_cast    valid + invalid (+ valid_not_counted): the leader-share denominator of the literature
--   leader          the option followed (core.precinct_imports.leader, else the most votes overall; ties:
--                   the smaller option id)
--   leader_votes    its votes at the precinct
--   turnout         ballots_issued / registered (a fraction, NULL when registered = 0)
--   leader_share    leader_votes / ballots_cast (a fraction, NULL when nothing was cast)
create or replace table core.int_precinct_protocols as
with lines as (
    select
        election_id,
        contest_id,
        unit_id,
        any_value(region_code) as region_code,
        max(value) filter (where line = 'registered') as registered,
        max(value) filter (where line = 'ballots_issued') as ballots_issued,
        max(value) filter (where line = 'ballots_in_boxes') as ballots_in_boxes,
        max(value) filter (where line = 'invalid') as invalid,
        max(value) filter (where line = 'valid') as valid,
        max(value) filter (where line = 'valid_not_counted') as valid_not_counted
    from int_precinct_values
    where line <> 'votes'
    group by all
),

option_totals as (
    select election_id, contest_id, option_id, sum(value) as votes
    from int_precinct_values
    where line = 'votes'
    group by all
),

most_votes as (
    -- ties: the smaller option id, as in core.int_contest_leaders
    select election_id, contest_id, arg_min(option_id, (-votes, option_id)) as option_id
    from option_totals
    group by all
),

chosen as (
    select election_id, contest_id, nullif(arg_max(leader, imported_at), '') as option_id
    from core.precinct_imports
    where source = 'official'
    group by all
),

leaders as (
    select m.election_id, m.contest_id, coalesce(c.option_id, m.option_id) as leader
    from most_votes as m
    left join chosen as c using (election_id, contest_id)
),

leader_votes as (
    select v.election_id, v.contest_id, v.unit_id, v.value as leader_votes
    from int_precinct_values as v
    inner join leaders as l
        on v.election_id = l.election_id and v.contest_id = l.contest_id and v.option_id = l.leader
    where v.line = 'votes'
),

final as (
    select
        l.election_id,
        l.contest_id,
        l.unit_id,
        l.region_code,
        l.registered,
        l.ballots_issued,
        l.ballots_in_boxes,
        l.invalid,
        l.valid,
        l.valid + l.invalid + coalesce(l.valid_not_counted, 0) as ballots_cast,
        w.leader,
        v.leader_votes,
        l.ballots_issued / nullif(l.registered, 0) as turnout,
        v.leader_votes / nullif(l.valid + l.invalid + coalesce(l.valid_not_counted, 0), 0) as leader_share
    from lines as l
    inner join leaders as w using (election_id, contest_id)
    left join leader_votes as v using (election_id, contest_id, unit_id)
)

select * from final
order by election_id, contest_id, unit_id;
