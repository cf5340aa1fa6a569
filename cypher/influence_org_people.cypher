// The people who currently work for an organisation, with their role there, whom they
// currently report to, and their written-back influence (decision makers, DOMAIN.md §3).
MATCH (org:Stakeholder {id: $org})
MATCH (p:Stakeholder)-[w:WORKS_FOR]->(org)
WHERE w.ended_at IS NULL
OPTIONAL MATCH (p)-[r:REPORTS_TO]->(boss:Stakeholder)
WHERE r.ended_at IS NULL
RETURN p.id AS id, w.role AS role, collect(DISTINCT boss.id) AS bosses, p.influence_score AS score
