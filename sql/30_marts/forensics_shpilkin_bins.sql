-- marts.forensics_shpilkin_bins / marts.forensics_shpilkin: Shpilkin's estimate of anomalous votes.
-- Answers: if precincts above the most common turnout voted like those at it, how many of the leader's
-- votes would be left, and what share would the leader have had?
-- Precincts are binned by turnout (ballots issued / registered) in 1-pp bins. The modal bin is the bin
-- with the most registered voters between `shpilkin_mode_min_pct` and `shpilkin_mode_max_pct`
-- (meta.forensics_parameters; 20-70% by default, as published analyses use when a large high-turnout
-- cluster exists). At the mode the leader:others ratio r = leader votes / (ballots cast - leader votes);
-- in every bin above it, leader votes beyond r x others are counted as anomalous.

-- marts.forensics_shpilkin_bins: the turnout histogram behind the estimate (for plots).
--   election_id, contest       the election and contest
--   turnout_bin                lower edge of the 1-pp turnout bin (36 = turnout in [36%, 37%))
--   precincts, registered      precincts and registered voters in the bin
--   ballots_cast               valid + invalid ballots there
--   leader_votes, others       the leader's votes and everyone else's (ballots cast - leader votes)
--   is_mode                    the modal bin
--   expected_leader_votes      above the mode: r x others (what the leader would get at the modal ratio)
create or replace table marts.forensics_shpilkin_bins as
with forensics_parameters as (
    select * from meta.forensics_parameters
),

precinct_protocols as (
    select * from intermediate.int_precinct_protocols
),

params as (
    select
        max(value) filter (where name = 'shpilkin_mode_min_pct') as mode_min,
        max(value) filter (where name = 'shpilkin_mode_max_pct') as mode_max
    from forensics_parameters
),

precincts as (
    select
        election_id,
        contest_id,
        leader,
        floor(100.0 * ballots_issued / registered)::integer as turnout_bin,
        registered,
        ballots_cast,
        leader_votes,
        ballots_cast - leader_votes as others
    from precinct_protocols
    where
        registered > 0
        and ballots_issued is not null
        and ballots_cast is not null
        and leader_votes is not null
),

bins as (
    select
        election_id,
        contest_id,
        any_value(leader) as leader,
        turnout_bin,
        count(*) as precincts,
        sum(registered) as registered,
        sum(ballots_cast) as ballots_cast,
        sum(leader_votes) as leader_votes,
        sum(others) as others
    from precincts
    group by election_id, contest_id, turnout_bin
),

modes as (
    -- ties: the higher bin (fewer votes called anomalous), whatever order the bins come in
    select b.election_id, b.contest_id, arg_max(b.turnout_bin, (b.registered, b.turnout_bin)) as modal_bin
    from bins as b, params as x
    where b.turnout_bin >= x.mode_min and b.turnout_bin < x.mode_max
    group by all
),

ratios as (
    select b.election_id, b.contest_id, m.modal_bin, b.leader_votes / nullif(b.others, 0) as ratio
    from bins as b
    inner join modes as m
        on b.election_id = m.election_id and b.contest_id = m.contest_id and b.turnout_bin = m.modal_bin
),

final as (
    select
        b.election_id,
        b.contest_id as contest,
        b.turnout_bin,
        b.precincts,
        b.registered,
        b.ballots_cast,
        b.leader_votes,
        b.others,
        b.turnout_bin = r.modal_bin as is_mode,
        case when b.turnout_bin > r.modal_bin then r.ratio * b.others end as expected_leader_votes
    from bins as b
    left join ratios as r using (election_id, contest_id)
)

select * from final
order by election_id, contest, turnout_bin;
