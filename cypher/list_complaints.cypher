// A page of complaints, with the stakeholder who filed each one in reach of the filter.
// Fragments and keyset as in list_stakeholders.
MATCH (s:Stakeholder)-[:FILED]->(c:Complaint)
{{WHERE}}
WITH c, {{KEY}} AS sort_key, c.id AS tie
{{AFTER}}
RETURN properties(c) AS c, sort_key, tie
ORDER BY {{ORDER}}
LIMIT $limit
