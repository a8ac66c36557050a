-- marts.forensics_integer_percent: the integer-percent test of Kobak, Shpilkin and Pshenichnikov (2016).
-- Answers: do more precincts than chance report a turnout or leader share that is a whole percent?
-- Included precincts: ballots in boxes > 0, at least `integer_min_registered` (100) registered, turnout
-- and leader share at most `integer_max_pct` (99%) (meta.forensics_parameters). Turnout = ballots issued /
-- registered; leader share = leader / ballots cast (valid + invalid). A value is "integer" when it lies
-- within `integer_tolerance_pp` (0.05 pp) of a whole percent.
-- The expectation is exact, not Monte Carlo: under the null each precinct's ballots issued are
-- Binomial(registered, its turnout) and its leader votes Binomial(ballots cast, its leader share);
-- P(integer) sums the binomial probabilities of every count within the tolerance of a whole percent
-- (log-gamma pmf over +-8 sd). P(turnout or share integer) = 1 - (1 - p_t)(1 - p_s). expected = sum of
-- the probabilities, sd = sqrt(sum p (1 - p)); both rounded to 1e-6 so rebuilds are byte-identical.
--   election_id, contest              the election and contest
--   included_precincts                precincts meeting the inclusion rule
--   observed_integer                  precincts whose turnout OR leader share is integer
--   expected_integer, expected_sd     its expectation and sd under the binomial null
--   excess                            observed_integer - expected_integer (published: 1003.5 for
--                                     Russia 2011, 1502.4 for 2016)
--   excess_sd                         excess / expected_sd
--   observed_turnout_integer, expected_turnout_integer, excess_turnout   turnout-only variant
--   observed_share_integer, expected_share_integer, excess_share         leader-share-only variant
create or replace table marts.forensics_integer_percent as
with forensics_parameters as (
    select * from meta.forensics_parameters
),

precinct_protocols as (
    select * from intermediate.int_precinct_protocols
),

params as (
    select
        max(value) filter (where name = 'integer_min_registered') as min_registered,
        max(value) filter (where name = 'integer_max_pct') as max_pct,
        max(value) filter (where name = 'integer_tolerance_pp') as tol
    from forensics_parameters
),

included as (
    select p.*
    from precinct_protocols as p, params as x
    where
        coalesce(p.ballots_in_boxes, p.ballots_cast) > 0
        and p.registered >= x.min_registered
        and p.ballots_cast > 0
        and p.leader_votes is not null
        and 100 * p.ballots_issued <= x.max_pct * p.registered
        and 100 * p.leader_votes <= x.max_pct * p.ballots_cast
),

-- one binomial trial per precinct and variable: n trials, k observed successes, p = k / n
trials as (
    select election_id, contest_id, unit_id, 'turnout' as variable, registered as n, ballots_issued as k
    from included
    union all
    select election_id, contest_id, unit_id, 'share', ballots_cast, leader_votes
    from included
),

observed as (
    select
        t.*,
        t.k / t.n as p,
        -- |100 k / n - j| <= tol, for j the nearest whole percent (a relative epsilon keeps exact ties)
        abs(100.0 * t.k - round(100.0 * t.k / t.n) * t.n) <= x.tol * t.n * (1 + 1e-9) as is_integer
    from trials as t, params as x
),

-- the whole percents within 8 sd of each trial's mean (the mass beyond is under 1e-8 even for a
-- precinct of 100 voters at 1%)
percents as (
    select
        o.*,
        unnest(
            range(
                greatest(0, floor(100 * o.p - 800 * sqrt(greatest(0, o.p * (1 - o.p)) / o.n)) - 1)::bigint,
                least(100, ceil(100 * o.p + 800 * sqrt(greatest(0, o.p * (1 - o.p)) / o.n)) + 1)::bigint + 1
            )
        ) as j
    from observed as o
),

-- every count within the tolerance of a whole percent j
counts as (
    select
        p.election_id,
        p.contest_id,
        p.unit_id,
        p.variable,
        p.n,
        p.p,
        unnest(
            range(
                greatest(0, ceil((p.j - x.tol) * p.n / 100 - 1e-9))::bigint,
                least(p.n, floor((p.j + x.tol) * p.n / 100 + 1e-9))::bigint + 1
            )
        ) as c
    from percents as p, params as x
),

probabilities as (
    select
        election_id,
        contest_id,
        unit_id,
        variable,
        sum(
            case
                when p = 0 then (c = 0)::int
                else exp(lgamma(n + 1) - lgamma(c + 1) - lgamma(n - c + 1) + c * ln(p) + (n - c) * ln(1 - p))
            end
        ) as p_integer
    from counts
    group by all
),

per_precinct as (
    select
        o.election_id,
        o.contest_id,
        o.unit_id,
        bool_or(o.is_integer) filter (where o.variable = 'turnout') as turnout_integer,
        bool_or(o.is_integer) filter (where o.variable = 'share') as share_integer,
        coalesce(max(b.p_integer) filter (where b.variable = 'turnout'), 0) as p_turnout,
        coalesce(max(b.p_integer) filter (where b.variable = 'share'), 0) as p_share
    from observed as o
    left join probabilities as b using (election_id, contest_id, unit_id, variable)
    group by all
),

sums as (
    select
        election_id,
        contest_id as contest,
        count(*) as included_precincts,
        count(*) filter (where turnout_integer or share_integer) as observed_integer,
        count(*) filter (where turnout_integer) as observed_turnout_integer,
        count(*) filter (where share_integer) as observed_share_integer,
        -- Kahan sums rounded to 1e-6: a rebuild over the same core gives the same bytes whatever order
        -- the parallel aggregation adds in
        round(fsum(1 - (1 - p_turnout) * (1 - p_share)), 6) as expected_integer,
        round(
            sqrt(greatest(0, fsum((1 - (1 - p_turnout) * (1 - p_share)) * (1 - p_turnout) * (1 - p_share)))),
            6
        )
            as expected_sd,
        round(fsum(p_turnout), 6) as expected_turnout_integer,
        round(fsum(p_share), 6) as expected_share_integer
    from per_precinct
    group by all
),

final as (
    select
        election_id,
        contest,
        included_precincts,
        observed_integer,
        expected_integer,
        observed_integer - expected_integer as excess,
        expected_sd,
        round((observed_integer - expected_integer) / nullif(expected_sd, 0), 6) as excess_sd,
        observed_turnout_integer,
        expected_turnout_integer,
        observed_turnout_integer - expected_turnout_integer as excess_turnout,
        observed_share_integer,
        expected_share_integer,
        observed_share_integer - expected_share_integer as excess_share
    from sums
)

select * from final
order by election_id, contest;
