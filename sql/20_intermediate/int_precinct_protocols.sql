-- intermediate.int_precinct_protocols: official precinct-level protocols, one row per precinct, the input
-- of every forensics mart (current versions: intermediate.int_pec_values).
--   election_id, contest_id, unit_id, region_code   the precinct
--   registered, ballots_issued, ballots_in_boxes, invalid, valid   protocol lines (NULL when not given)
--   ballots_cast    valid + invalid (+ valid_not_counted): the leader-share denominator of the literature
--   leader          the option followed (intermediate.int_contest_leaders)
--   leader_votes    its votes at the precinct
--   turnout         ballots_issued / registered (a fraction, NULL when registered = 0)
--   leader_share    leader_votes / ballots_cast (a fraction, NULL when nothing was cast)
create or replace table intermediate.int_precinct_protocols as
with pec_values as (
    select * from intermediate.int_pec_values
    where source = 'official'
),

leaders as (
    select * from intermediate.int_contest_leaders
),

lines as (
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
    from pec_values
    where line <> 'votes'
    group by all
),

leader_votes as (
    select v.election_id, v.contest_id, v.unit_id, v.value as leader_votes
    from pec_values as v
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
