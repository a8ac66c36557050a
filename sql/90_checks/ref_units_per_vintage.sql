-- Kazakhstan had 17 first-level units in 2021 and 20 from 2022; any other count is a reference error.
select 'in_2021' as vintage, count(*) as units from ref.regions where in_2021 having count(*) <> 17
union all
select 'in_2022_plus', count(*) from ref.regions where in_2022_plus having count(*) <> 20;
