-- marts.discrepancy_pec: at every precinct where both an official figure and an observer's protocol copy
-- exist, each protocol line and party vote compared. Answers: where does the official count differ from
-- the protocol the precinct commission signed, on which line, by how much?
-- Observers' copies are the resolved ones (intermediate.int_observer_protocols_resolved: conflicting copies without
-- a deciding photo are left out); official figures are the current version of the precinct row
-- (intermediate.int_pec_values).
--   election_id, contest      the contest
--   source                    the observer organisation whose copy is compared
--   region_code, tec_id       the precinct's region and territorial commission
--   pec_id                    the precinct ('KZ-75/372')
--   line                      protocol line (registered, ballots_issued, ..., valid, votes)
--   party                     option_id for line = 'votes', NULL otherwise
--   official_value            the official figure
--   observer_value            the figure on the observer's copy
--   diff                      official_value - observer_value (positive: the official count is higher)
--   tolerance                 largest |diff| not flagged: 2, for an observer's slip of the pen
--   transposed                the difference is two lines of the copy typed in each other's place (the
--                             copy's value is the official value of another line and the other way round)
--   flagged                   |diff| > tolerance and not transposed
--   pec_flagged               any line of this precinct's protocol is flagged
--   official_status, official_as_of   the official figure's status (final | preliminary) and as_of
-- Net votes added per party and the share of precincts with a mismatch: marts.discrepancy_pec_summary.
create or replace table marts.discrepancy_pec as
with pec_values as (
    select * from intermediate.int_pec_values
),

official as (
    select * from pec_values where source = 'official'
),

observer as (
    select * from pec_values where source <> 'official'
),

paired as (
    select
        b.election_id,
        b.contest_id as contest,
        b.source,
        coalesce(o.region_code, b.region_code) as region_code,
        o.tec_id,
        b.unit_id as pec_id,
        b.line,
        b.option_id as party,
        o.value as official_value,
        b.value as observer_value,
        o.value - b.value as diff,
        2 as tolerance,
        o.status as official_status,
        o.as_of as official_as_of
    from observer as b
    inner join official as o
        on
            o.election_id = b.election_id
            and o.contest_id = b.contest_id
            and o.unit_id = b.unit_id
            and o.line = b.line
            and o.option_id is not distinct from b.option_id
),

transposed as (
    select distinct a.election_id, a.contest, a.source, a.pec_id, a.line, a.party
    from paired as a
    inner join paired as x
        on
            x.election_id = a.election_id
            and x.contest = a.contest
            and x.source = a.source
            and x.pec_id = a.pec_id
            and (x.line <> a.line or x.party is distinct from a.party)
            and x.line <> 'votes' and a.line <> 'votes'
    where
        a.diff <> 0
        and a.observer_value = x.official_value
        and x.observer_value = a.official_value
),

marked as (
    select
        p.*,
        t.line is not null as transposed,
        abs(p.diff) > p.tolerance and t.line is null as flagged
    from paired as p
    left join transposed as t
        on
            t.election_id = p.election_id
            and t.contest = p.contest
            and t.source = p.source
            and t.pec_id = p.pec_id
            and t.line = p.line
            and t.party is not distinct from p.party
),

final as (
    select
        *,
        bool_or(flagged) over (partition by election_id, contest, source, pec_id) as pec_flagged
    from marked
)

select
    * exclude (official_status, official_as_of),
    official_status,
    official_as_of
from final
order by election_id, contest, source, pec_id, line, party;
