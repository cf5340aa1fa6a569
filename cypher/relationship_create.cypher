// Start a typed relationship between two existing stakeholders.
MATCH (a:Stakeholder {id: $from_id}), (b:Stakeholder {id: $to_id})
CREATE (a)-[r:{{TYPE}}]->(b)
SET r = $props
RETURN properties(r) AS r, type(r) AS type, a.id AS from_id, b.id AS to_id
