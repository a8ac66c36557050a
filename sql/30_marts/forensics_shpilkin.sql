-- marts.forensics_shpilkin: Shpilkin's estimate of anomalous votes, one row per election and contest (the
-- method and the turnout histogram behind it: marts.forensics_shpilkin_bins).
--   election_id, contest    the election and contest
--   leader                  the option followed (intermediate.int_contest_leaders)
--   modal_turnout_pct       centre of the modal 1-pp bin (36.5 = the bin [36%, 37%))
--   modal_ratio             leader votes / others' votes in the modal bin
--   anomalous_votes         sum over bins above the mode of (leader votes - modal_ratio x others)
--   leader_votes            the leader's official votes (precincts with complete lines)
--   ballots_cast            valid + invalid ballots (same precincts)
--   leader_share_of_ballots_cast_pct        leader_votes / ballots_cast * 100: the method's denominator
--                                           for every contest, so for an election NOT its official leader
--                                           share (of valid ballots: marts.election_totals)
--   clean_leader_share_of_ballots_cast_pct  (leader_votes - anomalous_votes) / (ballots_cast - anomalous_votes)
--                                           * 100: the same share without the anomalous votes
create or replace table marts.forensics_shpilkin as
with bins as (
    select * from marts.forensics_shpilkin_bins
),

contest_leaders as (
    select * from intermediate.int_contest_leaders
),

leaders as (
    select election_id, contest_id as contest, leader from contest_leaders
),

final as (
    select
        b.election_id,
        b.contest,
        any_value(l.leader) as leader,
        max(b.turnout_bin) filter (where b.is_mode) + 0.5::double as modal_turnout_pct,
        max(b.leader_votes / nullif(b.others, 0)) filter (where b.is_mode) as modal_ratio,
        -- rounded to 1e-3 votes so a rebuild gives the same bytes whatever order the bins are added in
        round(
            fsum(b.leader_votes - b.expected_leader_votes) filter (where b.expected_leader_votes is not null),
            3
        )
            as anomalous_votes,
        sum(b.leader_votes) as leader_votes,
        sum(b.ballots_cast) as ballots_cast,
        round(100.0 * sum(b.leader_votes) / nullif(sum(b.ballots_cast), 0), 2)
            as leader_share_of_ballots_cast_pct,
        round(
            100.0 * (sum(b.leader_votes) - coalesce(anomalous_votes, 0))
            / nullif(sum(b.ballots_cast) - coalesce(anomalous_votes, 0), 0),
            2
        ) as clean_leader_share_of_ballots_cast_pct
    from bins as b
    left join leaders as l using (election_id, contest)
    group by b.election_id, b.contest
)

select * from final
order by election_id, contest;
