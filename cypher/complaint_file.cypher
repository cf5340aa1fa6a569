// File a complaint against the stakeholder who raised it.
MATCH (s:Stakeholder {id: $stakeholder_id})
CREATE (c:Complaint)
SET c = $props
CREATE (s)-[:FILED]->(c)
RETURN properties(c) AS c
