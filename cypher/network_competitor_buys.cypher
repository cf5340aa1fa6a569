// Customer organisations that buy from a competitor (active BUYS_FROM), with an analyst's
// assessed strength of that tie when one was recorded. Whole-network read (DOMAIN.md §5).
MATCH (org:Stakeholder)-[r:BUYS_FROM]->(comp:Stakeholder)
WHERE r.ended_at IS NULL AND comp.kind = 'COMPETITOR' AND org.kind = 'CUSTOMER' AND org.form = 'ORGANIZATION'
RETURN org.id AS org, comp.id AS competitor, r.assessed_strength AS assessed
