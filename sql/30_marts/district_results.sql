-- marts.district_results: the official result of every single-member district (the Mazhilis' 29 from 2023,
-- the regional and district maslikhats'), one row per district and ballot option, with the winner and the
-- margin. Answers: who won each district, by how much, on which figures?
--   election_id, contest                 the contest (ref.contests kind single_member)
--   district_id, district_number         'MZ-07' / 'KZ-63/OM-03', and its number on the forms
--   region_code, district_name_en        the district's region and name (ref.districts)
--   origin        'published' (a page stated the district's figures) | 'summed_from_pec' (the sum of the
--                 official protocols of its precincts) | NULL (no official figure yet)
--   option_id     a candidate or 'against_all'; is_candidate false for 'against all'
--   nominated_by  the party that nominated the candidate, or 'self' (NULL for 'against all')
--   votes, share_pct   the option's votes and its share of the valid ballots (valid: the district's line,
--                 else its options' votes added up)
--   rank          1 = the winner, among the candidates ('against all' has none); ties to the smaller id
--   is_winner     rank 1
--   winner, runner_up   the district's first and second candidate (on every row of the district)
--   margin_votes  winner's votes minus the runner-up's; margin_pct the same as a share of valid ballots
--   tied          the first two have the same votes (the winner is then by id only: decided elsewhere)
--   registered, ballots_issued, invalid, valid, turnout_pct   the district's lines and its turnout
--   precincts, precincts_counted   precincts the district covers / of them with an official protocol
--   status        final | preliminary
create or replace table marts.district_results as
with official as (
    select * from intermediate.int_district_results_official
),

districts as (
    select * from ref.districts
),

stood as (
    select * from ref.district_candidates
),

ranked as (
    select
        *,
        case
            when is_candidate and votes is not null
                then row_number() over (
                    partition by election_id, contest_id, district_id, is_candidate
                    order by votes desc, option_id
                )
        end as rank,
        coalesce(valid, sum(votes) over (partition by election_id, contest_id, district_id)) as share_base
    from official
),

top_two as (
    select
        election_id,
        contest_id,
        district_id,
        max(option_id) filter (where rank = 1) as winner,
        max(option_id) filter (where rank = 2) as runner_up,
        max(votes) filter (where rank = 1) as winner_votes,
        max(votes) filter (where rank = 2) as runner_up_votes
    from ranked
    group by all
),

final as (
    select
        r.election_id,
        r.contest_id as contest,
        r.district_id,
        d.number as district_number,
        d.region_code,
        d.name_en as district_name_en,
        r.origin,
        r.option_id,
        r.is_candidate,
        s.nominated_by,
        r.votes,
        round(100.0 * r.votes / nullif(r.share_base, 0), 2) as share_pct,
        r.rank,
        coalesce(r.rank = 1, false) as is_winner,
        t.winner,
        t.runner_up,
        t.winner_votes - t.runner_up_votes as margin_votes,
        round(100.0 * (t.winner_votes - t.runner_up_votes) / nullif(r.share_base, 0), 2) as margin_pct,
        coalesce(t.winner_votes = t.runner_up_votes, false) as tied,
        r.registered,
        r.ballots_issued,
        r.invalid,
        r.valid,
        round(100.0 * r.ballots_issued / nullif(r.registered, 0), 2) as turnout_pct,
        r.precincts,
        r.precincts_counted,
        r.status
    from ranked as r
    inner join districts as d on d.election_id = r.election_id and d.district_id = r.district_id
    left join stood as s
        on
            s.election_id = r.election_id and s.contest_id = r.contest_id
            and s.district_id = r.district_id and s.option_id = r.option_id
    left join top_two as t
        on t.election_id = r.election_id and t.contest_id = r.contest_id and t.district_id = r.district_id
)

select * from final
order by election_id, contest, district_number, district_id, is_candidate desc, rank, option_id;
