// The interactions between two stakeholders that one of them started, up to a time:
// the history a strength is recomputed from for `asOf`, trends and channel state.
MATCH (a:Stakeholder {id: $a})-[:PARTICIPATED]->(i:Interaction)<-[:PARTICIPATED]-(b:Stakeholder {id: $b})
WHERE i.at <= $until AND (i.initiator_id = $a OR i.initiator_id = $b)
RETURN i.type AS type, i.at AS at, i.initiator_id AS initiator_id, i.sentiment AS sentiment
ORDER BY i.at
