// Complaints received in [$since, $until] with the organisations their complainant worked
// for when it complained (systemic issues count a person's complaint for its
// organisation). One row per complaint and organisation; org is null when there is none.
// Whole-network read.
MATCH (s:Stakeholder)-[:FILED]->(c:Complaint)
WHERE c.received_at >= $since AND c.received_at <= $until
OPTIONAL MATCH (s)-[w:WORKS_FOR]->(org:Stakeholder)
WHERE s.form = 'PERSON' AND org.form = 'ORGANIZATION'
  AND (w.ended_at IS NULL OR w.ended_at > c.received_at)
RETURN s.id AS sid, c.id AS id, c.category AS category, c.received_at AS received_at,
       org.id AS org, org.kind AS org_kind
