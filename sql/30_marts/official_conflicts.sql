-- marts.official_conflicts: every official figure stated in more than one way, one row per version, with its
-- source. Answers: where do the CEC's pages (and copies of them) disagree, and which version do the marts show?
-- Four kinds of disagreement (column conflict):
--   versions_differ          two versions of one figure kept in core: a preliminary and a final communique,
--                            or two publications of one status (marts show the current one: final beats
--                            preliminary, then the latest as_of; is_current marks it)
--   languages_disagree       the Russian, Kazakh and English pages of one communique state different figures
--                            (none is trusted: all in quarantine.cec_results)
--   named_twice_different    one page names an option twice with different figures (neither is taken:
--                            quarantine.cec_figures)
--   count_contradicts_share  a count that is not the percentage printed beside it of the page's own
--                            denominator, beyond the rounding of the printed digits (quarantine.cec_figures)
-- Columns:
--   election_id, contest, level, unit_id   the unit (national 'KZ', a region code, a commission)
--   option_id                the party, candidate or answer (NULL for a protocol line)
--   line                     'votes', 'share', or a protocol line (registered, ballots_issued, valid, ...)
--   value                    the count as this version states it (NULL for a share)
--   share_pct                the percentage as this version states it (NULL for a bare count)
--   status                   preliminary | final
--   as_of                    the communique's time (the capital's local time)
--   lang                     the page's language (rus | kaz | eng) where one page is meant, else NULL
--   url, sha256              the page version the figure was read from
--   is_current               this version is the one marts.results_official shows
--   reason                   the disagreement in words
create or replace table marts.official_conflicts as
with protocol_values as (
    select * from core.protocol_values
    where source = 'official' and level <> 'pec'
),

current_values as (
    select * from intermediate.int_protocol_values_current
    where source = 'official' and level <> 'pec'
),

result_shares as (
    select * from core.result_shares
),

cec_results as (
    select * from quarantine.cec_results
),

cec_figures as (
    select * from quarantine.cec_figures
),

-- every version of each count; the current one (intermediate.int_protocol_values_current) is the version
-- the marts show
counts as (
    select
        p.*,
        count(distinct p.value) over (
            partition by p.election_id, p.contest_id, p.level, p.unit_id, p.line, coalesce(p.option_id, '')
        ) as versions,
        c.value is not null as is_current
    from protocol_values as p
    left join current_values as c
        on
            c.election_id = p.election_id
            and c.contest_id = p.contest_id
            and c.level = p.level
            and c.unit_id = p.unit_id
            and c.line = p.line
            and c.option_id is not distinct from p.option_id
            and c.value = p.value
            and c.status is not distinct from p.status
            and c.as_of is not distinct from p.as_of
            and c.source_sha256 is not distinct from p.source_sha256
),

shares as (
    select
        *,
        count(distinct share_pct) over (
            partition by election_id, contest_id, level, unit_id, line, coalesce(option_id, '')
        ) as versions,
        row_number() over (
            partition by election_id, contest_id, level, unit_id, line, coalesce(option_id, '')
            order by (status = 'final') desc nulls last, as_of desc nulls last, source_ref
        ) as version_rank
    from result_shares
),

versions as (
    select
        'versions_differ' as conflict,
        election_id, contest_id, level, unit_id, option_id, line, value, null::double as share_pct,
        status, as_of, null as lang, source_ref as url, source_sha256 as sha256,
        is_current,
        'the official versions of this count differ; marts show the final, then the latest' as reason
    from counts
    where versions > 1
    union all
    select
        'versions_differ',
        election_id, contest_id, level, unit_id, option_id, line, null::bigint, share_pct,
        status, as_of, null, source_ref, source_sha256,
        version_rank = 1,
        'the official versions of this percentage differ; marts show the final, then the latest'
    from shares
    where versions > 1
),

languages as (
    select
        'languages_disagree' as conflict,
        election_id, contest_id, level, unit_id, option_id, line, value::bigint as value, share_pct,
        status, as_of, lang, source_ref as url, source_sha256 as sha256,
        false as is_current,
        coalesce(reason, 'the language versions of the page state different figures') as reason
    from cec_results
    where rule = 'languages_disagree'
),

pages as (
    select
        rule as conflict,
        election_id, contest_id, level, unit_id, option_id,
        coalesce(line, case when value is null then 'share' else 'votes' end) as line, value, share_pct,
        status, as_of, lang, url, sha256,
        false as is_current,
        reason
    from cec_figures
    where kind = 'result' and rule in ('named_twice_different', 'count_contradicts_share')
),

final as (
    select * from versions
    union all
    select * from languages
    union all
    select * from pages
)

select
    election_id,
    contest_id as contest,
    level,
    unit_id,
    option_id,
    line,
    conflict,
    value,
    share_pct,
    status,
    as_of,
    lang,
    url,
    sha256,
    is_current,
    reason
from final
order by election_id, contest, level, unit_id, option_id nulls first, line, conflict, as_of nulls first, url;
