-- marts.data_quality: one row per run, validated table, rule and severity; no key column NULL.
-- Returns each duplicated key and each row with a NULL where the key allows none.
with mart as (
    select * from marts.data_quality
),

duplicates as (
    select 'duplicate key' as failure, run_id, table_name, rule, severity, count(*) as rows
    from mart
    group by run_id, table_name, rule, severity
    having count(*) > 1
),

null_keys as (
    select 'null key' as failure, run_id, table_name, rule, severity, 1 as rows
    from mart
    where
        run_id is null
        or table_name is null
        or rule is null
        or severity is null
)

select * from duplicates
union all
select * from null_keys
