-- marts.observer_sample_summary: the observers' own summary table, per contest and organisation, overall
-- (region_code NULL) and by region, one row per party. Answers: what do the protocols the observers
-- collected say, on the same definitions as the observers' published table?
-- Two bases, side by side:
--   'as_sent'   every copy the observers sent, one per precinct, numbers as typed
--               (intermediate.int_observer_copies_as_sent): what the observers' own table was computed from, and
--               what reproduces it;
--   'resolved'  the copies saylau trusts (intermediate.int_pec_wide, source = the organisation): a copy refused by
--               validation or a conflict left unresolved is not in it (intermediate.int_observer_*).
-- The observers' table takes party and spoiled shares of the ballots CAST (valid + invalid), which is why
-- its columns add to 99-101 (share_of_ballots_cast_pct); share_of_valid_pct gives the share of the valid
-- ballots, the rule of elections (NULL for a contest whose rule is the ballots cast: a referendum).
--   election_id, contest      the contest
--   source                    the observer organisation
--   basis                     as_sent | resolved (above)
--   region_code               ISO region code; NULL = all the organisation's precincts
--   observed_pecs             precincts with a resolved copy
--   registered                voters on the lists there
--   ballots_issued            ballots received by voters there
--   turnout_pct               ballots_issued / registered * 100 ("voted")
--   unused_ballots_pct        ballots_cancelled / ballots_received * 100 ("unused")
--   spoiled_pct               invalid / (valid + invalid) * 100
--   party                     option_id
--   votes                     the party's votes on the copies
--   share_of_ballots_cast_pct votes / (valid + invalid) * 100: the observers' table's definition, and the
--                             contest's rule where ref.contests.share_denominator = 'ballots_cast'
--   share_of_valid_pct        votes / valid * 100 where the contest's rule is the valid ballots, else NULL
-- Percentages are rounded to 2 decimals; the published table rounds to whole percents.
create or replace table marts.observer_sample_summary as
with pec_wide as (
    select * from intermediate.int_pec_wide
),

pec_values as (
    select * from intermediate.int_pec_values
),

copies_as_sent as (
    select * from intermediate.int_observer_copies_as_sent
),

contests as (
    select * from ref.contests
),

pecs as (
    select
        'resolved' as basis,
        election_id,
        contest_id,
        source,
        unit_id,
        region_code,
        registered,
        ballots_received,
        ballots_issued,
        ballots_cancelled,
        invalid,
        ballots_cast,
        share_base
    from pec_wide
    where source <> 'official'
    union all
    select
        'as_sent' as basis,
        s.election_id,
        s.contest_id,
        s.source,
        s.unit_id,
        s.region_code,
        s.registered,
        s.ballots_received,
        s.ballots_issued,
        s.ballots_cancelled,
        s.invalid,
        s.ballots_cast,
        case c.share_denominator when 'valid' then s.valid else s.ballots_cast end as share_base
    from copies_as_sent as s
    left join contests as c using (election_id, contest_id)
),

pec_votes as (
    select 'resolved' as basis, election_id, contest_id, source, unit_id, option_id as party, value as votes
    from pec_values
    where source <> 'official' and line = 'votes'
    union all
    select
        'as_sent' as basis,
        election_id,
        contest_id,
        source,
        unit_id,
        unnest(map_keys(party_votes)) as party,
        unnest(map_values(party_votes)) as votes
    from copies_as_sent
),

-- every precinct once for its region and once for the whole (scope NULL); a copy whose region was not
-- recognised (region_code NULL, as sent) only in the whole, not twice in it
scoped as (
    select *, region_code as scope from pecs
    where region_code is not null
    union all
    select *, null as scope from pecs
),

lines as (
    select
        basis,
        election_id,
        contest_id,
        source,
        scope as region_code,
        count(*) as observed_pecs,
        sum(registered) as registered,
        sum(ballots_issued) as ballots_issued,
        sum(ballots_received) as ballots_received,
        sum(ballots_cancelled) as ballots_cancelled,
        sum(invalid) as invalid,
        sum(ballots_cast) as ballots_cast,
        sum(share_base) as share_base
    from scoped
    group by basis, election_id, contest_id, source, scope
),

votes as (
    select
        s.basis, s.election_id, s.contest_id, s.source, s.scope as region_code, v.party, sum(v.votes) as votes
    from pec_votes as v
    inner join scoped as s using (basis, election_id, contest_id, source, unit_id)
    group by s.basis, s.election_id, s.contest_id, s.source, s.scope, v.party
),

final as (
    select
        l.election_id,
        l.contest_id as contest,
        l.source,
        l.basis,
        l.region_code,
        l.observed_pecs,
        l.registered::bigint as registered,
        l.ballots_issued::bigint as ballots_issued,
        round(100.0 * l.ballots_issued / nullif(l.registered, 0), 2) as turnout_pct,
        round(100.0 * l.ballots_cancelled / nullif(l.ballots_received, 0), 2) as unused_ballots_pct,
        round(100.0 * l.invalid / nullif(l.ballots_cast, 0), 2) as spoiled_pct,
        v.party,
        v.votes::bigint as votes,
        round(100.0 * v.votes / nullif(l.ballots_cast, 0), 2) as share_of_ballots_cast_pct,
        case when c.share_denominator = 'valid' then round(100.0 * v.votes / nullif(l.share_base, 0), 2) end
            as share_of_valid_pct
    from lines as l
    left join contests as c using (election_id, contest_id)
    inner join votes as v
        on
            v.basis = l.basis
            and v.election_id = l.election_id
            and v.contest_id = l.contest_id
            and v.source = l.source
            and v.region_code is not distinct from l.region_code
)

select * from final
order by election_id, contest, source, basis, region_code nulls first, party;
