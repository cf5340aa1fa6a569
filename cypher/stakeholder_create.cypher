// A new stakeholder, only when its id is free: no row back means the id is taken.
OPTIONAL MATCH (existing:Stakeholder {id: $id})
WITH existing WHERE existing IS NULL
CREATE (s:Stakeholder)
SET s = $props
RETURN properties(s) AS s
