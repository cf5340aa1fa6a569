// Complaints received in [$since, $until], with who filed them (systemic issues and
// the network summary). Whole-network read.
MATCH (s:Stakeholder)-[:FILED]->(c:Complaint)
WHERE c.received_at >= $since AND c.received_at <= $until
RETURN s.id AS sid, properties(c) AS c
