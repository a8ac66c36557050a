-- Models that lived in core before the intermediate schema (sql/20_intermediate now builds them in
-- intermediate): dropped so a working file made by an older version holds no stale copy.
drop table if exists core.int_contest_leaders;
drop table if exists core.int_observed_pecs;
drop table if exists core.int_observer_copies_as_sent;
drop table if exists core.int_pec_wide;
drop table if exists core.int_precinct_protocols;
drop view if exists core.int_observer_protocols_resolved;
drop view if exists core.int_observer_protocol_conflicts;
drop view if exists core.int_observer_copies_compared;
drop view if exists core.int_protocol_values_current;
