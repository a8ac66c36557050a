-- marts.results_official: the official results at every level the sources give (national, region,
-- territorial commission, precinct), one row per unit and party, with the contest's own denominator rule,
-- preliminary vs final, and as_of.
-- Answers: what did the authorities announce, for which unit, when, and how final is it?
-- Three origins, never mixed within a row:
--   'published'        counts as a source gave them (CEC communique or resolution, a territorial
--                      commission's decision, the precinct table), the current version of each figure
--                      (final beats preliminary, then the latest as_of, as in core.int_protocol_values_current);
--   'summed_from_pec'  for a level no source published for the contest (tec, region, national), the sum of
--                      the official precinct rows (tec from ref.commissions.parent_id);
--   'shares_only'      percentages a communique states without counts (preliminary results), from
--                      core.result_shares, for a unit and status that has no counts; of several
--                      communiques the latest figure (latest as_of) of each share and of the turnout.
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
    -- counts above the precinct level: the current version of each figure, as
    -- core.int_protocol_values_current picks it (precinct rows come from int_pec_values / int_pec_wide,
    -- picked the same way)
    select
        election_id,
        contest_id,
        level,
        unit_id,
        any_value(region_code) as region_code,
        line,
        option_id,
        arg_max(value, version_rank) as value,
        arg_max(status, version_rank) as status,
        arg_max(as_of, version_rank) as as_of,
        'published' as origin
    from (
        select
            *,
            (case when status = 'final' then 1e12 else 0 end) + coalesce(epoch(as_of), -1e11) as version_rank
        from core.protocol_values
        where source = 'official' and level <> 'pec'
    )
    group by election_id, contest_id, level, unit_id, line, option_id
),

published_levels as (
    select distinct election_id, contest_id, level from published
),

pec_units as (
    select * from core.int_pec_wide where source = 'official'
),

pec_votes as (
    select election_id, contest_id, unit_id, region_code, tec_id, option_id, value
    from int_pec_values
    where source = 'official' and line = 'votes'
),

-- the levels no source published, summed from the precincts: lines (one row per precinct) and votes apart
rollup_lines as (
    select *, 'tec' as level, tec_id as unit from pec_units where tec_id is not null
    union all
    select *, 'region' as level, region_code as unit from pec_units where region_code is not null
    union all
    select *, 'national' as level, 'KZ' as unit from pec_units
),

rollup_votes as (
    select *, 'tec' as level, tec_id as unit from pec_votes where tec_id is not null
    union all
    select *, 'region' as level, region_code as unit from pec_votes where region_code is not null
    union all
    select *, 'national' as level, 'KZ' as unit from pec_votes
),

published_units as (
    select
        election_id,
        contest_id,
        level,
        unit_id,
        origin,
        any_value(region_code) as region_code,
        max(value) filter (where line = 'registered') as registered,
        max(value) filter (where line = 'ballots_issued') as ballots_issued,
        max(value) filter (where line = 'invalid') as invalid,
        max(value) filter (where line = 'valid') as valid,
        max(value) filter (where line = 'valid_not_counted') as valid_not_counted,
        case when bool_or(status = 'final') then 'final' else max(status) end as status,
        max(as_of) as as_of
    from published
    group by election_id, contest_id, level, unit_id, origin
),

units as (
    select * from published_units
    union all
    select
        election_id,
        contest_id,
        'pec' as level,
        unit_id,
        'published' as origin,
        region_code,
        registered,
        ballots_issued,
        invalid,
        valid,
        valid_not_counted,
        status,
        as_of
    from pec_units
    union all
    select
        r.election_id,
        r.contest_id,
        r.level,
        r.unit as unit_id,
        'summed_from_pec' as origin,
        case when r.level = 'national' then null else any_value(r.region_code) end as region_code,
        sum(r.registered)::bigint as registered,
        sum(r.ballots_issued)::bigint as ballots_issued,
        sum(r.invalid)::bigint as invalid,
        sum(r.valid)::bigint as valid,
        sum(r.valid_not_counted)::bigint as valid_not_counted,
        -- a sum is final only when every precinct row of the unit is (max: 'preliminary' > 'final')
        max(r.status) as status,
        max(r.as_of) as as_of
    from rollup_lines as r
    anti join published_levels as p using (election_id, contest_id, level)
    group by r.election_id, r.contest_id, r.level, r.unit
),

votes as (
    select election_id, contest_id, level, unit_id, origin, option_id, value
    from published
    where line = 'votes'
    union all
    select election_id, contest_id, 'pec', unit_id, 'published', option_id, value
    from pec_votes
    union all
    select r.election_id, r.contest_id, r.level, r.unit, 'summed_from_pec', r.option_id, sum(r.value)::bigint
    from rollup_votes as r
    anti join published_levels as p using (election_id, contest_id, level)
    group by r.election_id, r.contest_id, r.level, r.unit, r.option_id
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
        v.option_id as party,
        v.value as votes,
        round(
            100.0 * v.value / nullif(
                case c.share_denominator
                    when 'valid' then coalesce(u.valid, v.option_votes)
                    else coalesce(u.valid, v.option_votes) + coalesce(u.invalid, 0) + coalesce(u.valid_not_counted, 0)
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
    from units as u
    inner join (
        select *, sum(value) over (partition by election_id, contest_id, level, unit_id, origin) as option_votes
        from votes
    ) as v
        on
            v.election_id = u.election_id
            and v.contest_id = u.contest_id
            and v.level = u.level
            and v.unit_id = u.unit_id
            and v.origin = u.origin
    left join ref.contests as c on c.election_id = u.election_id and c.contest_id = u.contest_id
),

-- the latest communique's figure of each unit, status, line and option: a later preliminary communique
-- replaces an earlier one, as a later version of a count does
current_shares as (
    select *
    from core.result_shares
    qualify row_number() over (
        partition by election_id, contest_id, level, unit_id, status, line, coalesce(option_id, '')
        order by as_of desc nulls last, source_ref, share_pct
    ) = 1
),

shares as (
    select
        s.*,
        t.share_pct as turnout_pct
    from current_shares as s
    left join current_shares as t
        on
            t.election_id = s.election_id
            and t.contest_id = s.contest_id
            and t.level = s.level
            and t.unit_id = s.unit_id
            and t.status = s.status
            and t.line = 'turnout_pct'
    anti join (
        select distinct election_id, contest_id, level, unit_id, status from published
    ) as p
        on
            p.election_id = s.election_id
            and p.contest_id = s.contest_id
            and p.level = s.level
            and p.unit_id = s.unit_id
            and p.status = s.status
    where s.line = 'share'
),

share_rows as (
    select
        s.election_id,
        s.contest_id as contest,
        s.level,
        s.unit_id as unit_code,
        case when s.level = 'national' then null else s.region_code end as region_code,
        'shares_only' as origin,
        s.option_id as party,
        null::bigint as votes,
        s.share_pct,
        c.share_denominator,
        null::bigint as registered,
        null::bigint as ballots_issued,
        null::bigint as invalid,
        null::bigint as valid,
        s.turnout_pct,
        s.status,
        s.as_of
    from shares as s
    left join ref.contests as c on c.election_id = s.election_id and c.contest_id = s.contest_id
),

final as (
    select * from count_rows
    union all
    select * from share_rows
)

select * from final
order by election_id, contest, level, unit_code, origin, party;
