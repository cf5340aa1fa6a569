// The histories of many pairs [a, b] at once, up to a time (batched trends and channel states).
// The stakeholder is matched first, on its own, and the far end carries no label: else
// FalkorDB starts from an index over all interactions or complaints.
UNWIND $pairs AS pr
MATCH (a:Stakeholder {id: pr[0]})
MATCH (b:Stakeholder {id: pr[1]})
WITH pr, a, b
MATCH (a)-[:PARTICIPATED]->(i)<-[:PARTICIPATED]-(b)
WHERE i.at <= $until AND (i.initiator_id = pr[0] OR i.initiator_id = pr[1])
RETURN pr[0] AS a, pr[1] AS b, i.type AS type, i.at AS at, i.initiator_id AS initiator_id, i.sentiment AS sentiment
