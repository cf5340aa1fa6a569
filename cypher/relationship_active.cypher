// An active relationship of this type between these two stakeholders, if any.
MATCH (a:Stakeholder {id: $from_id})-[r:{{TYPE}}]->(b:Stakeholder {id: $to_id})
WHERE r.ended_at IS NULL
RETURN properties(r) AS r, type(r) AS type, a.id AS from_id, b.id AS to_id
LIMIT 1
