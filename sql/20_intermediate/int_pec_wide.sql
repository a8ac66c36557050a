-- intermediate.int_pec_wide: one row per source, contest and precinct with the protocol lines side by side.
--   registered ... valid_not_counted   protocol lines (NULL when not given)
--   status, as_of     'preliminary' when any line is (else final; NULL for copies), latest as_of
--   ballots_cast      valid + invalid (+ valid_not_counted): what the observers' table takes shares of
--   share_base        the contest's denominator (valid for elections, ballots_cast for referendums)
--   leader_votes      votes of the contest's leader (intermediate.int_contest_leaders)
create or replace table intermediate.int_pec_wide as
with pec_values as (
    select * from intermediate.int_pec_values
),

leaders as (
    select * from intermediate.int_contest_leaders
),

contests as (
    select * from ref.contests
),

lines as (
    select
        election_id,
        contest_id,
        source,
        unit_id,
        any_value(region_code) as region_code,
        any_value(tec_id) as tec_id,
        max(value) filter (where line = 'registered') as registered,
        max(value) filter (where line = 'ballots_received') as ballots_received,
        max(value) filter (where line = 'ballots_issued') as ballots_issued,
        max(value) filter (where line = 'ballots_cancelled') as ballots_cancelled,
        max(value) filter (where line = 'ballots_in_boxes') as ballots_in_boxes,
        max(value) filter (where line = 'invalid') as invalid,
        max(value) filter (where line = 'valid') as valid,
        max(value) filter (where line = 'valid_not_counted') as valid_not_counted,
        max(status) as status,
        max(as_of) as as_of
    from pec_values
    where line <> 'votes'
    group by election_id, contest_id, source, unit_id
),

leader as (
    select v.election_id, v.contest_id, v.source, v.unit_id, sum(v.value) as leader_votes
    from pec_values as v
    inner join leaders as l
        on l.election_id = v.election_id and l.contest_id = v.contest_id and l.leader = v.option_id
    where v.line = 'votes'
    group by all
),

final as (
    select
        l.*,
        coalesce(l.valid, 0) + coalesce(l.invalid, 0) + coalesce(l.valid_not_counted, 0) as ballots_cast,
        case c.share_denominator
            when 'valid' then l.valid
            else coalesce(l.valid, 0) + coalesce(l.invalid, 0) + coalesce(l.valid_not_counted, 0)
        end as share_base,
        w.leader_votes
    from lines as l
    left join leader as w using (election_id, contest_id, source, unit_id)
    left join contests as c using (election_id, contest_id)
)

select * from final;
