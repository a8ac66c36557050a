-- marts.observer_effect: one row per contest, the TECs of marts.observer_effect_tec pooled.
--   election_id, contest
--   tecs                          TECs with both observed and unobserved precincts
--   observed_pecs, unobserved_pecs
--   observed_turnout_pct, unobserved_turnout_pct   turnout of each kind, pooled over those TECs
--   excess_turnout_pp             estimated excess turnout at unobserved precincts: the TECs' gaps
--                                 weighted by their unobserved voters
--   excess_ballots                sum of the TECs' excess ballots (rounded)
--   leader                        the contest's leader (intermediate.int_contest_leaders)
--   excess_leader_votes           sum of the TECs' excess leader votes (rounded)
--   excess_leader_share_pp        excess leader votes per unobserved registered voter * 100
--   copy_tecs, copied_pecs        TECs with an observers' copy of the contest, and the copied precincts
--   copy_turnout_pct              the copies' turnout, the TECs' figures weighted by their unobserved voters
--   excess_turnout_vs_copies_pp   estimated excess turnout at the unobserved precincts of those TECs over
--                                 what the observed ones counted: their gaps weighted by unobserved voters
--   excess_ballots_vs_copies, excess_leader_votes_vs_copies   sums of the TECs' figures (rounded)
--   excess_leader_share_vs_copies_pp  excess leader votes (vs copies) per unobserved voter of those TECs * 100
create or replace table marts.observer_effect as
with observer_effect_tec as (
    select * from marts.observer_effect_tec
),

leaders as (
    select * from intermediate.int_contest_leaders
),

pooled as (
    select
        election_id,
        contest,
        count(*) as tecs,
        sum(observed_pecs)::bigint as observed_pecs,
        sum(unobserved_pecs)::bigint as unobserved_pecs,
        sum(observed_registered) as observed_registered,
        sum(unobserved_registered) as unobserved_registered,
        sum(observed_turnout_pct * observed_registered) / sum(observed_registered) as observed_turnout_pct,
        sum(unobserved_turnout_pct * unobserved_registered) / sum(unobserved_registered)
            as unobserved_turnout_pct,
        sum(excess_turnout_pp * unobserved_registered) / sum(unobserved_registered) as excess_turnout_pp,
        sum(excess_ballots) as excess_ballots,
        sum(excess_leader_votes) as excess_leader_votes,
        count(*) filter (where copied_pecs > 0) as copy_tecs,
        sum(copied_pecs)::bigint as copied_pecs,
        sum(unobserved_registered) filter (where copied_pecs > 0) as copy_unobserved_registered,
        sum(copy_turnout_pct * unobserved_registered) filter (where copied_pecs > 0) as copy_turnout_weighted,
        sum(excess_turnout_vs_copies_pp * unobserved_registered) filter (where copied_pecs > 0)
            as excess_vs_copies_weighted,
        sum(excess_ballots_vs_copies) as excess_ballots_vs_copies,
        sum(excess_leader_votes_vs_copies) as excess_leader_votes_vs_copies
    from observer_effect_tec
    group by election_id, contest
),

final as (
    select
        p.election_id,
        p.contest,
        p.tecs,
        p.observed_pecs,
        p.unobserved_pecs,
        round(p.observed_turnout_pct, 2) as observed_turnout_pct,
        round(p.unobserved_turnout_pct, 2) as unobserved_turnout_pct,
        round(p.excess_turnout_pp, 2) as excess_turnout_pp,
        round(p.excess_ballots)::bigint as excess_ballots,
        l.leader,
        round(p.excess_leader_votes)::bigint as excess_leader_votes,
        round(100 * p.excess_leader_votes / p.unobserved_registered, 2) as excess_leader_share_pp,
        p.copy_tecs,
        p.copied_pecs,
        round(p.copy_turnout_weighted / p.copy_unobserved_registered, 2) as copy_turnout_pct,
        round(p.excess_vs_copies_weighted / p.copy_unobserved_registered, 2) as excess_turnout_vs_copies_pp,
        round(p.excess_ballots_vs_copies)::bigint as excess_ballots_vs_copies,
        round(p.excess_leader_votes_vs_copies)::bigint as excess_leader_votes_vs_copies,
        round(100 * p.excess_leader_votes_vs_copies / p.copy_unobserved_registered, 2)
            as excess_leader_share_vs_copies_pp
    from pooled as p
    left join leaders as l on l.election_id = p.election_id and l.contest_id = p.contest
)

select * from final
order by election_id, contest;
