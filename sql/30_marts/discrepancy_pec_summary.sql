-- marts.discrepancy_pec_summary: per contest, observer organisation and party, what the compared
-- precincts add up to. Answers: at how many observed precincts does the official count differ from the
-- signed protocol, and how many votes did each party gain or lose there?
--   election_id, contest, source       the contest and the observer organisation
--   party                              option_id
--   is_leader                          the party with the most official votes (intermediate.int_contest_leaders)
--   precincts_compared                 precincts with both an official figure and a resolved copy
--   precincts_mismatched               of those, precincts with any flagged line (pec_flagged)
--   mismatch_share_pct                 precincts_mismatched / precincts_compared * 100
--   official_votes, observer_votes     the party's votes at the compared precincts, both versions
--   net_votes_added                    official_votes - observer_votes: votes the official count added
--                                      (negative: took away) at the compared precincts
--   ballots_issued_added               official minus copy ballots issued at the compared precincts
--                                      (the same on every row of the contest)
create or replace table marts.discrepancy_pec_summary as
with discrepancies as (
    select * from marts.discrepancy_pec
),

leaders as (
    select * from intermediate.int_contest_leaders
),

pecs as (
    select
        election_id,
        contest,
        source,
        count(distinct pec_id) as precincts_compared,
        count(distinct pec_id) filter (where pec_flagged) as precincts_mismatched,
        sum(diff) filter (where line = 'ballots_issued')::bigint as ballots_issued_added
    from discrepancies
    group by all
),

votes as (
    select
        election_id,
        contest,
        source,
        party,
        sum(official_value)::bigint as official_votes,
        sum(observer_value)::bigint as observer_votes,
        sum(diff)::bigint as net_votes_added
    from discrepancies
    where line = 'votes'
    group by all
),

final as (
    select
        v.election_id,
        v.contest,
        v.source,
        v.party,
        coalesce(v.party = l.leader, false) as is_leader,
        p.precincts_compared,
        p.precincts_mismatched,
        round(100.0 * p.precincts_mismatched / p.precincts_compared, 2) as mismatch_share_pct,
        v.official_votes,
        v.observer_votes,
        v.net_votes_added,
        p.ballots_issued_added
    from votes as v
    inner join pecs as p using (election_id, contest, source)
    left join leaders as l on l.election_id = v.election_id and l.contest_id = v.contest
)

select * from final
order by election_id, contest, source, party;
