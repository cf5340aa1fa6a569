// A page of relationships of the domain's types (never the internal PARTICIPATED, FILED
// or PLAN_FOR edges). Fragments and keyset as in list_stakeholders.
MATCH (a:Stakeholder)-[r:{{TYPES}}]->(b:Stakeholder)
{{WHERE}}
WITH a, r, b, {{KEY}} AS sort_key, r.id AS tie
{{AFTER}}
RETURN properties(r) AS r, type(r) AS type, a.id AS from_id, b.id AS to_id, sort_key, tie
ORDER BY {{ORDER}}
LIMIT $limit
