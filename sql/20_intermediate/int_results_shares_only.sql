-- intermediate.int_results_shares_only: percentages a communique states without counts (preliminary
-- results), from core.result_shares, for a unit and status that has no counts: the 'shares_only' rows of
-- marts.results_official, in its columns. Of several communiques the latest figure (latest as_of) of each
-- share and of the turnout: a later preliminary communique replaces an earlier one, as a later version of a
-- count does.
create or replace view intermediate.int_results_shares_only as
with result_shares as (
    select * from core.result_shares
),

current_values as (
    select * from intermediate.int_protocol_values_current
    where source = 'official' and level <> 'pec'
),

contests as (
    select * from ref.contests
),

-- the units and statuses with counts: their shares are not shown
counted as (
    select distinct election_id, contest_id, level, unit_id, status from current_values
),

current_shares as (
    select *
    from result_shares
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
    anti join counted as p
        on
            p.election_id = s.election_id
            and p.contest_id = s.contest_id
            and p.level = s.level
            and p.unit_id = s.unit_id
            and p.status = s.status
    where s.line = 'share'
),

final as (
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
    left join contests as c on c.election_id = s.election_id and c.contest_id = s.contest_id
)

select * from final;
