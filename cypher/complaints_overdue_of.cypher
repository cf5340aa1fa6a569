// Open complaints of these stakeholders that are past a deadline at $now: not yet answered
// by their respond-by time, or not yet resolved by their resolve-by time. The stakeholder
// is matched first, on its own, so that FalkorDB walks from it rather than scanning
// complaints.
UNWIND $ids AS sid
MATCH (s:Stakeholder {id: sid})
WITH sid, s
MATCH (s)-[:FILED]->(c)
WHERE c.status IN $open
  AND ((c.acknowledged_at IS NULL AND c.escalated_at IS NULL AND c.respond_by < $now) OR c.resolve_by < $now)
RETURN sid, collect(c.id) AS ids
