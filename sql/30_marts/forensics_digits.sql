-- marts.forensics_digits: digit tests of precinct vote counts, as in the Election Forensics Toolkit
-- (Hicken and Mebane): by election, contest, region and option.
-- Answers: do the digits of the counts look like counts, or like numbers someone wrote down?
-- Counts: the current official precinct votes (intermediate.int_pec_values).
-- Row grain: region_code NULL = the whole election; option_id NULL = every option's counts together.
-- z-scores compare each mean with its expectation under the null (Benford for the second digit, uniform
-- last digits), using the null's sd: 2.8729 (second digit), 2.8723 (last digit), sqrt(0.2 x 0.8) (0/5).
--   election_id, contest, region_code, option_id   the group
--   counts_2bl            vote counts >= 10 (those that have a second digit)
--   second_digit_mean     mean second digit of those counts (Benford expectation 4.187)
--   second_digit_z        (mean - 4.187) / (2.8729 / sqrt(counts_2bl))
--   counts_last           vote counts >= 100 (the last digit of smaller counts is not uniform)
--   last_digit_mean       mean last digit of those counts (uniform expectation 4.5)
--   last_digit_z          (mean - 4.5) / (2.8723 / sqrt(counts_last))
--   share_last_0_or_5     share of those counts ending in 0 or 5 (expectation 0.2)
--   last_0_or_5_z         (share - 0.2) / sqrt(0.16 / counts_last)
create or replace table marts.forensics_digits as
with pec_values as (
    select * from intermediate.int_pec_values
    where source = 'official'
),

counts as (
    select
        election_id,
        contest_id,
        region_code,
        option_id,
        value,
        case when value >= 10 then substr(value::varchar, 2, 1)::integer end as second_digit,
        case when value >= 100 then value % 10 end as last_digit
    from pec_values
    where line = 'votes'
),

grouped as (
    select
        election_id,
        contest_id,
        region_code,
        option_id,
        count(second_digit) as counts_2bl,
        avg(second_digit) as second_digit_mean,
        count(last_digit) as counts_last,
        avg(last_digit) as last_digit_mean,
        avg(case when last_digit in (0, 5) then 1.0 when last_digit is not null then 0.0 end)
            as share_last_0_or_5
    from counts
    group by grouping sets (
        (election_id, contest_id),
        (election_id, contest_id, option_id),
        (election_id, contest_id, region_code),
        (election_id, contest_id, region_code, option_id)
    )
),

final as (
    select
        election_id,
        contest_id as contest,
        region_code,
        option_id,
        counts_2bl,
        second_digit_mean,
        (second_digit_mean - 4.1874) / (2.8729 / sqrt(nullif(counts_2bl, 0))) as second_digit_z,
        counts_last,
        last_digit_mean,
        (last_digit_mean - 4.5) / (2.8723 / sqrt(nullif(counts_last, 0))) as last_digit_z,
        share_last_0_or_5,
        (share_last_0_or_5 - 0.2) / sqrt(0.16 / nullif(counts_last, 0)) as last_0_or_5_z
    from grouped
)

select * from final
order by election_id, contest, region_code nulls first, option_id nulls first;
