// Record an analyst's assessed strength beside the computed one (never over it).
MATCH (a)-[r:{{TYPE}}]->(b)
WHERE r.id = $id
SET r.assessed_strength = $strength, r.assessed_at = $at, r.assessed_by = $by
RETURN properties(r) AS r, type(r) AS type, a.id AS from_id, b.id AS to_id
