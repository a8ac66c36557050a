-- Every 'votes' row names an option that is on that contest's ballot.
select distinct p.election_id, p.contest_id, p.option_id
from core.protocol_values as p
anti join ref.ballot_options as b using (election_id, contest_id, option_id)
where p.line = 'votes';
