-- marts.forensics_distribution: the shape of the turnout distribution and its link with the leader's
-- share, as in the Election Forensics Toolkit: by election, contest and region (region_code NULL = all).
-- Answers: is turnout spread like a single bell, and do high-turnout precincts favour the leader?
-- Precincts with registered voters and ballots cast > 0 count.
--   election_id, contest, region_code   the group
--   precincts                           precincts counted
--   registered                          their registered voters
--   turnout_mean_pct, turnout_sd_pct    mean and sd of precinct turnout (ballots issued / registered, pct)
--   turnout_skew                        sample skewness of precinct turnout (0 for a symmetric bell)
--   turnout_kurtosis                    sample excess kurtosis of precinct turnout (0 for a normal bell)
--   turnout_leader_share_corr           Pearson correlation of precinct turnout and leader share
--                                       (leader / (valid + invalid)); strongly positive is the stuffing sign
--   mean_precinct_leader_share_of_ballots_cast_pct
--                                       unweighted mean over the precincts of leader / (valid + invalid)
--                                       (pct): a shape statistic, not a leader share of the contest
create or replace table marts.forensics_distribution as
with precinct_protocols as (
    select * from intermediate.int_precinct_protocols
),

precincts as (
    select *
    from precinct_protocols
    where registered > 0 and ballots_cast > 0 and turnout is not null and leader_share is not null
),

grouped as (
    select
        election_id,
        contest_id,
        region_code,
        count(*) as precincts,
        sum(registered) as registered,
        -- rounded to 1e-9 so a rebuild gives the same bytes whatever order the aggregation adds in
        round(100 * avg(turnout), 9) as turnout_mean_pct,
        round(100 * stddev_samp(turnout), 9) as turnout_sd_pct,
        round(skewness(turnout), 9) as turnout_skew,
        round(kurtosis(turnout), 9) as turnout_kurtosis,
        round(corr(turnout, leader_share), 9) as turnout_leader_share_corr,
        round(100 * avg(leader_share), 9) as mean_precinct_leader_share_of_ballots_cast_pct
    from precincts
    group by grouping sets ((election_id, contest_id), (election_id, contest_id, region_code))
),

final as (
    select
        election_id,
        contest_id as contest,
        region_code,
        precincts,
        registered,
        turnout_mean_pct,
        turnout_sd_pct,
        turnout_skew,
        turnout_kurtosis,
        turnout_leader_share_corr,
        mean_precinct_leader_share_of_ballots_cast_pct
    from grouped
)

select * from final
order by election_id, contest, region_code nulls first;
