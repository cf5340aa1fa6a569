// How many relationships a filter matches (totalCount).
MATCH (a:Stakeholder)-[r:{{TYPES}}]->(b:Stakeholder)
{{WHERE}}
RETURN count(r) AS n
