-- marts.results_official: the official results at every level the sources give (national, region,
-- territorial commission, precinct), one row per unit and party, with the contest's own denominator rule,
-- preliminary vs final, and as_of.
-- Answers: what did the authorities announce, for which unit, when, and how final is it?
-- Three origins, never mixed within a row, each an intermediate model this mart unions:
--   'published'        counts as a source gave them (CEC communique or resolution, a territorial
--                      commission's decision, the precinct table), the current version of each figure
--                      (intermediate.int_protocol_values_current: final beats preliminary, then the latest
--                      as_of), from intermediate.int_results_published;
--   'summed_from_pec'  for a level no source published for the contest (tec, region, national), the sum of
--                      the official precinct rows (tec from ref.commissions.parent_id), from
--                      intermediate.int_results_summed_from_pec;
--   'shares_only'      percentages a communique states without counts (preliminary results), from
--                      core.result_shares, for a unit and status that has no counts; of several
--                      communiques the latest figure (latest as_of) of each share and of the turnout, from
--                      intermediate.int_results_shares_only.
-- Here: the shares of the count rows under the contest's rule, and the turnout.
--   election_id, contest     the contest
--   level                    national | region | tec | pec
--   unit_code                'KZ' | region code | commission id ('KZ-75/T03', 'KZ-75/372')
--   region_code              the unit's region (NULL for national)
--   origin                   published | summed_from_pec | shares_only
--   party                    option_id (party, candidate, answer)
--   votes                    its votes (NULL for shares_only)
--   share_pct                votes / denominator * 100, 2 decimals; for shares_only the published share
--   share_denominator        valid | ballots_cast (ref.contests): valid ballots for elections, all ballots
--                            cast (valid + invalid + valid-not-counted) for referendums; where a source
--                            gives party votes but no valid line (the CEC's region table, a territorial
--                            commission's decision), valid = the unit's options' votes added up
--   registered, ballots_issued, invalid, valid   the unit's protocol lines (NULL when not given)
--   turnout_pct              ballots_issued / registered * 100 (shares_only: the published turnout)
--   status                   final | preliminary (final when any figure of the unit is final; a summed row
--                            is final only when every precinct row of its unit is)
--   as_of                    latest as_of among the unit's figures (NULL for precinct-table rows)
create or replace table marts.results_official as
with published as (
    select * from intermediate.int_results_published
),

summed_from_pec as (
    select * from intermediate.int_results_summed_from_pec
),

shares_only as (
    select * from intermediate.int_results_shares_only
),

contests as (
    select * from ref.contests
),

counts as (
    select * from published
    union all
    select * from summed_from_pec
),

count_rows as (
    -- option_votes: the unit's options' votes added up, its valid ballots where a source gives party votes
    -- but no valid line (the CEC communique's region table, a territorial commission's decision)
    select
        u.election_id,
        u.contest_id as contest,
        u.level,
        u.unit_id as unit_code,
        case when u.level = 'national' then null else u.region_code end as region_code,
        u.origin,
        u.option_id as party,
        u.votes,
        round(
            100.0 * u.votes / nullif(
                case c.share_denominator
                    when 'valid' then coalesce(u.valid, u.option_votes)
                    else
                        coalesce(u.valid, u.option_votes)
                        + coalesce(u.invalid, 0)
                        + coalesce(u.valid_not_counted, 0)
                end, 0
            ), 2
        ) as share_pct,
        c.share_denominator,
        u.registered,
        u.ballots_issued,
        u.invalid,
        u.valid,
        round(100.0 * u.ballots_issued / nullif(u.registered, 0), 2) as turnout_pct,
        u.status,
        u.as_of
    from (
        select
            *, sum(votes) over (partition by election_id, contest_id, level, unit_id, origin) as option_votes
        from counts
    ) as u
    left join contests as c on c.election_id = u.election_id and c.contest_id = u.contest_id
),

final as (
    select * from count_rows
    union all
    select * from shares_only
)

select * from final
order by election_id, contest, level, unit_code, origin, party;
