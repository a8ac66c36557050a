-- marts.turnout_timeline: official turnout by region and hour of election day against the observers' own
-- head counts at their precincts. One row per region (and 'KZ' for the country), hour and observer
-- organisation (source NULL where no observer counted).
-- Answers: did turnout climb the same way at the precincts the observers watched as in the CEC's
-- bulletins? (The observers' figure is for their precincts only, not an estimate for the region.)
--   election_id               the election
--   region_code               ISO region code, or 'KZ' for the whole country
--   as_of                     the hour the figure refers to, the capital's local time
--   official_turnout_pct      the CEC's bulletin figure (core.turnout_official; NULL when none at that hour)
--   source                    the observer organisation
--   observer_turnout_pct      voters the observers counted / voters on the lists * 100, over their
--                             precincts with a count at that hour (lists: the observer's figure, else the
--                             official precinct figure)
--   observed_pecs             precincts in that observer figure
--   gap_pp                    official minus observer turnout, percentage points
create or replace table marts.turnout_timeline as
with turnout_official as (
    select * from core.turnout_official
),

observer_turnout as (
    select * from core.observer_turnout
),

pec_wide as (
    select * from intermediate.int_pec_wide
),

official as (
    select election_id, region_code, as_of, max(turnout_pct) as official_turnout_pct
    from turnout_official
    group by all
),

pec_registered as (
    select election_id, unit_id, max(registered) as registered
    from pec_wide
    where source = 'official'
    group by all
),

counts as (
    select
        t.election_id,
        t.source,
        t.unit_id,
        t.region_code,
        t.as_of,
        max(t.voters_counted) as voters_counted,
        coalesce(max(t.registered), any_value(p.registered)) as registered
    from observer_turnout as t
    left join pec_registered as p using (election_id, unit_id)
    group by t.election_id, t.source, t.unit_id, t.region_code, t.as_of
),

scoped as (
    select *, region_code as scope from counts where region_code is not null
    union all
    select *, 'KZ' as scope from counts
),

observer as (
    select
        election_id,
        scope as region_code,
        as_of,
        source,
        round(100.0 * sum(voters_counted) / nullif(sum(registered), 0), 2) as observer_turnout_pct,
        count(distinct unit_id) as observed_pecs
    from scoped
    where registered is not null
    group by all
),

final as (
    select
        coalesce(o.election_id, b.election_id) as election_id,
        coalesce(o.region_code, b.region_code) as region_code,
        coalesce(o.as_of, b.as_of) as as_of,
        o.official_turnout_pct,
        b.source,
        b.observer_turnout_pct,
        b.observed_pecs,
        round(o.official_turnout_pct - b.observer_turnout_pct, 2) as gap_pp
    from official as o
    full outer join observer as b
        on b.election_id = o.election_id and b.region_code = o.region_code and b.as_of = o.as_of
)

select * from final
order by election_id, region_code, as_of, source;
