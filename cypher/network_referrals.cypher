// Active REFERRED and INFLUENCES ties (who brings whom), for loss impact across the
// network, with an analyst's assessed strength when recorded. Whole-network read.
MATCH (a:Stakeholder)-[r:REFERRED|INFLUENCES]->(b:Stakeholder)
WHERE r.ended_at IS NULL
RETURN a.id AS a, b.id AS b, r.assessed_strength AS assessed
