// Every relationship a filter matches, as (id, ends, sort key) only: the rows that
// strength sorting and strength or channel filters rank in the application.
MATCH (a:Stakeholder)-[r:{{TYPES}}]->(b:Stakeholder)
{{WHERE}}
RETURN r.id AS id, a.id AS from_id, b.id AS to_id, {{KEY}} AS sort_key
