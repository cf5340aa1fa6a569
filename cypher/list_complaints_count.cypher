// How many complaints a filter matches (totalCount).
MATCH (s:Stakeholder)-[:FILED]->(c:Complaint)
{{WHERE}}
RETURN count(c) AS n
