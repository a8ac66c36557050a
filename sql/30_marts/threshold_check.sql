-- marts.threshold_check: which parties pass the contest's threshold under the official figures and under
-- each observer organisation's protocols. One row per contest, party and organisation (source NULL when no
-- observer sent copies of the contest).
-- Answers: would the seat allocation change if the observers' protocols were the count?
-- Official shares: of the whole official count (the national level when published, else the sum of the
-- precinct table). Observers' shares: ratio over their resolved copies (an estimate for the precincts they
-- watched, not for the country: see marts.discrepancy_region). Thresholds of maslikhat contests apply per
-- maslikhat; a country-wide share is only a summary of them.
--   election_id, contest              the contest
--   party                             option_id (parties only, not 'against all')
--   threshold_pct                     ref.contests.threshold_pct (NULL: no threshold)
--   share_denominator                 valid | ballots_cast: what the shares are of
--   official_share_pct                official share under that rule
--   source                            the observer organisation
--   observer_share_pct                the observers' share under that rule
--   observer_share_cast_pct           the observers' share of all ballots cast (their own table's definition)
--   passes_official, passes_observer  share >= threshold_pct
create or replace table marts.threshold_check as
with current_values as (
    select * from intermediate.int_protocol_values_current
),

pec_values as (
    select * from intermediate.int_pec_values
),

pec_wide as (
    select * from intermediate.int_pec_wide
),

contests as (
    select * from ref.contests
),

parties as (
    select * from ref.parties
),

national as (
    select election_id, contest_id, line, option_id, sum(value) as value
    from current_values
    where source = 'official' and level = 'national'
    group by all
),

pec as (
    select election_id, contest_id, line, option_id, sum(value) as value
    from pec_values
    where source = 'official'
    group by all
),

official_lines as (
    select * from national
    union all
    select p.*
    from pec as p
    anti join (select distinct election_id, contest_id from national) as n using (election_id, contest_id)
),

official as (
    select
        v.election_id,
        v.contest_id,
        v.option_id as party,
        v.value as votes,
        case c.share_denominator
            when 'valid' then d.valid
            else coalesce(d.valid, 0) + coalesce(d.invalid, 0) + coalesce(d.valid_not_counted, 0)
        end as base
    from official_lines as v
    inner join (
        select
            election_id,
            contest_id,
            sum(value) filter (where line = 'valid') as valid,
            sum(value) filter (where line = 'invalid') as invalid,
            sum(value) filter (where line = 'valid_not_counted') as valid_not_counted
        from official_lines
        group by all
    ) as d using (election_id, contest_id)
    left join contests as c using (election_id, contest_id)
    where v.line = 'votes'
),

observer as (
    select
        w.election_id,
        w.contest_id,
        w.source,
        v.option_id as party,
        sum(v.value) as votes,
        any_value(t.share_base) as base,
        any_value(t.ballots_cast) as cast_base
    from pec_values as v
    inner join (
        select
            election_id, contest_id, source, sum(share_base) as share_base, sum(ballots_cast) as ballots_cast
        from pec_wide
        where source <> 'official'
        group by all
    ) as t using (election_id, contest_id, source)
    inner join (select distinct election_id, contest_id, source from pec_wide) as w
        using (election_id, contest_id, source)
    where v.source <> 'official' and v.line = 'votes'
    group by all
),

final as (
    select
        o.election_id,
        o.contest_id as contest,
        o.party,
        c.threshold_pct,
        c.share_denominator,
        round(100.0 * o.votes / nullif(o.base, 0), 2) as official_share_pct,
        b.source,
        round(100.0 * b.votes / nullif(b.base, 0), 2) as observer_share_pct,
        round(100.0 * b.votes / nullif(b.cast_base, 0), 2) as observer_share_cast_pct,
        100.0 * o.votes / nullif(o.base, 0) >= c.threshold_pct as passes_official,
        100.0 * b.votes / nullif(b.base, 0) >= c.threshold_pct as passes_observer
    from official as o
    left join contests as c using (election_id, contest_id)
    left join parties as p on p.party_id = o.party
    left join observer as b
        on b.election_id = o.election_id and b.contest_id = o.contest_id and b.party = o.party
    where coalesce(p.kind, 'party') = 'party'
)

select * from final
order by election_id, contest, party, source;
