// Every relationship between two stakeholders, either direction.
MATCH (a:Stakeholder {id: $a})-[r:{{TYPES}}]-(b:Stakeholder {id: $b})
RETURN properties(r) AS r, type(r) AS type, startNode(r).id AS from_id, endNode(r).id AS to_id
