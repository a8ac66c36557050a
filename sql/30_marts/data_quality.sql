-- marts.data_quality: per run and table, how many rows failed which validation rule.
--   run_id       the run (meta.runs) that validated the rows
--   table_name   staging table validated
--   rule         the rule that failed (pandera check or control relation)
--   severity     reject (row quarantined) | flag (row kept in core, flagged) | warn (aggregate table warning)
--   failed_rows  rows failing that rule in that run
create or replace table marts.data_quality as
with data_quality as (
    select * from meta.data_quality
),

final as (
    select run_id, table_name, rule, severity, sum(failed_rows) as failed_rows
    from data_quality
    group by all
)

select * from final
order by run_id, table_name, rule;
