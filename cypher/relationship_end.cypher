// End a relationship: it is kept, never deleted.
MATCH (a)-[r:{{TYPE}}]->(b)
WHERE r.id = $id AND r.ended_at IS NULL
SET r.ended_at = $at, r.end_reason = $reason
RETURN properties(r) AS r, type(r) AS type, a.id AS from_id, b.id AS to_id
