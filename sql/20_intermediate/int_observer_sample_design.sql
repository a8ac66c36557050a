-- intermediate.int_observer_sample_design: what each observer organisation's sample of a contest is, the
-- design every estimate from it carries. One row per election, contest and organisation with copies.
--   election_id, contest_id, source   the contest and the organisation
--   observed_pecs    precincts with a copy saylau trusts (intermediate.int_pec_wide)
--   sample_design    random | convenience (ref.observer_samples; an organisation not listed: convenience)
--   precincts_drawn  precincts the design drew, where stated
--   is_random        sample_design = 'random'
--   min_pecs         the least sample for a verdict (30 precincts, docs/observers.md "Sample design")
--   too_small        observed_pecs < min_pecs
--   design_label     the design in words, as the report prints it
create or replace table intermediate.int_observer_sample_design as
with pec_wide as (
    select * from intermediate.int_pec_wide
    where source <> 'official'
),

observer_samples as (
    select * from ref.observer_samples
),

samples as (
    select election_id, contest_id, source, count(distinct unit_id) as observed_pecs
    from pec_wide
    group by all
),

final as (
    select
        s.election_id,
        s.contest_id,
        s.source,
        s.observed_pecs,
        coalesce(d.sample_design, 'convenience') as sample_design,
        d.precincts_drawn,
        coalesce(d.sample_design, 'convenience') = 'random' as is_random,
        30 as min_pecs,
        s.observed_pecs < 30 as too_small,
        case
            when coalesce(d.sample_design, 'convenience') = 'random'
                then 'random sample of ' || s.observed_pecs || ' precincts (' || s.source || ')'
            else
                'not a random sample: ' || s.observed_pecs || ' precincts chosen by ' || s.source
                || '; describes the watched precincts only'
        end as design_label
    from samples as s
    left join observer_samples as d
        on d.election_id = s.election_id and d.source = s.source
)

select * from final
order by election_id, contest_id, source;
