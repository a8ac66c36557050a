-- marts.discrepancy_pec: at every precinct where both an official figure and an observer's protocol copy
-- exist, each protocol line and party vote compared. Answers: where does the official count differ from
-- the protocol the precinct commission signed, on which line, by how much?
-- Observers' copies are the resolved ones (core.int_observer_protocols_resolved: conflicting copies without
-- a deciding photo are left out); official figures are the current version of the precinct row.
--   election_id, contest      the contest
--   source                    the observer organisation whose copy is compared
--   region_code, tec_id       the precinct's region and territorial commission
--   pec_id                    the precinct ('KZ-75/372')
--   line                      protocol line (registered, ballots_issued, ..., valid, votes)
--   party                     option_id for line = 'votes', NULL otherwise
--   official_value            the official figure
--   observer_value            the figure on the observer's copy
--   diff                      official_value - observer_value (positive: the official count is higher)
--   tolerance                 largest |diff| not flagged: 2, for an observer's slip of the pen
--   transposed                the difference is two lines of the copy typed in each other's place (the
--                             copy's value is the official value of another line and the other way round)
--   flagged                   |diff| > tolerance and not transposed
--   pec_flagged               any line of this precinct's protocol is flagged
-- Net votes added per party and the share of precincts with a mismatch: marts.discrepancy_pec_summary.
create or replace table marts.discrepancy_pec as
with official as (
    select * from int_pec_values where source = 'official'
),

observer as (
    select * from int_pec_values where source <> 'official'
),

paired as (
    select
        b.election_id,
        b.contest_id as contest,
        b.source,
        coalesce(o.region_code, b.region_code) as region_code,
        o.tec_id,
        b.unit_id as pec_id,
        b.line,
        b.option_id as party,
        o.value as official_value,
        b.value as observer_value,
        o.value - b.value as diff,
        2 as tolerance
    from observer as b
    inner join official as o
        on
            o.election_id = b.election_id
            and o.contest_id = b.contest_id
            and o.unit_id = b.unit_id
            and o.line = b.line
            and o.option_id is not distinct from b.option_id
),

transposed as (
    select distinct a.election_id, a.contest, a.source, a.pec_id, a.line, a.party
    from paired as a
    inner join paired as x
        on
            x.election_id = a.election_id
            and x.contest = a.contest
            and x.source = a.source
            and x.pec_id = a.pec_id
            and (x.line <> a.line or x.party is distinct from a.party)
            and x.line <> 'votes' and a.line <> 'votes'
    where
        a.diff <> 0
        and a.observer_value = x.official_value
        and x.observer_value = a.official_value
),

marked as (
    select
        p.*,
        t.line is not null as transposed,
        abs(p.diff) > p.tolerance and t.line is null as flagged
    from paired as p
    left join transposed as t
        on
            t.election_id = p.election_id
            and t.contest = p.contest
            and t.source = p.source
            and t.pec_id = p.pec_id
            and t.line = p.line
            and t.party is not distinct from p.party
),

final as (
    select
        *,
        bool_or(flagged) over (partition by election_id, contest, source, pec_id) as pec_flagged
    from marked
)

select * from final
order by election_id, contest, source, pec_id, line, party;

-- marts.discrepancy_pec_summary: per contest, observer organisation and party, what the compared
-- precincts add up to. Answers: at how many observed precincts does the official count differ from the
-- signed protocol, and how many votes did each party gain or lose there?
--   election_id, contest, source       the contest and the observer organisation
--   party                              option_id
--   is_leader                          the party with the most official votes (core.int_contest_leaders)
--   precincts_compared                 precincts with both an official figure and a resolved copy
--   precincts_mismatched               of those, precincts with any flagged line (pec_flagged)
--   mismatch_share_pct                 precincts_mismatched / precincts_compared * 100
--   official_votes, observer_votes     the party's votes at the compared precincts, both versions
--   net_votes_added                    official_votes - observer_votes: votes the official count added
--                                      (negative: took away) at the compared precincts
--   ballots_issued_added               official minus copy ballots issued at the compared precincts
--                                      (the same on every row of the contest)
create or replace table marts.discrepancy_pec_summary as
with pecs as (
    select
        election_id,
        contest,
        source,
        count(distinct pec_id) as precincts_compared,
        count(distinct pec_id) filter (where pec_flagged) as precincts_mismatched,
        sum(diff) filter (where line = 'ballots_issued')::bigint as ballots_issued_added
    from marts.discrepancy_pec
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
    from marts.discrepancy_pec
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
    left join core.int_contest_leaders as l on l.election_id = v.election_id and l.contest_id = v.contest
)

select * from final
order by election_id, contest, source, party;
