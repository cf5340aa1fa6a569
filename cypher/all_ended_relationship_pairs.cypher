// The pairs with at least one ended relationship (whole network; few in practice).
MATCH (a:Stakeholder)-[r:{{TYPES}}]->(b:Stakeholder)
WHERE r.ended_at IS NOT NULL
RETURN DISTINCT a.id AS a, b.id AS b
