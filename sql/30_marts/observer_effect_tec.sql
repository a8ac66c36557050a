-- marts.observer_effect_tec and marts.observer_effect: official results at precincts with and without
-- observers, compared within the same territorial commission (TEC), where official precinct figures exist.
-- Answers: do precincts without observers report higher turnout and more votes for the leader than their
-- observed neighbours, and how many ballots and leader votes would that difference amount to?
-- A precinct counts as observed when observers left any trace there (a protocol copy of any contest,
-- a turnout count, a violation report: intermediate.int_observed_pecs). Only TECs with both kinds of precinct
-- enter. The estimate assumes observed and unobserved precincts of a TEC would have voted alike; where
-- observers chose their precincts (e.g. the city centre), part of the gap is who lives there, not fraud.
-- Two baselines for the observed precincts:
--   official   their official figures: the classic observer effect. Where the TEC rewrote the observed
--              precincts' protocols too, it understates the excess at the unobserved ones.
--   copies     the observers' protocol copies of the same contest (what the precinct commission signed;
--              several organisations' copies of one precinct are averaged): the excess of the unobserved
--              precincts' official figures over what observed precincts counted. NULL where no copy exists.
--
-- marts.observer_effect_tec: one row per contest and TEC.
--   election_id, contest, region_code, tec_id
--   observed_pecs, unobserved_pecs            precincts of each kind
--   observed_registered, unobserved_registered  voters on their lists
--   observed_turnout_pct, unobserved_turnout_pct  official ballots issued / registered * 100
--   observed_leader_pct, unobserved_leader_pct    official leader votes / registered * 100
--   excess_turnout_pp           unobserved minus observed turnout
--   excess_ballots              excess_turnout_pp / 100 * unobserved_registered
--   excess_leader_votes         (unobserved - observed leader votes per registered voter) * unobserved_registered
--   copied_pecs                 observed precincts with an observers' copy of this contest
--   copy_turnout_pct            the copies' ballots issued / their registered * 100
--   copy_leader_pct             the copies' leader votes / their registered * 100
--   excess_turnout_vs_copies_pp     unobserved official turnout minus copy_turnout_pct
--   excess_ballots_vs_copies        excess_turnout_vs_copies_pp / 100 * unobserved_registered
--   excess_leader_votes_vs_copies   (unobserved official - copies' leader votes per registered voter)
--                                   * unobserved_registered
create or replace table marts.observer_effect_tec as
with pec_wide as (
    select * from intermediate.int_pec_wide
),

observed_pecs as (
    select * from intermediate.int_observed_pecs
),

pecs as (
    select
        w.*,
        o.unit_id is not null as observed
    from pec_wide as w
    left join observed_pecs as o using (election_id, unit_id)
    where w.source = 'official' and w.tec_id is not null and w.registered > 0
),

copies as (
    select
        election_id, contest_id, unit_id,
        avg(registered) as registered,
        avg(ballots_issued) as ballots_issued,
        avg(leader_votes) as leader_votes
    from pec_wide
    where source <> 'official' and registered > 0
    group by election_id, contest_id, unit_id
),

copied as (
    select
        p.election_id,
        p.contest_id,
        p.tec_id,
        count(*) as copied_pecs,
        sum(c.registered) as copy_registered,
        sum(c.ballots_issued) as copy_issued,
        sum(c.leader_votes) as copy_leader
    from pecs as p
    inner join copies as c using (election_id, contest_id, unit_id)
    where p.observed
    group by p.election_id, p.contest_id, p.tec_id
),

groups as (
    select
        election_id,
        contest_id,
        any_value(region_code) as region_code,
        tec_id,
        count(*) filter (where observed) as observed_pecs,
        count(*) filter (where not observed) as unobserved_pecs,
        sum(registered) filter (where observed) as observed_registered,
        sum(registered) filter (where not observed) as unobserved_registered,
        sum(ballots_issued) filter (where observed) as observed_issued,
        sum(ballots_issued) filter (where not observed) as unobserved_issued,
        sum(leader_votes) filter (where observed) as observed_leader,
        sum(leader_votes) filter (where not observed) as unobserved_leader
    from pecs
    group by election_id, contest_id, tec_id
    having count(*) filter (where observed) > 0 and count(*) filter (where not observed) > 0
),

final as (
    select
        election_id,
        contest_id as contest,
        region_code,
        tec_id,
        observed_pecs,
        unobserved_pecs,
        observed_registered::bigint as observed_registered,
        unobserved_registered::bigint as unobserved_registered,
        round(100.0 * observed_issued / observed_registered, 2) as observed_turnout_pct,
        round(100.0 * unobserved_issued / unobserved_registered, 2) as unobserved_turnout_pct,
        round(100.0 * observed_leader / observed_registered, 2) as observed_leader_pct,
        round(100.0 * unobserved_leader / unobserved_registered, 2) as unobserved_leader_pct,
        100.0 * (unobserved_issued / unobserved_registered - observed_issued / observed_registered)
            as excess_turnout_pp,
        (unobserved_issued / unobserved_registered - observed_issued / observed_registered)
        * unobserved_registered as excess_ballots,
        (unobserved_leader / unobserved_registered - observed_leader / observed_registered)
        * unobserved_registered as excess_leader_votes,
        coalesce(c.copied_pecs, 0) as copied_pecs,
        round(100.0 * c.copy_issued / c.copy_registered, 2) as copy_turnout_pct,
        round(100.0 * c.copy_leader / c.copy_registered, 2) as copy_leader_pct,
        100.0 * (unobserved_issued / unobserved_registered - c.copy_issued / c.copy_registered)
            as excess_turnout_vs_copies_pp,
        (unobserved_issued / unobserved_registered - c.copy_issued / c.copy_registered)
        * unobserved_registered as excess_ballots_vs_copies,
        (unobserved_leader / unobserved_registered - c.copy_leader / c.copy_registered)
        * unobserved_registered as excess_leader_votes_vs_copies
    from groups as g
    left join copied as c using (election_id, contest_id, tec_id)
)

select * from final
order by election_id, contest, tec_id;
