-- Published national totals are internally consistent: where every option's votes are given, they sum to
-- the valid ballots given.
with votes as (
    select election_id, contest_id, sum(value) as votes, count(*) as options_given
    from ref.official_totals
    where item = 'votes'
    group by all
),

on_ballot as (
    select election_id, contest_id, count(*) as options
    from ref.ballot_options
    group by all
),

valid as (
    select election_id, contest_id, value as valid
    from ref.official_totals
    where item = 'valid'
)

select v.election_id, v.contest_id, v.votes, d.valid
from votes as v
inner join valid as d using (election_id, contest_id)
inner join on_ballot as b using (election_id, contest_id)
where v.options_given = b.options and v.votes <> d.valid;
