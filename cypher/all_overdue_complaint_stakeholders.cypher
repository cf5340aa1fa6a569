// The stakeholders with an open complaint past a deadline at $now (whole network).
MATCH (s:Stakeholder)-[:FILED]->(c:Complaint)
WHERE c.status IN $open
  AND ((c.acknowledged_at IS NULL AND c.escalated_at IS NULL AND c.respond_by < $now) OR c.resolve_by < $now)
RETURN DISTINCT s.id AS id
