// The interactions between two stakeholders that one of them started, up to a time:
// The stakeholder is matched first, on its own, and the far end carries no label: else
// FalkorDB starts from an index over all interactions or complaints.
// the history a strength is recomputed from for `asOf`, trends and channel state.
MATCH (a:Stakeholder {id: $a})
MATCH (b:Stakeholder {id: $b})
WITH a, b
MATCH (a)-[:PARTICIPATED]->(i)<-[:PARTICIPATED]-(b)
WHERE i.at <= $until AND (i.initiator_id = $a OR i.initiator_id = $b)
RETURN i.type AS type, i.at AS at, i.initiator_id AS initiator_id, i.sentiment AS sentiment
ORDER BY i.at
