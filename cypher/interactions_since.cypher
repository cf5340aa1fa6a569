// Every interaction after a moment: the recent events that wind strengths back in time.
MATCH (i:Interaction)
WHERE i.at > $since
RETURN i.type AS type, i.at AS at, i.initiator_id AS initiator_id, i.participant_ids AS participant_ids, i.sentiment AS sentiment
