-- marts.forensics_fingerprint: the election "fingerprint" (Klimek et al. 2012): a 2-D histogram of
-- precincts by turnout and leader share, in 1-pp bins, for the "comet" plot.
-- Answers: where do precincts (and voters) sit in turnout x leader share? Fair elections give one
-- roundish cluster; ballot stuffing draws a tail towards (100%, 100%), and integer-percent spikes show
-- as a grid.
--   election_id, contest   the election and contest
--   turnout_bin            lower edge of the 1-pp turnout bin (ballots issued / registered; 100 = 100%)
--   share_bin              lower edge of the 1-pp leader-share bin (leader / (valid + invalid))
--   precincts              precincts in the cell
--   voters                 registered voters in those precincts
--   ballots_cast           valid + invalid ballots in those precincts
create or replace table marts.forensics_fingerprint as
with precinct_protocols as (
    select * from intermediate.int_precinct_protocols
),

precincts as (
    select
        election_id,
        contest_id,
        least(floor(100 * turnout), 100)::integer as turnout_bin,
        least(floor(100 * leader_share), 100)::integer as share_bin,
        registered,
        ballots_cast
    from precinct_protocols
    where turnout is not null and leader_share is not null
),

final as (
    select
        election_id,
        contest_id as contest,
        turnout_bin,
        share_bin,
        count(*) as precincts,
        sum(registered) as voters,
        sum(ballots_cast) as ballots_cast
    from precincts
    group by all
)

select * from final
order by election_id, contest, turnout_bin, share_bin;
