// Every current membership (person WORKS_FOR organisation) as two columns: the membership
// ties of the influence projection. Whole-network read, one row.
MATCH (p:Stakeholder)-[w:WORKS_FOR]->(o:Stakeholder)
WHERE w.ended_at IS NULL
RETURN collect(p.id) AS a, collect(o.id) AS b
