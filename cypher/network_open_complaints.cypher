// Complaints in an open status, with who filed them (network summary). Whole-network read.
MATCH (s:Stakeholder)-[:FILED]->(c:Complaint)
WHERE c.status IN $open
RETURN s.id AS sid, properties(c) AS c
