-- Every protocol value belongs to a contest in ref.contests.
select distinct p.election_id, p.contest_id
from core.protocol_values as p
anti join ref.contests as c using (election_id, contest_id);
