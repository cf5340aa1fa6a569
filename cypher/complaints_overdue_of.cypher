// Open complaints of these stakeholders that are past a deadline at $now: not yet answered
// by their respond-by time, or not yet resolved by their resolve-by time.
UNWIND $ids AS sid
MATCH (:Stakeholder {id: sid})-[:FILED]->(c:Complaint)
WHERE c.status IN $open
  AND ((c.acknowledged_at IS NULL AND c.escalated_at IS NULL AND c.respond_by < $now) OR c.resolve_by < $now)
RETURN sid, collect(c.id) AS ids
