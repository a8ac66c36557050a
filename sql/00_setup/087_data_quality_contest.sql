-- meta.data_quality_inputs.contest_id: a file holding several contests (a Kazakh precinct table) is counted
-- once per contest, not once per file: its second and third contests' counts were skipped as "already
-- counted" (saylau.load.store.store_counts).
alter table meta.data_quality_inputs add column if not exists contest_id varchar;
