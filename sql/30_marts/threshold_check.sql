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
--   passes_official                   share >= threshold_pct
--   sample_design, observed_pecs      the organisation's sample (intermediate.int_observer_sample_design)
--   passes_observer                   the observers' share >= threshold_pct; NULL unless their sample is random
--                                     and of at least 30 precincts
--   observer_verdict                  passes | fails | sample too small | not a random sample
--   official_status                   final | preliminary: of the official figures (preliminary when any is)
--   official_as_of                    latest as_of among them (NULL for the precinct table)
--   official_origin                   counts | shares_only: no official count yet, the latest national
--                                     percentages the CEC states (preliminary results), as published
create or replace table marts.threshold_check as
with current_values as (
    select * from intermediate.int_protocol_values_current
),

sample_design as (
    select * from intermediate.int_observer_sample_design
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

national_shares as (
    select * from intermediate.int_results_shares_only
    where level = 'national'
),

national as (
    select
        election_id,
        contest_id,
        line,
        option_id,
        sum(value) as value,
        bool_and(status = 'final') as final,
        max(as_of) as as_of
    from current_values
    where source = 'official' and level = 'national'
    group by election_id, contest_id, line, option_id
),

pec as (
    select
        election_id,
        contest_id,
        line,
        option_id,
        sum(value) as value,
        bool_and(status = 'final') as final,
        max(as_of) as as_of
    from pec_values
    where source = 'official'
    group by election_id, contest_id, line, option_id
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
        end as base,
        null::double as stated_share,
        d.status,
        d.as_of,
        'counts' as origin
    from official_lines as v
    inner join (
        select
            election_id,
            contest_id,
            sum(value) filter (where line = 'valid') as valid,
            sum(value) filter (where line = 'invalid') as invalid,
            sum(value) filter (where line = 'valid_not_counted') as valid_not_counted,
            case when bool_and(final) then 'final' else 'preliminary' end as status,
            max(as_of) as as_of
        from official_lines
        group by all
    ) as d using (election_id, contest_id)
    left join contests as c using (election_id, contest_id)
    where v.line = 'votes'
    union all
    -- no official count yet: the stated national shares (the night after the vote)
    select
        s.election_id,
        s.contest as contest_id,
        s.party,
        null as votes,
        null as base,
        s.share_pct as stated_share,
        s.status,
        s.as_of,
        'shares_only' as origin
    from national_shares as s
    anti join (select distinct election_id, contest_id from official_lines) as k
        on k.election_id = s.election_id and k.contest_id = s.contest
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
        coalesce(round(100.0 * o.votes / nullif(o.base, 0), 2), o.stated_share) as official_share_pct,
        b.source,
        round(100.0 * b.votes / nullif(b.base, 0), 2) as observer_share_pct,
        round(100.0 * b.votes / nullif(b.cast_base, 0), 2) as observer_share_cast_pct,
        coalesce(100.0 * o.votes / nullif(o.base, 0), o.stated_share) >= c.threshold_pct as passes_official,
        sd.sample_design,
        sd.observed_pecs,
        -- a verdict from the observers' count needs a random sample of at least min_pecs precincts
        case
            when sd.is_random and not sd.too_small then 100.0 * b.votes / nullif(b.base, 0) >= c.threshold_pct
        end
            as passes_observer,
        case
            when b.source is null then null
            when sd.too_small then 'sample too small'
            when not sd.is_random then 'not a random sample'
            when 100.0 * b.votes / nullif(b.base, 0) >= c.threshold_pct then 'passes'
            else 'fails'
        end as observer_verdict,
        o.status as official_status,
        o.as_of as official_as_of,
        o.origin as official_origin
    from official as o
    left join contests as c using (election_id, contest_id)
    left join parties as p on p.party_id = o.party
    left join observer as b
        on b.election_id = o.election_id and b.contest_id = o.contest_id and b.party = o.party
    left join sample_design as sd
        on sd.election_id = b.election_id and sd.contest_id = b.contest_id and sd.source = b.source
    where coalesce(p.kind, 'party') = 'party'
)

select * from final
order by election_id, contest, party, source;
