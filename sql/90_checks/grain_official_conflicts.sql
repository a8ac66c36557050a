-- marts.official_conflicts: one row per figure (contest, level, unit, option, line), kind of conflict and
-- version (page version, language, the value or share it states); never NULL: election_id, contest, line,
-- conflict.
-- Returns each duplicated key and each row with a NULL where the key allows none.
with mart as (
    select * from marts.official_conflicts
),

duplicates as (
    select
        'duplicate key' as failure,
        election_id,
        contest,
        level,
        unit_id,
        option_id,
        line,
        conflict,
        sha256,
        lang,
        value,
        share_pct,
        count(*) as rows
    from mart
    group by election_id, contest, level, unit_id, option_id, line, conflict, sha256, lang, value, share_pct
    having count(*) > 1
),

null_keys as (
    select
        'null key' as failure,
        election_id,
        contest,
        level,
        unit_id,
        option_id,
        line,
        conflict,
        sha256,
        lang,
        value,
        share_pct,
        1 as rows
    from mart
    where
        election_id is null
        or contest is null
        or line is null
        or conflict is null
)

select * from duplicates
union all
select * from null_keys
