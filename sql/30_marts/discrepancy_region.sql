-- marts.discrepancy_region: official turnout and party shares against the observers' sample, by region
-- (and overall, region_code NULL), one row per contest, observer organisation, region and party.
-- Answers: where do the official figures fall outside what the observers' protocols say?
--
-- The observers' figures are ratio estimates over their precincts (the clusters): turnout = sum of ballots
-- issued / sum of registered, a party's share = sum of its votes / sum of the contest's denominator
-- (valid ballots in elections, all ballots cast in referendums), from the resolved copies, every party's
-- over the same precincts: a party a copy gives no votes for (not on that precinct's ballot) counts 0
-- there, as in the official share. The 95%
-- interval is the quick-count one for a cluster sample: var(r) = (1 - n/N) * n / (n - 1) *
-- sum((y_i - r * x_i)^2) / (sum x_i)^2, with n observed and N official precincts of the region.
--
-- CAVEAT: the interval (and so `significant`) is only meaningful when the observed precincts are a random
-- sample of the region's precincts. Observers usually go where they can (cities, oblast centres): such a
-- sample says what happened at those precincts, not in the region. `random_sample` marks samples that
-- cannot be random: under simple random sampling of n precincts the sample would touch, on average,
-- expected_tecs = sum over the region's territorial commissions of 1 - (1 - N_t / N)^n of them; a sample
-- touching fewer than half of that is marked false, and the interval is then descriptive only.
--   election_id, contest        the contest
--   source                      the observer organisation
--   region_code                 ISO region code; NULL = all the organisation's precincts against the
--                               whole official count
--   observed_pecs, official_pecs   precincts in the sample (n) and in the official count (N)
--   observed_tecs, expected_tecs   territorial commissions the sample touches / would touch if random
--   sample_design               random | convenience: how the organisation chose its precincts
--                               (ref.observer_samples; not listed: convenience)
--   random_sample               the design is random and observed_tecs >= 0.5 * expected_tecs (see CAVEAT);
--                               intervals and significant verdicts are NULL unless it is true (the
--                               commissions' test is skipped when the official precinct table is missing)
--   party                       option_id
--   official_turnout_pct        official ballots issued / registered * 100 (all the region's precincts)
--   observer_turnout_pct        the sample's ratio estimate
--   turnout_gap_pp              official minus observer turnout, percentage points
--   turnout_ci_low, turnout_ci_high   95% interval of the observer turnout (pct)
--   turnout_significant         official turnout outside that interval
--   official_share_pct          the party's official share under the contest's denominator rule
--   observer_share_pct          the sample's ratio estimate of it
--   share_gap_pp                official minus observer share, percentage points
--   observer_ci_low, observer_ci_high   95% interval of the observer share (pct)
--   significant                 official share outside that interval
--   official_status             final | preliminary: of the official precinct figures of the scope
--                               (preliminary when any is)
--   official_as_of              latest as_of among them (NULL for the precinct table)
create or replace table marts.discrepancy_region as
with pec_wide as (
    select * from intermediate.int_pec_wide
),

sample_design as (
    select * from intermediate.int_observer_sample_design
),

pec_values as (
    select * from intermediate.int_pec_values
),

official_pecs as (
    select * from pec_wide where source = 'official'
),

sample_pecs as (
    select * from pec_wide where source <> 'official'
),

-- every row twice: once for its region, once for the whole (scope '*')
official_scoped as (
    select *, region_code as scope from official_pecs
    union all
    select *, '*' as scope from official_pecs
),

sample_scoped as (
    select *, region_code as scope from sample_pecs
    union all
    select *, '*' as scope from sample_pecs
),

official_votes as (
    select v.election_id, v.contest_id, s.scope, v.option_id as party, sum(v.value) as votes
    from pec_values as v
    inner join official_scoped as s using (election_id, contest_id, source, unit_id)
    where v.source = 'official' and v.line = 'votes'
    group by all
),

official as (
    select
        election_id,
        contest_id,
        scope,
        count(*) as official_pecs,
        sum(registered) as registered,
        sum(ballots_issued) as ballots_issued,
        sum(share_base) as share_base,
        case when bool_and(status = 'final') then 'final' else 'preliminary' end as official_status,
        max(as_of) as official_as_of
    from official_scoped
    group by all
),

tec_sizes as (
    select election_id, contest_id, scope, tec_id, count(*) as pecs
    from official_scoped
    where tec_id is not null
    group by all
),

-- the parties any copy of the scope gives votes for; every precinct of the sample enters each party's
-- ratio, a party its copy has no votes for (not on that precinct's ballot: maslikhat lists differ by
-- region) with 0, as in the official share, so that n, the turnout and the denominator are the whole
-- sample's for every party
sample_parties as (
    select distinct s.election_id, s.contest_id, s.source, s.scope, v.option_id as party
    from sample_scoped as s
    inner join pec_values as v using (election_id, contest_id, source, unit_id)
    where v.line = 'votes'
),

sample_votes as (
    select
        s.election_id, s.contest_id, s.source, s.scope, s.unit_id, p.party, coalesce(v.value, 0) as votes,
        s.share_base, s.ballots_issued, s.registered
    from sample_scoped as s
    inner join sample_parties as p using (election_id, contest_id, source, scope)
    left join pec_values as v
        on
            v.election_id = s.election_id
            and v.contest_id = s.contest_id
            and v.source = s.source
            and v.unit_id = s.unit_id
            and v.line = 'votes'
            and v.option_id = p.party
),

sample_ratio as (
    select
        election_id,
        contest_id,
        source,
        scope,
        party,
        count(*) as n,
        sum(votes) / nullif(sum(share_base), 0) as share_r,
        sum(ballots_issued) / nullif(sum(registered), 0) as turnout_r,
        sum(share_base) as share_x,
        sum(registered) as turnout_x
    from sample_votes
    group by all
),

sample_var as (
    select
        r.election_id,
        r.contest_id,
        r.source,
        r.scope,
        r.party,
        r.n,
        r.share_r,
        r.turnout_r,
        sum(power(s.votes - r.share_r * s.share_base, 2)) / any_value(power(r.share_x, 2)) as share_ss,
        sum(power(s.ballots_issued - r.turnout_r * s.registered, 2)) / any_value(power(r.turnout_x, 2))
            as turnout_ss
    from sample_ratio as r
    inner join sample_votes as s using (election_id, contest_id, source, scope, party)
    group by r.election_id, r.contest_id, r.source, r.scope, r.party, r.n, r.share_r, r.turnout_r
),

sample_tecs as (
    select election_id, contest_id, source, scope, count(distinct tec_id) as observed_tecs
    from sample_scoped
    group by all
),

expected_tecs as (
    select
        t.election_id,
        t.contest_id,
        s.source,
        t.scope,
        sum(1 - power(1 - t.pecs / o.official_pecs, s.n)) as expected_tecs
    from tec_sizes as t
    inner join official as o using (election_id, contest_id, scope)
    inner join (
        select distinct election_id, contest_id, source, scope, n from sample_var
    ) as s using (election_id, contest_id, scope)
    group by all
),

estimates as (
    select
        v.*,
        o.official_pecs,
        o.registered as official_registered,
        o.ballots_issued as official_ballots_issued,
        o.share_base as official_share_base,
        -- finite population correction (1 - n/N); none (1) when the official count is unknown
        case
            when v.n > 1
                then
                    (case when o.official_pecs is null then 1 else greatest(1 - v.n / o.official_pecs, 0) end)
                    * v.n / (v.n - 1)
        end as var_factor
    from sample_var as v
    left join official as o using (election_id, contest_id, scope)
),

final as (
    select
        e.election_id,
        e.contest_id as contest,
        e.source,
        nullif(e.scope, '*') as region_code,
        e.n as observed_pecs,
        e.official_pecs,
        t.observed_tecs,
        round(x.expected_tecs, 1) as expected_tecs,
        sd.sample_design,
        -- random: drawn at random (ref.observer_samples) and spread over the commissions a random draw reaches
        sd.is_random and coalesce(t.observed_tecs >= 0.5 * x.expected_tecs, true) as random_sample,
        e.party,
        round(100.0 * e.official_ballots_issued / nullif(e.official_registered, 0), 2)
            as official_turnout_pct,
        round(100 * e.turnout_r, 2) as observer_turnout_pct,
        round(100.0 * e.official_ballots_issued / nullif(e.official_registered, 0) - 100 * e.turnout_r, 2)
            as turnout_gap_pp,
        round(100 * (e.turnout_r - 1.96 * sqrt(e.var_factor * e.turnout_ss)), 2) as turnout_ci_low,
        round(100 * (e.turnout_r + 1.96 * sqrt(e.var_factor * e.turnout_ss)), 2) as turnout_ci_high,
        round(100.0 * ov.votes / nullif(e.official_share_base, 0), 2) as official_share_pct,
        round(100 * e.share_r, 2) as observer_share_pct,
        round(100.0 * ov.votes / nullif(e.official_share_base, 0) - 100 * e.share_r, 2) as share_gap_pp,
        round(100 * (e.share_r - 1.96 * sqrt(e.var_factor * e.share_ss)), 2) as observer_ci_low,
        round(100 * (e.share_r + 1.96 * sqrt(e.var_factor * e.share_ss)), 2) as observer_ci_high,
        o.official_status,
        o.official_as_of
    from estimates as e
    left join official as o
        on o.election_id = e.election_id and o.contest_id = e.contest_id and o.scope = e.scope
    left join official_votes as ov
        on
            ov.election_id = e.election_id
            and ov.contest_id = e.contest_id
            and ov.scope = e.scope
            and ov.party = e.party
    left join sample_tecs as t
        on
            t.election_id = e.election_id
            and t.contest_id = e.contest_id
            and t.source = e.source
            and t.scope = e.scope
    left join expected_tecs as x
        on
            x.election_id = e.election_id
            and x.contest_id = e.contest_id
            and x.source = e.source
            and x.scope = e.scope
    left join sample_design as sd
        on sd.election_id = e.election_id and sd.contest_id = e.contest_id and sd.source = e.source
)

-- intervals and verdicts only where the sample is random: a sample chosen otherwise describes the watched
-- precincts, not the region
select
    * exclude (
        turnout_ci_low, turnout_ci_high,
        official_share_pct, observer_share_pct, share_gap_pp, observer_ci_low, observer_ci_high,
        official_status, official_as_of
    ),
    case when random_sample then turnout_ci_low end as turnout_ci_low,
    case when random_sample then turnout_ci_high end as turnout_ci_high,
    case when random_sample then official_turnout_pct not between turnout_ci_low and turnout_ci_high end
        as turnout_significant,
    official_share_pct,
    observer_share_pct,
    share_gap_pp,
    case when random_sample then observer_ci_low end as observer_ci_low,
    case when random_sample then observer_ci_high end as observer_ci_high,
    case when random_sample then official_share_pct not between observer_ci_low and observer_ci_high end
        as significant,
    official_status,
    official_as_of
from final
order by election_id, contest, source, region_code nulls first, party;
