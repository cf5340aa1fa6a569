// Every COMPETITOR stakeholder and the competitor it counts for: a competitor
// organisation counts for itself, a competitor person for the competitor organisation it
// currently works for (or itself without one).
MATCH (x:Stakeholder)
WHERE x.kind = 'COMPETITOR'
OPTIONAL MATCH (x)-[e:WORKS_FOR]->(comp:Stakeholder)
WHERE e.ended_at IS NULL AND comp.kind = 'COMPETITOR'
RETURN x.id AS id, coalesce(comp.id, x.id) AS competitor
