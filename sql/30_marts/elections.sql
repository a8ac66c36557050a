-- marts.elections: the catalogue of elections and contests the warehouse knows, and what it holds on each.
-- Answers: which election ids can I query, what was on the ballot, and how are shares computed?
--   election_id, election_date, election_kind, name_en   the election (ids are what analysts type)
--   contest, contest_kind, seats, threshold_pct          the contest
--   share_denominator   'valid' (share of valid ballots) or 'ballots_cast' (share of all ballots cast)
--   ballot_options      number of parties / candidates / answers on the ballot
--   official_rows       protocol values held from the official source
--   observer_rows       protocol values held from observers' copies
create or replace table marts.elections as
with protocol_values as (
    select * from core.protocol_values
),

elections as (
    select * from ref.elections
),

contests as (
    select * from ref.contests
),

ballot_options as (
    select * from ref.ballot_options
),

holdings as (
    select
        election_id,
        contest_id,
        count(*) filter (where source = 'official') as official_rows,
        count(*) filter (where source <> 'official') as observer_rows
    from protocol_values
    group by all
),

options as (
    select election_id, contest_id, count(*) as ballot_options
    from ballot_options
    group by all
),

final as (
    select
        e.election_id,
        e.election_date,
        e.kind as election_kind,
        e.name_en,
        c.contest_id as contest,
        c.kind as contest_kind,
        c.seats,
        c.threshold_pct,
        c.share_denominator,
        coalesce(o.ballot_options, 0) as ballot_options,
        coalesce(h.official_rows, 0) as official_rows,
        coalesce(h.observer_rows, 0) as observer_rows
    from elections as e
    inner join contests as c using (election_id)
    left join options as o using (election_id, contest_id)
    left join holdings as h using (election_id, contest_id)
)

select * from final
order by election_date, contest;
